/**
 * Row shapes of the event log in the local cache and their mapping to the shared domain
 * types. Pure: the SQL lives in the board's cache, slice and queries.
 */
import { parseAckList } from '../../common/domain/eventlog/ackList';
import type { Ack, CrisisEvent, Message } from '../../common/domain/eventlog/model';

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
  'id, event_id, level, territory, territory_path, kind, priority, body, author_id, author_name, author_role, at, replaces, corrects, ack_list, search, version';
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
    version: r.version,
  };
}

export function ackToRow(a: Ack): AckRow {
  return { message_id: a.messageId, territory: a.territory, user_id: a.userId, user_name: a.userName, at: a.at, version: a.version };
}

export function rowToAck(r: AckRow): Ack {
  return { messageId: r.message_id, territory: r.territory, userId: r.user_id, userName: r.user_name, at: r.at, version: r.version };
}
