import type { UnitReport } from '../../../common/domain/beds/model';
/**
 * The history chart's geometry, pure: the reports (newest first, as `beds.history` answers)
 * become three step lines — a figure holds until the next report — over a time axis.
 */

export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface HistoryChart {
  lines: Record<'installed' | 'staffed' | 'available', string>;
  yMax: number;
  yTicks: Array<{ value: number; y: number }>;
  xTicks: Array<{ at: number; x: number }>;
  points: Array<{ x: number; yAvailable: number; report: UnitReport }>;
}

/** Step-line paths from `from` to `to` (ms); reports outside are clipped to the window. */
export function historyChart(reports: readonly UnitReport[], from: number, to: number, box: ChartBox): HistoryChart {
  const sorted = [...reports].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.version - b.version);
  const yMax = Math.max(4, ...sorted.map((r) => r.installed));
  // Round ticks (1, 2, 5, 10, 20, 25, 50…), about five of them.
  const step = [1, 2, 5, 10, 20, 25, 50, 100].find((s) => s >= yMax / 5) ?? 100;
  const niceMax = Math.ceil(yMax / step) * step;
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const span = Math.max(1, to - from);
  const x = (t: number) => box.left + (Math.min(Math.max(t, from), to) - from) / span * plotW;
  const y = (v: number) => box.top + plotH - (v / niceMax) * plotH;
  const line = (key: 'installed' | 'staffed' | 'available') => {
    let d = '';
    sorted.forEach((r, i) => {
      const t = Date.parse(r.at);
      const px = x(t);
      const py = y(r[key]);
      d += i === 0 ? `M${px.toFixed(1)} ${py.toFixed(1)}` : `H${px.toFixed(1)}V${py.toFixed(1)}`;
    });
    if (sorted.length) d += `H${x(to).toFixed(1)}`;
    return d;
  };
  const yTicks: HistoryChart['yTicks'] = [];
  for (let v = 0; v <= niceMax; v += step) yTicks.push({ value: v, y: y(v) });
  const dayMs = 86_400_000;
  const xTicks: HistoryChart['xTicks'] = [];
  const days = Math.round(span / dayMs);
  const every = days > 10 ? 2 : 1;
  const firstMidnight = new Date(from);
  firstMidnight.setHours(24, 0, 0, 0);
  for (let t = firstMidnight.getTime(), i = 0; t < to; t += dayMs, i++) if (i % every === 0) xTicks.push({ at: t, x: x(t) });
  return {
    lines: { installed: line('installed'), staffed: line('staffed'), available: line('available') },
    yMax: niceMax,
    yTicks,
    xTicks,
    points: sorted.map((r) => ({ x: x(Date.parse(r.at)), yAvailable: y(r.available), report: r })),
  };
}
