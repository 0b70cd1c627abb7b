/**
 * The line a transfer's step leaves in the main courante of its parties (issue 8): written by
 * the step's own mutator, in the same transaction, into the most recently opened event that
 * reaches the line's territory (the requesting SAMU's département, and the destination's when
 * it is another). No open event: no line. Ids are derived from the transfer's, so the
 * workstation's own run and the server's write the same message. Runs anywhere.
 */
import { fr } from '../../i18n/fr';
import type { MutationContext } from '../../engine/mutation';
import { boardMessage, derivedMessageId, openEventReaching } from '../eventlog/boardLines';
import type { EventLogTx } from '../eventlog/tx';
import type { Priority } from '../eventlog/model';
import type { Transfer } from './model';

/** A message id derived from the transfer's (or operation's) id and `n`. */
export const journalLineId = derivedMessageId;

/** « 14:30 » in Paris time, the same on every machine. */
export function parisTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
}

/** Writes one information at `territory` into the most recently opened event that reaches it (none: nothing). */
export function journalAt(eventlog: EventLogTx, ctx: MutationContext, territory: string, id: string, body: string, priority: Priority): void {
  const event = openEventReaching(eventlog, ctx, territory);
  if (event) eventlog.insertMessage(boardMessage(ctx, { id, eventId: event.id, territory, kind: 'information', priority, body }));
}

/** Writes `body` as an information of the parties' départements into the open event that reaches them. */
export function journal(eventlog: EventLogTx, ctx: MutationContext, t: Transfer, body: string, priority: Priority = 'info', seq = t.steps.length): void {
  const destDep = t.destFiness ? ctx.territories.establishment(t.destFiness)?.dep : undefined;
  const territories = [...new Set([t.samu, ...(destDep ? [`D:${destDep}`] : [])])];
  territories.forEach((territory, i) => journalAt(eventlog, ctx, territory, journalLineId(t.id, seq * 4 + i), body, priority));
}

/** The line of the step `t` just reached. */
export function stepLine(t: Transfer, ctx: MutationContext, holdUntil?: string): { body: string; priority: Priority } {
  const j = fr.transfers.journal;
  const origin = ctx.territories.establishment(t.originFiness)?.shortName ?? t.originFiness;
  const dest = t.destFiness ? (ctx.territories.establishment(t.destFiness)?.shortName ?? t.destFiness) : '';
  switch (t.state) {
    case 'brouillon':
      return { body: j.brouillon(t.number), priority: 'info' };
    case 'demande':
      return { body: j.demande(t.number, fr.transfers.need[t.patient.need], origin, fr.transfers.urgency[t.urgency]), priority: t.urgency === 'immediate' ? 'important' : 'info' };
    case 'propose':
      return { body: j.propose(t.number, dest, t.destUnitId ?? ''), priority: 'info' };
    case 'accepte':
      return { body: j.accepte(t.number, dest, holdUntil ? parisTime(holdUntil) : ''), priority: 'info' };
    case 'refuse':
      return { body: j.refuse(t.number, dest, t.reason ?? ''), priority: 'important' };
    case 'transport':
      return { body: j.transport(t.number, t.transport ? fr.transfers.transport[t.transport] : ''), priority: 'info' };
    case 'en_route':
      return { body: j.en_route(t.number, dest), priority: 'info' };
    case 'arrive':
      return { body: j.arrive(t.number, dest), priority: 'info' };
    case 'annule':
      return { body: j.annule(t.number, t.reason ?? ''), priority: 'important' };
  }
}
