/**
 * The stock chart (issue 9): for an establishment, a région or France, and a molecule, the
 * units on hand, the daily use and the COVID+ critical-care occupancy over the last 90 days,
 * aggregated by the server (`stocks.chart`, one answer per place; online only: the cache holds
 * current counts only), and two projected stocks to the stock-out: at the observed use, and
 * following the trend of the occupancy (`forecast.ts`, docs/stocks-method.md § 3). Drawn with
 * uPlot (canvas); a table gives the same figures as text, and « Comment ces dates sont
 * calculées » the method with this place's own figures.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ui } from '../../../common/i18n/ui.fr';
import type { StockChartView } from '../../../common/domain/stocks/api';
import { addDays, type StockOutForecast } from '../../../common/domain/stocks/forecast';
import type { MoleculeCode } from '../../../common/domain/stocks/products';
import { call } from '../app/call';
import { useStocks } from './store';

const HISTORY_DAYS = 90;
/** How far the projections are drawn. */
const PROJECTION_DAYS = 30;
const OBSERVED_COLOUR = '#1f5fa8';
const OCCUPANCY_COLOUR = '#9d3d9d';

const fmt = (n: number | null) => (n === null ? '—' : n.toLocaleString('fr-FR', { maximumFractionDigits: 1 }));
const fmtDay = (day: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric' });
const dayToSec = (day: string) => Date.parse(`${day}T12:00:00Z`) / 1000;

type Loaded = { state: 'loading' } | { state: 'offline' } | { state: 'error'; message: string } | { state: 'ok'; view: StockChartView };

/** The stock left at the end of each future day by a forecast, until it runs out or the drawn horizon. */
function projection(f: StockOutForecast | null): number[] {
  const out: number[] = [];
  if (!f || f.daily.length === 0) return out;
  let stock = f.onHand;
  for (let k = 0; k < Math.min(PROJECTION_DAYS, f.daily.length) && stock > 0; k++) {
    stock = Math.max(0, stock - f.daily[k]);
    out.push(stock);
  }
  return out;
}

/** What a forecast says in one sentence. */
function stockOutText(f: StockOutForecast | null, said: (day: string) => string): string {
  const t = ui.stocksIo.chart;
  if (f === null || f.method === 'unknown') return t.unknown;
  return f.stockOutDay ? said(fmtDay(f.stockOutDay)) : t.noStockOut;
}

function occupancyText(f: StockOutForecast | null): string {
  const t = ui.stocksIo.chart;
  if (f === null || f.method === 'unknown') return t.unknown;
  if (f.method === 'flat') return t.occupancyFallback;
  return stockOutText(f, (day) => t.stockOutOccupancy(day, t.trend[f.trend ?? 'flat']));
}

function Chart({ view, label }: { view: StockChartView; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const data = useMemo((): uPlot.AlignedData => {
    const last = view.days.length - 1;
    const observed = projection(view.observed);
    const occupancy = projection(view.occupancy);
    const extra = Array.from({ length: Math.max(observed.length, occupancy.length) }, (_, k) => addDays(view.days[last], k + 1));
    const pad = extra.map(() => null);
    // Each projection starts from the last day's stock and goes on to its own end.
    const drawn = (p: number[]) => [...view.days.map((_, k) => (k === last ? view.onHand[last] : null)), ...extra.map((_, k) => (k < p.length ? p[k] : null))];
    return [[...view.days, ...extra].map(dayToSec), [...view.onHand, ...pad], [...view.daily, ...pad], drawn(observed), drawn(occupancy), [...view.covidOccupied, ...pad]];
  }, [view]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const t = ui.stocksIo.chart;
    // The axes take the page's text colour (the console is dark; uPlot's default is black).
    const ink = getComputedStyle(el).color || '#ccc';
    const grid = { stroke: 'rgba(128, 128, 128, 0.25)', width: 1 };
    const axis = { stroke: ink, grid, ticks: grid };
    const opts: uPlot.Options = {
      width: Math.max(320, el.clientWidth),
      height: 320,
      series: [
        { label: t.day, value: (_u, v) => (v === null ? '—' : fmtDay(new Date(v * 1000).toISOString().slice(0, 10))) },
        { label: t.onHand, stroke: OBSERVED_COLOUR, width: 2, scale: 'units' },
        { label: t.daily, stroke: '#c0561b', width: 2, scale: 'daily' },
        { label: t.projected, stroke: OBSERVED_COLOUR, dash: [6, 4], width: 2, scale: 'units' },
        { label: t.projectedOccupancy, stroke: OCCUPANCY_COLOUR, dash: [2, 3], width: 2, scale: 'units' },
        // Patients, not units: on a scale of its own without an axis (the legend gives the value).
        { label: t.covid, stroke: '#6b8e23', width: 1, scale: 'patients' },
      ],
      axes: [
        { ...axis, values: (_u, splits) => splits.map((v) => new Date(v * 1000).toLocaleDateString('fr-FR', { day: '2-digit', month: '2-digit', timeZone: 'UTC' })) },
        { ...axis, scale: 'units', size: 72, label: t.onHand, values: (_u, splits) => splits.map((v) => fmt(v)) },
        { ...axis, scale: 'daily', side: 1, size: 72, label: t.daily, grid: { show: false }, values: (_u, splits) => splits.map((v) => fmt(v)) },
      ],
      scales: {
        x: { time: true },
        units: { range: (_u, _min, max) => [0, Math.max(1, max * 1.05)] },
        daily: { range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] },
        patients: { range: (_u, _min, max) => [0, Math.max(1, max * 1.3)] },
      },
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

/** The method in French, with this place's own figures (docs/stocks-method.md § 3 in full). */
function Method({ view }: { view: StockChartView }) {
  const t = ui.stocksIo.chart.method;
  const o = view.observed;
  const f = view.occupancy;
  return (
    <details className="stock-chart-method" data-testid="stocks-chart-method">
      <summary>{t.title}</summary>
      <p>{t.observed}</p>
      <p>{t.occupancy}</p>
      <p>{t.fallback}</p>
      <ul data-testid="stocks-chart-method-figures">
        <li>{t.observedUse(fmt(o?.observedDailyUse ?? null))}</li>
        {f && f.method === 'occupancy' && f.occupancyLine && f.usePerPatient !== null ? (
          <>
            <li>{t.usePerPatient(fmt(f.usePerPatient))}</li>
            <li>{t.line(fmt(f.occupancyLine.intercept), fmt(f.occupancyLine.slopePerDay), f.occupancyLine.points)}</li>
          </>
        ) : (
          <li>{t.noOccupancy}</li>
        )}
      </ul>
    </details>
  );
}

export function ChartPanel() {
  const t = ui.stocksIo.chart;
  const board = useStocks((s) => s.board);
  const [place, setPlace] = useState<string>(() => (board?.reportsFor ? `E:${board.reportsFor}` : board?.national ? 'FR' : board?.rows[0] ? `E:${board.rows[0].finess}` : 'FR'));
  const [molecule, setMolecule] = useState<MoleculeCode>('propofol');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const rows = useMemo(() => board?.rows ?? [], [board?.rows]);
  const regions = useMemo(() => [...new Map(rows.map((r) => [r.region, r.regionName])).entries()], [rows]);

  const placeLabel = place === 'FR' ? t.france : place.startsWith('R:') ? t.region(regions.find(([c]) => c === place.slice(2))?.[1] ?? '') : (rows.find((r) => r.finess === place.slice(2))?.name ?? place.slice(2));
  const moleculeLabel = board?.molecules.find((m) => m.code === molecule)?.label ?? molecule;

  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    void call('stocks.chart', { place, molecule, days: HISTORY_DAYS }).then((reply) => {
      if (!live) return;
      if (reply.ok) setLoaded({ state: 'ok', view: reply.data });
      else if (reply.error.code === 'unreachable') setLoaded({ state: 'offline' });
      else setLoaded({ state: 'error', message: reply.error.message });
    });
    return () => {
      live = false;
    };
  }, [place, molecule]);

  if (!board) return null;
  const view = loaded.state === 'ok' ? loaded.view : null;
  const shown = view ? view.days.map((day, k) => ({ day, onHand: view.onHand[k], daily: view.daily[k], covid: view.covidOccupied[k] })).filter((r) => r.onHand !== null) : [];
  return (
    <div className="stock-chart" data-testid="stocks-chart">
      <div className="stock-chart-controls">
        <label className="field-inline">
          <span>{t.place}</span>
          <select value={place} onChange={(e) => setPlace(e.target.value)} data-testid="stocks-chart-place">
            {board.national && <option value="FR">{t.france}</option>}
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
      {view && shown.length === 0 && <p className="muted">{t.none}</p>}
      {view && shown.length > 0 && (
        <>
          {!place.startsWith('E:') && <p className="muted small">{t.establishments(view.establishments)}</p>}
          <p data-testid="stocks-chart-stockout">
            <span className="stock-chart-key" style={{ borderColor: OBSERVED_COLOUR }} aria-hidden="true" />
            {stockOutText(view.observed, t.stockOut)}
          </p>
          <p data-testid="stocks-chart-stockout-occupancy">
            <span className="stock-chart-key dotted" style={{ borderColor: OCCUPANCY_COLOUR }} aria-hidden="true" />
            {occupancyText(view.occupancy)}
          </p>
          <Method view={view} />
          <Chart view={view} label={t.chartLabel(placeLabel, moleculeLabel)} />
          <details className="stock-chart-table">
            <summary>{t.tableCaption}</summary>
            <table data-testid="stocks-chart-table">
              <caption className="sr-only">{t.chartLabel(placeLabel, moleculeLabel)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.day}</th>
                  <th scope="col">{t.onHand}</th>
                  <th scope="col">{t.daily}</th>
                  <th scope="col">{t.covid}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.day}>
                    <th scope="row">{fmtDay(r.day)}</th>
                    <td>{fmt(r.onHand)}</td>
                    <td>{fmt(r.daily)}</td>
                    <td>{fmt(r.covid)}</td>
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
