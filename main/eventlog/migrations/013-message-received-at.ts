/**
 * Cache migration 13: a message keeps when the server received it (issue 7), as the server's
 * rows carry it; NULL for a pending message (not received yet) and for the rows this cache
 * held before (the next pull of a changed message brings it).
 */
import type { CacheMigration } from '../../store/migrations';

export const m013MessageReceivedAt: CacheMigration = {
  version: 13,
  name: 'message reception time',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN received_at TEXT;
      ALTER TABLE ov_messages ADD COLUMN received_at TEXT;
    `);
  },
};
