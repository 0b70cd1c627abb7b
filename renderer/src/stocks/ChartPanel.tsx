/**
 * The stock chart (issue 9): for an establishment, a région or France, and a molecule, the
 * units on hand and the daily use over the last 90 days from `stocks.history` (online only:
 * the cache holds current counts only), and the projected stock (`forecastStockOut`, flat at
 * the observed use) to the stock-out. Drawn with uPlot (canvas); a table gives the same
 * figures as text.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ui } from '../../../common/i18n/ui.fr';
import { addDays } from '../../../common/domain/stocks/forecast';
import type { StockLine } from '../../../common/domain/stocks/model';
import type { MoleculeCode } from '../../../common/domain/stocks/products';
import { call } from '../app/call';
import { parisDayOf, stockSeries, type StockSeries } from './chartSeries';
import { useStocks } from './store';

const HISTORY_DAYS = 90;
/** Parallel history asks for a région or France. */
const CONCURRENCY = 6;
/** How far the projection is drawn. */
const PROJECTION_DAYS = 30;

const fmt = (n: number | null) => (n === null ? '—' : n.toLocaleString('fr-FR', { maximumFractionDigits: 1 }));
const fmtDay = (day: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric' });
const dayToSec = (day: string) => Date.parse(`${day}T12:00:00Z`) / 1000;

type Loaded = { state: 'loading' } | { state: 'offline' } | { state: 'error'; message: string } | { state: 'ok'; series: StockSeries; answered: number; asked: number };

async function histories(finesses: readonly string[], molecule: MoleculeCode): Promise<{ lines: StockLine[]; answered: number; offline: boolean; error: string | null }> {
  const lines: StockLine[] = [];
  let answered = 0;
  let offline = false;
  let error: string | null = null;
  let next = 0;
  async function worker() {
    while (next < finesses.length && !offline) {
      const finess = finesses[next++];
      const reply = await call('stocks.history', { finess, molecule, days: HISTORY_DAYS });
      if (reply.ok) {
        answered++;
        lines.push(...reply.data);
      } else if (reply.error.code === 'unreachable') offline = true;
      else error = reply.error.message;
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, finesses.length) }, worker));
  return { lines, answered, offline, error };
}

function Chart({ series, label }: { series: StockSeries; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const data = useMemo((): uPlot.AlignedData => {
    const f = series.forecast;
    const last = series.days.length - 1;
    const extra: string[] = [];
    const projected: Array<number | null> = series.days.map((_, k) => (k === last && f ? f.onHand : null));
    if (f && f.daily.length > 0) {
      let stock = f.onHand;
      for (let k = 0; k < Math.min(PROJECTION_DAYS, f.daily.length) && stock > 0; k++) {
        stock = Math.max(0, stock - f.daily[k]);
        extra.push(addDays(series.days[last], k + 1));
        projected.push(stock);
      }
    }
    const pad = extra.map(() => null);
    return [[...series.days, ...extra].map(dayToSec), [...series.onHand, ...pad], [...series.daily, ...pad], projected];
  }, [series]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // The axes take the page's text colour (the console is dark; uPlot's default is black).
    const ink = getComputedStyle(el).color || '#ccc';
    const grid = { stroke: 'rgba(128, 128, 128, 0.25)', width: 1 };
    const axis = { stroke: ink, grid, ticks: grid };
    const opts: uPlot.Options = {
      width: Math.max(320, el.clientWidth),
      height: 320,
      series: [
        { label: ui.stocksIo.chart.day, value: (_u, v) => (v === null ? '—' : fmtDay(new Date(v * 1000).toISOString().slice(0, 10))) },
        { label: ui.stocksIo.chart.onHand, stroke: '#1f5fa8', width: 2, scale: 'units' },
        { label: ui.stocksIo.chart.daily, stroke: '#c0561b', width: 2, scale: 'daily' },
        { label: ui.stocksIo.chart.projected, stroke: '#1f5fa8', dash: [6, 4], width: 2, scale: 'units' },
      ],
      axes: [
        { ...axis, values: (_u, splits) => splits.map((v) => new Date(v * 1000).toLocaleDateString('fr-FR', { day: '2-digit', month: '2-digit', timeZone: 'UTC' })) },
        { ...axis, scale: 'units', size: 72, label: ui.stocksIo.chart.onHand, values: (_u, splits) => splits.map((v) => fmt(v)) },
        { ...axis, scale: 'daily', side: 1, size: 72, label: ui.stocksIo.chart.daily, grid: { show: false }, values: (_u, splits) => splits.map((v) => fmt(v)) },
      ],
      scales: { x: { time: true }, units: { range: (_u, _min, max) => [0, Math.max(1, max * 1.05)] }, daily: { range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] } },
    };
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height: 320 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [data]);
  return <div ref={box} className="stock-chart-canvas" role="img" aria-label={label} data-testid="stocks-chart-canvas" />;
}

export function ChartPanel() {
  const t = ui.stocksIo.chart;
  const board = useStocks((s) => s.board);
  const [place, setPlace] = useState<string>(() => (board?.reportsFor ? `E:${board.reportsFor}` : board?.national ? 'F' : board?.rows[0] ? `E:${board.rows[0].finess}` : 'F'));
  const [molecule, setMolecule] = useState<MoleculeCode>('propofol');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const rows = useMemo(() => board?.rows ?? [], [board?.rows]);
  const regions = useMemo(() => [...new Map(rows.map((r) => [r.region, r.regionName])).entries()], [rows]);

  const finesses = useMemo(() => {
    if (place === 'F') return rows.map((r) => r.finess);
    if (place.startsWith('R:')) return rows.filter((r) => r.region === place.slice(2)).map((r) => r.finess);
    return [place.slice(2)];
  }, [place, rows]);
  const placeLabel = place === 'F' ? t.france : place.startsWith('R:') ? t.region(regions.find(([c]) => c === place.slice(2))?.[1] ?? '') : (rows.find((r) => r.finess === place.slice(2))?.name ?? place.slice(2));
  const moleculeLabel = board?.molecules.find((m) => m.code === molecule)?.label ?? molecule;

  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    void histories(finesses, molecule).then((h) => {
      if (!live) return;
      if (h.offline) return setLoaded({ state: 'offline' });
      if (h.answered === 0 && h.error) return setLoaded({ state: 'error', message: h.error });
      const to = parisDayOf(new Date().toISOString());
      setLoaded({ state: 'ok', series: stockSeries(h.lines, addDays(to, -(HISTORY_DAYS - 1)), to), answered: h.answered, asked: finesses.length });
    });
    return () => {
      live = false;
    };
  }, [finesses, molecule]);

  if (!board) return null;
  const shown = loaded.state === 'ok' ? loaded.series.days.map((day, k) => ({ day, onHand: loaded.series.onHand[k], daily: loaded.series.daily[k] })).filter((r) => r.onHand !== null) : [];
  const f = loaded.state === 'ok' ? loaded.series.forecast : null;
  return (
    <div className="stock-chart" data-testid="stocks-chart">
      <div className="stock-chart-controls">
        <label className="field-inline">
          <span>{t.place}</span>
          <select value={place} onChange={(e) => setPlace(e.target.value)} data-testid="stocks-chart-place">
            {board.national && <option value="F">{t.france}</option>}
            {!board.reportsFor &&
              regions.map(([code, name]) => (
                <option key={code} value={`R:${code}`}>
                  {t.region(name)}
                </option>
              ))}
            {rows.map((r) => (
              <option key={r.finess} value={`E:${r.finess}`}>
                {r.name} ({r.dep})
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <span>{t.molecule}</span>
          <select value={molecule} onChange={(e) => setMolecule(e.target.value as MoleculeCode)} data-testid="stocks-chart-molecule">
            {board.molecules.map((m) => (
              <option key={m.code} value={m.code}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {loaded.state === 'loading' && <p className="muted">{t.loading}</p>}
      {loaded.state === 'offline' && (
        <p className="muted" role="status" data-testid="stocks-chart-offline">
          {t.offline}
        </p>
      )}
      {loaded.state === 'error' && (
        <p className="form-error" role="alert">
          {loaded.message}
        </p>
      )}
      {loaded.state === 'ok' && shown.length === 0 && <p className="muted">{t.none}</p>}
      {loaded.state === 'ok' && shown.length > 0 && (
        <>
          {loaded.answered < loaded.asked && <p className="muted small">{t.partial(loaded.answered, loaded.asked)}</p>}
          <p data-testid="stocks-chart-stockout">{f === null || f.method === 'unknown' ? t.unknown : f.stockOutDay ? t.stockOut(fmtDay(f.stockOutDay)) : t.noStockOut}</p>
          <Chart series={loaded.series} label={t.chartLabel(placeLabel, moleculeLabel)} />
          <details className="stock-chart-table">
            <summary>{t.tableCaption}</summary>
            <table data-testid="stocks-chart-table">
              <caption className="sr-only">{t.chartLabel(placeLabel, moleculeLabel)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.day}</th>
                  <th scope="col">{t.onHand}</th>
                  <th scope="col">{t.daily}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.day}>
                    <th scope="row">{fmtDay(r.day)}</th>
                    <td>{fmt(r.onHand)}</td>
                    <td>{fmt(r.daily)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </div>
  );
}
