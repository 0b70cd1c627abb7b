/**
 * The bed board's mutator: `unit.report`, a unit's new figures. Reports are a time series;
 * the current figures of a unit are its latest report in SERVER order (latest-report-wins):
 * two reports in flight resolve to the one the server applied last. History is kept.
 */
import { fr } from '../../i18n/fr';
import { isWithin } from '../../territory';
import { MutationRejected, mutatorsUsing, type MutationContext } from '../../engine/mutation';
import { JUMP_CONFIRM_THRESHOLD, UnitReportArgs, type ReportSource } from './model';
import { figureErrors, jumpFrom, needsJumpConfirmation } from './rules';
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
  'unit.report': define(UnitReportArgs, ({ beds: tx }, args, ctx) => {
    if (!unitType(args.unitType)) throw new MutationRejected(fr.beds.unknownUnitType(args.unitType));
    if (!ctx.territories.establishment(args.finess)) throw new MutationRejected(fr.beds.unknownEstablishment(args.finess));
    checkReporter(ctx, args.finess, args.source);
    const source = sourceOf(ctx);
    const errors = figureErrors(args);
    if (errors.length) throw new MutationRejected(errors.join(' '));
    const prev = tx.getCurrentReport(args.finess, args.unitType);
    // A register feed is automated: nobody is there to confirm; its jumps are accepted.
    if (source !== 'feed' && !args.confirmJump && needsJumpConfirmation(prev, args)) {
      throw new MutationRejected(fr.beds.jumpNeedsConfirmation(jumpFrom(prev, args), JUMP_CONFIRM_THRESHOLD));
    }
    if (tx.getReport(args.id)) throw new MutationRejected(fr.beds.reportExists);
    tx.insertReport({
      id: args.id,
      finess: args.finess,
      unitType: args.unitType,
      installed: args.installed,
      staffed: args.staffed,
      available: args.available,
      covidPos: args.covidPos,
      covidNeg: args.covidNeg,
      extra24h: args.extra24h,
      extra72h: args.extra72h,
      comment: args.comment,
      source,
      reportedBy: ctx.actor.displayName,
      reportedRole: ctx.actor.roleText,
      at: ctx.at,
      version: 0,
    });
  }),
};
