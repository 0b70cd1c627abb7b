/**
 * Exports of the stocks board (issue 9): the grid (one row per establishment, each molecule's
 * stock, daily use, days of cover, projected stock-out and level: the figures the grid shows)
 * and the national pivot (one row per région). A table is built once, then written as CSV
 * (UTF-8 with a BOM, `;`, decimal commas, as a French spreadsheet reads it) or as XLSX
 * (exceljs, numbers kept as numbers). Pure but for exceljs' in-memory workbook.
 */
import ExcelJS from 'exceljs';
import type { EstablishmentStocks, StocksBoardView } from '../../common/domain/stocks/api';
import type { RoundView } from '../../common/domain/stocks/roundsApi';
import type { MoleculeCell } from '../../common/domain/stocks/cover';
import type { Molecule } from '../../common/domain/stocks/products';
import { fr } from '../../common/i18n/fr';
import { parisTime } from '../beds/export';

export type Cell = string | number | null;

export interface ExportTable {
  sheet: string;
  header: string[];
  rows: Cell[][];
}

const round = (n: number | null, digits: number): number | null => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

function moleculeHeader(m: Molecule): string[] {
  const c = fr.stockIo.col;
  return [c.onHand(m.label), c.onHandMg(m.label), c.daily(m.label), c.days(m.label), c.stockOut(m.label), c.level(m.label)];
}

function moleculeCells(t: MoleculeCell | undefined): Cell[] {
  if (!t) return [null, null, null, null, null, null];
  return [t.onHandUnits, round(t.onHandMg, 1), round(t.dailyUnits, 1), round(t.days, 1), t.stockOut, fr.stockIo.level[t.level]];
}

/** The grid: one row per establishment, in the board's order. */
export function gridTable(view: Pick<StocksBoardView, 'rows' | 'molecules'>): ExportTable {
  const c = fr.stockIo.col;
  return {
    sheet: fr.stockIo.sheetGrid,
    header: [c.region, c.dep, c.finess, c.establishment, ...view.molecules.flatMap(moleculeHeader), c.counted],
    rows: view.rows.map((e: EstablishmentStocks) => [
      e.regionName,
      `${e.dep} — ${e.depName}`,
      e.finess,
      e.name,
      ...view.molecules.flatMap((m) => moleculeCells(e.molecules[m.code])),
      e.latestAt ? parisTime(e.latestAt) : null,
    ]),
  };
}

/** A région's totals per molecule, with the count of its establishments in red. */
export interface PivotRow {
  regionName: string;
  cells: Partial<Record<string, MoleculeCell & { red: number }>>;
}

/** The pivot: one row per région (the board's `pivotByRegion`). */
export function pivotTable(molecules: readonly Molecule[], regions: readonly PivotRow[]): ExportTable {
  const c = fr.stockIo.col;
  return {
    sheet: fr.stockIo.sheetPivot,
    header: [c.region, ...molecules.flatMap((m) => [...moleculeHeader(m), c.red(m.label)])],
    rows: regions.map((r) => [r.regionName, ...molecules.flatMap((m) => [...moleculeCells(r.cells[m.code]), r.cells[m.code]?.red ?? null])]),
  };
}

/**
 * An allocation round as two tables: the round (supply, key, totals, who validated) and one
 * row per establishment the user sees with every input and intermediate figure of the key
 * (`allocate()`), the proposed and the validated quota and the receipt, with the round's
 * supply and key repeated on each row (a CSV holds one table: it is the lines').
 */
export function roundTables(r: RoundView, moleculeLabel: string): { summary: ExportTable; lines: ExportTable } {
  const t = fr.stockIo.round;
  const c = fr.stockIo.col;
  const k = t.col;
  const s = t.summary;
  const round = r.round;
  const p = round.parameters;
  const yesNo = (b: boolean) => (b ? t.yes : t.no);
  const mode = fr.stockMethods.allocationMode[p.mode] ?? p.mode;
  const remainderUnits = r.lines.reduce((n, l) => n + l.figures.bonusUnit, 0);
  const summary: ExportTable = {
    sheet: t.sheetSummary,
    header: [t.item, t.value],
    rows: [
      [s.molecule, moleculeLabel],
      [s.presentation, round.presentationLabel],
      [s.cip13, round.cip13],
      [s.mgPerUnit, round.mgPerUnit],
      [s.supply, round.totals.supplyUnits],
      [s.targetDays, round.targetDays],
      [s.mode, mode],
      [s.weighted, yesNo(p.weightByOccupancy)],
      [s.strength, p.occupancyStrength],
      [s.meanOccupancy, round4(p.meanOccupancy)],
      [s.passes, p.passes],
      [s.need, round.totals.needUnits],
      [s.proposed, round.totals.proposedUnits],
      [s.allocated, round.totals.allocatedUnits],
      [s.left, round.totals.leftUnits],
      [s.remainderUnits, remainderUnits],
      [s.lines, round.totals.lines],
      [s.adjusted, round.totals.adjustedLines],
      [s.unknownNeed, round.totals.unknownNeedLines],
      [s.confirmed, `${r.confirmed} / ${r.toConfirm}`],
      [s.validatedBy, `${round.validatedBy} (${round.validatedRole})`],
      [s.validatedAt, parisTime(round.validatedAt)],
      [s.exportedLines, r.lines.length],
    ],
  };
  const lines: ExportTable = {
    sheet: t.sheetLines,
    header: [
      c.region, c.dep, c.finess, c.establishment, s.molecule, s.cip13, s.mgPerUnit, s.supply, s.mode, s.weighted, s.strength, s.meanOccupancy,
      k.onHandMg, k.dailyMg, k.targetDays, k.covid, k.coverBefore, k.needMg, k.needUnits, k.needKnown, k.weight, k.share, k.rawQuota, k.capped,
      k.floorUnits, k.remainder, k.remainderRank, k.bonusUnit, k.proposed, k.quota, k.adjusted, k.coverAfter, k.confirmedAt, k.confirmedBy,
    ],
    rows: r.lines.map((l) => {
      const f = l.figures;
      const coverAfter = f.dailyUseMg !== null && f.dailyUseMg > 0 ? (f.onHandMg + l.quota * l.mgPerUnit) / f.dailyUseMg : null;
      return [
        l.regionName, l.dep, l.finess, l.name, moleculeLabel, l.cip13, l.mgPerUnit, round.totals.supplyUnits, mode, yesNo(p.weightByOccupancy), p.occupancyStrength, round4(p.meanOccupancy),
        round4(f.onHandMg), round4(f.dailyUseMg), f.targetDays, f.covidOccupied, round4(f.coverDaysBefore), round4(f.needMg), f.needUnits, yesNo(f.needKnown), round4(f.weight), round4(f.share), round4(f.rawQuota), yesNo(f.capped),
        f.floorUnits, round4(f.remainder), f.remainderRank, f.bonusUnit, l.proposed, l.quota, yesNo(l.adjusted), round4(coverAfter), l.confirmedAt ? parisTime(l.confirmedAt) : null, l.confirmedBy,
      ];
    }),
  };
  return { summary, lines };
}

/** Four decimals: the key's intermediate figures as a person checks them, without float noise. */
const round4 = (n: number | null): number | null => round(n, 4);

/** `stocks-tour-cisatracurium-2026-11-30-0215.csv` (Paris time of the round's validation). */
export function roundExportFileName(r: RoundView, ext: 'csv' | 'xlsx'): string {
  const stamp = parisTime(r.round.validatedAt).replace(/[ :]/g, '-').replace(/-(\d\d)-(\d\d)$/, '-$1$2');
  return `stocks-tour-${r.round.molecule}-${stamp}.${ext}`;
}

/** Free text a spreadsheet would run as a formula gets a leading apostrophe. */
function csvText(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v).replace('.', ',');
  return csvText(v);
}

/** CSV for French spreadsheets: BOM, `;`, decimal commas, CRLF. */
export function tableToCsv(t: ExportTable): string {
  return `\ufeff${[t.header, ...t.rows].map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`;
}

/** An XLSX workbook with one sheet per table; figures stay numbers, the header is bold and frozen. */
export async function tablesToXlsx(tables: readonly ExportTable[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Vigie';
  for (const t of tables) {
    const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(t.header).font = { bold: true };
    for (const r of t.rows) ws.addRow(r);
    ws.columns.forEach((col, i) => {
      col.width = Math.min(40, Math.max(10, t.header[i]?.length ?? 10));
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `stocks-grille-2026-11-30-0215.csv` (Paris time). */
export function stockExportFileName(view: 'grid' | 'pivot', now: number, ext: 'csv' | 'xlsx'): string {
  const stamp = parisTime(new Date(now).toISOString()).replace(/[ :]/g, '-').replace(/-(\d\d)-(\d\d)$/, '-$1$2');
  return `stocks-${view === 'grid' ? 'etablissements' : 'regions'}-${stamp}.${ext}`;
}
