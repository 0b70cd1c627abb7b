/**
 * The engine with a board it has never heard of: a probe board registered beside the real
 * ones, whose rows two branches of the territory must see (as a transfer between two
 * regions will). Nothing of the engine names it.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineBoard } from '../../../common/engine/board';
import { defineEntity } from '../../../common/engine/entity';
import { MutationRejected, mutatorsUsing } from '../../../common/engine/mutation';
import type { Change } from '../../../common/protocol';
import { defineServerBoard, type ServerBoard } from '../board';
import { serverBoards, SERVER_MIGRATIONS } from '../boards';
import { addIdentity, tempDir, territories } from '../testing/fixtures';
import type { ChangeWriter } from './changeWriter';
import { SqliteServerStore } from './sqliteStore';

interface Probe {
  id: string;
  from: string;
  to: string;
  version: number;
}
interface ProbeTx {
  put(p: Probe): void;
}
const probeEntity = defineEntity<Probe>()('probe', { key: (p) => p.id, scope: (p) => [`E:${p.from}`, `E:${p.to}`], pull: 'log' });
const define = mutatorsUsing<{ probe: ProbeTx }>('probe');
const probeBoard = defineBoard({
  name: 'probe',
  entities: [probeEntity] as const,
  mutators: {
    'probe.put': define(z.strictObject({ id: z.string(), from: z.string(), to: z.string(), fail: z.boolean().optional() }), ({ probe }, args) => {
      probe.put({ id: args.id, from: args.from, to: args.to, version: 0 });
      if (args.fail) throw new MutationRejected('refusé après écriture');
    }),
  },
  calls: {},
});
const probeServer: ServerBoard<null> = defineServerBoard({
  board: probeBoard,
  migrations: [{ version: SERVER_MIGRATIONS.length + 1, name: 'probe', up: (db: Database.Database) => db.exec('CREATE TABLE probes (id TEXT PRIMARY KEY, version INTEGER NOT NULL)') }],
  sqlite: {
    slice: (db: Database.Database, writer: ChangeWriter): ProbeTx => {
      const put = db.prepare('INSERT INTO probes (id, version) VALUES (?, ?)');
      return { put: (p) => put.run(p.id, writer.stamp(probeEntity, p).row.version) };
    },
    store: () => null,
  },
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function openStore() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = new SqliteServerStore(join(t.dir, 'server.sqlite'), territories(), [...serverBoards, probeServer]);
  cleanups.push(() => store.close());
  return store;
}

async function pullAll(store: SqliteServerStore, path: string): Promise<Change[]> {
  const out: Change[] = [];
  for (let cursor = 0, more = true; more; ) {
    const page = await store.pull(path, cursor, 100);
    out.push(...page.changes);
    cursor = page.cursor;
    more = page.more;
  }
  return out;
}

describe('the engine with a registered board it does not name', () => {
  it('logs a row two branches see once per branch, on consecutive versions; each branch pulls it, another does not', async () => {
    const store = openStore();
    const national = await addIdentity(store, 'nat', 'national');
    const put = { clientId: 'client-nat-1', mutationId: 1, name: 'probe.put', args: { id: 'p1', from: '750100125', to: '290000058' }, at: new Date().toISOString() };
    const outcome = await store.applyMutations({ clientId: 'client-nat-1', actor: national.actor, mutations: [put], now: new Date() });
    expect(outcome.results).toEqual([{ mutationId: 1, status: 'applied', version: 2 }]);
    expect(outcome.changes.map((c) => [c.change.version, c.scopePath])).toEqual([
      [1, '/FR/R:11/D:75/E:750100125/'],
      [2, '/FR/R:53/D:29/E:290000058/'],
    ]);
    const data = { id: 'p1', from: '750100125', to: '290000058', version: 2 };
    expect(await pullAll(store, '/FR/R:11/D:75/')).toEqual([{ version: 1, entity: 'probe', data }]);
    expect(await pullAll(store, '/FR/R:53/')).toEqual([{ version: 2, entity: 'probe', data }]);
    expect(await pullAll(store, '/FR/R:84/')).toEqual([]);
    expect((await pullAll(store, '/FR/')).map((c) => c.version)).toEqual([1, 2]);
    expect(store.db.prepare('SELECT id, version FROM probes').all()).toEqual([{ id: 'p1', version: 2 }]);
  });

  it('forgets every version of a refused mutation, so the next one continues without a gap', async () => {
    const store = openStore();
    const national = await addIdentity(store, 'nat', 'national');
    const m = (mutationId: number, args: Record<string, unknown>) => ({ clientId: 'client-nat-1', mutationId, name: 'probe.put', args, at: new Date().toISOString() });
    const outcome = await store.applyMutations({
      clientId: 'client-nat-1',
      actor: national.actor,
      mutations: [m(1, { id: 'a', from: '750100125', to: '290000058', fail: true }), m(2, { id: 'b', from: '750100125', to: '750100125' })],
      now: new Date(),
    });
    expect(outcome.results).toEqual([
      { mutationId: 1, status: 'rejected', reason: 'refusé après écriture' },
      { mutationId: 2, status: 'applied', version: 1 },
    ]);
    // One territory twice is one branch: logged once.
    expect(store.db.prepare('SELECT version, entity_id FROM change_log').all()).toEqual([{ version: 1, entity_id: 'b' }]);
  });
});
