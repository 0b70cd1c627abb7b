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
      expect.arrayContaining(['users', 'sessions', 'clients', 'mutation_results', 'change_log', 'events', 'messages', 'acks']),
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
