/**
 * The event log's part of ConsoleApi: its calls (crisis events, messages, acknowledgements),
 * the views the renderer receives, and the events main pushes for it.
 */
import { z } from 'zod';
import { call, returns, NoArgs, Uuid, type MutationReceipt } from '../../engine/calls';
import type { TerritoryOption } from '../../app/api';
import { MessageKind, MessageLevel, Priority, TITLE_MAX_CHARS, type CrisisEvent, type Message } from './model';

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
}

export interface AckSummary {
  messageId: string;
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
    }),
    returns<MutationReceipt>(),
  ),
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
}

/** Events main pushes for the event log. */
export const eventLogEvents = {
  'message.urgent': returns<UrgentNotice>(),
} as const;
