import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { openServerStore } from '../app';
import { serverBoards, SERVER_MIGRATIONS } from '../boards';
import { tempDir, territories } from '../testing/fixtures';
import { DatabaseTooNewError, engineMigrations, migrate, type ServerMigration } from './migrations';

const dirs: Array<() => void> = [];
afterEach(() => dirs.splice(0).forEach((c) => c()));
function dbFile(): string {
  const t = tempDir();
  dirs.push(t.cleanup);
  return join(t.dir, 'server.sqlite');
}
const LATEST = SERVER_MIGRATIONS.length;

describe('server migrations', () => {
  it('are the engine’s steps and every board’s, numbered 1..n without gap, each in the folder of its owner', () => {
    const owners = new Map<number, string>();
    for (const m of engineMigrations) owners.set(m.version, 'engine');
    for (const b of serverBoards) for (const m of b.migrations) owners.set(m.version, b.board.name);
    expect(SERVER_MIGRATIONS.map((m) => m.version)).toEqual(SERVER_MIGRATIONS.map((_, i) => i + 1));
    expect(Object.fromEntries(owners)).toEqual({ 1: 'engine', 2: 'eventlog', 3: 'beds', 4: 'beds', 5: 'engine', 6: 'beds', 7: 'engine', 8: 'beds', 9: 'beds', 10: 'beds', 11: 'eventlog', 12: 'eventlog', 13: 'eventlog', 14: 'transfers', 15: 'transfers', 16: 'stocks', 17: 'engine', 18: 'stocks', 19: 'stocks', 20: 'engine', 21: 'engine' });
  });

  it('bring a fresh database to the latest version with every table', async () => {
    const file = dbFile();
    const store = openServerStore(file, territories());
    expect(store.schemaVersion).toBe(LATEST);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
    const tables = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'users', 'sessions', 'clients', 'mutation_results', 'change_log', 'events', 'messages', 'acks',
        'unit_reports', 'unit_current', 'feed_keys', 'server_meta',
      ]),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('are not re-applied when the database is opened again', async () => {
    const file = dbFile();
    await openServerStore(file, territories()).close();
    const again = openServerStore(file, territories());
    expect(again.db.pragma('user_version', { simple: true })).toBe(LATEST);
    await again.close();
  });

  it('refuse a database written by a newer server, with a French message, and leave it untouched', () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST + 1}`);
    raw.close();
    expect(() => openServerStore(file, territories())).toThrow(DatabaseTooNewError);
    expect(() => openServerStore(file, territories())).toThrow(fr.server.dbTooNew(LATEST + 1, LATEST));
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST + 1);
    expect(check.prepare(`SELECT count(*) AS n FROM sqlite_master`).get()).toEqual({ n: 0 });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('roll a failing migration back whole, version included', () => {
    const db = new Database(':memory:');
    const list: ServerMigration[] = [
      { version: 1, name: 'a', up: (d) => d.exec(`CREATE TABLE a (x INTEGER)`) },
      {
        version: 2,
        name: 'b',
        up: (d) => {
          d.exec(`CREATE TABLE b (x INTEGER)`);
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, list)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
    db.close();
  });
});
