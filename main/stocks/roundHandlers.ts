/**
 * The allocation rounds' ConsoleApi calls. `allocations.propose` reads the inputs of the key
 * from this workstation's cache: each establishment's current stock of the molecule in mg and
 * its daily use (`moleculeTotals`, the board's own arithmetic), and its COVID+ occupied
 * critical-care beds from the bed board's current units (sum of `covidPos` over its units;
 * null when it has no unit or none says). `allocations.validate` queues the round with those
 * inputs and the quotas chosen (the mutator recomputes the figures); `allocations.confirm`
 * queues an establishment's receipt.
 */
import { randomUUID } from 'node:crypto';
import { allocate } from '../../common/domain/stocks/allocation';
import { moleculeTotals } from '../../common/domain/stocks/cover';
import type { StockLine } from '../../common/domain/stocks/model';
import { MOLECULES } from '../../common/domain/stocks/products';
import type { StockExportFile } from '../../common/domain/stocks/ioApi';
import type { AllocationProposalView, PlaceName, RoundLineView, RoundView, RoundsView } from '../../common/domain/stocks/roundsApi';
import { fr } from '../../common/i18n/fr';
import type { ServiceContext } from '../context';
import { ApiError, queueMutation, type HandlerTable } from '../handlers';
import { roundExportFileName, roundTables, tableToCsv, tablesToXlsx } from './export';
import { loadMainProducts } from './products';
import { RoundQueries } from './rounds';

export function registerRoundHandlers(table: HandlerTable, ctx: ServiceContext): void {
  const place = (finess: string): PlaceName => {
    const t = ctx.territories();
    const e = t.establishment(finess);
    const dep = e ? t.departement(e.dep) : undefined;
    return { name: e?.shortName ?? finess, dep: e?.dep ?? '', regionName: (dep ? t.region(dep.region)?.name : undefined) ?? '' };
  };

  function roundsView(): RoundsView {
    const s = ctx.session.requireActive();
    const role = s.actor.role;
    const q = new RoundQueries(s.store);
    const confirmFor = role.kind === 'establishment' ? role.finess : null;
    const linesByRound = new Map<string, RoundLineView[]>();
    for (const { row, pending } of q.lines()) {
      const list = linesByRound.get(row.roundId) ?? [];
      list.push({ ...row, ...place(row.finess), pending });
      linesByRound.set(row.roundId, list);
    }
    const rounds: RoundView[] = [];
    for (const { row, pending } of q.rounds()) {
      const lines = (linesByRound.get(row.id) ?? []).sort((a, b) => a.regionName.localeCompare(b.regionName, 'fr') || a.dep.localeCompare(b.dep) || a.name.localeCompare(b.name, 'fr'));
      // Below the national cell, a round shows where the user sees one of its lines (an
      // establishment: its own; an ARS or a SAMU: its territory's), not every national round.
      if (role.kind !== 'national' && lines.length === 0) continue;
      const toConfirm = lines.filter((l) => l.quota > 0);
      rounds.push({ round: row, lines, confirmed: toConfirm.filter((l) => l.confirmedAt !== null).length, toConfirm: toConfirm.length, pending });
    }
    rounds.sort((a, b) => Date.parse(b.round.validatedAt) - Date.parse(a.round.validatedAt) || (a.round.id < b.round.id ? -1 : 1));
    const products = loadMainProducts();
    return {
      national: role.kind === 'national',
      confirmFor,
      molecules: role.kind === 'national' ? MOLECULES.map((m) => ({ ...m, presentations: products.of(m.code).filter((p) => p.marketed) })) : [],
      rounds,
    };
  }

  table.register('allocations.view', roundsView);

  table.register('allocations.export', async ({ roundId, format }): Promise<StockExportFile> => {
    const r = roundsView().rounds.find((x) => x.round.id === roundId);
    if (!r) throw new ApiError('bad_args', fr.stockIo.round.unknownRound);
    const label = MOLECULES.find((m) => m.code === r.round.molecule)?.label ?? r.round.molecule;
    const { summary, lines } = roundTables(r, label);
    const fileName = roundExportFileName(r, format);
    if (format === 'csv') return { fileName, mimeType: 'text/csv;charset=utf-8', contentBase64: Buffer.from(tableToCsv(lines), 'utf8').toString('base64') };
    return { fileName, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', contentBase64: (await tablesToXlsx([summary, lines])).toString('base64') };
  });

  table.register('allocations.propose', ({ cip13, supplyUnits, targetDays, weightByOccupancy }): AllocationProposalView => {
    const s = ctx.session.requireActive();
    if (s.actor.role.kind !== 'national') throw new ApiError('rejected', fr.allocationRounds.nationalOnly);
    const products = loadMainProducts();
    const p = products.presentation(cip13);
    if (!p) throw new ApiError('bad_args', fr.stocks.unknownPresentation(cip13));
    const thresholds = s.store.boards.stocks.settings();
    const byFiness = new Map<string, StockLine[]>();
    for (const { line } of s.store.boards.stocks.currentLines()) {
      if (line.molecule !== p.molecule) continue;
      const list = byFiness.get(line.finess) ?? [];
      list.push(line);
      byFiness.set(line.finess, list);
    }
    const covid = new Map<string, number>();
    for (const u of s.store.boards.beds.listUnits()) {
      if (u.covidPos === null || u.covidPos === undefined) continue;
      covid.set(u.finess, (covid.get(u.finess) ?? 0) + u.covidPos);
    }
    const t = ctx.territories();
    const inputs = [...byFiness]
      .filter(([finess]) => t.establishment(finess) !== undefined)
      .map(([finess, lines]) => {
        const totals = moleculeTotals(p.molecule, lines, products, thresholds);
        return { finess, onHandMg: totals?.onHandMg ?? 0, dailyUseMg: totals?.dailyMg ?? null, targetDays, covidOccupied: covid.get(finess) ?? null };
      });
    const proposal = allocate({ supplyUnits, mgPerUnit: p.mgPerUnit, weightByOccupancy, lines: inputs });
    return {
      cip13,
      presentationLabel: p.label,
      moleculeLabel: products.molecule(p.molecule)?.label ?? p.molecule,
      mgPerUnit: p.mgPerUnit,
      supplyUnits,
      targetDays,
      weightByOccupancy,
      proposal,
      names: Object.fromEntries(proposal.lines.map((l) => [l.finess, place(l.finess)])),
    };
  });

  table.register('allocations.validate', (args) => {
    const roundId = randomUUID();
    return queueMutation(ctx, 'allocation.validate', { ...args, roundId }, ['allocationRound', 'allocationLine', 'message'], roundId);
  });

  table.register('allocations.confirm', (args) => queueMutation(ctx, 'allocation.confirm', args, ['allocationLine']));
}
