/**
 * Cache migration 8: the message change counter is moved by the sync engine, not by
 * triggers. Its per-row triggers (three bumps a message: itself, the consigne it replaces,
 * the message it corrects, each a row of `message_changes`) tripled the cold bootstrap of
 * 100,000 messages. Now a server message carries the counter value of its own last change in
 * its `change_seq` column; `message_changes` keeps the other moves (the messages it replaces
 * or corrects, acknowledgements, pending rows), with one value per transaction, so `seq` is
 * no longer unique. Existing values stay (`change_seq` starts at 0, below them).
 */
import type { CacheMigration } from '../../store/migrations';

export const m008MessageChangesByEngine: CacheMigration = {
  version: 8,
  name: 'message change counter moved by the engine',
  up(db) {
    db.exec(`
      DROP TRIGGER messages_changed_insert;
      DROP TRIGGER messages_changed_update;
      DROP TRIGGER messages_changed_delete;
      DROP TRIGGER ov_messages_changed_insert;
      DROP TRIGGER ov_messages_changed_delete;
      DROP TRIGGER acks_changed_insert;
      DROP TRIGGER acks_changed_update;
      DROP TRIGGER acks_changed_delete;
      DROP TRIGGER ov_acks_changed_insert;
      DROP TRIGGER ov_acks_changed_delete;
      ALTER TABLE messages ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX messages_change_seq ON messages(change_seq);
      DROP INDEX message_changes_seq;
      CREATE INDEX message_changes_seq ON message_changes(seq);
    `);
  },
};
