/**
 * The allocation rounds' mutators (issue 9):
 * - `allocation.validate` (national cell only, from the session): recomputes the key from the
 *   inputs sent, applies the quotas chosen (never above the supply), writes the round (`FR`),
 *   one line per establishment (`E:<FINESS>`) and one consigne in the national event of the
 *   main courante, in one transaction;
 * - `allocation.confirm`: the establishment (or its PUI) confirms receipt of its own line,
 *   once, with who and when.
 * The same code runs on the workstation (its outbox) and on the server, which decides.
 */
import { fr } from '../../i18n/fr';
import { MutationRejected, mutatorsUsing } from '../../engine/mutation';
import type { EventLogTx } from '../eventlog/tx';
import { boardMessage, derivedMessageId, openEventReaching } from '../eventlog/boardLines';
import { adjustAllocation, adjustmentProblemText, allocate } from './allocation';
import { AllocationConfirmArgs, AllocationValidateArgs, roundLineId, type AllocationRound, type AllocationRoundLine } from './rounds';
import type { StocksTx } from './tx';

const define = mutatorsUsing<{ stocks: StocksTx; eventlog: EventLogTx }>('stocks', 'eventlog');

/** The consigne's id, derived from the round's: the workstation's run and the server's write the same message. */
export const roundMessageId = (roundId: string): string => derivedMessageId(roundId, 0xa110);

const parisDateTime = (iso: string): string =>
  new Date(iso).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export const roundMutators = {
  'allocation.validate': define(AllocationValidateArgs, ({ stocks: tx, eventlog }, args, ctx) => {
    if (ctx.actor.role.kind !== 'national') throw new MutationRejected(fr.allocationRounds.nationalOnly);
    if (tx.getRound(args.roundId)) throw new MutationRejected(fr.allocationRounds.roundExists);
    const products = tx.products();
    const p = products.presentation(args.cip13);
    if (!p) throw new MutationRejected(fr.stocks.unknownPresentation(args.cip13));
    const seen = new Set<string>();
    for (const l of args.lines) {
      if (seen.has(l.finess)) throw new MutationRejected(fr.allocationRounds.duplicateLine(l.finess));
      seen.add(l.finess);
      if (!ctx.territories.establishment(l.finess)) throw new MutationRejected(fr.stocks.unknownEstablishment(l.finess));
    }
    const event = openEventReaching(eventlog, ctx, 'FR');
    if (!event) throw new MutationRejected(fr.allocationRounds.noOpenEvent);

    // Same inputs, same figures: the key is recomputed here, never read from the payload.
    const proposal = allocate({
      supplyUnits: args.supplyUnits,
      mgPerUnit: p.mgPerUnit,
      weightByOccupancy: args.weightByOccupancy,
      lines: args.lines.map((l) => ({ finess: l.finess, onHandMg: l.onHandMg, dailyUseMg: l.dailyUseMg, targetDays: args.targetDays, covidOccupied: l.covidOccupied })),
    });
    const adjusted = adjustAllocation(
      proposal,
      args.lines.map((l) => ({ finess: l.finess, quota: l.quota })),
    );
    if (!adjusted.ok) throw new MutationRejected(adjustmentProblemText(adjusted.problems[0]));
    const final = new Map(adjusted.lines.map((l) => [l.finess, l]));

    const presentationLabel = p.label;
    const round: AllocationRound = {
      id: args.roundId,
      molecule: p.molecule,
      cip13: p.cip13,
      presentationLabel,
      mgPerUnit: p.mgPerUnit,
      targetDays: args.targetDays,
      parameters: proposal.parameters,
      totals: {
        supplyUnits: args.supplyUnits,
        needUnits: proposal.totals.needUnits,
        proposedUnits: proposal.totals.allocatedUnits,
        allocatedUnits: adjusted.allocatedUnits,
        leftUnits: adjusted.leftUnits,
        lines: proposal.lines.length,
        adjustedLines: adjusted.lines.filter((l) => l.adjusted).length,
        unknownNeedLines: proposal.totals.unknownNeedLines,
      },
      messageId: roundMessageId(args.roundId),
      validatedBy: ctx.actor.displayName,
      validatedRole: ctx.actor.roleText,
      validatedAt: ctx.at,
      version: 0,
    };
    tx.putRound(round);
    for (const figures of proposal.lines) {
      const a = final.get(figures.finess);
      const line: AllocationRoundLine = {
        id: roundLineId(args.roundId, figures.finess),
        roundId: args.roundId,
        finess: figures.finess,
        molecule: p.molecule,
        cip13: p.cip13,
        presentationLabel,
        mgPerUnit: p.mgPerUnit,
        figures,
        proposed: figures.quota,
        quota: a?.quota ?? figures.quota,
        adjusted: a?.adjusted ?? false,
        validatedBy: ctx.actor.displayName,
        validatedAt: ctx.at,
        confirmedBy: null,
        confirmedRole: null,
        confirmedAt: null,
        version: 0,
      };
      tx.putRoundLine(line);
    }
    const served = adjusted.lines.filter((l) => l.quota > 0).length;
    // No list: the level just below (the ARS) acknowledges, as a national consigne without one expects.
    eventlog.insertMessage(
      boardMessage(ctx, {
        id: round.messageId,
        eventId: event.id,
        territory: 'FR',
        kind: 'consigne',
        priority: 'important',
        body: fr.allocationRounds.consigne(products.molecule(p.molecule)?.label ?? p.molecule, presentationLabel, adjusted.allocatedUnits, args.supplyUnits, served, args.targetDays, args.weightByOccupancy),
      }),
    );
  }),

  'allocation.confirm': define(AllocationConfirmArgs, ({ stocks: tx }, args, ctx) => {
    const role = ctx.actor.role;
    // Only the addressee: an establishment account or its PUI, for its own line. Another
    // establishment's workstation never holds that line: it is « introuvable » to it either way.
    if (role.kind !== 'establishment') throw new MutationRejected(fr.allocationRounds.notYourLine);
    if (role.finess !== args.finess) throw new MutationRejected(fr.allocationRounds.notYourLine);
    const line = tx.getRoundLine(roundLineId(args.roundId, args.finess));
    if (!line) throw new MutationRejected(fr.allocationRounds.notFound);
    if (line.confirmedAt !== null) throw new MutationRejected(fr.allocationRounds.alreadyConfirmed(line.confirmedBy ?? '', parisDateTime(line.confirmedAt)));
    if (line.quota === 0) throw new MutationRejected(fr.allocationRounds.nothingToConfirm);
    tx.putRoundLine({ ...line, confirmedBy: ctx.actor.displayName, confirmedRole: ctx.actor.roleText, confirmedAt: ctx.at, version: 0 });
  }),
};
