/**
 * The data of an allocation round's chart (issue 9, « Graphique » of a validated round): per
 * establishment, its need and the validated quota in units, side by side, sorted by need
 * (largest first; unknown needs last; ties by FINESS so the same round always draws the same),
 * and its days of cover before and after the quota. Lines with neither a need nor a quota are
 * counted in the totals but not drawn (a round of 265 lines has a dozen with a need). Pure, so the chart and its caption are
 * built from figures a test can check against the round's totals.
 */
import type { AllocationLine } from '../../../common/domain/stocks/allocation';

/** What the chart needs of a round line (a `RoundLineView` has it). */
export interface RoundChartLine {
  finess: string;
  name: string;
  /** The validated quota, in units. */
  quota: number;
  mgPerUnit: number;
  figures: Pick<AllocationLine, 'needUnits' | 'needKnown' | 'onHandMg' | 'dailyUseMg' | 'coverDaysBefore'>;
}

export interface RoundChartSeries {
  finess: string[];
  names: string[];
  /** Need in units; null when unknown (no declared use). */
  need: Array<number | null>;
  allocated: number[];
  coverBefore: Array<number | null>;
  coverAfter: Array<number | null>;
  totals: {
    supplyUnits: number;
    /** Σ need in units of the lines with a known need. */
    needUnits: number;
    /** Σ validated quotas. */
    allocatedUnits: number;
    /** Lines with a known, non-zero need. */
    withNeed: number;
    /** Of those, the lines whose quota covers the need in full. */
    servedInFull: number;
    lines: number;
    /** Lines drawn: those with a need or a quota (a line with neither has no bar to draw). */
    drawn: number;
  };
}

/** Days of cover after the quota: (on hand + quota × mg per unit) ÷ daily use, or null without use. */
export function coverAfter(l: RoundChartLine): number | null {
  const use = l.figures.dailyUseMg;
  return use !== null && use > 0 ? (l.figures.onHandMg + l.quota * l.mgPerUnit) / use : null;
}

export function roundChartSeries(lines: readonly RoundChartLine[], supplyUnits: number): RoundChartSeries {
  const needOf = (l: RoundChartLine) => (l.figures.needKnown ? l.figures.needUnits : -1);
  const sorted = [...lines].sort((a, b) => needOf(b) - needOf(a) || (a.finess < b.finess ? -1 : a.finess > b.finess ? 1 : 0));
  let needUnits = 0;
  let allocatedUnits = 0;
  let withNeed = 0;
  let servedInFull = 0;
  for (const l of sorted) {
    allocatedUnits += l.quota;
    if (!l.figures.needKnown) continue;
    needUnits += l.figures.needUnits;
    if (l.figures.needUnits > 0) {
      withNeed++;
      if (l.quota >= l.figures.needUnits) servedInFull++;
    }
  }
  const drawn = sorted.filter((l) => l.quota > 0 || (l.figures.needKnown && l.figures.needUnits > 0));
  return {
    finess: drawn.map((l) => l.finess),
    names: drawn.map((l) => l.name),
    need: drawn.map((l) => (l.figures.needKnown ? l.figures.needUnits : null)),
    allocated: drawn.map((l) => l.quota),
    coverBefore: drawn.map((l) => l.figures.coverDaysBefore),
    coverAfter: drawn.map(coverAfter),
    totals: { supplyUnits, needUnits, allocatedUnits, withNeed, servedInFull, lines: sorted.length, drawn: drawn.length },
  };
}
