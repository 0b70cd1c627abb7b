/**
 * The stocks board's ConsoleApi calls: the board (establishments × molecules with their cover,
 * computed here from the current lines this workstation holds), the pharmacist's quick form
 * (every presentation with its current count), the report (one mutation: the server decides,
 * offline it waits in the outbox) and the cover thresholds.
 */
import { randomUUID } from 'node:crypto';
import type { EstablishmentStocks, FormPresentation, StockChartView, StockFormView, StocksBoardView } from '../../common/domain/stocks/api';
import { moleculeCell, moleculeTotals, worseLevel, type CoverLevel } from '../../common/domain/stocks/cover';
import type { StockLine } from '../../common/domain/stocks/model';
import { MOLECULES } from '../../common/domain/stocks/products';
import { fr } from '../../common/i18n/fr';
import type { ServiceContext } from '../context';
import { ApiError, queueMutation, type HandlerTable } from '../handlers';
import { AskRefused } from '../sync/syncClient';
import { stocksWire } from '../../common/domain/stocks/protocol';
import { chartForecasts, type StockChartSeries } from '../../common/domain/stocks/series';
import { registerStockIoHandlers } from './io';
import { loadMainProducts } from './products';
import { registerRedeployHandlers } from './redeployHandlers';

/** At most this many lines per history answer (twice-weekly counts of every presentation for months). */
const HISTORY_LIMIT = 2_000;

export function registerStocksHandlers(table: HandlerTable, ctx: ServiceContext): void {
  registerRedeployHandlers(table, ctx);
  table.register('stocks.board', (): StocksBoardView => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    const products = loadMainProducts();
    const thresholds = s.store.boards.stocks.settings();
    const byFiness = new Map<string, { lines: StockLine[]; pending: boolean }>();
    for (const { line, pending } of s.store.boards.stocks.currentLines()) {
      const e = byFiness.get(line.finess) ?? { lines: [], pending: false };
      e.lines.push(line);
      e.pending ||= pending;
      byFiness.set(line.finess, e);
    }
    const rows: EstablishmentStocks[] = [];
    for (const [finess, { lines, pending }] of byFiness) {
      const e = t.establishment(finess);
      if (!e) continue;
      const dep = t.departement(e.dep);
      const region = dep ? t.region(dep.region) : undefined;
      const molecules: EstablishmentStocks['molecules'] = {};
      let level: CoverLevel = 'unknown';
      let latestAt = '';
      for (const m of MOLECULES) {
        const totals = moleculeTotals(m.code, lines, products, thresholds);
        if (!totals) continue;
        molecules[m.code] = moleculeCell(totals);
        level = worseLevel(level, totals.level);
        if (!latestAt || Date.parse(totals.latestAt) > Date.parse(latestAt)) latestAt = totals.latestAt;
      }
      rows.push({
        finess,
        name: e.shortName,
        fullName: e.name,
        dep: e.dep,
        depName: dep?.name ?? e.dep,
        region: dep?.region ?? '',
        regionName: region?.name ?? '',
        molecules,
        level,
        latestAt,
        pending,
      });
    }
    rows.sort((a, b) => a.regionName.localeCompare(b.regionName, 'fr') || a.dep.localeCompare(b.dep) || a.name.localeCompare(b.name, 'fr'));
    const role = s.actor.role;
    return {
      rows,
      molecules: [...MOLECULES],
      thresholds,
      reportsFor: role.kind === 'establishment' && role.pui ? role.finess : null,
      national: role.kind === 'national',
    };
  });

  table.register('stocks.form', ({ finess }): StockFormView => {
    const s = ctx.session.requireActive();
    const e = ctx.territories().establishment(finess);
    if (!e) throw new ApiError('bad_args', fr.stocks.unknownEstablishment(finess));
    const products = loadMainProducts();
    const current = new Map(s.store.boards.stocks.currentLines(finess).map(({ line }) => [line.cip13, line]));
    return {
      finess,
      establishmentName: e.shortName,
      molecules: MOLECULES.map((m) => ({
        ...m,
        presentations: products.of(m.code).map((p): FormPresentation => {
          const l = current.get(p.cip13);
          return { ...p, current: l ? { onHand: l.onHand, used7d: l.used7d, dailyUse: l.dailyUse, daysOut: l.daysOut, delivered: l.delivered, at: l.at } : null };
        }),
      })),
    };
  });

  table.register('stocks.report', (args) => {
    const withIds = { ...args, lines: args.lines.map((l) => ({ id: randomUUID(), ...l })) };
    return queueMutation(ctx, 'stock.report', withIds, ['stockLine']);
  });

  table.register('stocks.history', async ({ finess, cip13, molecule, days }): Promise<StockLine[]> => {
    const s = ctx.session.requireActive();
    const since = days === undefined ? undefined : new Date(Date.now() - days * 86_400_000).toISOString();
    let data: unknown;
    try {
      data = await s.sync.ask(stocksWire.history, { finess, ...(cip13 ? { cip13 } : {}), ...(molecule ? { molecule } : {}), ...(since ? { since } : {}), limit: HISTORY_LIMIT });
    } catch (err) {
      if (err instanceof AskRefused) throw new ApiError('rejected', err.message);
      throw err;
    }
    const lines = data && typeof data === 'object' && Array.isArray((data as { lines?: unknown }).lines) ? ((data as { lines: unknown[] }).lines as StockLine[]) : null;
    if (!lines) throw new ApiError('unreachable', fr.stocks.historyOffline);
    // Only what answers the question (the server is trusted, the shape is checked).
    return lines.filter((l) => l && typeof l === 'object' && l.finess === finess && typeof l.cip13 === 'string' && typeof l.at === 'string' && typeof l.onHand === 'number');
  });

  table.register('stocks.chart', async ({ place, molecule, days }): Promise<StockChartView> => {
    const s = ctx.session.requireActive();
    let data: unknown;
    try {
      data = await s.sync.ask(stocksWire.series, { place, molecule, ...(days ? { days } : {}) });
    } catch (err) {
      if (err instanceof AskRefused) throw new ApiError('rejected', err.message);
      throw err;
    }
    const series = chartSeriesAnswer(data);
    if (!series) throw new ApiError('unreachable', fr.stocks.historyOffline);
    return { place, molecule, ...series, ...chartForecasts(series) };
  });

  table.register('stocks.settings', () => ctx.session.requireActive().store.boards.stocks.settings());
  table.register('stocks.setSettings', (t) => {
    const out = ctx.session.requireActive().store.boards.stocks.setSettings(t);
    ctx.emit('data.changed', { entities: ['stockLine'] });
    return out;
  });
  registerStockIoHandlers(table, ctx);
}

const numOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

/** The server's answer to `stocks:series`, if it has the expected shape (the server is trusted, the shape is checked). */
function chartSeriesAnswer(data: unknown): StockChartSeries | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Partial<Record<keyof StockChartSeries, unknown>>;
  if (!Array.isArray(d.days) || !d.days.every((x) => typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x))) return null;
  const n = d.days.length;
  const series = [d.onHand, d.daily, d.covidOccupied];
  if (!series.every((a) => Array.isArray(a) && a.length === n && a.every(numOrNull))) return null;
  if (typeof d.establishments !== 'number') return null;
  return data as StockChartSeries;
}
