import { expect, it } from 'vitest';
import type { Message } from '../../../common/domain/eventlog/model';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { actorFor, cacheAt, tempDir, testTerritories } from '../../store/testSupport';

const E = '00000000-0000-4000-8000-0000000000ee';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

const message = (over: Partial<Message>): Message => ({
  id: '00000000-0000-4000-8000-000000000001',
  eventId: E,
  level: 'local',
  territory: 'D:75',
  kind: 'consigne',
  priority: 'info',
  body: 'x',
  authorId: 'a',
  authorName: 'A',
  authorRole: 'samu:75',
  at: '2020-03-24T08:00:00.000Z',
  replaces: null,
  corrects: null,
  ackList: null,
  receivedAt: null,
  version: 1,
  ...over,
});

it('migration 8 drops the message and acknowledgement triggers, keeps the counter, and the engine moves the same keys', () => {
  const t = tempDir('m008');
  const { db: old, file } = cacheAt(7, t.dir);
  old.exec(`INSERT INTO messages (id, event_id, level, territory, territory_path, kind, priority, body, author_id, author_name, author_role, at,
    replaces, corrects, search, version) VALUES ('${A}', '${E}', 'local', 'D:75', '/FR/R:11/D:75/', 'consigne', 'info', 'x', 'a', 'A', 'samu:75', 'now', NULL, NULL, 'x', 1)`);
  expect(old.prepare('SELECT message_id, seq FROM message_changes').all()).toEqual([{ message_id: A, seq: 1 }]);
  old.close();
  const db = openDatabase(file, CACHE_MIGRATIONS.slice(0, 8));
  try {
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger'").get()).toEqual({ n: 0 });
    db.exec(`INSERT INTO acks (message_id, territory, user_id, user_name, at, version) VALUES ('${A}', 'D:92', 'u', 'U', 'now', 2)`);
    expect(db.prepare('SELECT message_id, seq FROM message_changes').all()).toEqual([{ message_id: A, seq: 1 }]);
  } finally {
    db.close();
  }
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    // Where a message stands in the counter: its stamp or its row in the counter table, the later.
    const seq = (id: string) =>
      (store.db.prepare('SELECT max(s) AS s FROM (SELECT seq AS s FROM message_changes WHERE message_id = @id UNION ALL SELECT change_seq FROM messages WHERE id = @id)').get({ id }) as { s: number | null }).s ?? undefined;
    // A consigne replacing A moves both; an acknowledgement moves its message.
    const v2 = message({ id: B, replaces: A, version: 3 });
    store.applyChanges([{ version: 3, entity: 'message', data: v2 }]);
    expect(seq(B)).toBeGreaterThan(1);
    expect(seq(A)).toBe(seq(B));
    // B carries its own change; A, replaced, is moved in the counter table.
    expect(store.db.prepare('SELECT message_id FROM message_changes WHERE seq > 1').all()).toEqual([{ message_id: A }]);
    const before = seq(B)!;
    store.applyChanges([{ version: 4, entity: 'ack', data: { messageId: B, territory: 'D:92', userId: 'u', userName: 'U', at: 'now', version: 4 } }]);
    expect(seq(B)).toBeGreaterThan(before);
    const samu75 = actorFor('u-samu75', 'samu:75', 'SAMU 75');
    const beforeLocal = seq(B)!;
    const posted = store.mutate(
      'message.post',
      { id: '00000000-0000-4000-8000-000000000009', eventId: E, territory: 'D:75', kind: 'information', priority: 'info', body: 'y', corrects: B },
      samu75,
    );
    // The event is unknown to this cache: the mutator refuses, and nothing moves.
    expect(posted.ok).toBe(false);
    expect(seq(B)).toBe(beforeLocal);
  } finally {
    store.close();
    t.cleanup();
  }
});
