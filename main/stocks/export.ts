/**
 * Exports of the stocks board (issue 9): the grid (one row per establishment, each molecule's
 * stock, daily use, days of cover, projected stock-out and level: the figures the grid shows)
 * and the national pivot (one row per région). A table is built once, then written as CSV
 * (UTF-8 with a BOM, `;`, decimal commas, as a French spreadsheet reads it) or as XLSX
 * (exceljs, numbers kept as numbers). Pure but for exceljs' in-memory workbook.
 */
import ExcelJS from 'exceljs';
import type { EstablishmentStocks, StocksBoardView } from '../../common/domain/stocks/api';
import type { MoleculeTotals } from '../../common/domain/stocks/cover';
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

function moleculeCells(t: MoleculeTotals | undefined): Cell[] {
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
  cells: Partial<Record<string, MoleculeTotals & { red: number }>>;
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
