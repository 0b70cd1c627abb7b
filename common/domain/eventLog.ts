/**
 * The crisis event log (main courante): crisis events, their messages, and the
 * acknowledgements of consignes. Schemas, row types and mutators; runs anywhere.
 *
 * Conflict rules: messages and acknowledgements are append-only (a correction is a new
 * message pointing at the one it corrects; a new consigne version points at the one it
 * replaces). An event's open/closed state is server-ordered: the last applied wins, and a
 * closed event accepts no more writes.
 */
import { z } from 'zod';
import { fr } from '../i18n/fr';
import { isWithin, type TerritoryKey } from '../territory';
import { defineMutator, MutationRejected, type DomainTx, type MutationContext } from './mutation';

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

function canManageEvents(ctx: MutationContext): boolean {
  const k = ctx.actor.role.kind;
  return k === 'national' || k === 'ars' || k === 'samu';
}

function requirePostable(ctx: MutationContext, territory: TerritoryKey): string {
  const path = ctx.territories.path(territory);
  if (!path) throw new MutationRejected(fr.reject.territoryUnknown(territory));
  if (!ctx.territories.postableTerritories(ctx.actor.role).includes(territory)) {
    throw new MutationRejected(fr.reject.territoryOutOfScope(ctx.territories.label(territory)));
  }
  return path;
}

/** True when a row at `path` is on the actor's branch (the only rows the actor may see). */
function onActorBranch(ctx: MutationContext, path: string | null): path is string {
  return path !== null && (isWithin(path, ctx.actor.territoryPath) || isWithin(ctx.actor.territoryPath, path));
}

/** Reads an event only if it is in the actor's scope: out-of-scope reads look like absence. */
function visibleEvent(tx: DomainTx, ctx: MutationContext, id: string) {
  const ev = tx.getEvent(id);
  const path = ev ? ctx.territories.path(ev.territory) : null;
  if (!ev || !onActorBranch(ctx, path)) throw new MutationRejected(fr.reject.eventNotFound);
  return { ev, path };
}

function visibleMessage(tx: DomainTx, ctx: MutationContext, id: string) {
  const m = tx.getMessage(id);
  const path = m ? ctx.territories.path(m.territory) : null;
  if (!m || !onActorBranch(ctx, path)) throw new MutationRejected(fr.reject.messageNotFound);
  return { m, path };
}

export const eventLogMutators = {
  'event.open': defineMutator(EventOpenArgs, (tx, args, ctx) => {
    if (!canManageEvents(ctx)) throw new MutationRejected(fr.reject.cannotOpenEvent);
    if (!levelOf(args.territory)) throw new MutationRejected(fr.reject.territoryUnknown(args.territory));
    requirePostable(ctx, args.territory);
    if (tx.getEvent(args.id)) throw new MutationRejected(fr.reject.eventExists);
    tx.putEvent({
      id: args.id,
      title: args.title,
      description: args.description,
      territory: args.territory,
      status: 'open',
      openedAt: ctx.at,
      openedBy: ctx.actor.displayName,
      closedAt: null,
      closedBy: null,
      version: 0,
    });
  }),

  'event.close': defineMutator(EventCloseArgs, (tx, args, ctx) => {
    if (!canManageEvents(ctx)) throw new MutationRejected(fr.reject.cannotOpenEvent);
    const { ev, path } = visibleEvent(tx, ctx, args.id);
    if (!isWithin(path, ctx.actor.territoryPath)) {
      throw new MutationRejected(fr.reject.territoryOutOfScope(ctx.territories.label(ev.territory)));
    }
    if (ev.status === 'closed') throw new MutationRejected(fr.reject.eventAlreadyClosed);
    tx.putEvent({ ...ev, status: 'closed', closedAt: ctx.at, closedBy: ctx.actor.displayName, version: 0 });
  }),

  'message.post': defineMutator(MessagePostArgs, (tx, args, ctx) => {
    const level = levelOf(args.territory);
    if (!level) throw new MutationRejected(fr.reject.territoryUnknown(args.territory));
    const msgPath = requirePostable(ctx, args.territory);
    const { ev, path: evPath } = visibleEvent(tx, ctx, args.eventId);
    if (ev.status === 'closed') throw new MutationRejected(fr.reject.eventClosed);
    if (!isWithin(msgPath, evPath)) throw new MutationRejected(fr.reject.messageOutsideEvent);
    if (tx.getMessage(args.id)) throw new MutationRejected(fr.reject.messageExists);
    if (args.replaces) {
      const { m: old } = visibleMessage(tx, ctx, args.replaces);
      if (old.eventId !== args.eventId) throw new MutationRejected(fr.reject.otherEvent);
      if (old.kind !== 'consigne' || args.kind !== 'consigne') throw new MutationRejected(fr.reject.replacesNotConsigne);
      if (old.territory !== args.territory) throw new MutationRejected(fr.reject.replaceSameTerritory);
      if (tx.isReplaced(old.id)) throw new MutationRejected(fr.reject.alreadyReplaced);
    }
    if (args.corrects) {
      const { m: old } = visibleMessage(tx, ctx, args.corrects);
      if (old.eventId !== args.eventId) throw new MutationRejected(fr.reject.otherEvent);
    }
    tx.insertMessage({
      id: args.id,
      eventId: args.eventId,
      level,
      territory: args.territory,
      kind: args.kind,
      priority: args.priority,
      body: args.body,
      authorId: ctx.actor.userId,
      authorName: ctx.actor.displayName,
      authorRole: ctx.actor.roleText,
      at: ctx.at,
      replaces: args.replaces,
      corrects: args.corrects,
      version: 0,
    });
  }),

  'consigne.acknowledge': defineMutator(ConsigneAcknowledgeArgs, (tx, args, ctx) => {
    const { m, path } = visibleMessage(tx, ctx, args.messageId);
    if (m.kind !== 'consigne') throw new MutationRejected(fr.reject.notConsigne);
    if (!isWithin(ctx.actor.territoryPath, path)) throw new MutationRejected(fr.reject.ackNotAddressee);
    if (m.authorId === ctx.actor.userId || m.authorRole === ctx.actor.roleText) {
      throw new MutationRejected(fr.reject.ackOwn);
    }
    if (tx.isReplaced(m.id)) throw new MutationRejected(fr.reject.ackReplaced);
    if (tx.getAck(m.id, ctx.actor.territory)) {
      throw new MutationRejected(fr.reject.ackAlready(ctx.territories.label(ctx.actor.territory)));
    }
    tx.putAck({
      messageId: m.id,
      territory: ctx.actor.territory,
      userId: ctx.actor.userId,
      userName: ctx.actor.displayName,
      at: ctx.at,
      version: 0,
    });
  }),
};
