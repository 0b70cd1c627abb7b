/**
 * Server migration 13: a message keeps when the server received it (issue 7: a message
 * written offline and delivered hours later is marked as such on the receiving side). The
 * messages already there get the time of the batch that wrote them, which the change log
 * kept (`change_log.at`, the server's clock), in their table and in the payloads pulls serve.
 */
import type { ServerMigration } from '../../store/migrations';

export const m013MessageReceivedAt: ServerMigration = {
  version: 13,
  name: 'message reception time',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN received_at TEXT;
      UPDATE messages SET received_at = (
        SELECT c.at FROM change_log c WHERE c.entity = 'message' AND c.entity_id = messages.id ORDER BY c.version LIMIT 1);
      UPDATE change_log SET payload = json_set(payload, '$.receivedAt', at)
        WHERE entity = 'message' AND json_type(payload, '$.receivedAt') IS NULL;
    `);
  },
};
