/**
 * How the client cache keeps the event log's rows: the server's rows in `events`,
 * `messages`, `acks`, the pending ones in `ov_events`, `ov_messages`, `ov_acks`, and the
 * message change counter the live main courante reads (`message_changes`: a message moves
 * when its row, an acknowledgement of it, or a message replacing or correcting it comes or
 * goes).
 */
import { ackEntity, eventEntity, messageEntity, roomPostEntity, roomShiftEntity } from '../../common/domain/eventlog/entities';
import type { RoomPost, RoomShift } from '../../common/domain/eventlog/room';
import type { Ack, CrisisEvent, Message } from '../../common/domain/eventlog/model';
import { defineCacheEntity, type ChangeCounter } from '../store/cacheEntity';
import { ACK_COLS, EVENT_COLS, MESSAGE_COLS, ROOM_POST_COLS, ROOM_SHIFT_COLS, ackListJson, ackToRow, eventToRow, roomPostToRow, roomShiftToRow, searchText } from './rows';

/** The main courante's counter: a message moves when its row, a pending row of it, an acknowledgement of it, or a message replacing or correcting it comes or goes. */
export const messageChanges: ChangeCounter = { table: 'message_changes', keyColumns: ['message_id'] };

export const eventCache = defineCacheEntity<CrisisEvent>({
  entity: eventEntity,
  table: 'events',
  overlay: 'ov_events',
  keyColumns: ['id'],
  keyOf: (e) => [e.id],
  // An event's later states (closed) replace earlier ones: settled once the server's row has caught up.
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO events (${EVENT_COLS}) VALUES (@id, @title, @description, @territory, @status, @opened_at, @opened_by, @closed_at, @closed_by, @version)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, description = excluded.description, territory = excluded.territory,
         status = excluded.status, opened_at = excluded.opened_at, opened_by = excluded.opened_by, closed_at = excluded.closed_at,
         closed_by = excluded.closed_by, version = excluded.version
       WHERE excluded.version > events.version`,
    );
    return { upsert: (e) => up.run(eventToRow(e)).changes > 0 };
  },
});

/** The other messages whose view a message changes: the consigne it replaces, the message it corrects (itself: its `change_seq`). */
const relatedKeys = (m: Pick<Message, 'replaces' | 'corrects'>) => [[m.replaces], [m.corrects]];

export const messageCache = defineCacheEntity<Message>({
  entity: messageEntity,
  table: 'messages',
  overlay: 'ov_messages',
  keyColumns: ['id'],
  keyOf: (m) => [m.id],
  settle: 'present',
  writer({ stmt, pathOf }) {
    const up = stmt(
      // Positional values: named binding costs a quarter more on a 100,000-row bootstrap.
      `INSERT INTO messages (${MESSAGE_COLS}, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET event_id = excluded.event_id, level = excluded.level, territory = excluded.territory,
         territory_path = excluded.territory_path, kind = excluded.kind, priority = excluded.priority, body = excluded.body,
         author_id = excluded.author_id, author_name = excluded.author_name, author_role = excluded.author_role, at = excluded.at,
         replaces = excluded.replaces, corrects = excluded.corrects, ack_list = excluded.ack_list, received_at = excluded.received_at, search = excluded.search, version = excluded.version,
         change_seq = excluded.change_seq
       WHERE excluded.version > messages.version`,
    );
    const has = stmt('SELECT 1 FROM messages WHERE id = ?');
    return {
      upsert: (m, seq) =>
        up.run(
          m.id,
          m.eventId,
          m.level,
          m.territory,
          pathOf(m.territory),
          m.kind,
          m.priority,
          m.body,
          m.authorId,
          m.authorName,
          m.authorRole,
          m.at,
          m.replaces,
          m.corrects,
          ackListJson(m),
          m.receivedAt ?? null,
          searchText(m),
          m.version,
          seq,
        ).changes > 0,
      // New messages are announced (urgent ones raise a notification).
      isNew: (m) => has.get(m.id) === undefined,
    };
  },
  counter: { counter: messageChanges, stamp: 'change_seq', keysOf: relatedKeys, overlayColumns: [['id'], ['replaces'], ['corrects']] },
});

export const ackCache = defineCacheEntity<Ack>({
  entity: ackEntity,
  table: 'acks',
  overlay: 'ov_acks',
  keyColumns: ['message_id', 'territory'],
  keyOf: (a) => [a.messageId, a.territory],
  settle: 'present',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO acks (${ACK_COLS}) VALUES (@message_id, @territory, @user_id, @user_name, @at, @version)
       ON CONFLICT(message_id, territory) DO UPDATE SET user_id = excluded.user_id, user_name = excluded.user_name,
         at = excluded.at, version = excluded.version
       WHERE excluded.version > acks.version`,
    );
    return { upsert: (a) => up.run(ackToRow(a)).changes > 0 };
  },
  counter: { counter: messageChanges, keysOf: (a) => [[a.messageId]], overlayColumns: [['message_id']] },
});

/** A reinforcement room's post: a later state (closed) replaces the earlier one. */
export const roomPostCache = defineCacheEntity<RoomPost>({
  entity: roomPostEntity,
  table: 'room_posts',
  overlay: 'ov_room_posts',
  keyColumns: ['id'],
  keyOf: (p) => [p.id],
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO room_posts (${ROOM_POST_COLS}) VALUES (@id, @event_id, @room, @label, @kind, @opened_at, @opened_by, @closed_at, @closed_by, @version)
       ON CONFLICT(id) DO UPDATE SET event_id = excluded.event_id, room = excluded.room, label = excluded.label, kind = excluded.kind,
         opened_at = excluded.opened_at, opened_by = excluded.opened_by, closed_at = excluded.closed_at, closed_by = excluded.closed_by,
         version = excluded.version
       WHERE excluded.version > room_posts.version`,
    );
    return { upsert: (p) => up.run(roomPostToRow(p)).changes > 0 };
  },
});

/** A reinforcement room's shift: a later state (cancelled) replaces the earlier one. */
export const roomShiftCache = defineCacheEntity<RoomShift>({
  entity: roomShiftEntity,
  table: 'room_shifts',
  overlay: 'ov_room_shifts',
  keyColumns: ['id'],
  keyOf: (s) => [s.id],
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO room_shifts (${ROOM_SHIFT_COLS}) VALUES (@id, @post_id, @event_id, @room, @person, @qualification, @starts_at, @ends_at,
         @assigned_by, @assigned_at, @cancelled_at, @cancelled_by, @version)
       ON CONFLICT(id) DO UPDATE SET post_id = excluded.post_id, event_id = excluded.event_id, room = excluded.room, person = excluded.person,
         qualification = excluded.qualification, starts_at = excluded.starts_at, ends_at = excluded.ends_at, assigned_by = excluded.assigned_by,
         assigned_at = excluded.assigned_at, cancelled_at = excluded.cancelled_at, cancelled_by = excluded.cancelled_by, version = excluded.version
       WHERE excluded.version > room_shifts.version`,
    );
    return { upsert: (s) => up.run(roomShiftToRow(s)).changes > 0 };
  },
});

export const eventLogCache = [eventCache, messageCache, ackCache, roomPostCache, roomShiftCache] as const;
