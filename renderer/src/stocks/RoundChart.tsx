/**
 * The chart of an allocation round (issue 9): a validated round's (« Graphique » of its detail),
 * or the national cell's proposal before validation, redrawn at each quota adjusted in its
 * table. Per establishment, sorted by need (largest first), the need and the quota in units
 * as grouped bars, the delivery in the title; below, smaller, the days of cover before and
 * after the quota. The legend under each chart names the establishment under the cursor and
 * its figures. Drawn with uPlot (canvas); a caption says the totals in words, and the round's
 * table (« Tableau ») stays the keyboard way to every figure.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ui } from '../../../common/i18n/ui.fr';
import { frNumber } from '../../../common/i18n/format';
import { roundChartSeries, type RoundChartLine, type RoundChartSeries } from './roundChartSeries';

const t = ui.allocations.chart;
/** Up to this many establishments, the x axis names them; beyond, it gives their rank by need. */
const NAMED_TICKS = 12;
const HEIGHT = 280;
const COVER_HEIGHT = 170;

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : frNumber(v, digits));
const short = (name: string) => (name.length > 14 ? `${name.slice(0, 13)}…` : name);

/** The board's colours, read from the page's CSS custom properties (dark palette). */
function palette(el: HTMLElement) {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { ink: css.color || '#ccc', need: v('--text-muted', '#9aa4b2'), allocated: v('--accent', '#4da3ff'), before: v('--warn', '#ffb020'), after: v('--ok', '#3fd07a') };
}

function barsChart(el: HTMLElement, s: RoundChartSeries, height: number, which: 'units' | 'cover', proposal: boolean): uPlot {
  const c = palette(el);
  const n = s.finess.length;
  const grid = { stroke: 'rgba(128, 128, 128, 0.25)', width: 1 };
  const axis = { stroke: c.ink, grid, ticks: grid };
  const bars = uPlot.paths.bars;
  // align -1 draws a bar ending at its x (left of the slot's centre), 1 one starting at it: the legend's order, left to right.
  const left = bars ? bars({ size: [0.4, 48, 1], align: -1 }) : undefined;
  const right = bars ? bars({ size: [0.4, 48, 1], align: 1 }) : undefined;
  const xs = s.finess.map((_, i) => i);
  const [a, b] = which === 'units' ? ([s.need, s.allocated] as const) : ([s.coverBefore, s.coverAfter] as const);
  const digits = which === 'units' ? 0 : 1;
  const opts: uPlot.Options = {
    width: Math.max(320, el.clientWidth),
    height,
    series: [
      { label: t.establishment, value: (_u, v) => (v === null ? '—' : (s.names[Math.round(v)] ?? '—')) },
      { label: which === 'units' ? t.need : t.coverBefore, fill: which === 'units' ? c.need : c.before, stroke: which === 'units' ? c.need : c.before, width: 0, paths: left, points: { show: false }, value: (_u, v) => fmt(v, digits) },
      { label: which === 'units' ? (proposal ? t.proposed : t.allocated) : t.coverAfter, fill: which === 'units' ? c.allocated : c.after, stroke: which === 'units' ? c.allocated : c.after, width: 0, paths: right, points: { show: false }, value: (_u, v) => fmt(v, digits) },
    ],
    axes: [
      {
        ...axis,
        splits: n <= NAMED_TICKS ? () => xs : undefined,
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) && v >= 0 && v < n ? (n <= NAMED_TICKS ? short(s.names[v]) : String(v + 1)) : '')),
        size: which === 'units' && n <= NAMED_TICKS ? 48 : 32,
      },
      { ...axis, size: 64, label: which === 'units' ? t.units : t.days, values: (_u, splits) => splits.map((v) => fmt(v, digits)) },
    ],
    scales: {
      x: { time: false, range: () => [-0.5, Math.max(0.5, n - 0.5)] },
      y: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 0) * 1.08)] },
    },
  };
  return new uPlot(opts, [xs, [...a], [...b]], el);
}

function Canvas({ s, height, which, label, testId, proposal }: { s: RoundChartSeries; height: number; which: 'units' | 'cover'; label: string; testId: string; proposal: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = barsChart(el, s, height, which, proposal);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [s, height, which, proposal]);
  return <div ref={box} className="round-chart-canvas" role="img" aria-label={label} data-testid={testId} />;
}

/**
 * The round's chart, from the lines this user sees and the round's supply. `proposal`: a round
 * not yet validated (its quotas as proposed and adjusted so far), said in the legend and a note.
 */
export function RoundChart({ lines, supplyUnits, proposal = false }: { lines: readonly RoundChartLine[]; supplyUnits: number; proposal?: boolean }) {
  const s = useMemo(() => roundChartSeries(lines, supplyUnits), [lines, supplyUnits]);
  const tot = s.totals;
  const caption = t.caption(fmt(tot.supplyUnits, 0), fmt(tot.needUnits, 0), fmt(tot.allocatedUnits, 0), tot.servedInFull, tot.withNeed, tot.drawn, tot.lines);
  const title = t.title(fmt(tot.supplyUnits, 0));
  return (
    <figure className="round-chart" data-testid={proposal ? 'round-chart-proposal' : 'round-chart'}>
      {proposal && (
        <p className="small muted" data-testid="round-chart-proposal-note">
          {t.proposalNote}
        </p>
      )}
      <figcaption className="small" data-testid="round-chart-caption">
        {caption} <span className="muted">{t.keyboard}</span>
      </figcaption>
      {tot.drawn === 0 ? (
        <p className="muted">{t.none}</p>
      ) : (
        <>
          <h3>{title}</h3>
          <Canvas s={s} height={HEIGHT} which="units" label={`${title}. ${caption}`} testId="round-chart-canvas" proposal={proposal} />
          <h3>{t.coverTitle}</h3>
          <Canvas s={s} height={COVER_HEIGHT} which="cover" label={t.coverTitle} testId="round-chart-cover" proposal={proposal} />
        </>
      )}
    </figure>
  );
}
