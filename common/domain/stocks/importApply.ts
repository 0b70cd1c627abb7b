/**
 * From a validated PUI export (`parseStockImport`) to `stock.report` arguments (issue 9). Pure.
 *
 * - The referential answers the reader's lookups (`stockImportLookups`): an establishment by
 *   its FINESS (an 8-digit FINESS whose leading zero a spreadsheet dropped is tried with it),
 *   a presentation by CIP13 or by CIS when the CIS names one followed presentation.
 * - Valid rows become one report per establishment and count time (a report is one count of
 *   one establishment), at most `MAX_LINES_PER_REPORT` lines each. A count dated by day only
 *   is taken at noon, Paris time (noon keeps it that day in any offset), or now when today's
 *   noon is still ahead (a count is never dated after it is entered). The caller queues every report in one local transaction: all or none.
 */
import type { StockImportLookups, StockImportRow } from './importCsv';
import { MAX_LINES_PER_REPORT, type StockReportInput } from './model';
import type { Products } from './products';

/** What the reader needs from the territory referential. */
export interface EstablishmentLookup {
  establishment(finess: string): unknown;
}

export function stockImportLookups(products: Products, territories: EstablishmentLookup): StockImportLookups {
  const byCis = new Map<string, string[]>();
  for (const p of products.presentations) if (p.cis) byCis.set(p.cis, [...(byCis.get(p.cis) ?? []), p.cip13]);
  return {
    establishment(code) {
      const c = code.trim().toUpperCase();
      if (territories.establishment(c)) return c;
      if (/^\d{8}$/.test(c) && territories.establishment(`0${c}`)) return `0${c}`;
      return null;
    },
    presentationByCip13: (cip13) => (products.presentation(cip13) ? cip13 : null),
    presentationsByCis: (cis) => byCis.get(cis) ?? [],
  };
}

const PARIS_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Minutes Paris is ahead of UTC at an instant. */
function parisOffsetMinutes(ms: number): number {
  const p = Object.fromEntries(PARIS_PARTS.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/** A Paris wall-clock day and time as an ISO instant (`Z`). A time skipped by the spring change reads as the hour after. */
export function parisWallClockToIso(day: string, time: string): string {
  const [y, mo, d] = day.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  let ms = naive - parisOffsetMinutes(naive) * 60_000;
  ms = naive - parisOffsetMinutes(ms) * 60_000;
  return new Date(ms).toISOString();
}

/** The time a count dated by day only is taken at. */
export const DAY_ONLY_TIME = '12:00';

export interface ImportedReport {
  /** The file's line numbers of the report's lines, in order. */
  lines: number[];
  args: StockReportInput & { lines: Array<StockReportInput['lines'][number]> };
}

/**
 * One report per establishment and count time, lines in file order. `newId` gives each
 * line its id; `comment` is the report's (a national correction must say why).
 */
export function importReports(rows: readonly StockImportRow[], newId: () => string, comment: string, now: string = new Date().toISOString()): ImportedReport[] {
  const groups = new Map<string, StockImportRow[]>();
  for (const r of rows) {
    const key = `${r.finess}|${r.day}|${r.time ?? DAY_ONLY_TIME}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: ImportedReport[] = [];
  for (const list of groups.values()) {
    const { finess, day, time } = list[0];
    const wall = parisWallClockToIso(day, time ?? DAY_ONLY_TIME);
    const at = time === null && Date.parse(wall) > Date.parse(now) ? now : wall;
    for (let i = 0; i < list.length; i += MAX_LINES_PER_REPORT) {
      const part = list.slice(i, i + MAX_LINES_PER_REPORT);
      out.push({
        lines: part.map((r) => r.line),
        args: {
          finess,
          at,
          comment,
          lines: part.map((r) => ({
            id: newId(),
            cip13: r.presentationId,
            onHand: r.quantity,
            // A file giving both keeps the 7-day total (the mutator takes one of the two).
            used7d: r.consumption7d,
            dailyUse: r.consumption7d === null ? r.dailyUse : null,
            daysOut: r.daysOutOfStock ?? 0,
            delivered: r.deliveries ?? 0,
          })),
        },
      });
    }
  }
  return out;
}
