/**
 * The event log's part of ConsoleApi: its calls (crisis events, messages, acknowledgements),
 * the views the renderer receives, and the events main pushes for it.
 */
import { z } from 'zod';
import { call, returns, NoArgs, Uuid, type MutationReceipt } from '../../engine/calls';
import type { TerritoryOption } from '../../app/api';
import { ACK_LIST_MAX, type AckListKind } from './ackList';
import { MessageKind, MessageLevel, Priority, TITLE_MAX_CHARS, type CrisisEvent, type Message } from './model';
import { RoomPostKind, type RoomPost, type RoomShift } from './room';

export interface EventView extends CrisisEvent {
  territoryLabel: string;
  /** True while a local change to this event waits for the server. */
  pending: boolean;
  messageCount: number;
}

export interface MessageView extends Message {
  territoryLabel: string;
  pending: boolean;
  /** The consigne that replaces this one, if any (then it is superseded). */
  replacedBy: string | null;
  /** Messages that correct this one. */
  correctedBy: string[];
  ackCount: number;
  expectedAckCount: number;
  /** The user's own territory has acknowledged it (or an acknowledgement is pending). */
  ackedByMe: boolean;
  /** The user's territory is among those addressed and may acknowledge it. */
  canAck: boolean;
}

export interface AckView {
  territory: string;
  label: string;
  userName: string;
  at: string;
  pending: boolean;
  /** Among the posts the consigne expects (a consigne from before lists could be acknowledged by others too). */
  listed: boolean;
}

export interface AckSummary {
  messageId: string;
  /** Who the consigne expects: its list's kind and name, or (kind null) the implicit level below of a consigne from before lists. */
  list: { kind: AckListKind | null; label: string };
  acknowledged: AckView[];
  /** Expected acknowledgers that have not acknowledged yet. */
  missing: TerritoryOption[];
}

/**
 * What changed in an event's filtered message list since a cursor (`messages.changes`): the
 * changed messages that match the filter, the ids the view must drop (gone or no longer
 * matching), and the cursor to ask from next. `full`: `messages` is the whole list.
 */
export interface MessageChanges {
  full: boolean;
  messages: MessageView[];
  removed: string[];
  cursor: number;
}

export const MessageFilterSchema = z.strictObject({
  levels: z.array(MessageLevel).optional(),
  territory: z.string().max(60).optional(),
  kinds: z.array(MessageKind).optional(),
  priorities: z.array(Priority).optional(),
  text: z.string().max(200).optional(),
});
export type MessageFilter = z.infer<typeof MessageFilterSchema>;

/**
 * A consigne's distribution list as the composer asks for it. Main resolves the
 * critical-care list from the bed picture its cache holds (the establishments of the
 * département with at least one unit) and hands the mutator concrete posts.
 */
export const AckListRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ars') }),
  z.strictObject({ kind: z.literal('samu'), region: z.string().min(1).max(3) }),
  z.strictObject({ kind: z.literal('critical-care'), dep: z.string().min(1).max(3) }),
  z.strictObject({ kind: z.literal('custom'), members: z.array(z.string().min(2).max(60)).max(ACK_LIST_MAX) }),
]);
export type AckListRequest = z.infer<typeof AckListRequest>;

/** What a list would expect if the consigne were posted now (`consignes.ackList`). */
export interface AckListPreview {
  label: string;
  members: TerritoryOption[];
  /** Why the mutator would refuse this list for this consigne (French), or null. */
  problem: string | null;
}

/** A post the author may add to a custom list (`consignes.ackCandidates`). */
export interface AckCandidate extends TerritoryOption {
  kind: 'region' | 'departement' | 'establishment';
  /** A second line: an establishment's city, and whether it has critical-care units in the bed board. */
  detail: string;
}

/** A shift of a reinforcement room as the panel shows it. */
export interface RoomShiftView extends RoomShift {
  /** Written here and not yet confirmed by the server. */
  pending: boolean;
}

/** A post of a reinforcement room with all its shifts (cancelled ones too, for the history), by start. */
export interface RoomPostView extends RoomPost {
  pending: boolean;
  shifts: RoomShiftView[];
}

/** One SAMU's reinforcement room in an event: its posts (open first, then closed, each by opening time). */
export interface RoomView {
  /** `SR:<département>` */
  room: string;
  label: string;
  /** The viewer's own room (a SAMU's): the only one it may edit. */
  canEdit: boolean;
  posts: RoomPostView[];
}

export const eventLogCalls = {
  'events.list': call(NoArgs, returns<EventView[]>()),
  'events.open': call(
    z.strictObject({
      title: z.string().trim().min(1, 'titre requis').max(TITLE_MAX_CHARS),
      description: z.string().max(2000).optional(),
      territory: z.string().min(2).max(60),
    }),
    returns<MutationReceipt>(),
  ),
  'events.close': call(z.strictObject({ id: Uuid }), returns<MutationReceipt>()),
  'messages.list': call(z.strictObject({ eventId: Uuid, filter: MessageFilterSchema.optional() }), returns<MessageView[]>()),
  /**
   * What changed in the event's filtered list since `since` (0: everything), for the live
   * main courante; a new filter or event is read from 0.
   */
  'messages.changes': call(
    z.strictObject({ eventId: Uuid, filter: MessageFilterSchema.optional(), since: z.number().int().min(0) }),
    returns<MessageChanges>(),
  ),
  'messages.post': call(
    z.strictObject({
      eventId: Uuid,
      territory: z.string().min(2).max(60),
      kind: MessageKind,
      priority: Priority,
      body: z.string(),
      replaces: Uuid.nullable().optional(),
      corrects: Uuid.nullable().optional(),
      /** A consigne's list (default: the level below its territory, as lists name it); refused for other kinds. */
      ackList: AckListRequest.nullable().optional(),
    }),
    returns<MutationReceipt>(),
  ),
  /** The posts a list names for a consigne addressed to `territory`, and why it would be refused. */
  'consignes.ackList': call(z.strictObject({ territory: z.string().min(2).max(60), list: AckListRequest }), returns<AckListPreview>()),
  /** Posts a custom list may name for a consigne addressed to `territory`, matching `text` (name, city, code). */
  'consignes.ackCandidates': call(
    z.strictObject({ territory: z.string().min(2).max(60), text: z.string().max(100).optional() }),
    returns<AckCandidate[]>(),
  ),
  /** The reinforcement rooms the user sees in an event: a SAMU's own (even empty), an ARS's SAMU, every one for the national level. */
  'rooms.view': call(z.strictObject({ eventId: Uuid }), returns<RoomView[]>()),
  'rooms.openPost': call(z.strictObject({ eventId: Uuid, label: z.string(), kind: RoomPostKind }), returns<MutationReceipt>()),
  'rooms.closePost': call(z.strictObject({ id: Uuid }), returns<MutationReceipt>()),
  /** Puts someone on a post for a shift (instants with their offset). */
  'rooms.assign': call(
    z.strictObject({ postId: Uuid, person: z.string(), qualification: z.string().optional(), startsAt: z.string(), endsAt: z.string() }),
    returns<MutationReceipt>(),
  ),
  'rooms.cancelShift': call(z.strictObject({ id: Uuid }), returns<MutationReceipt>()),
  'messages.acknowledge': call(z.strictObject({ messageId: Uuid }), returns<MutationReceipt>()),
  'messages.acks': call(z.strictObject({ messageId: Uuid }), returns<AckSummary>()),
} as const;

/** A new urgent message arrived from someone else. */
export interface UrgentNotice {
  id: string;
  eventId: string;
  body: string;
  authorName: string;
  /** The post that wrote it, as its territory is labelled (« SAMU 75 — Paris »): who speaks. */
  authorPost: string;
  /** Where it is addressed. */
  territoryLabel: string;
  /** When its author wrote it, and when the server received it (far apart: written offline, delivered late). */
  at: string;
  receivedAt: string | null;
}

/** Events main pushes for the event log. */
export const eventLogEvents = {
  'message.urgent': returns<UrgentNotice>(),
} as const;
