import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { tempDir, territories } from '../testing/fixtures';
import { DatabaseTooNewError, LATEST_SCHEMA_VERSION, migrate, migrations, type Migration } from './migrations';
import { SqliteServerStore } from './sqliteStore';

const dirs: Array<() => void> = [];
afterEach(() => dirs.splice(0).forEach((c) => c()));
function dbFile(): string {
  const t = tempDir();
  dirs.push(t.cleanup);
  return join(t.dir, 'server.sqlite');
}

describe('server migrations', () => {
  it('bring a fresh database to the latest version with every table', async () => {
    const file = dbFile();
    const store = new SqliteServerStore(file, territories());
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length);
    const tables = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'users', 'sessions', 'clients', 'mutation_results', 'change_log', 'events', 'messages', 'acks',
        'unit_reports', 'unit_current', 'feed_keys',
      ]),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('are not re-applied when the database is opened again', async () => {
    const file = dbFile();
    await new SqliteServerStore(file, territories()).close();
    const again = new SqliteServerStore(file, territories());
    expect(again.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    await again.close();
  });

  it('refuse a database written by a newer server, with a French message, and leave it untouched', () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => new SqliteServerStore(file, territories())).toThrow(DatabaseTooNewError);
    expect(() => new SqliteServerStore(file, territories())).toThrow(
      fr.server.dbTooNew(LATEST_SCHEMA_VERSION + 1, LATEST_SCHEMA_VERSION),
    );
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(check.prepare(`SELECT count(*) AS n FROM sqlite_master`).get()).toEqual({ n: 0 });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('bring a version 2 database (event log only) to the beds schema, keeping its rows and its pulls', async () => {
    const file = dbFile();
    const old = new Database(file);
    migrate(old, migrations.slice(0, 2));
    const path = '/FR/';
    old.exec(`
      INSERT INTO users (id, username, display_name, role, password_hash, created_at)
        VALUES ('u1', 'nat', 'Cellule', 'national', 'x', '2020-03-20T08:00:00.000Z');
      INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES ('client-nat-1', 'u1', 1);
      INSERT INTO mutation_results (client_id, mutation_id, status, version) VALUES ('client-nat-1', 1, 'applied', 1);
      INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version, scope_path)
        VALUES ('e1', 'Covid-19 — vague 1', '', 'FR', 'open', '2020-03-20T08:00:00.000Z', 'Cellule', 1, '${path}');
      INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at)
        VALUES (1, 'event', 'e1', '${path}', '{"id":"e1","version":1}', '2020-03-20T08:00:00.000Z');
    `);
    expect(() => old.exec(`INSERT INTO change_log VALUES (2, 'unit', 'r', '${path}', '{}', 'x')`)).toThrow(/CHECK/);
    old.close();

    const store = new SqliteServerStore(file, territories());
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(await store.lastMutationId('client-nat-1')).toBe(1);
      expect(await store.countEvents()).toBe(1);
      expect(await store.pull(path, 0, 10)).toEqual({
        changes: [{ version: 1, entity: 'event', data: { id: 'e1', version: 1 } }],
        cursor: 1,
        more: false,
      });
      // The rebuilt change log accepts unit rows and keeps its integer primary key.
      store.db.exec(`INSERT INTO change_log VALUES (2, 'unit', 'r', '${path}', '{}', 'x')`);
      expect(await store.latestVersion()).toBe(2);
      expect(store.db.prepare(`SELECT name FROM sqlite_master WHERE name = 'change_log_v3'`).get()).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('roll a failing migration back whole, version included', () => {
    const db = new Database(':memory:');
    const list: Migration[] = [
      (d) => d.exec(`CREATE TABLE a (x INTEGER)`),
      (d) => {
        d.exec(`CREATE TABLE b (x INTEGER)`);
        throw new Error('boom');
      },
    ];
    expect(() => migrate(db, list)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
    db.close();
  });
});
