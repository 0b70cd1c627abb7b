/**
 * Row shapes of the event log in the local cache and their mapping to the shared domain
 * types. Pure: the SQL lives in the board's cache, slice and queries.
 */
import { parseAckList } from '../../common/domain/eventlog/ackList';
import type { Ack, CrisisEvent, Message } from '../../common/domain/eventlog/model';
import type { RoomPost, RoomShift } from '../../common/domain/eventlog/room';

export interface EventRow {
  id: string;
  title: string;
  description: string;
  territory: string;
  status: string;
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  closed_by: string | null;
  version: number;
}

export interface MessageRow {
  id: string;
  event_id: string;
  level: string;
  territory: string;
  territory_path: string;
  kind: string;
  priority: string;
  body: string;
  author_id: string;
  author_name: string;
  author_role: string;
  at: string;
  replaces: string | null;
  corrects: string | null;
  /** The consigne's distribution list as JSON, or null. */
  ack_list: string | null;
  /** When the server received it; null while pending (and for rows cached before 0.2). */
  received_at: string | null;
  search: string;
  version: number;
}

export interface AckRow {
  message_id: string;
  territory: string;
  user_id: string;
  user_name: string;
  at: string;
  version: number;
}

export const EVENT_COLS = 'id, title, description, territory, status, opened_at, opened_by, closed_at, closed_by, version';
export const MESSAGE_COLS =
  'id, event_id, level, territory, territory_path, kind, priority, body, author_id, author_name, author_role, at, replaces, corrects, ack_list, received_at, search, version';
export const ACK_COLS = 'message_id, territory, user_id, user_name, at, version';

export function eventToRow(e: CrisisEvent): EventRow {
  return {
    id: e.id,
    title: e.title,
    description: e.description,
    territory: e.territory,
    status: e.status,
    opened_at: e.openedAt,
    opened_by: e.openedBy,
    closed_at: e.closedAt,
    closed_by: e.closedBy,
    version: e.version,
  };
}

export function rowToEvent(r: EventRow): CrisisEvent {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    territory: r.territory,
    status: r.status === 'closed' ? 'closed' : 'open',
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    version: r.version,
  };
}

/**
 * Latin letters with diacritics (U+00C0–U+024F) folded to their base letter, built once from
 * Unicode's own decomposition. French text is mostly ASCII with a few of these per sentence:
 * replacing just them is several times cheaper than decomposing every string (measured on
 * the 100,000-message bootstrap: the NFD path cost ~0.2 s of it).
 */
const LATIN_FOLD = (() => {
  const fold = new Map<string, string>();
  for (let c = 0xc0; c <= 0x24f; c++) {
    const ch = String.fromCharCode(c);
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    if (base !== ch.toLowerCase()) fold.set(ch.toLowerCase(), base);
  }
  return fold;
})();
const LATIN_ACCENTED = /[\u00c0-\u024f]/g;
const BEYOND_LATIN = /[^\u0000-\u024f]/;

/** Lower case without diacritics, so « evacuation » finds « Évacuation ». */
export function normaliseSearch(text: string): string {
  const lower = text.toLowerCase();
  // Beyond Latin (rare here): the general path.
  if (BEYOND_LATIN.test(lower)) return lower.normalize('NFD').replace(/\p{M}/gu, '');
  return lower.replace(LATIN_ACCENTED, (ch) => LATIN_FOLD.get(ch) ?? ch);
}

/** What the text filter searches: the body and the author's name, normalised. */
export function searchText(m: Pick<Message, 'body' | 'authorName'>): string {
  return normaliseSearch(`${m.body}\n${m.authorName}`);
}

export function messageToRow(m: Message, territoryPath: string): MessageRow {
  return {
    id: m.id,
    event_id: m.eventId,
    level: m.level,
    territory: m.territory,
    territory_path: territoryPath,
    kind: m.kind,
    priority: m.priority,
    body: m.body,
    author_id: m.authorId,
    author_name: m.authorName,
    author_role: m.authorRole,
    at: m.at,
    replaces: m.replaces,
    corrects: m.corrects,
    ack_list: ackListJson(m),
    received_at: m.receivedAt ?? null,
    search: searchText(m),
    version: m.version,
  };
}

/** A message's list as its column keeps it (a row from a server before lists has none). */
export function ackListJson(m: Pick<Message, 'ackList'>): string | null {
  return m.ackList ? JSON.stringify(m.ackList) : null;
}

export function rowToMessage(r: Omit<MessageRow, 'search' | 'territory_path'>): Message {
  return {
    id: r.id,
    eventId: r.event_id,
    level: r.level as Message['level'],
    territory: r.territory,
    kind: r.kind as Message['kind'],
    priority: r.priority as Message['priority'],
    body: r.body,
    authorId: r.author_id,
    authorName: r.author_name,
    authorRole: r.author_role,
    at: r.at,
    replaces: r.replaces,
    corrects: r.corrects,
    ackList: parseAckList(r.ack_list),
    receivedAt: r.received_at ?? null,
    version: r.version,
  };
}

export function ackToRow(a: Ack): AckRow {
  return { message_id: a.messageId, territory: a.territory, user_id: a.userId, user_name: a.userName, at: a.at, version: a.version };
}

export function rowToAck(r: AckRow): Ack {
  return { messageId: r.message_id, territory: r.territory, userId: r.user_id, userName: r.user_name, at: r.at, version: r.version };
}

/** A reinforcement room's post as both its tables hold it. */
export interface RoomPostRow {
  id: string;
  event_id: string;
  room: string;
  label: string;
  kind: string;
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  closed_by: string | null;
  version: number;
}

/** A reinforcement room's shift as both its tables hold it. */
export interface RoomShiftRow {
  id: string;
  post_id: string;
  event_id: string;
  room: string;
  person: string;
  qualification: string;
  starts_at: string;
  ends_at: string;
  assigned_by: string;
  assigned_at: string;
  cancelled_at: string | null;
  cancelled_by: string | null;
  version: number;
}

export const ROOM_POST_COLS = 'id, event_id, room, label, kind, opened_at, opened_by, closed_at, closed_by, version';
export const ROOM_SHIFT_COLS =
  'id, post_id, event_id, room, person, qualification, starts_at, ends_at, assigned_by, assigned_at, cancelled_at, cancelled_by, version';

export function roomPostToRow(p: RoomPost): RoomPostRow {
  return {
    id: p.id,
    event_id: p.eventId,
    room: p.room,
    label: p.label,
    kind: p.kind,
    opened_at: p.openedAt,
    opened_by: p.openedBy,
    closed_at: p.closedAt,
    closed_by: p.closedBy,
    version: p.version,
  };
}

export function rowToRoomPost(r: RoomPostRow): RoomPost {
  return {
    id: r.id,
    eventId: r.event_id,
    room: r.room,
    label: r.label,
    kind: r.kind as RoomPost['kind'],
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    version: r.version,
  };
}

export function roomShiftToRow(s: RoomShift): RoomShiftRow {
  return {
    id: s.id,
    post_id: s.postId,
    event_id: s.eventId,
    room: s.room,
    person: s.person,
    qualification: s.qualification,
    starts_at: s.startsAt,
    ends_at: s.endsAt,
    assigned_by: s.assignedBy,
    assigned_at: s.assignedAt,
    cancelled_at: s.cancelledAt,
    cancelled_by: s.cancelledBy,
    version: s.version,
  };
}

export function rowToRoomShift(r: RoomShiftRow): RoomShift {
  return {
    id: r.id,
    postId: r.post_id,
    eventId: r.event_id,
    room: r.room,
    person: r.person,
    qualification: r.qualification,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    assignedBy: r.assigned_by,
    assignedAt: r.assigned_at,
    cancelledAt: r.cancelled_at,
    cancelledBy: r.cancelled_by,
    version: r.version,
  };
}
