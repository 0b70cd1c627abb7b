/**
 * The event log's part of the PostgreSQL store: its transaction slice (the same tables and
 * rules as `sqliteTx.ts`, reads from the mutation's read cache, writes buffered:
 * `store/pg/txRuntime.ts`) and its store part.
 */
import { ackEntity, eventEntity, messageEntity, roomPostEntity, roomShiftEntity } from '../../../common/domain/eventlog/entities';
import type { RoomPost, RoomShift } from '../../../common/domain/eventlog/room';
import { parseAckList } from '../../../common/domain/eventlog/ackList';
import type { Ack, CrisisEvent, Message } from '../../../common/domain/eventlog/model';
import type { EventLogTx } from '../../../common/domain/eventlog/tx';
import type { PgBoardPart } from '../store/pg/board';
import type { PgChangeWriter } from '../store/pg/changeWriter';
import type { PgDb } from '../store/pg/db';
import { readAll, readOne, type PgTxRuntime } from '../store/pg/txRuntime';
import type { EventLogStore } from './store';

const EVENT_COLUMNS = `id, title, description, territory, status, opened_at AS "openedAt", opened_by AS "openedBy",
  closed_at AS "closedAt", closed_by AS "closedBy", version`;
const MESSAGE_COLUMNS = `id, event_id AS "eventId", level, territory, kind, priority, body, author_id AS "authorId",
  author_name AS "authorName", author_role AS "authorRole", at, replaces, corrects, ack_list AS "ackList", received_at AS "receivedAt", version`;
const ACK_COLUMNS = `message_id AS "messageId", territory, user_id AS "userId", user_name AS "userName", at, version`;
const ROOM_POST_COLUMNS = `id, event_id AS "eventId", room, label, kind, opened_at AS "openedAt", opened_by AS "openedBy",
  closed_at AS "closedAt", closed_by AS "closedBy", version`;
const ROOM_SHIFT_COLUMNS = `id, post_id AS "postId", event_id AS "eventId", room, person, qualification, starts_at AS "startsAt",
  ends_at AS "endsAt", assigned_by AS "assignedBy", assigned_at AS "assignedAt", cancelled_at AS "cancelledAt",
  cancelled_by AS "cancelledBy", version`;

type MessageRecord = Omit<Message, 'ackList'> & { ackList: string | null };
const toMessage = (r: MessageRecord): Message => ({ ...r, ackList: parseAckList(r.ackList) });
const same = <T>(r: T): T => r;

const PUT_EVENT = `INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, closed_at, closed_by, version, scope_path)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
    territory = excluded.territory, status = excluded.status, opened_at = excluded.opened_at,
    opened_by = excluded.opened_by, closed_at = excluded.closed_at, closed_by = excluded.closed_by,
    version = excluded.version, scope_path = excluded.scope_path`;
const INSERT_MESSAGE = `INSERT INTO messages (id, event_id, level, territory, kind, priority, body, author_id, author_name, author_role,
    at, replaces, corrects, ack_list, received_at, version, scope_path)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`;
const PUT_ACK = `INSERT INTO acks (message_id, territory, user_id, user_name, at, version, scope_path) VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (message_id, territory) DO UPDATE SET user_id = excluded.user_id, user_name = excluded.user_name,
    at = excluded.at, version = excluded.version, scope_path = excluded.scope_path`;
const PUT_ROOM_POST = `INSERT INTO room_posts (id, event_id, room, label, kind, opened_at, opened_by, closed_at, closed_by, version, scope_path)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT (id) DO UPDATE SET label = excluded.label, kind = excluded.kind, closed_at = excluded.closed_at,
    closed_by = excluded.closed_by, version = excluded.version`;
const PUT_ROOM_SHIFT = `INSERT INTO room_shifts (id, post_id, event_id, room, person, qualification, starts_at, ends_at, assigned_by, assigned_at,
    cancelled_at, cancelled_by, version, scope_path)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
  ON CONFLICT (id) DO UPDATE SET cancelled_at = excluded.cancelled_at, cancelled_by = excluded.cancelled_by, version = excluded.version`;

export function pgEventLogTx(rt: PgTxRuntime, writer: PgChangeWriter): EventLogTx {
  return {
    getEvent: (id) => readOne<CrisisEvent, CrisisEvent>(rt, 'ev.event', `SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [id], same),
    openEvents: () =>
      readAll<CrisisEvent, CrisisEvent>(rt, 'ev.open', `SELECT ${EVENT_COLUMNS} FROM events WHERE status = 'open' ORDER BY opened_at COLLATE "C" DESC, id COLLATE "C"`, [], same),
    getMessage: (id) => readOne(rt, 'ev.message', `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = $1`, [id], toMessage),
    isReplaced: (messageId) =>
      readOne<{ one: number }, boolean>(rt, 'ev.replaced', `SELECT 1 AS one FROM messages WHERE replaces = $1 LIMIT 1`, [messageId], () => true) ?? false,
    getAck: (messageId, territory) =>
      readOne<Ack, Ack>(rt, 'ev.ack', `SELECT ${ACK_COLUMNS} FROM acks WHERE message_id = $1 AND territory = $2`, [messageId, territory], same),
    hasCriticalCare: (finess) =>
      readOne<{ one: number }, boolean>(rt, 'ev.unit', `SELECT 1 AS one FROM unit_current WHERE finess = $1 LIMIT 1`, [finess], () => true) ?? false,
    putEvent(event) {
      const { row: e, scopePath } = writer.stamp(eventEntity, event);
      rt.write(PUT_EVENT, [e.id, e.title, e.description, e.territory, e.status, e.openedAt, e.openedBy, e.closedAt, e.closedBy, e.version, scopePath]);
    },
    insertMessage(message) {
      // Received now, whatever the author's clock said: a message written offline arrives late.
      const { row: m, scopePath } = writer.stamp(messageEntity, { ...message, receivedAt: writer.serverAt });
      rt.write(INSERT_MESSAGE, [
        m.id, m.eventId, m.level, m.territory, m.kind, m.priority, m.body, m.authorId, m.authorName, m.authorRole,
        m.at, m.replaces, m.corrects, m.ackList ? JSON.stringify(m.ackList) : null, m.receivedAt, m.version, scopePath,
      ]);
    },
    putAck(ack) {
      const { row: a, scopePath } = writer.stamp(ackEntity, ack);
      rt.write(PUT_ACK, [a.messageId, a.territory, a.userId, a.userName, a.at, a.version, scopePath]);
    },
    getRoomPost: (id) => readOne<RoomPost, RoomPost>(rt, 'ev.post', `SELECT ${ROOM_POST_COLUMNS} FROM room_posts WHERE id = $1`, [id], same),
    roomPosts: (eventId, room) =>
      readAll<RoomPost, RoomPost>(rt, 'ev.posts', `SELECT ${ROOM_POST_COLUMNS} FROM room_posts WHERE event_id = $1 AND room = $2 ORDER BY opened_at COLLATE "C"`, [eventId, room], same),
    putRoomPost(post) {
      const { row: p, scopePath } = writer.stamp(roomPostEntity, post);
      rt.write(PUT_ROOM_POST, [p.id, p.eventId, p.room, p.label, p.kind, p.openedAt, p.openedBy, p.closedAt, p.closedBy, p.version, scopePath]);
    },
    getRoomShift: (id) => readOne<RoomShift, RoomShift>(rt, 'ev.shift', `SELECT ${ROOM_SHIFT_COLUMNS} FROM room_shifts WHERE id = $1`, [id], same),
    roomShifts: (postId) =>
      readAll<RoomShift, RoomShift>(rt, 'ev.shifts', `SELECT ${ROOM_SHIFT_COLUMNS} FROM room_shifts WHERE post_id = $1 ORDER BY starts_at COLLATE "C"`, [postId], same),
    putRoomShift(shift) {
      const { row: s, scopePath } = writer.stamp(roomShiftEntity, shift);
      rt.write(PUT_ROOM_SHIFT, [
        s.id, s.postId, s.eventId, s.room, s.person, s.qualification, s.startsAt, s.endsAt, s.assignedBy, s.assignedAt,
        s.cancelledAt, s.cancelledBy, s.version, scopePath,
      ]);
    },
  };
}

export function pgEventLogStore(db: PgDb): EventLogStore {
  return {
    async countEvents() {
      return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events`))[0]?.n ?? 0;
    },
  };
}

export const eventLogPg: PgBoardPart<EventLogStore> = { slice: pgEventLogTx, store: pgEventLogStore };
