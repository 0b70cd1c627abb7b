/**
 * The bed board's mutator: `unit.report`, a unit's new figures. Reports are a time series;
 * the current figures of a unit are its latest report by OBSERVATION time (between equal
 * times, the one the server applied last): a late report of older figures goes into the
 * history and leaves the current figures alone. History is kept.
 */
import { fr } from '../../i18n/fr';
import { isWithin } from '../../territory';
import { MutationRejected, mutatorsUsing, type MutationContext } from '../../engine/mutation';
import { JUMP_CONFIRM_THRESHOLD, OBSERVED_AHEAD_MS, UnitReportArgs, type ReportSource } from './model';
import { isEarlier } from './totals';
import { figureErrors, jumpFrom, needsJumpConfirmation, surgeOf } from './rules';
import type { BedsTx } from './tx';
import { unitType } from './unitTypes';

const define = mutatorsUsing<{ beds: BedsTx }>('beds');

/** The path of the register feed's reports (`MutationContext.via`), set by its HTTP route on the server only. */
export const VIA_FEED = 'feed';

/**
 * Where a report came from, as the server knows it: the register feed's route, a crisis
 * cell's push (it writes only by importing a register extract), an establishment's push (its
 * own declaration). Never the payload's word.
 */
function sourceOf(ctx: MutationContext): ReportSource {
  if (ctx.via === VIA_FEED) return 'feed';
  const kind = ctx.actor.role.kind;
  return kind === 'ars' || kind === 'national' ? 'import' : 'app';
}

/**
 * Who may report for an establishment, and through which path. `declared` is what the
 * client says it is doing: it can only restrict (a crisis cell's form entry is refused), never
 * grant anything.
 */
function checkReporter(ctx: MutationContext, finess: string, declared: ReportSource): void {
  const role = ctx.actor.role;
  if (role.kind === 'establishment') {
    // The hospital pharmacy reports its stocks, not the critical-care units' beds.
    if (role.pui) throw new MutationRejected(fr.beds.pharmacyNoBeds);
    if (role.finess !== finess) throw new MutationRejected(fr.beds.notYourEstablishment);
    return;
  }
  if (role.kind === 'ars' || role.kind === 'national') {
    // Crisis cells read the picture; they write it only by importing a register extract or
    // through a register feed, for establishments inside their territory.
    if (ctx.via !== VIA_FEED && declared === 'app') throw new MutationRejected(fr.beds.readOnlyRole);
    const path = ctx.territories.path(`E:${finess}`);
    if (!path || !isWithin(path, ctx.actor.territoryPath)) {
      throw new MutationRejected(fr.reject.territoryOutOfScope(ctx.territories.label(`E:${finess}`)));
    }
    return;
  }
  throw new MutationRejected(fr.beds.readOnlyRole);
}

export const bedMutators = {
  // Every refusal comes before the one write (`insertReport`): the register feed applies its
  // lines without a savepoint each on that promise (`ApplyInput.rejectsBeforeWriting`).
  'unit.report': define(UnitReportArgs, ({ beds: tx }, args, ctx) => {
    if (!unitType(args.unitType)) throw new MutationRejected(fr.beds.unknownUnitType(args.unitType));
    if (!ctx.territories.establishment(args.finess)) throw new MutationRejected(fr.beds.unknownEstablishment(args.finess));
    checkReporter(ctx, args.finess, args.source);
    const source = sourceOf(ctx);
    const errors = figureErrors(args);
    if (errors.length) throw new MutationRejected(errors.join(' '));
    const unitId = args.unitId ?? args.unitType;
    const at = args.observedAt ?? ctx.at;
    if (Date.parse(at) > Date.parse(ctx.at) + OBSERVED_AHEAD_MS) throw new MutationRejected(fr.beds.observedInFuture(at, ctx.at));
    const prev = tx.getCurrentReport(args.finess, unitId);
    if (prev && prev.unitType !== args.unitType) {
      throw new MutationRejected(fr.beds.unitTypeChanged(unitId, unitType(prev.unitType)?.label ?? prev.unitType));
    }
    // Older than the current figures: it goes into the history, and no jump is measured.
    const becomesCurrent = !prev || !isEarlier(at, prev.at);
    // A register feed is automated: nobody is there to confirm; its jumps are accepted.
    if (becomesCurrent && source !== 'feed' && !args.confirmJump && needsJumpConfirmation(prev, args)) {
      throw new MutationRejected(fr.beds.jumpNeedsConfirmation(jumpFrom(prev, args), JUMP_CONFIRM_THRESHOLD));
    }
    if (tx.getReport(args.id)) throw new MutationRejected(fr.beds.reportExists);
    tx.insertReport({
      id: args.id,
      finess: args.finess,
      unitId,
      unitName: args.unitName ?? prev?.unitName ?? null,
      unitType: args.unitType,
      installed: args.installed,
      staffed: args.staffed,
      available: args.available,
      covidPos: args.covidPos,
      covidNeg: args.covidNeg,
      extra24h: args.extra24h,
      extra72h: args.extra72h,
      // Said by the sender, or the staffed beds beyond the open installed ones: counted as surge.
      surge: args.surge ?? (surgeOf(args) > 0 ? surgeOf(args) : null),
      assignment: args.assignment,
      temporary: args.temporary,
      ror: args.ror && Object.keys(args.ror).length > 0 ? args.ror : null,
      comment: args.comment,
      source,
      reportedBy: ctx.actor.displayName,
      reportedRole: ctx.actor.roleText,
      at,
      // A form entry is observed as it is written; anything else without its own time is not.
      atKnown: args.observedAt !== null || source === 'app',
      version: 0,
    });
  }),
};
