import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { DatabaseTooNew, MIGRATIONS, runMigrations, type Migration } from './migrations';
import { tempDir } from './testSupport';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
function dir(): string {
  const t = tempDir('migr');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('local store migrations', () => {
  it('brings a new file to the last version with WAL, synchronous=FULL and foreign keys', () => {
    const file = join(dir(), 'cache.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
    expect(tables).toEqual(['acks', 'events', 'message_changes', 'messages', 'meta', 'outbox', 'ov_acks', 'ov_events', 'ov_messages', 'ov_units', 'unit_changes', 'unit_history', 'units']);
    db.close();
  });

  it('reopening an up-to-date file changes nothing and keeps its data', () => {
    const file = join(dir(), 'cache.sqlite');
    const db = openDatabase(file);
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    db.close();
    const again = openDatabase(file);
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(again.prepare("SELECT value FROM meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
    again.close();
  });

  it('refuses a database written by a newer Vigie, with a French message, and leaves it untouched', () => {
    const file = join(dir(), 'cache.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 4}`);
    raw.exec('CREATE TABLE future_thing (x INTEGER)');
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNew);
    expect(() => openDatabase(file)).toThrow(/version plus récente de Vigie/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 4);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'meta'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('upgrades an older database step by step, keeping its rows', () => {
    const file = join(dir(), 'cache.sqlite');
    const old = new Database(file);
    runMigrations(old, MIGRATIONS.slice(0, 1));
    old.prepare("INSERT INTO meta (key, value) VALUES ('cursor', '42')").run();
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get()).toEqual({ value: '42' });
    db.close();
  });

  it('step 4 (beds) upgrades a version-3 cache with pending work: the outbox and overlays stay, unit tables start empty', () => {
    const file = join(dir(), 'cache.sqlite');
    const old = new Database(file);
    runMigrations(old, MIGRATIONS.slice(0, 3));
    old.prepare("INSERT INTO outbox (mutation_id, name, args, at) VALUES (1, 'message.post', '{}', '2020-03-24T08:00:00.000Z')").run();
    old.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT mutation_id, status FROM outbox').all()).toEqual([{ mutation_id: 1, status: 'pending' }]);
    for (const table of ['units', 'unit_history', 'ov_units']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    // One current report per unit: a second row for the same (finess, unit type) is refused.
    const insert = db.prepare(
      `INSERT INTO units (id, finess, unit_type, installed, staffed, available, covid_pos, covid_neg, extra24h, extra72h, comment, source,
        reported_by, reported_role, at, version) VALUES (?, '750100125', 'REA_MED', 10, 8, 2, NULL, NULL, NULL, NULL, '', 'app', 'x', 'x', 'now', 1)`,
    );
    insert.run('a');
    expect(() => insert.run('b')).toThrow(/UNIQUE/);
    db.close();
  });

  it('step 5 (unit change counter) numbers the units a version-4 cache already holds, then every change to a unit bumps it', () => {
    const file = join(dir(), 'cache.sqlite');
    const old = new Database(file);
    runMigrations(old, MIGRATIONS.slice(0, 4));
    const cols = `id, finess, unit_type, installed, staffed, available, covid_pos, covid_neg, extra24h, extra72h, comment, source,
        reported_by, reported_role, at, version`;
    const row = (id: string, finess: string, unitType: string, version: number) =>
      `'${id}', '${finess}', '${unitType}', 10, 8, 2, NULL, NULL, NULL, NULL, '', 'app', 'x', 'x', '2020-03-24T08:00:00.000Z', ${version}`;
    old.exec(`INSERT INTO units (${cols}) VALUES (${row('a', '750100125', 'REA_MED', 1)}), (${row('b', '750100125', 'USC_MED', 2)})`);
    old.exec(`INSERT INTO ov_units (mutation_id, ${cols}) VALUES (7, ${row('c', '750100042', 'REA_MED', 0)})`);
    old.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const seqs = () => db.prepare('SELECT finess, unit_type, seq FROM unit_changes ORDER BY seq').all();
    // Every unit present (server or pending) is numbered once, in key order.
    expect(seqs()).toEqual([
      { finess: '750100042', unit_type: 'REA_MED', seq: 1 },
      { finess: '750100125', unit_type: 'REA_MED', seq: 2 },
      { finess: '750100125', unit_type: 'USC_MED', seq: 3 },
    ]);
    // A newer server row, a settled overlay row: each moves its unit after the others.
    db.prepare("UPDATE units SET available = 1, version = 5 WHERE id = 'a'").run();
    db.prepare('DELETE FROM ov_units WHERE mutation_id = 7').run();
    expect(seqs()).toEqual([
      { finess: '750100125', unit_type: 'USC_MED', seq: 3 },
      { finess: '750100125', unit_type: 'REA_MED', seq: 4 },
      { finess: '750100042', unit_type: 'REA_MED', seq: 5 },
    ]);
    db.close();
  });

  it('a failing step rolls back entirely and the version stays at the last good step', () => {
    const db = new Database(':memory:');
    const steps: Migration[] = [
      { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE a (x INTEGER)') },
      {
        version: 2,
        name: 'two',
        up: (d) => {
          d.exec('CREATE TABLE b (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => runMigrations(db, steps)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a migration list with a gap', () => {
    const db = new Database(':memory:');
    const steps: Migration[] = [
      { version: 1, name: 'one', up: () => undefined },
      { version: 3, name: 'three', up: () => undefined },
    ];
    expect(() => runMigrations(db, steps)).toThrow(/out of order/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
  });
});
