import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { orderMigrations, runMigrations } from '../../common/engine/migrations';
import { CACHE_MIGRATIONS, mainBoards } from '../boards';
import { openDatabase } from './db';
import { DatabaseTooNew, engineMigrations, migrateCache, type CacheMigration } from './migrations';
import { cacheAt, tempDir } from './testSupport';

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

describe('local cache migrations: the sequence', () => {
  it('is the engine’s steps and every board’s, numbered 1..n without gap, each in the folder of its owner', () => {
    const owners = new Map<number, string>();
    for (const m of engineMigrations) owners.set(m.version, 'engine');
    for (const b of mainBoards) for (const m of b.migrations) owners.set(m.version, b.board.name);
    expect(CACHE_MIGRATIONS.map((m) => m.version)).toEqual(CACHE_MIGRATIONS.map((_, i) => i + 1));
    expect(owners.size).toBe(CACHE_MIGRATIONS.length);
    expect(Object.fromEntries(owners)).toEqual({ 1: 'engine', 2: 'eventlog', 3: 'engine', 4: 'beds', 5: 'beds', 6: 'eventlog', 7: 'beds', 8: 'eventlog', 9: 'beds', 10: 'beds', 11: 'eventlog', 12: 'eventlog', 13: 'eventlog', 14: 'transfers', 15: 'transfers', 16: 'stocks', 17: 'engine', 18: 'stocks', 19: 'stocks', 20: 'stocks' });
  });

  it('refuses two steps with one version, and a gap', () => {
    const step = (version: number, name: string): CacheMigration => ({ version, name, up: () => undefined });
    expect(() => orderMigrations([[step(1, 'a'), step(2, 'b')], [step(2, 'c')]])).toThrow(/version 2 declared twice: b, c/);
    expect(() => orderMigrations([[step(1, 'a')], [step(3, 'c')]])).toThrow(/gap: c has version 3, expected 2/);
  });
});

describe('local cache migrations: the runner', () => {
  it('brings a new file to the last version with WAL, synchronous=FULL and foreign keys', () => {
    const db = openDatabase(join(dir(), 'cache.sqlite'), CACHE_MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(['acks', 'allocation_lines', 'allocation_rounds', 'events', 'holds', 'message_changes', 'messages', 'meta', 'operations', 'outbox', 'ov_acks', 'ov_allocation_lines', 'ov_allocation_rounds', 'ov_events', 'ov_holds', 'ov_messages', 'ov_operations', 'ov_redeployments', 'ov_room_posts', 'ov_room_shifts', 'ov_stock_lines', 'ov_transfer_summaries', 'ov_transfers', 'ov_units', 'redeployments', 'room_posts', 'room_shifts', 'stock_lines', 'transfer_summaries', 'transfers', 'unit_changes', 'unit_history', 'units']);
    // The change counters are the engine's to move: no trigger is left.
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('reopening an up-to-date file changes nothing and keeps its data', () => {
    const file = join(dir(), 'cache.sqlite');
    const db = openDatabase(file, CACHE_MIGRATIONS);
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    db.close();
    const again = openDatabase(file, CACHE_MIGRATIONS);
    expect(again.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
    expect(again.prepare("SELECT value FROM meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
    again.close();
  });

  it('refuses a database written by a newer Vigie, with a French message, and leaves it untouched', () => {
    const file = join(dir(), 'cache.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${CACHE_MIGRATIONS.length + 4}`);
    raw.exec('CREATE TABLE future_thing (x INTEGER)');
    raw.close();
    expect(() => openDatabase(file, CACHE_MIGRATIONS)).toThrow(DatabaseTooNew);
    expect(() => openDatabase(file, CACHE_MIGRATIONS)).toThrow(/version plus récente de Vigie/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length + 4);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'meta'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('upgrades an older database step by step, keeping its rows', () => {
    const { db: old, file } = cacheAt(1, dir());
    old.prepare("INSERT INTO meta (key, value) VALUES ('cursor', '42')").run();
    old.close();
    const db = openDatabase(file, CACHE_MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get()).toEqual({ value: '42' });
    db.close();
  });

  it('a failing step rolls back entirely and the version stays at the last good step', () => {
    const db = new Database(':memory:');
    const steps: CacheMigration[] = [
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
    expect(() => migrateCache(db, steps)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a migration list out of order', () => {
    const db = new Database(':memory:');
    const steps: CacheMigration[] = [
      { version: 1, name: 'one', up: () => undefined },
      { version: 3, name: 'three', up: () => undefined },
    ];
    expect(() => runMigrations(db, steps, () => new Error('too new'))).toThrow(/out of order/);
    db.close();
  });
});
