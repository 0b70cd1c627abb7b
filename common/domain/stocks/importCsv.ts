/**
 * Reading a PUI software export (stock counts, CSV) into stock rows (issue 9). Pure: bytes in,
 * rows and errors out; the referential is asked through `StockImportLookups`, so every case is
 * tested on bytes built in the test and the same code runs in main, the renderer or the server.
 *
 * The whole file is validated before anything is imported: every bad line comes back with its
 * number (the header is line 1; a quoted field spanning lines counts its physical lines) and
 * French reasons, and a bad line gives no row at all. The caller imports nothing from a file
 * with errors unless the user chooses to keep the valid lines (`fr.stockImport.hasErrors`).
 *
 * Accepted:
 * - encoding: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1252
 *   (Latin-1 as Excel writes it) — `decodeTextBytes`;
 * - separator: `;` or `,`, whichever the header line has more of; RFC 4180 quotes (papaparse);
 * - columns found by name, ignoring case, accents, spaces and punctuation (aliases below);
 * - numbers: `1234`, `1 234` (space, no-break or narrow no-break space), `12,5`, `12.5`,
 *   `1.234,5`, `1,234.5`; quantities on hand, days out of stock and deliveries are whole;
 * - dates: `JJ/MM/AAAA` with an optional `HH:MM[:SS]` (Paris wall clock), `AAAA-MM-JJ`, ISO
 *   8601 date-times (with an offset or `Z`: turned into the Paris day and time);
 * - establishment: a FINESS or a code the PUI software uses, both resolved by the lookup; an
 *   8-digit FINESS whose leading zero a spreadsheet dropped is restored when that is known;
 * - product: CIP13 (13 digits) or CIS (8 digits, only when it names one presentation).
 * A generic « consommation » column is read as the consumption over the last 7 days (the
 * twice-weekly report's figure) and the preview says so; an explicit daily column is a daily
 * average. Empty lines (or lines of separators only) are skipped.
 */
import Papa from 'papaparse';
import { decodeTextBytes } from '../../csv';
import { fr } from '../../i18n/fr';

/** What the reader needs to know about the referential. */
export interface StockImportLookups {
  /** The FINESS of a known establishment, given its FINESS or its code in the PUI software; null when unknown. */
  establishment(code: string): string | null;
  /** The presentation id of a followed presentation with this CIP13; null when unknown. */
  presentationByCip13(cip13: string): string | null;
  /** The presentation ids of the followed presentations of a CIS (a speciality): empty when unknown. */
  presentationsByCis(cis: string): readonly string[];
}

export interface StockImportOptions {
  /** Today's Paris day (`YYYY-MM-DD`): a count dated after it is refused. Unset: no check. */
  today?: string;
}

/** A valid line, ready to become a stock report (the caller adds ids, author and source). */
export interface StockImportRow {
  line: number;
  finess: string;
  presentationId: string;
  /** Units on hand (whole). */
  quantity: number;
  /** Consumption over the last 7 days, units; null when not given. */
  consumption7d: number | null;
  /** Average daily consumption, units/day; null when not given. */
  dailyUse: number | null;
  daysOutOfStock: number | null;
  deliveries: number | null;
  /** Paris day of the count. */
  day: string;
  /** Paris wall-clock time of the count `HH:MM`, null when the file gives a day only. */
  time: string | null;
}

export interface StockImportLineError {
  line: number;
  reasons: string[];
}

export interface StockImportResult {
  encoding: 'utf-8' | 'latin-1';
  separator: ';' | ',';
  /** Data lines read (empty lines excluded). */
  dataLines: number;
  rows: StockImportRow[];
  /** Problems with the file as a whole (missing column, empty file): nothing can be read. */
  fileErrors: string[];
  /** Bad lines, by line number. */
  errors: StockImportLineError[];
  warnings: string[];
  /** True when the file can be imported whole (no file error, no bad line, at least one row). */
  ok: boolean;
}

type ColumnKey = 'establishment' | 'cip13' | 'cis' | 'quantity' | 'consumption7d' | 'consumptionGeneric' | 'dailyUse' | 'date' | 'daysOutOfStock' | 'deliveries';

/** Header aliases, normalised (lower case, no accents, `_` for anything not a letter or digit). */
export const STOCK_IMPORT_COLUMNS: Readonly<Record<ColumnKey, readonly string[]>> = {
  establishment: ['finess', 'num_finess', 'no_finess', 'n_finess', 'numero_finess', 'code_finess', 'finess_et', 'num_finess_et', 'finess_geographique', 'code_etablissement', 'code_etab', 'cod_etab', 'id_etablissement', 'etablissement_code'],
  cip13: ['cip13', 'cip_13', 'code_cip13', 'code_cip_13', 'code_cip', 'cip', 'ean13', 'code_ean', 'ean'],
  cis: ['cis', 'code_cis'],
  quantity: ['quantite', 'qte', 'quantite_stock', 'quantite_en_stock', 'qte_stock', 'stock', 'stock_disponible', 'stock_physique', 'en_stock', 'quantity', 'on_hand'],
  consumption7d: ['consommation_7j', 'consommation_7_j', 'consommation_7_jours', 'consommation_7_derniers_jours', 'conso_7j', 'conso_7_j', 'conso_7_jours', 'sorties_7j', 'sorties_7_jours'],
  consumptionGeneric: ['consommation', 'conso', 'sorties', 'consumption'],
  dailyUse: ['consommation_journaliere', 'consommation_moyenne_journaliere', 'consommation_moyenne', 'consommation_jour', 'conso_jour', 'conso_moyenne', 'cmj', 'daily_use'],
  date: ['date', 'date_inventaire', 'date_comptage', 'date_stock', 'date_du_stock', 'date_releve', 'date_saisie', 'jour', 'horodatage'],
  daysOutOfStock: ['jours_rupture', 'jours_de_rupture', 'nb_jours_rupture', 'nombre_jours_rupture', 'rupture_jours'],
  deliveries: ['livraisons', 'livraisons_recues', 'receptions', 'quantite_recue', 'qte_recue', 'entrees'],
};

/** `Quantité en stock` → `quantite_en_stock`. */
export function normaliseHeader(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

type NumberCell = { ok: true; value: number | null } | { ok: false; reason: string };

/**
 * A French or international number: spaces (also no-break and narrow no-break) are thousands
 * separators; with both `.` and `,` the last one is the decimal mark; a single `,` or `.` is
 * the decimal mark. Empty is null.
 */
export function parseNumberCell(raw: string, column: string, whole: boolean): NumberCell {
  const v = raw.trim().replace(/[\s\u00a0\u202f]+/g, '');
  if (v === '') return { ok: true, value: null };
  let s = v;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal = lastComma > lastDot ? ',' : '.';
    const thousands = decimal === ',' ? '.' : ',';
    const [intPart, ...rest] = s.split(decimal);
    if (rest.length !== 1 || !/^[+-]?\d{1,3}(\d{3})*$/.test(intPart.split(thousands).join('')) || !intPart.split(thousands).slice(1).every((g) => g.length === 3)) {
      return { ok: false, reason: fr.stockImport.notANumber(column, raw.trim()) };
    }
    s = `${intPart.split(thousands).join('')}.${rest[0]}`;
  } else if (lastComma >= 0) {
    if (s.indexOf(',') !== lastComma) return { ok: false, reason: fr.stockImport.notANumber(column, raw.trim()) };
    s = s.replace(',', '.');
  }
  if (!/^[+-]?\d+(\.\d+)?$/.test(s)) return { ok: false, reason: fr.stockImport.notANumber(column, raw.trim()) };
  const value = Number(s);
  if (value < 0) return { ok: false, reason: fr.stockImport.negative(column, raw.trim()) };
  if (whole && !Number.isInteger(value)) return { ok: false, reason: fr.stockImport.notWhole(column, raw.trim()) };
  return { ok: true, value: value === 0 ? 0 : value };
}

type DateCell = { ok: true; day: string; time: string | null } | { ok: false; reason: string };

const pad = (n: number): string => String(n).padStart(2, '0');

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const PARIS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The Paris day and time of an instant. */
function parisDayTime(ms: number): { day: string; time: string } {
  const p = Object.fromEntries(PARIS.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** A count date: `JJ/MM/AAAA[ HH:MM[:SS]]`, `AAAA-MM-JJ`, or an ISO date-time. */
export function parseDateCell(raw: string): DateCell {
  const v = raw.trim();
  if (v === '') return { ok: false, reason: fr.stockImport.missingDate };
  const bad = { ok: false as const, reason: fr.stockImport.badDate(v) };
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (m) {
    if (m[3].length === 2) return { ok: false, reason: fr.stockImport.twoDigitYear(v) };
    if (m[3].length !== 4) return bad;
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validDay(y, mo, d)) return bad;
    if (m[4] === undefined) return { ok: true, day: `${y}-${pad(mo)}-${pad(d)}`, time: null };
    const [h, mi] = [Number(m[4]), Number(m[5])];
    if (h > 23 || mi > 59 || (m[6] !== undefined && Number(m[6]) > 59)) return bad;
    return { ok: true, day: `${y}-${pad(mo)}-${pad(d)}`, time: `${pad(h)}:${pad(mi)}` };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (!m) return bad;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validDay(y, mo, d)) return bad;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] === undefined) return { ok: true, day, time: null };
  const [h, mi] = [Number(m[4]), Number(m[5])];
  if (h > 23 || mi > 59 || (m[6] !== undefined && Number(m[6]) > 59)) return bad;
  if (m[7] === undefined) return { ok: true, day, time: `${pad(h)}:${pad(mi)}` };
  const ms = Date.parse(`${day}T${pad(h)}:${pad(mi)}:${m[6] ?? '00'}${m[7] === 'Z' ? 'Z' : m[7].length === 5 ? `${m[7].slice(0, 3)}:${m[7].slice(3)}` : m[7]}`);
  if (Number.isNaN(ms)) return bad;
  return { ok: true, ...parisDayTime(ms) };
}

/** The separator of the header line: `;` when it has more `;` than `,`. */
function separatorOf(text: string): ';' | ',' {
  const end = text.search(/\r?\n|\r/);
  const first = end < 0 ? text : text.slice(0, end);
  return first.split(';').length > first.split(',').length ? ';' : ',';
}

interface RawRecord {
  line: number;
  fields: string[];
  unclosedQuote: boolean;
}

/** Records with the physical line each starts on, from papaparse's cursor. */
function readRecords(text: string, separator: ';' | ','): RawRecord[] {
  const records: RawRecord[] = [];
  let start = 0;
  let line = 1;
  const advance = (to: number): void => {
    for (let i = start; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
    }
    start = to;
  };
  Papa.parse<string[]>(text, {
    delimiter: separator,
    quoteChar: '"',
    skipEmptyLines: false,
    step: (result) => {
      // A quoted field that is never closed swallows the rest of the file into one record.
      const unclosedQuote = result.errors.some((e) => e.code === 'MissingQuotes');
      records.push({ line, fields: result.data, unclosedQuote });
      advance(result.meta.cursor);
    },
  });
  return records;
}

function columnsOf(header: readonly string[]): { index: Partial<Record<ColumnKey, number>>; fileErrors: string[] } {
  const index: Partial<Record<ColumnKey, number>> = {};
  const fileErrors: string[] = [];
  const names = header.map(normaliseHeader);
  for (const key of Object.keys(STOCK_IMPORT_COLUMNS) as ColumnKey[]) {
    const found = names.flatMap((n, i) => (STOCK_IMPORT_COLUMNS[key].includes(n) ? [i] : []));
    if (found.length > 1) {
      const what = key === 'cip13' || key === 'cis' ? fr.stockImport.column.product : key === 'consumptionGeneric' ? fr.stockImport.column.consumption7d : fr.stockImport.column[key];
      fileErrors.push(fr.stockImport.duplicateColumn(what, header[found[0]].trim(), header[found[1]].trim()));
    }
    // A duplicated column is reported above, not also as missing.
    if (found.length >= 1) index[key] = found[0];
  }
  if (index.consumption7d !== undefined && index.consumptionGeneric !== undefined) {
    fileErrors.push(fr.stockImport.duplicateColumn(fr.stockImport.column.consumption7d, header[index.consumption7d].trim(), header[index.consumptionGeneric].trim()));
  }
  const missing = (what: string, key: ColumnKey, more: readonly string[] = []): void => {
    fileErrors.push(fr.stockImport.missingColumn(what, [...STOCK_IMPORT_COLUMNS[key], ...more].slice(0, 6).map((n) => n.toUpperCase()).join(', ') + '…'));
  };
  if (index.establishment === undefined) missing(fr.stockImport.column.establishment, 'establishment');
  if (index.cip13 === undefined && index.cis === undefined) missing(fr.stockImport.column.product, 'cip13', STOCK_IMPORT_COLUMNS.cis);
  if (index.quantity === undefined) missing(fr.stockImport.column.quantity, 'quantity');
  if (index.date === undefined) missing(fr.stockImport.column.date, 'date');
  return { index, fileErrors };
}

/** Reads and validates a whole export; see the module comment. Nothing is written anywhere. */
export function parseStockImport(bytes: Uint8Array, lookups: StockImportLookups, options: StockImportOptions = {}): StockImportResult {
  const decoded = decodeTextBytes(bytes);
  const text = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text;
  const separator = separatorOf(text);
  const result: StockImportResult = { encoding: decoded.encoding, separator, dataLines: 0, rows: [], fileErrors: [], errors: [], warnings: [], ok: false };
  const isBlank = (r: RawRecord): boolean => r.fields.every((f) => f.trim() === '');
  const records = readRecords(text, separator).filter((r) => !isBlank(r));
  const [headerRecord, ...data] = records;
  if (!headerRecord) {
    result.fileErrors.push(fr.stockImport.noHeader);
    return result;
  }
  const header = headerRecord.fields;
  const { index, fileErrors } = columnsOf(header);
  result.dataLines = data.length;
  if (data.length === 0) fileErrors.push(fr.stockImport.emptyFile);
  if (fileErrors.length) {
    result.fileErrors = fileErrors;
    return result;
  }
  const consumption7dColumn = index.consumption7d ?? index.consumptionGeneric;
  if (index.consumptionGeneric !== undefined) result.warnings.push(fr.stockImport.genericConsumption(header[index.consumptionGeneric].trim()));
  if (consumption7dColumn === undefined && index.dailyUse === undefined) result.warnings.push(fr.stockImport.noConsumption);

  const label = (i: number): string => header[i].trim();
  const cell = (r: RawRecord, i: number | undefined): string => (i === undefined ? '' : (r.fields[i] ?? '').trim());
  const seen = new Map<string, number>();
  let restoredZeros = 0;

  for (const r of data) {
    const reasons: string[] = [];
    if (r.unclosedQuote) {
      result.errors.push({ line: r.line, reasons: [fr.stockImport.unclosedQuote] });
      continue;
    }
    // Trailing empty fields (a separator at the end of each line) are tolerated.
    const width = r.fields.length > header.length && r.fields.slice(header.length).every((f) => f.trim() === '') ? header.length : r.fields.length;
    if (width !== header.length) {
      result.errors.push({ line: r.line, reasons: [fr.stockImport.columnCount(r.fields.length, header.length)] });
      continue;
    }

    // Establishment.
    let finess: string | null = null;
    const code = cell(r, index.establishment);
    if (code === '') reasons.push(fr.stockImport.missingEstablishment);
    else {
      finess = lookups.establishment(code);
      if (finess === null && /^\d{8}$/.test(code)) {
        finess = lookups.establishment(`0${code}`);
        if (finess !== null) restoredZeros++;
      }
      if (finess === null) reasons.push(fr.stockImport.unknownEstablishment(code));
    }

    // Product: the CIP13 when the line gives one, else the CIS.
    let presentationId: string | null = null;
    const cip = cell(r, index.cip13).replace(/[\s\u00a0\u202f]+/g, '');
    const cis = cell(r, index.cis).replace(/[\s\u00a0\u202f]+/g, '');
    if (cip !== '') {
      if (/^\d+([.,]\d+)?E\+?\d+$/i.test(cip)) reasons.push(fr.stockImport.cip13Scientific(cip));
      else if (!/^\d{13}$/.test(cip)) reasons.push(fr.stockImport.badCip13(cip));
      else {
        presentationId = lookups.presentationByCip13(cip);
        if (presentationId === null) reasons.push(fr.stockImport.unknownCip13(cip));
      }
    } else if (cis !== '') {
      if (!/^\d{8}$/.test(cis)) reasons.push(fr.stockImport.badCis(cis));
      else {
        const ids = lookups.presentationsByCis(cis);
        if (ids.length === 0) reasons.push(fr.stockImport.unknownCis(cis));
        else if (ids.length > 1) reasons.push(fr.stockImport.ambiguousCis(cis, ids.length));
        else presentationId = ids[0];
      }
    } else reasons.push(fr.stockImport.missingProduct);

    // Figures.
    const num = (i: number | undefined, whole: boolean, required: boolean): number | null => {
      if (i === undefined) return null;
      const c = parseNumberCell(cell(r, i), label(i), whole);
      if (!c.ok) {
        reasons.push(c.reason);
        return null;
      }
      if (c.value === null && required) reasons.push(fr.stockImport.missingNumber(label(i)));
      return c.value;
    };
    const quantity = num(index.quantity, true, true);
    const consumption7d = num(consumption7dColumn, false, false);
    const dailyUse = num(index.dailyUse, false, false);
    const daysOutOfStock = num(index.daysOutOfStock, true, false);
    const deliveries = num(index.deliveries, true, false);

    // Date.
    const rawDate = cell(r, index.date);
    const date = parseDateCell(rawDate);
    if (!date.ok) reasons.push(date.reason);
    else if (options.today !== undefined && date.day > options.today) reasons.push(fr.stockImport.futureDate(rawDate));

    if (reasons.length === 0 && finess !== null && presentationId !== null && quantity !== null && date.ok) {
      const key = `${finess}|${presentationId}|${date.day}|${date.time ?? ''}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, r.line);
        result.rows.push({ line: r.line, finess, presentationId, quantity, consumption7d, dailyUse, daysOutOfStock, deliveries, day: date.day, time: date.time });
        continue;
      }
      reasons.push(fr.stockImport.duplicate(first));
    }
    result.errors.push({ line: r.line, reasons });
  }
  if (restoredZeros) result.warnings.push(fr.stockImport.leadingZeroRestored(restoredZeros));
  result.ok = result.errors.length === 0 && result.rows.length > 0;
  return result;
}

/** Every problem as the French lines a preview lists: file errors first, then each bad line. */
export function importErrorLines(result: StockImportResult): string[] {
  return [...result.fileErrors, ...result.errors.flatMap((e) => e.reasons.map((reason) => fr.stockImport.lineRejected(e.line, reason)))];
}
