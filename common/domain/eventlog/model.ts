/**
 * The crisis event log (main courante): crisis events, their messages, and the
 * acknowledgements of consignes. Row types and argument schemas; runs anywhere.
 *
 * Conflict rules: messages and acknowledgements are append-only (a correction is a new
 * message pointing at the one it corrects; a new consigne version points at the one it
 * replaces). An event's open/closed state is server-ordered: the last applied wins, and a
 * closed event accepts no more writes.
 */
import { z } from 'zod';
import type { TerritoryKey } from '../../territory';
import { AckListArgs, type AckList } from './ackList';

export const MESSAGE_MAX_CHARS = 10_000;
export const TITLE_MAX_CHARS = 200;

export const MessageLevel = z.enum(['national', 'regional', 'local']);
export type MessageLevel = z.infer<typeof MessageLevel>;
export const MessageKind = z.enum(['information', 'consigne', 'demande']);
export type MessageKind = z.infer<typeof MessageKind>;
export const Priority = z.enum(['info', 'important', 'urgent']);
export type Priority = z.infer<typeof Priority>;

const Id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'identifiant UUID attendu');
const TerritoryKeySchema = z.string().min(2).max(60);

export interface CrisisEvent {
  id: string;
  title: string;
  description: string;
  territory: TerritoryKey;
  status: 'open' | 'closed';
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  closedBy: string | null;
  version: number;
}

export interface Message {
  id: string;
  eventId: string;
  level: MessageLevel;
  territory: TerritoryKey;
  kind: MessageKind;
  priority: Priority;
  body: string;
  authorId: string;
  authorName: string;
  authorRole: string;
  /** The author's clock when written (may be hours before the server saw it, offline). */
  at: string;
  /** Consigne versioning: the consigne this one replaces. */
  replaces: string | null;
  /** Correction: the message this one corrects. */
  corrects: string | null;
  /**
   * A consigne's expected acknowledgers, chosen by its author and resolved when posted
   * (`ackList.ts`); null for other kinds and for consignes written before lists existed.
   */
  ackList: AckList | null;
  /**
   * When the server received it (its clock), stamped by the server's write; null while it
   * waits in a workstation's outbox. Far after `at`: written offline, delivered late.
   */
  receivedAt: string | null;
  version: number;
}

export interface Ack {
  messageId: string;
  territory: TerritoryKey;
  userId: string;
  userName: string;
  at: string;
  version: number;
}

export const EventOpenArgs = z.strictObject({
  id: Id,
  title: z.string().trim().min(1, 'titre requis').max(TITLE_MAX_CHARS),
  description: z.string().max(2000).default(''),
  territory: TerritoryKeySchema,
});
export const EventCloseArgs = z.strictObject({ id: Id });
export const MessagePostArgs = z.strictObject({
  id: Id,
  eventId: Id,
  territory: TerritoryKeySchema,
  kind: MessageKind,
  priority: Priority,
  body: z
    .string()
    .trim()
    .min(1, 'message vide')
    .max(MESSAGE_MAX_CHARS, `le message dépasse ${MESSAGE_MAX_CHARS.toLocaleString('fr-FR')} caractères`),
  replaces: Id.nullable().default(null),
  corrects: Id.nullable().default(null),
  /** A consigne's distribution list; absent or null: the level just below its territory (as before lists). */
  ackList: AckListArgs.nullable().default(null),
});
export const ConsigneAcknowledgeArgs = z.strictObject({ messageId: Id });

export type EventOpenArgs = z.input<typeof EventOpenArgs>;
export type MessagePostArgs = z.input<typeof MessagePostArgs>;

export function levelOf(territory: TerritoryKey): MessageLevel | null {
  if (territory === 'FR') return 'national';
  if (territory.startsWith('R:')) return 'regional';
  if (territory.startsWith('D:')) return 'local';
  return null;
}
