/**
 * The ConsoleApi calls of regional redeployments on a workstation: the « Redéploiements » view
 * (`suggestRedeployment` over the région's current lines this cache holds, with the moves
 * still open counted on both sides, so a validated move is not suggested twice), the ARS's
 * validation (one mutation, all or nothing), a step of a move, and the moves of this user's
 * establishment. Mutations go through the outbox: the server decides, offline they wait.
 */
import { randomUUID } from 'node:crypto';
import type { RedeployMine, RedeploymentItem, RedeployView } from '../../common/domain/stocks/redeployApi';
import { suggestRedeployment, type RedeployEstablishment } from '../../common/domain/stocks/redeploy';
import { DEFAULT_REDEPLOY_THRESHOLDS, giverRefusal, isOpen, moleculeStockMg, redeployNextSteps, RedeployThresholdsSchema, type Redeployment } from '../../common/domain/stocks/redeployment';
import type { MoleculeCode } from '../../common/domain/stocks/products';
import type { StockLine } from '../../common/domain/stocks/model';
import type { Role, Territories } from '../../common/territory';
import type { ServiceContext } from '../context';
import { ApiError, queueMutation, type HandlerTable } from '../handlers';
import { loadMainProducts } from './products';

const stepMutation = { ship: 'redeployment.ship', receive: 'redeployment.receive', cancel: 'redeployment.cancel' } as const;

function regionOf(t: Territories, finess: string): string | undefined {
  const e = t.establishment(finess);
  return e ? t.departement(e.dep)?.region : undefined;
}

function items(rows: ReadonlyArray<{ row: Redeployment; pending: boolean }>, t: Territories, role: Role): RedeploymentItem[] {
  const products = loadMainProducts();
  return rows
    .map(({ row, pending }) => ({
      ...row,
      fromName: t.establishment(row.from)?.shortName ?? row.from,
      toName: t.establishment(row.to)?.shortName ?? row.to,
      presentationLabel: products.presentation(row.cip13)?.label ?? row.cip13,
      pending,
      next: redeployNextSteps(row, role),
      side: role.kind !== 'establishment' ? null : role.finess === row.from ? ('giver' as const) : role.finess === row.to ? ('receiver' as const) : null,
    }))
    .sort((a, b) => (a.proposed.at < b.proposed.at ? 1 : a.proposed.at > b.proposed.at ? -1 : a.id.localeCompare(b.id)));
}

export function registerRedeployHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('redeployments.view', (args): RedeployView => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    const role = s.actor.role;
    const products = loadMainProducts();
    const thresholds = RedeployThresholdsSchema.safeParse({ surplusDays: args.surplusDays ?? DEFAULT_REDEPLOY_THRESHOLDS.surplusDays, alertDays: args.alertDays ?? DEFAULT_REDEPLOY_THRESHOLDS.alertDays });
    if (!thresholds.success) throw new ApiError('bad_args', thresholds.error.issues[0]?.message ?? '');
    const { surplusDays, alertDays } = thresholds.data;
    const molecule: MoleculeCode = args.molecule ?? 'propofol';

    // Current lines by establishment, by région.
    const byFiness = new Map<string, StockLine[]>();
    for (const { line } of s.store.boards.stocks.currentLines()) {
      const list = byFiness.get(line.finess) ?? [];
      list.push(line);
      byFiness.set(line.finess, list);
    }
    const regionCodes = new Set<string>();
    for (const f of byFiness.keys()) {
      const r = regionOf(t, f);
      if (r) regionCodes.add(r);
    }
    const own = role.kind === 'ars' ? role.region : null;
    const regions = t
      .regionList()
      .filter((r) => (own ? r.code === own : regionCodes.has(r.code)))
      .map((r) => ({ code: r.code, name: r.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    const region = own ?? (args.region && regions.some((r) => r.code === args.region) ? args.region : (regions[0]?.code ?? null));
    const inRegion = [...byFiness.entries()].filter(([f]) => region !== null && regionOf(t, f) === region);

    // The molecule's presentations, with how many establishments of the région count each; the most counted by default.
    const counted = new Map<string, number>();
    for (const [, lines] of inRegion) for (const l of lines) if (l.molecule === molecule) counted.set(l.cip13, (counted.get(l.cip13) ?? 0) + 1);
    const presentations = products
      .of(molecule)
      .map((p) => ({ cip13: p.cip13, label: p.label, mgPerUnit: p.mgPerUnit, establishments: counted.get(p.cip13) ?? 0 }))
      .sort((a, b) => b.establishments - a.establishments || a.label.localeCompare(b.label, 'fr'));
    const cip13 = args.cip13 && presentations.some((p) => p.cip13 === args.cip13) ? args.cip13 : (presentations.find((p) => p.establishments > 0)?.cip13 ?? null);

    const all = s.store.boards.stocks.redeployments();
    const regionMoves = all.filter(({ row }) => row.region === region);
    let suggestion: RedeployView['suggestion'] = null;
    const presentation = cip13 ? products.presentation(cip13) : undefined;
    if (region && presentation) {
      // Open moves already validated count on both sides: units promised leave the giver, arrive at the receiver.
      const openMg = new Map<string, number>();
      for (const { row } of regionMoves) {
        if (!isOpen(row) || row.molecule !== molecule) continue;
        const mg = row.units * (products.presentation(row.cip13)?.mgPerUnit ?? 0);
        openMg.set(row.from, (openMg.get(row.from) ?? 0) - mg);
        openMg.set(row.to, (openMg.get(row.to) ?? 0) + mg);
      }
      const input: RedeployEstablishment[] = [];
      for (const [finess, lines] of inRegion) {
        if (!lines.some((l) => l.molecule === molecule)) continue;
        const e = t.establishment(finess);
        const { onHandMg, dailyMg } = moleculeStockMg(lines, molecule, products);
        input.push({
          finess,
          lat: e?.lat ?? null,
          lon: e?.lon ?? null,
          onHand: Math.max(0, onHandMg + (openMg.get(finess) ?? 0)) / presentation.mgPerUnit,
          dailyUse: dailyMg === null ? null : dailyMg / presentation.mgPerUnit,
        });
      }
      const out = suggestRedeployment(input, { surplusDays, alertDays });
      const name = (f: string) => t.establishment(f)?.shortName ?? f;
      // Each move checked as the mutator will, counting the moves suggested before it from the same giver.
      const before: Redeployment[] = [];
      const checkedMoves = out.moves.map((m) => {
        const problem = giverRefusal({
          giverName: name(m.from),
          lines: byFiness.get(m.from) ?? [],
          open: [...regionMoves.map((r) => r.row).filter((r) => isOpen(r) && r.from === m.from), ...before],
          giver: m.from,
          cip13: presentation.cip13,
          units: m.units,
          surplusDays,
          products,
        });
        before.push({ ...m, id: '', region: region, molecule, cip13: presentation.cip13, state: 'propose', surplusDays, alertDays, proposed: { by: '', role: '', at: '' }, shipped: null, received: null, cancelled: null, version: 0 });
        return { ...m, fromName: name(m.from), toName: name(m.to), problem };
      });
      suggestion = {
        moves: checkedMoves,
        unmet: out.unmet.map((u) => ({ ...u, name: name(u.finess) })),
        unknown: out.unknown.map((f) => ({ finess: f, name: name(f) })),
        totals: out.totals,
      };
    }
    return {
      canPropose: role.kind === 'ars' && role.region === region,
      regions,
      region,
      molecule,
      presentations,
      cip13,
      surplusDays,
      alertDays,
      suggestion,
      moves: items(regionMoves, t, role),
    };
  });

  table.register('redeployments.propose', ({ cip13, surplusDays, alertDays, moves }) =>
    queueMutation(ctx, 'redeployment.propose', { cip13, surplusDays, alertDays, moves: moves.map((m) => ({ id: randomUUID(), ...m })) }, ['redeployment']),
  );

  // A receipt also writes stock lines: the board's grid re-reads.
  table.register('redeployments.step', ({ id, step }) => queueMutation(ctx, stepMutation[step], { id }, step === 'receive' ? ['redeployment', 'stockLine'] : ['redeployment'], id));

  table.register('redeployments.mine', (): RedeployMine => {
    const s = ctx.session.requireActive();
    const role = s.actor.role;
    if (role.kind === 'ars' || role.kind === 'national') return { scope: 'region', moves: [] };
    if (role.kind !== 'establishment') return { scope: 'none', moves: [] };
    return { scope: 'establishment', moves: items(s.store.boards.stocks.redeployments(role.finess), ctx.territories(), role) };
  });
}

