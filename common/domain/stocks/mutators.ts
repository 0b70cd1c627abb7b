/**
 * The stocks board's mutator: `stock.report`, one establishment's count of one or several
 * presentations at one time, all or nothing (a line refused refuses the report: the engine
 * runs each mutation in its own savepoint).
 *
 * Who reports: the establishment's pharmacy (role `pui:<FINESS>`) for its own establishment;
 * the national cell may correct any establishment's stock, saying why. Everyone else reads.
 * The server decides from the authenticated role, never from the payload.
 */
import { fr } from '../../i18n/fr';
import { MutationRejected, mutatorsUsing, type MutationContext } from '../../engine/mutation';
import { COUNTED_AHEAD_MS, StockReportArgs, type StockSource } from './model';
import type { StocksTx } from './tx';
import { redeploymentMutators } from './redeployMutators';

const define = mutatorsUsing<{ stocks: StocksTx }>('stocks');

/** The source of a report as the server knows it, or a French refusal. */
export function stockReporter(ctx: Pick<MutationContext, 'actor'>, finess: string): StockSource {
  const role = ctx.actor.role;
  if (role.kind === 'establishment' && role.pui) {
    if (role.finess !== finess) throw new MutationRejected(fr.stocks.notYourEstablishment);
    return 'pui';
  }
  if (role.kind === 'national') return 'correction';
  throw new MutationRejected(fr.stocks.notPui);
}

export const stockMutators = {
  'stock.report': define(StockReportArgs, ({ stocks: tx }, args, ctx) => {
    if (!ctx.territories.establishment(args.finess)) throw new MutationRejected(fr.stocks.unknownEstablishment(args.finess));
    const source = stockReporter(ctx, args.finess);
    if (source === 'correction' && args.comment.length < 3) throw new MutationRejected(fr.stocks.correctionNeedsComment);
    const at = args.at ?? ctx.at;
    if (Date.parse(at) > Date.parse(ctx.at) + COUNTED_AHEAD_MS) throw new MutationRejected(fr.stocks.countedInFuture(at, ctx.at));
    const products = tx.products();
    for (const l of args.lines) {
      const p = products.presentation(l.cip13);
      if (!p) throw new MutationRejected(fr.stocks.unknownPresentation(l.cip13));
      if (tx.getLine(l.id)) throw new MutationRejected(fr.stocks.lineExists);
      tx.insertLine({
        id: l.id,
        finess: args.finess,
        cip13: l.cip13,
        molecule: p.molecule,
        onHand: l.onHand,
        used7d: l.used7d,
        dailyUse: l.dailyUse,
        daysOut: l.daysOut,
        delivered: l.delivered,
        comment: args.comment,
        source,
        reportedBy: ctx.actor.displayName,
        reportedRole: ctx.actor.roleText,
        at,
        version: 0,
      });
    }
  }),
  ...redeploymentMutators,
};
