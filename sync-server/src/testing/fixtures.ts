/**
 * Test fixtures shared by the sync-server tests: temp directories, the real referential
 * (loaded once per test file), users inserted without argon2's cost, mutation builders.
 * Not a test file; imported by `*.test.ts` only.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnitReportArgs } from '../../../common/domain/beds/model';
import type { MessagePostArgs } from '../../../common/domain/eventlog/model';
import type { Territories } from '../../../common/territory';
import { identityOf, type Identity } from '../auth/actor';
import Database from 'better-sqlite3';
import { SERVER_MIGRATIONS } from '../boards';
import { loadServerTerritories } from '../referential';
import { migrate } from '../store/migrations';
import type { ServerStore } from '../store/types';
import type { Mutation } from '../../../common/protocol';

let cached: Territories | undefined;
export function territories(): Territories {
  cached ??= loadServerTerritories();
  return cached;
}

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-sync-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Inserts a user with a placeholder hash (store tests never log in) and returns its identity. */
export async function addIdentity(store: ServerStore, username: string, role: string): Promise<Identity> {
  const record = await store.insertUser({ username, displayName: `Test ${username}`, role, passwordHash: 'x' });
  const identity = identityOf(record, territories());
  if (!identity) throw new Error(`bad test role ${role}`);
  return identity;
}

export const EVENT_ID = '11111111-2222-4333-8444-555555555555';

export function mutation(clientId: string, mutationId: number, name: string, args: unknown, at = new Date()): Mutation {
  return { clientId, mutationId, name, args, at: at.toISOString() };
}

export function openEvent(clientId: string, mutationId: number, territory = 'FR', id = EVENT_ID): Mutation {
  return mutation(clientId, mutationId, 'event.open', { id, title: 'Covid-19 — vague 1', territory });
}

export function postMessage(
  clientId: string,
  mutationId: number,
  territory: string,
  extra: Partial<MessagePostArgs> = {},
): Mutation {
  const args: MessagePostArgs = {
    id: randomUUID(),
    eventId: EVENT_ID,
    territory,
    kind: 'information',
    priority: 'info',
    body: `Point de situation ${mutationId}`,
    ...extra,
  };
  return mutation(clientId, mutationId, 'message.post', args);
}

/** A `unit.report` mutation with plausible figures (override any field). */
export function reportUnit(
  clientId: string,
  mutationId: number,
  finess: string,
  unitType: string,
  figures: Partial<UnitReportArgs> = {},
  at = new Date(),
): Mutation {
  const args: UnitReportArgs = { id: randomUUID(), finess, unitType, installed: 20, staffed: 18, available: 3, ...figures };
  return mutation(clientId, mutationId, 'unit.report', args, at);
}

/** A new server database file brought to `version` by the release's own steps (a migration's test starts from the step before its own). */
export function serverDbAt(version: number, dir: string): { db: Database.Database; file: string } {
  const file = join(dir, `server-v${version}.sqlite`);
  const db = new Database(file);
  migrate(db, SERVER_MIGRATIONS.slice(0, version));
  return { db, file };
}
