/**
 * The reinforcement room's mutators (`room.*`): open and close a post, put someone on a post
 * for a shift, cancel a shift. Only the SAMU of the département writes its room, inside an
 * open event that concerns its département; the rows go to the room's scope (`SR:<dep>`).
 */
import { fr } from '../../i18n/fr';
import { isWithin, reinforcementRoomOf, type TerritoryKey } from '../../territory';
import { MutationRejected, mutatorsUsing, type MutationContext } from '../../engine/mutation';
import { RoomPostCloseArgs, RoomPostOpenArgs, RoomShiftAssignArgs, RoomShiftCancelArgs, SHIFT_MAX_HOURS, shiftsOverlap, type RoomPost } from './room';
import type { EventLogTx } from './tx';

const define = mutatorsUsing<{ eventlog: EventLogTx }>('eventlog');

/** The actor's room: a SAMU's, nobody else's. */
function actorRoom(ctx: MutationContext): TerritoryKey {
  if (ctx.actor.role.kind !== 'samu') throw new MutationRejected(fr.room.onlySamu);
  return reinforcementRoomOf(ctx.actor.territory);
}

/** The event the room is written in: visible, open, and at or above the SAMU's département. */
function openEventOfRoom(tx: EventLogTx, ctx: MutationContext, eventId: string): void {
  const ev = tx.getEvent(eventId);
  const path = ev ? ctx.territories.path(ev.territory) : null;
  if (!ev || path === null) throw new MutationRejected(fr.reject.eventNotFound);
  if (!isWithin(ctx.actor.territoryPath, path)) throw new MutationRejected(fr.room.outsideEvent);
  if (ev.status === 'closed') throw new MutationRejected(fr.reject.eventClosed);
}

/** A post of the actor's own room (another room's looks like absence). */
function ownPost(tx: EventLogTx, room: TerritoryKey, id: string): RoomPost {
  const post = tx.getRoomPost(id);
  if (!post || post.room !== room) throw new MutationRejected(fr.room.postNotFound);
  return post;
}

/** Paris wall-clock time of an instant, as the room reads it (« 24/03 20:00 »). */
function parisTime(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' })
    .format(new Date(iso))
    .replace(',', '');
}

export const roomMutators = {
  'room.openPost': define(RoomPostOpenArgs, ({ eventlog: tx }, args, ctx) => {
    const room = actorRoom(ctx);
    openEventOfRoom(tx, ctx, args.eventId);
    if (tx.getRoomPost(args.id)) throw new MutationRejected(fr.room.postExists);
    const same = args.label.toLocaleLowerCase('fr');
    if (tx.roomPosts(args.eventId, room).some((p) => !p.closedAt && p.label.toLocaleLowerCase('fr') === same)) {
      throw new MutationRejected(fr.room.labelTaken(args.label));
    }
    tx.putRoomPost({
      id: args.id,
      eventId: args.eventId,
      room,
      label: args.label,
      kind: args.kind,
      openedAt: ctx.at,
      openedBy: ctx.actor.displayName,
      closedAt: null,
      closedBy: null,
      version: 0,
    });
  }),

  'room.closePost': define(RoomPostCloseArgs, ({ eventlog: tx }, args, ctx) => {
    const room = actorRoom(ctx);
    const post = ownPost(tx, room, args.id);
    openEventOfRoom(tx, ctx, post.eventId);
    if (post.closedAt) throw new MutationRejected(fr.room.postAlreadyClosed(post.label));
    tx.putRoomPost({ ...post, closedAt: ctx.at, closedBy: ctx.actor.displayName, version: 0 });
  }),

  'room.assign': define(RoomShiftAssignArgs, ({ eventlog: tx }, args, ctx) => {
    const room = actorRoom(ctx);
    const post = ownPost(tx, room, args.postId);
    openEventOfRoom(tx, ctx, post.eventId);
    if (post.closedAt) throw new MutationRejected(fr.room.postClosed(post.label));
    if (tx.getRoomShift(args.id)) throw new MutationRejected(fr.room.shiftExists);
    const start = Date.parse(args.startsAt);
    const end = Date.parse(args.endsAt);
    if (end <= start) throw new MutationRejected(fr.room.endBeforeStart);
    if (end - start > SHIFT_MAX_HOURS * 3_600_000) throw new MutationRejected(fr.room.tooLong(SHIFT_MAX_HOURS));
    const clash = tx.roomShifts(post.id).find((s) => !s.cancelledAt && shiftsOverlap(s, args));
    if (clash) throw new MutationRejected(fr.room.overlap(post.label, clash.person, parisTime(clash.startsAt), parisTime(clash.endsAt)));
    tx.putRoomShift({
      id: args.id,
      postId: post.id,
      eventId: post.eventId,
      room,
      person: args.person,
      qualification: args.qualification,
      // Kept as the instants given, normalised to UTC so every store compares them alike.
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(end).toISOString(),
      assignedBy: ctx.actor.displayName,
      assignedAt: ctx.at,
      cancelledAt: null,
      cancelledBy: null,
      version: 0,
    });
  }),

  'room.cancelShift': define(RoomShiftCancelArgs, ({ eventlog: tx }, args, ctx) => {
    const room = actorRoom(ctx);
    const shift = tx.getRoomShift(args.id);
    if (!shift || shift.room !== room) throw new MutationRejected(fr.room.shiftNotFound);
    openEventOfRoom(tx, ctx, shift.eventId);
    if (shift.cancelledAt) throw new MutationRejected(fr.room.shiftAlreadyCancelled);
    tx.putRoomShift({ ...shift, cancelledAt: ctx.at, cancelledBy: ctx.actor.displayName, version: 0 });
  }),
};
