/**
 * The transfers board's mutators: a transfer's creation and each step of its state machine
 * (`rules.ts`), and the bed hold an acceptance places. The same code runs on a workstation
 * (its outbox) and on the server, which decides: two regulators accepting the last free bed
 * of a unit at the same moment are applied one after the other in the server's transaction,
 * and the second is refused with the reason and told to propose another destination.
 */
import { fr } from '../../i18n/fr';
import { sameBranch } from '../../territory';
import { MutationRejected, mutatorsUsing, type MutationContext } from '../../engine/mutation';
import type { BedsTx } from '../beds/tx';
import type { EventLogTx } from '../eventlog/tx';
import { journal, stepLine } from './journal';
import { unitLabel } from '../beds/unitTypes';
import { holdTakesBed } from './holds';
import {
  NEEDS,
  TransferAcceptArgs,
  TransferCreateArgs,
  TransferOrganizeArgs,
  TransferProposeArgs,
  TransferReasonArgs,
  TransferStepArgs,
  TransferSummaryArgs,
  summaryParties,
  transferNumber,
  type Transfer,
  type TransferState,
} from './model';
import { stepRefusal, type TransferStepName } from './rules';
import type { TransfersTx } from './tx';

const define = mutatorsUsing<{ transfers: TransfersTx; beds: BedsTx; eventlog: EventLogTx }>('transfers', 'beds', 'eventlog');

/** The transfer, if it exists and the actor is on the branch of one of its establishments; else « introuvable » (nothing leaks). */
export function visible(tx: TransfersTx, ctx: MutationContext, id: string): Transfer {
  const t = tx.getTransfer(id);
  if (!t) throw new MutationRejected(fr.transfers.notFound);
  const paths = [t.originFiness, t.destFiness].filter((f): f is string => f !== null).map((f) => ctx.territories.path(`E:${f}`));
  if (!paths.some((p) => p !== null && sameBranch(p, ctx.actor.territoryPath))) throw new MutationRejected(fr.transfers.notFound);
  return t;
}

/** Checks the step, then writes the transfer in its new state with a timeline line, and its line in the parties' main courante. */
function step(
  tx: TransfersTx,
  eventlog: EventLogTx,
  ctx: MutationContext,
  t: Transfer,
  name: TransferStepName,
  to: TransferState,
  comment: string,
  patch: Partial<Transfer> = {},
  holdUntil?: string,
): Transfer {
  const refusal = stepRefusal(name, t, ctx.actor.role);
  if (refusal) throw new MutationRejected(refusal);
  const next: Transfer = {
    ...t,
    ...patch,
    state: to,
    steps: [...t.steps, { state: to, at: ctx.at, by: ctx.actor.displayName, byRole: ctx.actor.roleText, comment }],
    updatedAt: ctx.at,
    version: 0,
  };
  tx.putTransfer(next);
  const line = stepLine(next, ctx, holdUntil);
  journal(eventlog, ctx, next, line.body, line.priority);
  return next;
}

/**
 * Logs the clinical summary again to the transfer's parties as they are now (after a
 * destination is proposed or assigned), so a new destination and its SAMU receive it. A
 * process that does not hold the summary (a workstation whose user is not a party) writes
 * nothing: the server, which holds every summary, does.
 */
export function relogSummary(tx: TransfersTx, ctx: MutationContext, t: Transfer): void {
  const s = tx.getSummary(t.id);
  if (s) tx.putSummary({ ...s, parties: summaryParties(t, ctx.territories), version: 0 });
}

const simple = (name: TransferStepName, to: TransferState) =>
  define(TransferStepArgs, ({ transfers: tx, eventlog }, args, ctx) => {
    step(tx, eventlog, ctx, visible(tx, ctx, args.id), name, to, args.comment);
  });

export const transferMutators = {
  'transfer.create': define(TransferCreateArgs, ({ transfers: tx, eventlog }, args, ctx) => {
    if (tx.getTransfer(args.id)) throw new MutationRejected(fr.transfers.exists);
    const origin = ctx.territories.establishment(args.originFiness);
    if (!origin) throw new MutationRejected(fr.transfers.unknownEstablishment(args.originFiness));
    const role = ctx.actor.role;
    const mayRequest = (role.kind === 'establishment' && !role.pui && role.finess === args.originFiness) || (role.kind === 'samu' && role.dep === origin.dep);
    if (!mayRequest) throw new MutationRejected(fr.transfers.notOriginSide);
    const state: TransferState = args.draft ? 'brouillon' : 'demande';
    const created: Transfer = {
      id: args.id,
      number: transferNumber(args.id),
      patient: args.patient,
      originFiness: args.originFiness,
      originUnitId: args.originUnitId,
      samu: `D:${origin.dep}`,
      urgency: args.urgency,
      transport: args.transport,
      destFiness: null,
      destUnitId: null,
      destUnitType: null,
      state,
      reason: null,
      holdId: null,
      steps: [{ state, at: ctx.at, by: ctx.actor.displayName, byRole: ctx.actor.roleText, comment: args.comment }],
      createdAt: ctx.at,
      createdBy: ctx.actor.displayName,
      updatedAt: ctx.at,
      version: 0,
    };
    tx.putTransfer(created);
    // Written by the same mutation as the transfer: offline, the draft and its summary wait together.
    tx.putSummary({ transferId: created.id, summary: args.summary, parties: summaryParties(created, ctx.territories), updatedAt: ctx.at, updatedBy: ctx.actor.displayName, version: 0 });
    const line = stepLine(created, ctx);
    journal(eventlog, ctx, created, line.body, line.priority);
  }),

  'transfer.submit': simple('submit', 'demande'),

  'transfer.propose': define(TransferProposeArgs, ({ transfers: tx, beds, eventlog }, args, ctx) => {
    const t = visible(tx, ctx, args.id);
    const refusal = stepRefusal('propose', t, ctx.actor.role);
    if (refusal) throw new MutationRejected(refusal);
    if (args.destFiness === t.originFiness) throw new MutationRejected(fr.transfers.sameEstablishment);
    const dest = ctx.territories.establishment(args.destFiness);
    if (!dest) throw new MutationRejected(fr.transfers.unknownEstablishment(args.destFiness));
    const unit = beds.getCurrentReport(args.destFiness, args.destUnitId);
    if (!unit) throw new MutationRejected(fr.transfers.unknownUnit(args.destUnitId, dest.name));
    if (!(NEEDS[t.patient.need] as readonly string[]).includes(unit.unitType)) {
      throw new MutationRejected(fr.transfers.needMismatch(unitLabel(unit), fr.transfers.need[t.patient.need]));
    }
    const next = step(tx, eventlog, ctx, t, 'propose', 'propose', args.comment, {
      destFiness: args.destFiness,
      destUnitId: args.destUnitId,
      destUnitType: unit.unitType,
      transport: args.transport ?? t.transport,
      reason: null,
    });
    relogSummary(tx, ctx, next);
  }),

  /** A new text of the clinical summary: the origin establishment or the requesting SAMU, for the parties. */
  'transfer.summary': define(TransferSummaryArgs, ({ transfers: tx }, args, ctx) => {
    const t = visible(tx, ctx, args.id);
    const role = ctx.actor.role;
    const mayEdit = (role.kind === 'establishment' && !role.pui && role.finess === t.originFiness) || (role.kind === 'samu' && `D:${role.dep}` === t.samu);
    if (!mayEdit) throw new MutationRejected(fr.transfers.summaryNotOriginSide);
    if (t.state === 'arrive' || t.state === 'annule') throw new MutationRejected(fr.transfers.summaryClosed(fr.transfers.state[t.state]));
    tx.putSummary({ transferId: t.id, summary: args.summary, parties: summaryParties(t, ctx.territories), updatedAt: ctx.at, updatedBy: ctx.actor.displayName, version: 0 });
  }),

  'transfer.accept': define(TransferAcceptArgs, ({ transfers: tx, beds, eventlog }, args, ctx) => {
    const t = visible(tx, ctx, args.id);
    const refusal = stepRefusal('accept', t, ctx.actor.role);
    if (refusal) throw new MutationRejected(refusal);
    if (tx.getHold(args.holdId)) throw new MutationRejected(fr.transfers.holdMismatch);
    const finess = t.destFiness as string;
    const unitId = t.destUnitId as string;
    const unit = beds.getCurrentReport(finess, unitId);
    const name = ctx.territories.establishment(finess)?.shortName ?? finess;
    if (!unit) throw new MutationRejected(fr.transfers.unknownUnit(unitId, name));
    // The server's transaction serialises accepts: the holds counted here include the one
    // another regulator placed an instant before.
    const at = Date.parse(ctx.at);
    const held = tx.holdsOn(finess, unitId).filter((h) => holdTakesBed(h, at, unit.at)).length;
    if (unit.available - held <= 0) throw new MutationRejected(fr.transfers.noBedLeft(unitLabel(unit), name, unit.available, held));
    const expiresAt = new Date(at + args.holdHours * 3_600_000).toISOString();
    tx.putHold({
      id: args.holdId,
      transferId: t.id,
      finess,
      unitId,
      unitType: unit.unitType,
      state: 'active',
      placedAt: ctx.at,
      expiresAt,
      endedAt: null,
      version: 0,
    });
    step(tx, eventlog, ctx, t, 'accept', 'accepte', args.comment, { holdId: args.holdId, holdExpiresAt: expiresAt }, expiresAt);
  }),

  'transfer.refuse': define(TransferReasonArgs, ({ transfers: tx, eventlog }, args, ctx) => {
    step(tx, eventlog, ctx, visible(tx, ctx, args.id), 'refuse', 'refuse', args.reason, { reason: args.reason });
  }),

  'transfer.organize': define(TransferOrganizeArgs, ({ transfers: tx, eventlog }, args, ctx) => {
    step(tx, eventlog, ctx, visible(tx, ctx, args.id), 'organize', 'transport', args.comment, { transport: args.transport });
  }),

  'transfer.depart': simple('depart', 'en_route'),

  'transfer.arrive': define(TransferStepArgs, ({ transfers: tx, eventlog }, args, ctx) => {
    const t = step(tx, eventlog, ctx, visible(tx, ctx, args.id), 'arrive', 'arrive', args.comment);
    const h = t.holdId ? tx.getHold(t.holdId) : undefined;
    // The held bed becomes an occupied one (until the unit's next report counts the patient).
    if (h) tx.putHold({ ...h, state: 'arrived', endedAt: ctx.at, version: 0 });
  }),

  'transfer.cancel': define(TransferReasonArgs, ({ transfers: tx, eventlog }, args, ctx) => {
    const t = step(tx, eventlog, ctx, visible(tx, ctx, args.id), 'cancel', 'annule', args.reason, { reason: args.reason });
    const h = t.holdId ? tx.getHold(t.holdId) : undefined;
    if (h && h.state === 'active') tx.putHold({ ...h, state: 'released', endedAt: ctx.at, version: 0 });
  }),
};
