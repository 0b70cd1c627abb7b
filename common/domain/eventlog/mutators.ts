/**
 * The event log's mutators: open and close a crisis event, post a message (a consigne
 * version replacing another, a correction), acknowledge a consigne.
 */
import { fr } from '../../i18n/fr';
import { isWithin, type TerritoryKey } from '../../territory';
import { MutationRejected, mutatorsUsing, type MutationContext } from '../../engine/mutation';
import { ackListLabel, checkAckList, resolveAckList, type AckList } from './ackList';
import { ConsigneAcknowledgeArgs, EventCloseArgs, EventOpenArgs, levelOf, MessagePostArgs } from './model';
import { roomMutators } from './roomMutators';
import type { EventLogTx } from './tx';

const define = mutatorsUsing<{ eventlog: EventLogTx }>('eventlog');

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
function visibleEvent(tx: EventLogTx, ctx: MutationContext, id: string) {
  const ev = tx.getEvent(id);
  const path = ev ? ctx.territories.path(ev.territory) : null;
  if (!ev || !onActorBranch(ctx, path)) throw new MutationRejected(fr.reject.eventNotFound);
  return { ev, path };
}

function visibleMessage(tx: EventLogTx, ctx: MutationContext, id: string) {
  const m = tx.getMessage(id);
  const path = m ? ctx.territories.path(m.territory) : null;
  if (!m || !onActorBranch(ctx, path)) throw new MutationRejected(fr.reject.messageNotFound);
  return { m, path };
}

export const eventLogMutators = {
  'event.open': define(EventOpenArgs, ({ eventlog: tx }, args, ctx) => {
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

  'event.close': define(EventCloseArgs, ({ eventlog: tx }, args, ctx) => {
    if (!canManageEvents(ctx)) throw new MutationRejected(fr.reject.cannotOpenEvent);
    const { ev, path } = visibleEvent(tx, ctx, args.id);
    if (!isWithin(path, ctx.actor.territoryPath)) {
      throw new MutationRejected(fr.reject.territoryOutOfScope(ctx.territories.label(ev.territory)));
    }
    if (ev.status === 'closed') throw new MutationRejected(fr.reject.eventAlreadyClosed);
    tx.putEvent({ ...ev, status: 'closed', closedAt: ctx.at, closedBy: ctx.actor.displayName, version: 0 });
  }),

  'message.post': define(MessagePostArgs, ({ eventlog: tx }, args, ctx) => {
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
      // A correction speaks for the author: only the post that wrote the message (its role, whoever holds it) corrects it.
      if (old.authorRole !== ctx.actor.roleText) throw new MutationRejected(fr.reject.correctOnlyOwn(old.authorName));
    }
    let ackList: AckList | null = null;
    if (args.ackList) {
      if (args.kind !== 'consigne') throw new MutationRejected(fr.ackList.onlyConsigne);
      ackList = resolveAckList(args.ackList, ctx.territories);
      checkAckList(ackList, args.territory, msgPath, ctx, (finess) => tx.hasCriticalCare(finess));
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
      ackList,
      // The server's write stamps it (its clock); a workstation's own run has not been received.
      receivedAt: null,
      version: 0,
    });
  }),

  'consigne.acknowledge': define(ConsigneAcknowledgeArgs, ({ eventlog: tx }, args, ctx) => {
    const { m, path } = visibleMessage(tx, ctx, args.messageId);
    if (m.kind !== 'consigne') throw new MutationRejected(fr.reject.notConsigne);
    if (!isWithin(ctx.actor.territoryPath, path)) throw new MutationRejected(fr.reject.ackNotAddressee);
    if (m.authorId === ctx.actor.userId || m.authorRole === ctx.actor.roleText) {
      throw new MutationRejected(fr.reject.ackOwn);
    }
    // A consigne with a list expects its members only; one from before lists, anyone it addresses.
    if (m.ackList && !m.ackList.members.includes(ctx.actor.territory)) {
      throw new MutationRejected(fr.reject.ackNotListed(ackListLabel(m.ackList, ctx.territories)));
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
  ...roomMutators,
};
