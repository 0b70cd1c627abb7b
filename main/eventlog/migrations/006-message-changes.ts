/**
 * Cache migration 6: A local change counter per message, so the main courante can ask for the messages whose
 * row changed since it last looked instead of re-reading an event of 50,000 messages on
 * every live message or acknowledgement. `message_changes` holds, per message id, the
 * counter value of its last visible change (same scheme as `unit_changes`).
 *
 * Triggers bump it on every path that changes what a message shows: a server row inserted
 * or replaced, an overlay row added or removed, an acknowledgement (server or overlay) of it
 * added, changed or removed, and a message that replaces or corrects it arriving or leaving
 * (its "remplacée par" / "corrigée par" links and its acknowledgeability change).
 *
 * Existing messages start at 1..n, in id order, so a view that has never looked gets them all.
 */
import type { CacheMigration } from '../../store/migrations';

export const m006MessageChanges: CacheMigration = {
  version: 6,
  name: 'message change counter',
  up(db) {
    const bump = (id: string) => `
        INSERT INTO message_changes (message_id, seq)
          SELECT ${id}, (SELECT coalesce(max(seq), 0) + 1 FROM message_changes) WHERE ${id} IS NOT NULL
          ON CONFLICT (message_id) DO UPDATE SET seq = excluded.seq;`;
    const message = (row: 'NEW' | 'OLD') => `${bump(`${row}.id`)}${bump(`${row}.replaces`)}${bump(`${row}.corrects`)}`;
    db.exec(`
      CREATE TABLE message_changes (
        message_id TEXT NOT NULL PRIMARY KEY,
        seq        INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX message_changes_seq ON message_changes(seq);
      INSERT INTO message_changes (message_id, seq)
        SELECT id, row_number() OVER (ORDER BY id)
        FROM (SELECT id FROM messages UNION SELECT id FROM ov_messages);
      CREATE TRIGGER messages_changed_insert AFTER INSERT ON messages BEGIN${message('NEW')}
      END;
      CREATE TRIGGER messages_changed_update AFTER UPDATE ON messages BEGIN${message('OLD')}${message('NEW')}
      END;
      CREATE TRIGGER messages_changed_delete AFTER DELETE ON messages BEGIN${message('OLD')}
      END;
      CREATE TRIGGER ov_messages_changed_insert AFTER INSERT ON ov_messages BEGIN${message('NEW')}
      END;
      CREATE TRIGGER ov_messages_changed_delete AFTER DELETE ON ov_messages BEGIN${message('OLD')}
      END;
      CREATE TRIGGER acks_changed_insert AFTER INSERT ON acks BEGIN${bump('NEW.message_id')}
      END;
      CREATE TRIGGER acks_changed_update AFTER UPDATE ON acks BEGIN${bump('NEW.message_id')}
      END;
      CREATE TRIGGER acks_changed_delete AFTER DELETE ON acks BEGIN${bump('OLD.message_id')}
      END;
      CREATE TRIGGER ov_acks_changed_insert AFTER INSERT ON ov_acks BEGIN${bump('NEW.message_id')}
      END;
      CREATE TRIGGER ov_acks_changed_delete AFTER DELETE ON ov_acks BEGIN${bump('OLD.message_id')}
      END;
    `);
  },
};
