import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CACHE_MIGRATIONS } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir } from '../../store/testSupport';

const t = tempDir('m006');
afterAll(() => t.cleanup());
let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

describe('migration 6: message change counter', () => {
  it('numbers the messages a version-5 cache already holds, then inserts, updates, acks and overlay rows bump it', () => {
    const { db: old, file } = cacheAt(5, t.dir);
    const insert = old.prepare(
      `INSERT INTO messages (id, event_id, level, territory, territory_path, kind, priority, body, author_id, author_name, author_role, at,
        replaces, corrects, search, version) VALUES (?, 'e', 'local', 'D:75', 'FR/R:11/D:75', 'consigne', 'info', 'x', 'a', 'A', 'samu:75', 'now', ?, NULL, 'x', 1)`,
    );
    insert.run('m-b', null);
    insert.run('m-a', null);
    old.close();
    // Version 6 exactly: its triggers are what it shipped (migration 8 hands the counter to the engine).
    const db = openDatabase(file, CACHE_MIGRATIONS.slice(0, 6));
    cleanups.push(() => db.close());
    const seqs = () => Object.fromEntries((db.prepare('SELECT message_id, seq FROM message_changes').all() as Array<{ message_id: string; seq: number }>).map((r) => [r.message_id, r.seq]));
    expect(seqs()).toEqual({ 'm-a': 1, 'm-b': 2 });
    // A new version of m-a: the new message and the one it replaces change.
    db.prepare(
      `INSERT INTO messages (id, event_id, level, territory, territory_path, kind, priority, body, author_id, author_name, author_role, at,
        replaces, corrects, search, version) VALUES ('m-c', 'e', 'local', 'D:75', 'FR/R:11/D:75', 'consigne', 'info', 'x', 'a', 'A', 'samu:75', 'now', 'm-a', NULL, 'x', 2)`,
    ).run();
    expect(seqs()).toEqual({ 'm-a': 4, 'm-b': 2, 'm-c': 3 });
    db.prepare("INSERT INTO acks (message_id, territory, user_id, user_name, at, version) VALUES ('m-b', 'D:75', 'u', 'U', 'now', 3)").run();
    expect(seqs()['m-b']).toBe(5);
    db.prepare("INSERT INTO ov_acks (mutation_id, message_id, territory, user_id, user_name, at, version) VALUES (1, 'm-c', 'D:92', 'u', 'U', 'now', 0)").run();
    expect(seqs()['m-c']).toBe(6);
    db.prepare("DELETE FROM ov_acks WHERE message_id = 'm-c'").run();
    expect(seqs()['m-c']).toBe(7);
    db.prepare("UPDATE messages SET body = 'y' WHERE id = 'm-b'").run();
    const after = seqs();
    expect(after['m-b']).toBeGreaterThan(7);
    expect(after['m-b']).toBe(Math.max(...Object.values(after)));
  });
});
