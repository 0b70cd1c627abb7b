/**
 * Server migration 11: a consigne keeps the distribution list its author chose (issue 7),
 * resolved to concrete posts when it was posted (`ackList` of `message.post`).
 *
 * Messages already written keep no list (`ack_list` NULL): a consigne from before lists
 * still expects the level just below its territory, as it did. The change log's payloads
 * of messages get `"ackList": null`, so every message a pull serves has the same shape.
 */
import type { ServerMigration } from '../../store/migrations';

export const m011ConsigneAckLists: ServerMigration = {
  version: 11,
  name: 'consigne acknowledgement lists',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN ack_list TEXT;
      UPDATE change_log SET payload = json_set(payload, '$.ackList', json('null'))
        WHERE entity = 'message' AND json_type(payload, '$.ackList') IS NULL;
    `);
  },
};
