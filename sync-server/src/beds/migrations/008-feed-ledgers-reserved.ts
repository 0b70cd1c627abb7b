/**
 * Server migration 8: every register feed key owns its ledger. A key's client id
 * (`feed-<key id>`) used to be claimed on the key's first request, so a signed-in user who
 * connected with that client id first took the ledger, and every line the register sent was
 * then refused. Keys created from now on reserve it at creation; this step reserves it for
 * the existing keys, and hands back to its key a ledger someone else took (their applied
 * mutations stay applied, under their own account).
 */
import type { ServerMigration } from '../../store/migrations';

export const m008FeedLedgersReserved: ServerMigration = {
  version: 8,
  name: 'register feed ledgers reserved',
  up(db) {
    db.exec(`
      UPDATE clients SET user_id = (SELECT k.user_id FROM feed_keys k WHERE 'feed-' || k.id = clients.client_id)
        WHERE client_id IN (SELECT 'feed-' || id FROM feed_keys)
          AND user_id <> (SELECT k.user_id FROM feed_keys k WHERE 'feed-' || k.id = clients.client_id);
      INSERT INTO clients (client_id, user_id, last_mutation_id)
        SELECT 'feed-' || id, user_id, 0 FROM feed_keys WHERE true
        ON CONFLICT(client_id) DO NOTHING;
    `);
  },
};
