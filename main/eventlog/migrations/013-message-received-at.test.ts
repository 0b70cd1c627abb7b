import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { actorFor, cacheAt, tempDir, testTerritories } from '../../store/testSupport';

const E = '00000000-0000-4000-8000-0000000000ee';
const A = '00000000-0000-4000-8000-00000000000a';

it('migration 13 keeps the cached messages, not knowing when the server received them; a pulled row brings it', () => {
  const t = tempDir('m013');
  const { db: old, file } = cacheAt(12, t.dir);
  old.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, closed_at, closed_by, version)
    VALUES ('${E}', 'Covid-19', '', 'FR', 'open', 'now', 'Cellule', NULL, NULL, 1)`);
  old.exec(`INSERT INTO messages (id, event_id, level, territory, territory_path, kind, priority, body, author_id, author_name, author_role, at,
    replaces, corrects, ack_list, search, version) VALUES ('${A}', '${E}', 'regional', 'R:11', '/FR/R:11/', 'information', 'info', 'x', 'a', 'A', 'ars:11', '2020-03-24T08:00:00.000Z', NULL, NULL, NULL, 'x', 2)`);
  old.close();
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    expect(store.db.prepare("SELECT name FROM pragma_table_info('ov_messages') WHERE name = 'received_at'").all()).toEqual([{ name: 'received_at' }]);
    const samu75 = actorFor('u-samu75', 'samu:75', 'SAMU 75');
    expect(store.boards.eventlog.listMessages(E, undefined, samu75)[0]).toMatchObject({ id: A, receivedAt: null });
    // A message written here waits in the outbox: not received yet.
    const B = '00000000-0000-4000-8000-00000000000b';
    expect(store.mutate('message.post', { id: B, eventId: E, territory: 'D:75', kind: 'information', priority: 'info', body: 'y' }, samu75)).toMatchObject({ ok: true });
    expect(store.boards.eventlog.listMessages(E, undefined, samu75).find((m) => m.id === B)).toMatchObject({ pending: true, receivedAt: null });
  } finally {
    store.close();
    t.cleanup();
  }
});
