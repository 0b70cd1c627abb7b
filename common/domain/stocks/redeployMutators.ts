/**
 * The mutators of regional redeployments (issue 9): `redeployment.propose` (the ARS of the
 * région), `redeployment.ship` (the giver), `redeployment.receive` (the receiver: the stock of
 * both sides follows, exactly once), `redeployment.cancel` (the ARS, before receipt). Who acts
 * is read from the authenticated role, never from the payload; the rules are in
 * `redeployment.ts`.
 */
import { fr } from '../../i18n/fr';
import { MutationRejected, mutatorsUsing, type MutationContext } from '../../engine/mutation';
import { greatCircleKm } from '../transfers/travel';
import {
  giverRefusal,
  isOpen,
  receiptLines,
  redeployStepRefusal,
  RedeployProposeArgs,
  RedeployStepArgs,
  REDEPLOY_STEP_RULES,
  type Redeployment,
  type RedeployStepName,
} from './redeployment';
import type { StocksTx } from './tx';

const define = mutatorsUsing<{ stocks: StocksTx }>('stocks');

const stepBy = (ctx: MutationContext) => ({ by: ctx.actor.displayName, role: ctx.actor.roleText, at: ctx.at });

function load(tx: StocksTx, id: string): Redeployment {
  const r = tx.getRedeployment(id);
  if (!r) throw new MutationRejected(fr.redeploy.unknown);
  return r;
}

function step(tx: StocksTx, name: RedeployStepName, id: string, ctx: MutationContext): Redeployment {
  const r = load(tx, id);
  const refusal = redeployStepRefusal(name, r, ctx.actor.role);
  if (refusal) throw new MutationRejected(refusal);
  return { ...r, state: REDEPLOY_STEP_RULES[name].to };
}

export const redeploymentMutators = {
  'redeployment.propose': define(RedeployProposeArgs, ({ stocks: tx }, args, ctx) => {
    const role = ctx.actor.role;
    if (role.kind !== 'ars') throw new MutationRejected(fr.redeploy.notArs);
    const t = ctx.territories;
    const products = tx.products();
    const p = products.presentation(args.cip13);
    if (!p) throw new MutationRejected(fr.stocks.unknownPresentation(args.cip13));
    const place = (finess: string) => {
      const e = t.establishment(finess);
      if (!e) throw new MutationRejected(fr.stocks.unknownEstablishment(finess));
      if (t.departement(e.dep)?.region !== role.region) throw new MutationRejected(fr.redeploy.outsideRegion(e.shortName));
      return e;
    };
    // Every move is checked before any is written (all or nothing even outside the engine's
    // savepoint); the moves checked before it in this proposal count as open, so several moves
    // from one giver keep its threshold together.
    const checked: Redeployment[] = [];
    for (const m of args.moves) {
      const from = place(m.from);
      const to = place(m.to);
      if (m.from === m.to) throw new MutationRejected(fr.redeploy.sameEstablishment);
      if (tx.getRedeployment(m.id) || checked.some((c) => c.id === m.id)) throw new MutationRejected(fr.redeploy.exists);
      const refusal = giverRefusal({
        giverName: from.shortName,
        lines: tx.currentLines(m.from),
        open: [...tx.redeploymentsOf(m.from).filter(isOpen), ...checked],
        giver: m.from,
        cip13: args.cip13,
        units: m.units,
        surplusDays: args.surplusDays,
        products,
      });
      if (refusal) throw new MutationRejected(refusal);
      const km = greatCircleKm(from, to);
      checked.push({
        id: m.id,
        region: role.region,
        molecule: p.molecule,
        cip13: args.cip13,
        from: m.from,
        to: m.to,
        units: m.units,
        state: 'propose',
        distanceKm: km === null ? null : Math.round(km * 10) / 10,
        surplusDays: args.surplusDays,
        alertDays: args.alertDays,
        proposed: stepBy(ctx),
        shipped: null,
        received: null,
        cancelled: null,
        version: 0,
      });
    }
    for (const r of checked) tx.putRedeployment(r);
  }),

  'redeployment.ship': define(RedeployStepArgs, ({ stocks: tx }, args, ctx) => {
    tx.putRedeployment({ ...step(tx, 'ship', args.id, ctx), shipped: stepBy(ctx) });
  }),

  /**
   * Receipt: the move becomes `recu` and both sides' stock follows, in the same transaction.
   * A move already received is left as it is and nothing is written again (a second receipt,
   * from another workstation or a retry, applies nothing).
   */
  'redeployment.receive': define(RedeployStepArgs, ({ stocks: tx }, args, ctx) => {
    const current = load(tx, args.id);
    if (current.state === 'recu' && current.to === (ctx.actor.role.kind === 'establishment' ? ctx.actor.role.finess : null)) return;
    const r = step(tx, 'receive', args.id, ctx);
    const who = { by: ctx.actor.displayName, role: ctx.actor.roleText };
    const giverLine = tx.currentLines(r.from).find((l) => l.cip13 === r.cip13);
    const receiverLine = tx.currentLines(r.to).find((l) => l.cip13 === r.cip13);
    const lines = receiptLines(r, giverLine, receiverLine, ctx.at, who);
    for (const l of [lines.giver, lines.receiver]) {
      if (l && !tx.getLine(l.id)) tx.insertLine(l);
    }
    tx.putRedeployment({ ...r, received: stepBy(ctx) });
  }),

  'redeployment.cancel': define(RedeployStepArgs, ({ stocks: tx }, args, ctx) => {
    tx.putRedeployment({ ...step(tx, 'cancel', args.id, ctx), cancelled: stepBy(ctx) });
  }),
};
