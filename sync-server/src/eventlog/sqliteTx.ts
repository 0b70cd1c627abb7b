/**
 * The event log's transaction slice over the server's SQLite tables. Every write is stamped
 * through the engine's `ChangeWriter` (next version, change-log row, poke) and stored with
 * the scope path it was logged under.
 */
import type Database from 'better-sqlite3';
import { ackEntity, eventEntity, messageEntity, roomPostEntity, roomShiftEntity } from '../../../common/domain/eventlog/entities';
import type { RoomPost, RoomShift } from '../../../common/domain/eventlog/room';
import { parseAckList } from '../../../common/domain/eventlog/ackList';
import type { Ack, CrisisEvent, Message } from '../../../common/domain/eventlog/model';
import type { EventLogTx } from '../../../common/domain/eventlog/tx';
import type { ChangeWriter } from '../store/changeWriter';

const EVENT_COLUMNS = `id, title, description, territory, status, opened_at AS openedAt, opened_by AS openedBy,
  closed_at AS closedAt, closed_by AS closedBy, version`;
const MESSAGE_COLUMNS = `id, event_id AS eventId, level, territory, kind, priority, body, author_id AS authorId,
  author_name AS authorName, author_role AS authorRole, at, replaces, corrects, ack_list AS ackList, received_at AS receivedAt, version`;

/** A message as its table holds it: the list as JSON text. */
type MessageRecord = Omit<Message, 'ackList'> & { ackList: string | null };

function toMessage(r: MessageRecord | undefined): Message | undefined {
  return r ? { ...r, ackList: parseAckList(r.ackList) } : undefined;
}
const ACK_COLUMNS = `message_id AS messageId, territory, user_id AS userId, user_name AS userName, at, version`;
const ROOM_POST_COLUMNS = `id, event_id AS eventId, room, label, kind, opened_at AS openedAt, opened_by AS openedBy,
  closed_at AS closedAt, closed_by AS closedBy, version`;
const ROOM_SHIFT_COLUMNS = `id, post_id AS postId, event_id AS eventId, room, person, qualification, starts_at AS startsAt,
  ends_at AS endsAt, assigned_by AS assignedBy, assigned_at AS assignedAt, cancelled_at AS cancelledAt,
  cancelled_by AS cancelledBy, version`;

/** Prepared once per database: per-row work on the hot path is binding and stepping only. */
function prepare(db: Database.Database) {
  return {
    getEvent: db.prepare<[string], CrisisEvent>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`),
    openEvents: db.prepare<[], CrisisEvent>(`SELECT ${EVENT_COLUMNS} FROM events WHERE status = 'open' ORDER BY opened_at DESC, id`),
    getMessage: db.prepare<[string], MessageRecord>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`),
    isReplaced: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM messages WHERE replaces = ? LIMIT 1`),
    getAck: db.prepare<[string, string], Ack>(`SELECT ${ACK_COLUMNS} FROM acks WHERE message_id = ? AND territory = ?`),
    // The bed board's current table, read only: a critical-care list is judged from the server's own bed data.
    hasUnit: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM unit_current WHERE finess = ? LIMIT 1`),
    getRoomPost: db.prepare<[string], RoomPost>(`SELECT ${ROOM_POST_COLUMNS} FROM room_posts WHERE id = ?`),
    roomPosts: db.prepare<[string, string], RoomPost>(`SELECT ${ROOM_POST_COLUMNS} FROM room_posts WHERE event_id = ? AND room = ? ORDER BY opened_at`),
    putRoomPost: db.prepare(`
      INSERT INTO room_posts (id, event_id, room, label, kind, opened_at, opened_by, closed_at, closed_by, version, scope_path)
      VALUES (@id, @eventId, @room, @label, @kind, @openedAt, @openedBy, @closedAt, @closedBy, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET label = excluded.label, kind = excluded.kind, closed_at = excluded.closed_at,
        closed_by = excluded.closed_by, version = excluded.version`),
    getRoomShift: db.prepare<[string], RoomShift>(`SELECT ${ROOM_SHIFT_COLUMNS} FROM room_shifts WHERE id = ?`),
    roomShifts: db.prepare<[string], RoomShift>(`SELECT ${ROOM_SHIFT_COLUMNS} FROM room_shifts WHERE post_id = ? ORDER BY starts_at`),
    putRoomShift: db.prepare(`
      INSERT INTO room_shifts (id, post_id, event_id, room, person, qualification, starts_at, ends_at, assigned_by, assigned_at,
        cancelled_at, cancelled_by, version, scope_path)
      VALUES (@id, @postId, @eventId, @room, @person, @qualification, @startsAt, @endsAt, @assignedBy, @assignedAt,
        @cancelledAt, @cancelledBy, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET cancelled_at = excluded.cancelled_at, cancelled_by = excluded.cancelled_by, version = excluded.version`),
    putEvent: db.prepare(`
      INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, closed_at, closed_by, version, scope_path)
      VALUES (@id, @title, @description, @territory, @status, @openedAt, @openedBy, @closedAt, @closedBy, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET title = excluded.title, description = excluded.description,
        territory = excluded.territory, status = excluded.status, opened_at = excluded.opened_at,
        opened_by = excluded.opened_by, closed_at = excluded.closed_at, closed_by = excluded.closed_by,
        version = excluded.version, scope_path = excluded.scope_path`),
    insertMessage: db.prepare(`
      INSERT INTO messages (id, event_id, level, territory, kind, priority, body, author_id, author_name, author_role,
        at, replaces, corrects, ack_list, received_at, version, scope_path)
      VALUES (@id, @eventId, @level, @territory, @kind, @priority, @body, @authorId, @authorName, @authorRole,
        @at, @replaces, @corrects, @ackList, @receivedAt, @version, @scopePath)`),
    putAck: db.prepare(`
      INSERT INTO acks (message_id, territory, user_id, user_name, at, version, scope_path)
      VALUES (@messageId, @territory, @userId, @userName, @at, @version, @scopePath)
      ON CONFLICT(message_id, territory) DO UPDATE SET user_id = excluded.user_id, user_name = excluded.user_name,
        at = excluded.at, version = excluded.version, scope_path = excluded.scope_path`),
  };
}

export function sqliteEventLogTx(db: Database.Database, writer: ChangeWriter): EventLogTx {
  const st = prepare(db);
  return {
    getEvent: (id) => st.getEvent.get(id),
    openEvents: () => st.openEvents.all(),
    getMessage: (id) => toMessage(st.getMessage.get(id)),
    isReplaced: (messageId) => st.isReplaced.get(messageId) !== undefined,
    getAck: (messageId, territory) => st.getAck.get(messageId, territory),
    hasCriticalCare: (finess) => st.hasUnit.get(finess) !== undefined,
    putEvent(event) {
      const { row, scopePath } = writer.stamp(eventEntity, event);
      st.putEvent.run({ ...row, scopePath });
    },
    insertMessage(message) {
      // Received now, whatever the author's clock said: a message written offline arrives late.
      const { row, scopePath } = writer.stamp(messageEntity, { ...message, receivedAt: writer.serverAt });
      st.insertMessage.run({ ...row, ackList: row.ackList ? JSON.stringify(row.ackList) : null, scopePath });
    },
    putAck(ack) {
      const { row, scopePath } = writer.stamp(ackEntity, ack);
      st.putAck.run({ ...row, scopePath });
    },
    getRoomPost: (id) => st.getRoomPost.get(id),
    roomPosts: (eventId, room) => st.roomPosts.all(eventId, room),
    putRoomPost(post) {
      const { row, scopePath } = writer.stamp(roomPostEntity, post);
      st.putRoomPost.run({ ...row, scopePath });
    },
    getRoomShift: (id) => st.getRoomShift.get(id),
    roomShifts: (postId) => st.roomShifts.all(postId),
    putRoomShift(shift) {
      const { row, scopePath } = writer.stamp(roomShiftEntity, shift);
      st.putRoomShift.run({ ...row, scopePath });
    },
  };
}
