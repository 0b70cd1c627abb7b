/**
 * The event log's transaction slice on the client: reads see the server's rows with the
 * pending ones on top; writes go to the overlay, tagged with the mutation that made them.
 */
import type { CrisisEvent, Message } from '../../common/domain/eventlog/model';
import type { EventLogTx } from '../../common/domain/eventlog/tx';
import type { LocalStore } from '../store/localStore';
import {
  ACK_COLS,
  EVENT_COLS,
  MESSAGE_COLS,
  ROOM_POST_COLS,
  ROOM_SHIFT_COLS,
  ackToRow,
  eventToRow,
  messageToRow,
  roomPostToRow,
  roomShiftToRow,
  rowToAck,
  rowToEvent,
  rowToMessage,
  rowToRoomPost,
  rowToRoomShift,
  type AckRow,
  type EventRow,
  type MessageRow,
  type RoomPostRow,
  type RoomShiftRow,
} from './rows';

/**
 * The visible rows of a `version`-settled table: each key's newest pending row (highest
 * mutation) on top of the server's. `where` filters both tables alike.
 */
function visibleRows<R extends { id: string }>(engine: LocalStore, table: string, cols: string, where: string, params: unknown[]): R[] {
  const server = engine.stmt(`SELECT ${cols} FROM ${table} WHERE ${where}`).all(...params) as R[];
  const pending = engine.stmt(`SELECT ${cols} FROM ov_${table} WHERE ${where} ORDER BY mutation_id`).all(...params) as R[];
  const byId = new Map(server.map((r) => [r.id, r]));
  for (const r of pending) byId.set(r.id, r);
  return [...byId.values()];
}

/** The ids of `table`'s rows that have a pending state. */
export function pendingIds(engine: LocalStore, table: string, where: string, params: unknown[]): Set<string> {
  return new Set((engine.stmt(`SELECT id FROM ov_${table} WHERE ${where}`).all(...params) as Array<{ id: string }>).map((r) => r.id));
}

export function visibleRoomPosts(engine: LocalStore, where: string, params: unknown[]): RoomPostRow[] {
  return visibleRows<RoomPostRow>(engine, 'room_posts', ROOM_POST_COLS, where, params);
}

export function visibleRoomShifts(engine: LocalStore, where: string, params: unknown[]): RoomShiftRow[] {
  return visibleRows<RoomShiftRow>(engine, 'room_shifts', ROOM_SHIFT_COLS, where, params);
}

/** The visible event: the newest pending state on top of the server's. */
export function visibleEvent(engine: LocalStore, id: string): CrisisEvent | undefined {
  const row = (engine.stmt(`SELECT ${EVENT_COLS} FROM ov_events WHERE id = ? ORDER BY mutation_id DESC LIMIT 1`).get(id) ??
    engine.stmt(`SELECT ${EVENT_COLS} FROM events WHERE id = ?`).get(id)) as EventRow | undefined;
  return row ? rowToEvent(row) : undefined;
}

export function visibleMessage(engine: LocalStore, id: string): Message | undefined {
  const row = (engine.stmt(`SELECT ${MESSAGE_COLS} FROM messages WHERE id = ?`).get(id) ??
    engine.stmt(`SELECT ${MESSAGE_COLS} FROM ov_messages WHERE id = ?`).get(id)) as MessageRow | undefined;
  return row ? rowToMessage(row) : undefined;
}

export function cacheEventLogTx(engine: LocalStore, mutationId: number): EventLogTx {
  return {
    getEvent: (id) => visibleEvent(engine, id),
    openEvents: () => {
      const ids = (engine.stmt(`SELECT id FROM events UNION SELECT id FROM ov_events`).all() as Array<{ id: string }>).map((r) => r.id);
      return ids
        .map((id) => visibleEvent(engine, id))
        .filter((e): e is CrisisEvent => e !== undefined && e.status === 'open')
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt) || a.id.localeCompare(b.id));
    },
    getMessage: (id) => visibleMessage(engine, id),
    isReplaced: (messageId) =>
      engine
        .stmt('SELECT 1 FROM messages WHERE replaces = @id UNION ALL SELECT 1 FROM ov_messages WHERE replaces = @id LIMIT 1')
        .get({ id: messageId }) !== undefined,
    getAck: (messageId, territory) => {
      const row = (engine.stmt(`SELECT ${ACK_COLS} FROM acks WHERE message_id = ? AND territory = ?`).get(messageId, territory) ??
        engine.stmt(`SELECT ${ACK_COLS} FROM ov_acks WHERE message_id = ? AND territory = ?`).get(messageId, territory)) as AckRow | undefined;
      return row ? rowToAck(row) : undefined;
    },
    // The bed board's cached units (server rows and pending reports), read only.
    hasCriticalCare: (finess) =>
      engine.stmt('SELECT 1 FROM units WHERE finess = @finess UNION ALL SELECT 1 FROM ov_units WHERE finess = @finess LIMIT 1').get({ finess }) !== undefined,
    getRoomPost: (id) => visibleRoomPosts(engine, 'id = ?', [id]).map(rowToRoomPost)[0],
    roomPosts: (eventId, room) => visibleRoomPosts(engine, 'event_id = ? AND room = ?', [eventId, room]).map(rowToRoomPost),
    putRoomPost: (post) => {
      engine
        .stmt(
          `INSERT INTO ov_room_posts (mutation_id, ${ROOM_POST_COLS}) VALUES (@mutation_id, @id, @event_id, @room, @label, @kind, @opened_at, @opened_by, @closed_at, @closed_by, @version)`,
        )
        .run({ mutation_id: mutationId, ...roomPostToRow(post) });
    },
    getRoomShift: (id) => visibleRoomShifts(engine, 'id = ?', [id]).map(rowToRoomShift)[0],
    roomShifts: (postId) => visibleRoomShifts(engine, 'post_id = ?', [postId]).map(rowToRoomShift),
    putRoomShift: (shift) => {
      engine
        .stmt(
          `INSERT INTO ov_room_shifts (mutation_id, ${ROOM_SHIFT_COLS}) VALUES (@mutation_id, @id, @post_id, @event_id, @room, @person, @qualification,
             @starts_at, @ends_at, @assigned_by, @assigned_at, @cancelled_at, @cancelled_by, @version)`,
        )
        .run({ mutation_id: mutationId, ...roomShiftToRow(shift) });
    },
    putEvent: (event) => {
      engine
        .stmt(
          `INSERT INTO ov_events (mutation_id, ${EVENT_COLS}) VALUES (@mutation_id, @id, @title, @description, @territory, @status, @opened_at, @opened_by, @closed_at, @closed_by, @version)`,
        )
        .run({ mutation_id: mutationId, ...eventToRow(event) });
    },
    insertMessage: (message) => {
      engine
        .stmt(
          `INSERT INTO ov_messages (mutation_id, ${MESSAGE_COLS}) VALUES (@mutation_id, @id, @event_id, @level, @territory, @territory_path, @kind, @priority, @body, @author_id, @author_name, @author_role, @at, @replaces, @corrects, @ack_list, @received_at, @search, @version)`,
        )
        .run({ mutation_id: mutationId, ...messageToRow(message, engine.pathOf(message.territory)) });
    },
    putAck: (ack) => {
      engine
        .stmt(`INSERT INTO ov_acks (mutation_id, ${ACK_COLS}) VALUES (@mutation_id, @message_id, @territory, @user_id, @user_name, @at, @version)`)
        .run({ mutation_id: mutationId, ...ackToRow(ack) });
    },
  };
}
