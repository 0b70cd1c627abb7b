import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { actorFor, cacheAt, tempDir, testTerritories } from '../../store/testSupport';

const E = '00000000-0000-4000-8000-0000000000ee';
const A = '00000000-0000-4000-8000-00000000000a';

it('migration 11 keeps the cached consignes, with no list: they still expect the level below and can be acknowledged', () => {
  const t = tempDir('m011');
  const { db: old, file } = cacheAt(10, t.dir);
  old.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, closed_at, closed_by, version)
    VALUES ('${E}', 'Covid-19', '', 'FR', 'open', 'now', 'Cellule', NULL, NULL, 1)`);
  old.exec(`INSERT INTO messages (id, event_id, level, territory, territory_path, kind, priority, body, author_id, author_name, author_role, at,
    replaces, corrects, search, version) VALUES ('${A}', '${E}', 'regional', 'R:11', '/FR/R:11/', 'consigne', 'info', 'x', 'a', 'A', 'ars:11', 'now', NULL, NULL, 'x', 2)`);
  old.close();
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    expect(store.db.prepare('SELECT ack_list FROM messages').all()).toEqual([{ ack_list: null }]);
    expect(store.db.prepare("SELECT name FROM pragma_table_info('ov_messages') WHERE name = 'ack_list'").all()).toEqual([{ name: 'ack_list' }]);
    const samu75 = actorFor('u-samu75', 'samu:75', 'SAMU 75');
    const [view] = store.boards.eventlog.listMessages(E, undefined, samu75);
    expect(view).toMatchObject({ id: A, ackList: null, expectedAckCount: 8, canAck: true });
    expect(store.boards.eventlog.ackSummary(A)?.list).toEqual({ kind: null, label: 'Niveau inférieur (consigne antérieure aux listes de diffusion)' });
    expect(store.mutate('consigne.acknowledge', { messageId: A }, samu75)).toMatchObject({ ok: true });
  } finally {
    store.close();
    t.cleanup();
  }
});
