/**
 * The event log's queries over the client cache: the events, an event's filtered messages
 * (whole, or only what changed since a view's cursor), who acknowledged a consigne.
 * Visible = the server's rows with the pending ones on top.
 */
import type { Actor } from '../../common/engine/mutation';
import type { AckSummary, EventView, MessageChanges, MessageFilter, MessageView, RoomView } from '../../common/domain/eventlog/api';
import { reinforcementRoomOf } from '../../common/territory';
import { pendingIds, visibleRoomPosts, visibleRoomShifts } from './tx';
import { ackListLabel, parseAckList } from '../../common/domain/eventlog/ackList';
import type { Ack, Message } from '../../common/domain/eventlog/model';
import { fr } from '../../common/i18n/fr';
import type { LocalStore } from '../store/localStore';
import { ACK_COLS, EVENT_COLS, MESSAGE_COLS, normaliseSearch, rowToAck, rowToEvent, rowToMessage, rowToRoomPost, rowToRoomShift, type AckRow, type EventRow, type MessageRow } from './rows';
import { messageChanges } from './cache';
import { visibleMessage } from './tx';

/** The messages whose view changed after `@since`: stamped server rows, and the keys the counter table moved. */
const CHANGED_SINCE = `SELECT message_id AS id, seq FROM message_changes WHERE seq > @since
  UNION ALL SELECT id, change_seq AS seq FROM messages WHERE change_seq > @since`;

/** Who is looking at a view: decides `ackedByMe` and `canAck`. */
export type Viewer = Pick<Actor, 'userId' | 'roleText' | 'territory' | 'territoryPath'>;

export class EventLogQueries {
  private readonly expectedCache = new Map<string, Set<string>>();
  private readonly listCache = new Map<string, Set<string>>();

  constructor(private readonly engine: LocalStore) {}

  /** Who a consigne from before lists expects: the level just below its territory. */
  private expectedOf(territory: string): Set<string> {
    let s = this.expectedCache.get(territory);
    if (!s) {
      s = new Set(this.engine.territories.expectedAcknowledgers(territory));
      this.expectedCache.set(territory, s);
    }
    return s;
  }

  /** Who a consigne expects: the members of its list (kept as JSON, parsed once per distinct list), else the level below. */
  private expectedFor(territory: string, ackListJson: string | null): Set<string> {
    if (ackListJson === null) return this.expectedOf(territory);
    let s = this.listCache.get(ackListJson);
    if (!s) {
      s = new Set(parseAckList(ackListJson)?.members ?? []);
      if (this.listCache.size > 1_000) this.listCache.clear();
      this.listCache.set(ackListJson, s);
    }
    return s;
  }

  listEvents(): EventView[] {
    const rows = this.engine.stmt(
      `WITH ov AS (
         SELECT o.id, o.title, o.description, o.territory, o.status, o.opened_at, o.opened_by, o.closed_at, o.closed_by,
                coalesce((SELECT e.version FROM events e WHERE e.id = o.id), 0) AS version, 1 AS pending
         FROM ov_events o WHERE o.mutation_id = (SELECT max(x.mutation_id) FROM ov_events x WHERE x.id = o.id)
       ),
       vis AS (
         SELECT * FROM ov
         UNION ALL
         SELECT ${EVENT_COLS}, 0 AS pending FROM events e WHERE NOT EXISTS (SELECT 1 FROM ov_events o WHERE o.id = e.id)
       ),
       counts AS (
         SELECT event_id, count(*) AS n FROM (
           SELECT event_id FROM messages
           UNION ALL
           SELECT o.event_id FROM ov_messages o WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = o.id)
         ) GROUP BY event_id
       )
       SELECT vis.*, coalesce(counts.n, 0) AS message_count FROM vis LEFT JOIN counts ON counts.event_id = vis.id
       ORDER BY vis.status = 'open' DESC, vis.opened_at DESC, vis.id`,
    ).all() as Array<EventRow & { pending: number; message_count: number }>;
    return rows.map((r) => ({
      ...rowToEvent(r),
      territoryLabel: this.engine.labelOf(r.territory),
      pending: r.pending === 1,
      messageCount: r.message_count,
    }));
  }

  /**
   * The visible messages of an event, newest first, filtered in SQL. Filter semantics: an
   * absent or empty list means "any"; `territory` keeps messages addressed to that territory
   * or below it; `text` matches the body or the author's name, ignoring case and accents.
   */
  listMessages(eventId: string, filter: MessageFilter | undefined, viewer: Viewer): MessageView[] {
    return this.messageViews(eventId, filter, viewer, null);
  }

  /** The message change counter's current value: the last change any message had (0 before any). */
  messageCursor(): number {
    return this.engine.counterValue(messageChanges);
  }

  /**
   * What changed in an event's filtered message list after `since` (a value of
   * `messageCursor`): the views of the changed messages that match the filter (newest
   * first), and the ids of changed messages the view must drop (gone, or no longer matching
   * the filter; messages of other events are left out). Read in one transaction, so the
   * cursor matches the answer. `full` is set when the answer is the whole list instead:
   * asked from 0, or from a counter this cache never gave (another cache file).
   */
  messageChangesSince(eventId: string, filter: MessageFilter | undefined, viewer: Viewer, since: number): MessageChanges {
    return this.engine.db.transaction((): MessageChanges => {
      const cursor = this.messageCursor();
      if (since <= 0 || since > cursor) return { full: true, messages: this.messageViews(eventId, filter, viewer, null), removed: [], cursor };
      const messages = this.messageViews(eventId, filter, viewer, since);
      const shown = new Set(messages.map((m) => m.id));
      // Changed: a server row stamped after `since`, or a key the counter table moved after it.
      const changed = this.engine.stmt(
        `SELECT x.id FROM (${CHANGED_SINCE}) x
         WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = x.id AND m.event_id <> @eventId)
           AND NOT EXISTS (SELECT 1 FROM ov_messages o WHERE o.id = x.id AND o.event_id <> @eventId)
         GROUP BY x.id ORDER BY max(x.seq)`,
      ).all({ since, eventId }) as Array<{ id: string }>;
      const removed = changed.map((r) => r.id).filter((id) => !shown.has(id));
      return { full: false, messages, removed, cursor };
    })();
  }

  private messageViews(eventId: string, filter: MessageFilter | undefined, viewer: Viewer, changedSince: number | null): MessageView[] {
    // For changes, the few changed ids are looked up by primary key ("+" keeps SQLite off
    // the event index, which would walk all the event's messages).
    const conds: string[] = [changedSince === null ? 'event_id = ?' : '+event_id = ?'];
    const params: unknown[] = [eventId];
    if (changedSince !== null) {
      conds.push('id IN (SELECT message_id FROM message_changes WHERE seq > ? UNION ALL SELECT id FROM messages WHERE change_seq > ?)');
      params.push(changedSince, changedSince);
    }
    const inList = (col: string, values: readonly string[] | undefined): void => {
      if (!values || values.length === 0) return;
      conds.push(`${col} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    inList('level', filter?.levels);
    inList('kind', filter?.kinds);
    inList('priority', filter?.priorities);
    if (filter?.territory) {
      const path = this.engine.territories.path(filter.territory);
      if (!path) return [];
      conds.push('substr(territory_path, 1, ?) = ?');
      params.push(path.length, path);
    }
    const text = filter?.text ? normaliseSearch(filter.text.trim()) : '';
    if (text) {
      conds.push('instr(search, ?) > 0');
      params.push(text);
    }
    const where = conds.join(' AND ');
    // Only the columns the view needs: building row objects dominates the cost at 50,000 rows.
    const cols = 'id, event_id, level, territory, kind, priority, body, author_id, author_name, author_role, at, replaces, corrects, ack_list, received_at, version';
    const rows = this.engine.stmt(
      `SELECT ${cols}, 0 AS pending FROM messages WHERE ${where}
       UNION ALL
       SELECT ${cols}, 1 AS pending FROM ov_messages o WHERE ${where} AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = o.id)
       ORDER BY at DESC, version DESC, id`,
    ).all(...params, ...params) as Array<Omit<MessageRow, 'search' | 'territory_path'> & { pending: number }>;

    // Relations are looked up once per event through the small partial indexes, not per row.
    const replacedBy = new Map<string, string>();
    const correctedBy = new Map<string, string[]>();
    const rel = this.engine.stmt(
      `SELECT id, replaces, NULL AS corrects FROM messages INDEXED BY messages_replaces WHERE replaces IS NOT NULL AND event_id = @eventId
       UNION ALL
       SELECT id, NULL, corrects FROM messages INDEXED BY messages_corrects WHERE corrects IS NOT NULL AND event_id = @eventId
       UNION ALL
       SELECT id, replaces, corrects FROM ov_messages o WHERE event_id = @eventId AND (replaces IS NOT NULL OR corrects IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = o.id)`,
    ).all({ eventId }) as Array<{ id: string; replaces: string | null; corrects: string | null }>;
    for (const r of rel) {
      if (r.replaces && !replacedBy.has(r.replaces)) replacedBy.set(r.replaces, r.id);
      if (r.corrects) correctedBy.set(r.corrects, [...(correctedBy.get(r.corrects) ?? []), r.id]);
    }
    // Who acknowledged (server rows and pending ones): counted against the expected posts only.
    const ackers = this.engine.stmt(`SELECT territory FROM acks WHERE message_id = @id UNION SELECT territory FROM ov_acks WHERE message_id = @id`);
    const myAck = this.engine.stmt(
      'SELECT 1 FROM acks WHERE message_id = @id AND territory = @territory UNION ALL SELECT 1 FROM ov_acks WHERE message_id = @id AND territory = @territory LIMIT 1',
    );

    const views: MessageView[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const isConsigne = r.kind === 'consigne';
      const expected = isConsigne ? this.expectedFor(r.territory, r.ack_list) : null;
      const replaced = replacedBy.get(r.id) ?? null;
      const ackedByMe = isConsigne && myAck.get({ id: r.id, territory: viewer.territory }) !== undefined;
      const own = r.author_id === viewer.userId || r.author_role === viewer.roleText;
      // One object literal of fixed shape per row: spreading a row into a view costs several
      // times more at 50,000 rows (garbage and dictionary-mode objects).
      views[i] = {
        id: r.id,
        eventId: r.event_id,
        level: r.level as MessageView['level'],
        territory: r.territory,
        kind: r.kind as MessageView['kind'],
        priority: r.priority as MessageView['priority'],
        body: r.body,
        authorId: r.author_id,
        authorName: r.author_name,
        authorRole: r.author_role,
        at: r.at,
        replaces: r.replaces,
        corrects: r.corrects,
        ackList: r.ack_list === null ? null : parseAckList(r.ack_list),
        receivedAt: r.received_at,
        version: r.version,
        territoryLabel: this.engine.labelOf(r.territory),
        pending: r.pending === 1,
        replacedBy: replaced,
        correctedBy: correctedBy.get(r.id) ?? [],
        ackCount: expected ? countIn(ackers.all({ id: r.id }) as Array<{ territory: string }>, expected) : 0,
        expectedAckCount: expected ? expected.size : 0,
        ackedByMe,
        canAck: isConsigne && !replaced && !ackedByMe && !own && (expected?.has(viewer.territory) ?? false),
      };
    }
    return views;
  }

  /** Who acknowledged a message and which expected territories have not. Null if unknown. */
  ackSummary(messageId: string): AckSummary | null {
    const m = visibleMessage(this.engine, messageId);
    if (!m) return null;
    const rows = this.engine.stmt(
      `SELECT ${ACK_COLS}, 0 AS pending FROM acks WHERE message_id = @id
       UNION ALL
       SELECT ${ACK_COLS}, 1 AS pending FROM ov_acks o WHERE message_id = @id
         AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.message_id = o.message_id AND a.territory = o.territory)
       ORDER BY at`,
    ).all({ id: messageId }) as Array<AckRow & { pending: number }>;
    const acked = new Set(rows.map((r) => r.territory));
    const expected = m.kind !== 'consigne' ? [] : m.ackList ? m.ackList.members : [...this.expectedOf(m.territory)];
    const listed = new Set(expected);
    return {
      messageId,
      list: m.ackList
        ? { kind: m.ackList.kind, label: ackListLabel(m.ackList, this.engine.territories) }
        : { kind: null, label: fr.ackList.implicit },
      acknowledged: rows.map((r) => ({
        territory: r.territory,
        label: this.engine.labelOf(r.territory),
        userName: r.user_name,
        at: r.at,
        pending: r.pending === 1,
        listed: listed.has(r.territory),
      })),
      missing: expected
        .filter((k) => !acked.has(k))
        .map((k) => ({ key: k, label: this.engine.labelOf(k) }))
        .sort((a, b) => a.label.localeCompare(b.label, 'fr')),
    };
  }

  /** Server rows only (tests and diagnostics). */
  serverMessage(id: string): Message | undefined {
    const row = this.engine.stmt(`SELECT ${MESSAGE_COLS} FROM messages WHERE id = ?`).get(id) as MessageRow | undefined;
    return row ? rowToMessage(row) : undefined;
  }

  serverAck(messageId: string, territory: string): Ack | undefined {
    const row = this.engine.stmt(`SELECT ${ACK_COLS} FROM acks WHERE message_id = ? AND territory = ?`).get(messageId, territory) as AckRow | undefined;
    return row ? rowToAck(row) : undefined;
  }

  /**
   * The reinforcement rooms of an event as this cache holds them (pulls bring only the rooms
   * the user may see): each room with posts, and the viewer's own room (a SAMU's) even
   * empty. Posts: open ones first, each group by opening time; shifts by start.
   */
  roomViews(eventId: string, viewer: Actor): RoomView[] {
    const posts = visibleRoomPosts(this.engine, 'event_id = ?', [eventId]);
    const shifts = visibleRoomShifts(this.engine, 'event_id = ?', [eventId]);
    const pendingPosts = pendingIds(this.engine, 'room_posts', 'event_id = ?', [eventId]);
    const pendingShifts = pendingIds(this.engine, 'room_shifts', 'event_id = ?', [eventId]);
    const own = viewer.role.kind === 'samu' ? reinforcementRoomOf(viewer.territory) : null;
    const rooms = new Set(posts.map((p) => p.room));
    if (own) rooms.add(own);
    const shiftsOf = new Map<string, RoomView['posts'][number]['shifts']>();
    for (const r of shifts.sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at))) {
      const list = shiftsOf.get(r.post_id) ?? [];
      list.push({ ...rowToRoomShift(r), pending: pendingShifts.has(r.id) });
      shiftsOf.set(r.post_id, list);
    }
    return [...rooms]
      .map((room) => ({
        room,
        label: this.engine.labelOf(room),
        canEdit: room === own,
        posts: posts
          .filter((p) => p.room === room)
          .sort((a, b) => Number(a.closed_at !== null) - Number(b.closed_at !== null) || a.opened_at.localeCompare(b.opened_at))
          .map((p) => ({ ...rowToRoomPost(p), pending: pendingPosts.has(p.id), shifts: shiftsOf.get(p.id) ?? [] })),
      }))
      .sort((a, b) => Number(b.canEdit) - Number(a.canEdit) || a.label.localeCompare(b.label, 'fr', { numeric: true }));
  }
}

/** How many of the acknowledging territories are expected ones. */
function countIn(acks: ReadonlyArray<{ territory: string }>, expected: ReadonlySet<string>): number {
  let n = 0;
  for (const a of acks) if (expected.has(a.territory)) n++;
  return n;
}
