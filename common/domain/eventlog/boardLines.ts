/**
 * Lines other boards' mutators write into the main courante, in the same transaction as their
 * own rows (a transfer's step, an operation, a national allocation round): the open event
 * they go into, the message itself, and ids derived from the writing row's, so that the
 * workstation's own run and the server's write the same message. Runs anywhere.
 */
import { isWithin, type TerritoryKey } from '../../territory';
import type { MutationContext } from '../../engine/mutation';
import { levelOf, type Message, type MessageKind, type Priority } from './model';
import type { EventLogTx } from './tx';

/** A UUID made of `baseId` with its last 16 bits replaced by `n`. */
export function derivedMessageId(baseId: string, n: number): string {
  const hex = baseId.replace(/-/g, '');
  const tail = `${hex.slice(20, 28)}${(n & 0xffff).toString(16).padStart(4, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${tail}`;
}

/** The most recently opened event whose territory reaches `territory` (a line there is on its branch), or undefined. */
export function openEventReaching(eventlog: EventLogTx, ctx: MutationContext, territory: TerritoryKey) {
  const path = ctx.territories.path(territory);
  if (!path) return undefined;
  return eventlog.openEvents().find((e) => {
    const ep = ctx.territories.path(e.territory);
    return ep !== null && isWithin(path, ep);
  });
}

/** A message the acting user's mutator writes at `territory` in `eventId` (no list, no correction). */
export function boardMessage(
  ctx: MutationContext,
  line: { id: string; eventId: string; territory: TerritoryKey; kind: MessageKind; priority: Priority; body: string },
): Message {
  return {
    ...line,
    level: levelOf(line.territory) ?? 'local',
    authorId: ctx.actor.userId,
    authorName: ctx.actor.displayName,
    authorRole: ctx.actor.roleText,
    at: ctx.at,
    replaces: null,
    corrects: null,
    ackList: null,
    receivedAt: null,
    version: 0,
  };
}
