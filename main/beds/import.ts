/**
 * Reading a ROR-style extract (CSV) into unit reports. Pure (no SQLite, no I/O), so every
 * encoding and every bad line is tested on bytes built in the test.
 *
 * The whole file is validated before anything is imported: every bad line comes back with
 * its line number (the header is line 1) and a French reason; notable but plausible lines
 * (a jump of more than 4 beds) come back as warnings.
 *
 * Columns are found by name, ignoring case and surrounding spaces:
 * - establishment: `FINESS`, `NUM_FINESS`, `FINESS_ET`, `NUM_FINESS_ET`, else `COD_ROR_EG`
 *   (a ROR establishment code is accepted only when it is a 9-character FINESS number;
 *   anything else cannot be matched to the referential and is a line error);
 * - unit type: `TYPE_UNITE`, `UNIT_TYPE`, `COD_TYPE_UNITE`, `LIB_TYPE_UNITE`, … (a Vigie code,
 *   a Vigie label or the ROR's own label);
 * - `NBR_LIT_DSP` (available) and `NBR_LIT_INS` (installed), required;
 * - optional: `NBR_LIT_ARM` (staffed), COVID+ / COVID− occupied beds, extra capacity within
 *   24 h / 72 h, a comment; the unit's own identifier and name (`ID_UNITE`, `LIB_UNITE`, …:
 *   without them, one unit per type); the observation time (`DATE_MAJ`, … ISO 8601 with its
 *   offset, or `JJ/MM/AAAA HH:MM` in Paris time; without it, the reports are marked as
 *   having no observation time and take the import's).
 *
 * Staffed beds when the extract has no staffed column ("empty is not available"): a bed is
 * available only if it is staffed, so staffed = available + occupied wherever the line gives
 * both COVID+ and COVID− occupied beds (free + occupied staffed beds is exactly the staffed
 * total). Where it does not, nothing in the line bounds it, so staffed is taken equal to
 * installed, and the preview says so in a warning: the figure is an upper bound to check, not
 * a fact from the register.
 */
import { decodeTextBytes, parseCsv } from '../../common/csv';
import { fr } from '../../common/i18n/fr';
import { FINESS_ID, type Establishment } from '../../common/territory';
import { JUMP_CONFIRM_THRESHOLD, MAX_BEDS_PER_UNIT, OBSERVED_AHEAD_MS, UNIT_ID_MAX, unitKey, type Assignment, type Figures, type RorDetail } from '../../common/domain/beds/model';
import { isEarlier } from '../../common/domain/beds/totals';
import { figureErrors, jumpFrom, needsJumpConfirmation, surgeOf } from '../../common/domain/beds/rules';
import { defaultUnitId, resolveUnitLabel } from '../../common/domain/beds/unitTypes';
import type { ImportLine, ImportPreview } from '../../common/domain/beds/views';

export type ImportEncoding = ImportPreview['encoding'];

/** What the reader needs to know about the world: the referential and the current figures. */
export interface ImportContext {
  establishment(finess: string): Establishment | undefined;
  /** The unit's current figures (with pending local reports on top), for the jump warning. */
  current(finess: string, unitId: string): (Figures & { at: string }) | undefined;
  /** The clock an observation time may not be ahead of (default: now). */
  now?: number;
}

/** A valid line, ready to become `unit.report` arguments (the caller adds id and source). */
export interface ImportedReport {
  line: number;
  finess: string;
  unitType: string;
  /** The unit inside its establishment: the extract's own id, else the type's code. */
  unitId: string;
  unitName: string | null;
  /** When the figures were observed (ISO with offset), or null when the extract does not say. */
  observedAt: string | null;
  installed: number;
  staffed: number;
  available: number;
  covidPos: number | null;
  covidNeg: number | null;
  extra24h: number | null;
  extra72h: number | null;
  /** Surge beds as the extract says them (null: the mutator counts staffed beyond installed as surge). */
  surge: number | null;
  assignment: Assignment | null;
  temporary: boolean;
  /** Reserved and closed beds, when the extract has their columns. */
  ror: RorDetail | null;
  comment: string;
  /** The figures move by more than the jump threshold from the current ones. */
  jump: boolean;
}

export interface ParsedImport {
  preview: ImportPreview;
  reports: ImportedReport[];
}

/** Column names, upper case, in order of preference. */
export const IMPORT_COLUMNS = {
  finess: ['FINESS', 'NUM_FINESS', 'FINESS_ET', 'NUM_FINESS_ET', 'NO_FINESS'],
  rorCode: ['COD_ROR_EG'],
  unitType: ['TYPE_UNITE', 'UNIT_TYPE', 'COD_TYPE_UNITE', 'LIB_TYPE_UNITE', 'TYPE_UNITE_ROR', 'LIB_TYPE_UNITE_ROR'],
  available: ['NBR_LIT_DSP', 'LITS_DISPONIBLES', 'AVAILABLE'],
  installed: ['NBR_LIT_INS', 'LITS_INSTALLES', 'INSTALLED'],
  staffed: ['NBR_LIT_ARM', 'LITS_ARMES', 'STAFFED'],
  covidPos: ['NBR_LIT_OCC_COVID_POS', 'NBR_LIT_OCC_COVID', 'NBR_PAT_COVID', 'COVID_POS'],
  covidNeg: ['NBR_LIT_OCC_COVID_NEG', 'NBR_LIT_OCC_NON_COVID', 'NBR_PAT_NON_COVID', 'COVID_NEG'],
  extra24h: ['NBR_LIT_SUPP_24H', 'CAPA_SUPP_24H', 'EXTRA_24H'],
  extra72h: ['NBR_LIT_SUPP_72H', 'CAPA_SUPP_72H', 'EXTRA_72H'],
  comment: ['COMMENTAIRE', 'COMMENT'],
  unitId: ['ID_UNITE', 'COD_UNITE', 'CODE_UNITE', 'ID_UE', 'IDENTIFIANT_UNITE', 'UNIT_ID'],
  unitName: ['LIB_UNITE', 'NOM_UNITE', 'UNIT_NAME'],
  observedAt: ['DATE_MAJ', 'DATE_MAJ_CAPACITE', 'DATE_OBSERVATION', 'HORODATAGE', 'OBSERVED_AT'],
  surge: ['NBR_LIT_RENFORT', 'NBR_LIT_SUPP_MOBILISE', 'NBR_LIT_MOBILISE', 'LITS_RENFORT', 'SURGE'],
  reserved: ['NBR_LIT_RESERVE', 'LITS_RESERVES', 'RESERVED'],
  closed: ['NBR_LIT_FERME', 'LITS_FERMES', 'CLOSED'],
} as const;

type ColumnKey = keyof typeof IMPORT_COLUMNS;

/**
 * Decodes a file's bytes: UTF-8 when they are valid UTF-8, else Windows-1252 (see
 * `decodeTextBytes` in common/csv.ts, shared with the stocks import).
 */
export function decodeImportBytes(bytes: Uint8Array): { text: string; encoding: ImportEncoding } {
  return decodeTextBytes(bytes);
}

/** The separator of the header line: `;` when it has more `;` than `,` (as `parseCsv` decides). */
export function detectSeparator(text: string): ',' | ';' {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const end = src.search(/\r?\n|\r/);
  const first = end < 0 ? src : src.slice(0, end);
  return first.split(';').length > first.split(',').length ? ';' : ',';
}

type NumberCell = { ok: true; value: number | null } | { ok: false; reason: string };

/**
 * A bed count from a cell: trailing spaces ignored, `12`, `12,0` and `12.0` are 12; `12,5` is
 * not a whole number of beds; empty is null (absent).
 */
export function parseBedCount(raw: string, column: string): NumberCell {
  const v = raw.trim();
  if (v === '') return { ok: true, value: null };
  const m = /^([+-]?)(\d+)(?:[.,](\d+))?$/.exec(v);
  if (!m) return { ok: false, reason: fr.bedImport.notANumber(column, v) };
  if (m[3] !== undefined && /[1-9]/.test(m[3])) return { ok: false, reason: fr.bedImport.notInteger(column, v) };
  const n = Number(m[2]) * (m[1] === '-' ? -1 : 1);
  if (n < 0) return { ok: false, reason: fr.bedImport.negative(column) };
  if (n > MAX_BEDS_PER_UNIT) return { ok: false, reason: fr.bedImport.absurd(column, MAX_BEDS_PER_UNIT) };
  return { ok: true, value: n };
}

/** Paris's offset from UTC at a wall-clock time there, in minutes (+60 in winter, +120 in summer). */
function parisOffsetMinutes(y: number, mo: number, d: number, h: number, mi: number): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi) - 60 * 60_000;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(guess))
    .reduce<Record<string, number>>((acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  const shown = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return Math.round((shown - guess) / 60_000);
}

type TimeCell = { ok: true; value: string | null } | { ok: false; reason: string };

/**
 * An observation time from a cell: ISO 8601 with its offset (`2020-03-24T08:30:00+01:00`,
 * `…Z`), or a French wall-clock time in Paris (`24/03/2020 08:30`, seconds optional), turned
 * into an instant with Paris's offset on that day. Empty is null (the extract does not say).
 */
export function parseObservedAt(raw: string, column: string): TimeCell {
  const v = raw.trim();
  if (v === '') return { ok: true, value: null };
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))) return { ok: true, value: v };
  const m = /^(\d{2})\/(\d{2})\/(\d{4})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (m) {
    const [d, mo, y, h, mi, sec] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    const utc = Date.UTC(y, mo - 1, d, h, mi, sec);
    const check = new Date(utc);
    if (check.getUTCDate() === d && check.getUTCMonth() === mo - 1 && h < 24 && mi < 60 && sec < 60) {
      const offset = parisOffsetMinutes(y, mo, d, h, mi);
      const sign = offset >= 0 ? '+' : '-';
      const abs = Math.abs(offset);
      const iso = `${m[3]}-${m[2]}-${m[1]}T${m[4]}:${m[5]}:${String(sec).padStart(2, '0')}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      return { ok: true, value: iso };
    }
  }
  return { ok: false, reason: fr.bedImport.badTime(column, v) };
}

/** Reads and validates a whole extract. Never throws on bad content: everything is in the preview. */
export function parseImport(fileName: string, bytes: Uint8Array, ctx: ImportContext): ParsedImport {
  const { text, encoding } = decodeImportBytes(bytes);
  const separator = detectSeparator(text);
  const table = parseCsv(text, separator);
  const preview: ImportPreview = { fileName, encoding, separator, lines: table.records.length, valid: [], errors: [], warnings: [], jumps: 0 };
  const reports: ImportedReport[] = [];

  const index = new Map<string, number>();
  table.header.forEach((h, i) => {
    const name = h.replace(/^\ufeff/, '').trim().toUpperCase();
    if (!index.has(name)) index.set(name, i);
  });
  const col = (key: ColumnKey): { name: string; at: number } | null => {
    for (const name of IMPORT_COLUMNS[key]) {
      const at = index.get(name);
      if (at !== undefined) return { name, at };
    }
    return null;
  };
  const cols = {
    finess: col('finess') ?? col('rorCode'),
    unitType: col('unitType'),
    available: col('available'),
    installed: col('installed'),
    staffed: col('staffed'),
    covidPos: col('covidPos'),
    covidNeg: col('covidNeg'),
    extra24h: col('extra24h'),
    extra72h: col('extra72h'),
    comment: col('comment'),
    unitId: col('unitId'),
    unitName: col('unitName'),
    observedAt: col('observedAt'),
    surge: col('surge'),
    reserved: col('reserved'),
    closed: col('closed'),
  };
  const required: Array<[keyof typeof cols, string, readonly string[]]> = [
    ['finess', 'établissement', [...IMPORT_COLUMNS.finess, ...IMPORT_COLUMNS.rorCode]],
    ['unitType', 'type d’unité', IMPORT_COLUMNS.unitType],
    ['available', 'lits disponibles', IMPORT_COLUMNS.available],
    ['installed', 'lits installés', IMPORT_COLUMNS.installed],
  ];
  for (const [key, what, names] of required) {
    if (!cols[key]) preview.errors.push({ line: 1, reason: fr.bedImport.missingColumn(what, names.join(', ')) });
  }
  if (preview.errors.length > 0) return { preview, reports };
  if (table.records.length === 0) {
    preview.errors.push({ line: 1, reason: fr.bedImport.emptyFile });
    return { preview, reports };
  }

  const seen = new Map<string, number>();
  let staffedFromOccupied = 0;
  /** Lines whose staffed beds exceed the open installed ones with no surge column: the excess counts as surge. */
  const surgeInferred = { lines: 0, beds: 0 };
  /** Lines where staffed was taken as installed, by what they lack: both occupied counts, COVID+ only, COVID− only. */
  const staffedFromInstalled = { both: 0, pos: 0, neg: 0 };
  for (const rec of table.records) {
    const cell = (c: { at: number } | null): string => (c ? (rec.fields[c.at] ?? '').trim() : '');
    const reasons: string[] = [];

    // Establishment.
    const finessCol = cols.finess;
    const rawFiness = cell(finessCol);
    let finess = '';
    let establishment: Establishment | undefined;
    // A spreadsheet drops the leading zero of départements 01–09 (010000024 → 10000024): put it
    // back when that names a known establishment, and say so.
    const restored = /^\d{8}$/.test(rawFiness) && ctx.establishment(`0${rawFiness}`) ? `0${rawFiness}` : null;
    if (restored) {
      finess = restored;
      establishment = ctx.establishment(restored);
    } else if (rawFiness === '') reasons.push(fr.bedImport.missingFiness);
    else if (!FINESS_ID.test(rawFiness.toUpperCase())) {
      reasons.push(finessCol && IMPORT_COLUMNS.rorCode.includes(finessCol.name as 'COD_ROR_EG') ? fr.bedImport.rorCodeNotFiness(rawFiness) : fr.bedImport.badFiness(rawFiness));
    } else {
      finess = rawFiness.toUpperCase();
      establishment = ctx.establishment(finess);
      if (!establishment) reasons.push(fr.beds.unknownEstablishment(finess));
    }

    // Unit type.
    const rawType = cell(cols.unitType);
    const resolved = rawType === '' ? undefined : resolveUnitLabel(rawType);
    const type = resolved?.type;
    if (rawType === '') reasons.push(fr.bedImport.missingUnitType);
    else if (!type) reasons.push(fr.beds.unknownUnitType(rawType));

    // Figures.
    const num = (key: 'available' | 'installed' | 'staffed' | 'covidPos' | 'covidNeg' | 'extra24h' | 'extra72h' | 'surge' | 'reserved' | 'closed', mandatory: boolean): number | null => {
      const c = cols[key];
      if (!c) return null;
      const parsed = parseBedCount(cell(c), c.name);
      if (!parsed.ok) {
        reasons.push(parsed.reason);
        return null;
      }
      if (parsed.value === null && mandatory) reasons.push(fr.bedImport.missingNumber(c.name));
      return parsed.value;
    };
    const available = num('available', true);
    const installed = num('installed', true);
    let staffed = num('staffed', false);
    const covidPos = num('covidPos', false);
    const covidNeg = num('covidNeg', false);
    const extra24h = num('extra24h', false);
    const extra72h = num('extra72h', false);
    const surge = num('surge', false);
    const reserved = num('reserved', false);
    const closed = num('closed', false);
    const ror: RorDetail | null = reserved === null && closed === null ? null : { ...(reserved !== null && { reserved }), ...(closed !== null && { closed }) };
    const comment = cell(cols.comment).slice(0, 500);
    // A marked label (« Réanimation COVID19 + ») names the unit when the extract has no name column.
    const marked = resolved !== undefined && (resolved.assignment !== null || resolved.temporary);
    const unitName = cell(cols.unitName).slice(0, 120) || (marked ? rawType.slice(0, 120) : null);
    const rawUnitId = cell(cols.unitId);
    if (rawUnitId.length > UNIT_ID_MAX) reasons.push(fr.bedImport.unitIdTooLong(cols.unitId?.name ?? '', UNIT_ID_MAX));
    let observedAt: string | null = null;
    if (cols.observedAt) {
      const t = parseObservedAt(cell(cols.observedAt), cols.observedAt.name);
      if (!t.ok) reasons.push(t.reason);
      else if (t.value !== null && Date.parse(t.value) > (ctx.now ?? Date.now()) + OBSERVED_AHEAD_MS) reasons.push(fr.bedImport.observedInFuture(cols.observedAt.name, cell(cols.observedAt)));
      else observedAt = t.value;
    }

    if (reasons.length === 0 && available !== null && installed !== null && type && establishment) {
      let defaulted: 'occupied' | 'installed' | null = null;
      if (staffed === null) {
        defaulted = covidPos !== null && covidNeg !== null ? 'occupied' : 'installed';
        staffed = defaulted === 'occupied' ? available + (covidPos ?? 0) + (covidNeg ?? 0) : installed;
      }
      // What the line lacks for staffed = available + occupied, said as it is.
      const missingOccupied = covidPos === null && covidNeg === null ? 'both' : covidPos === null ? 'pos' : 'neg';
      const figures: Figures = { installed, staffed, available, covidPos, covidNeg, extra24h, extra72h, surge, ror };
      reasons.push(...figureErrors(figures));
      const unitId = rawUnitId || (resolved ? defaultUnitId(resolved) : type.code);
      const key = unitKey(finess, unitId);
      const first = seen.get(key);
      if (first !== undefined) reasons.push(fr.bedImport.duplicateUnit(first));
      else seen.set(key, rec.line);
      if (reasons.length === 0) {
        const prev = ctx.current(finess, unitId);
        // Figures older than the current ones go to the history: no jump is measured for them.
        const jump = needsJumpConfirmation(prev, figures) && !(prev && observedAt && isEarlier(observedAt, prev.at));
        if (restored) preview.warnings.push({ line: rec.line, reason: fr.bedImport.leadingZeroRestored(rawFiness, restored) });
        if (jump) {
          preview.warnings.push({ line: rec.line, reason: fr.beds.jumpNeedsConfirmation(jumpFrom(prev, figures), JUMP_CONFIRM_THRESHOLD) });
          preview.jumps++;
        }
        if (defaulted === 'occupied') staffedFromOccupied++;
        else if (defaulted === 'installed') staffedFromInstalled[missingOccupied]++;
        if (surge === null && surgeOf(figures) > 0) {
          surgeInferred.lines++;
          surgeInferred.beds += surgeOf(figures);
        }
        const marks = { assignment: resolved?.assignment ?? null, temporary: resolved?.temporary ?? false };
        reports.push({ line: rec.line, finess, unitType: type.code, unitId, unitName, observedAt, installed, staffed, available, covidPos, covidNeg, extra24h, extra72h, surge, ...marks, ror, comment, jump });
        preview.valid.push(importLine(rec.line, establishment, type.code, figures));
        continue;
      }
    }
    preview.errors.push({ line: rec.line, reason: reasons.join(' ') });
  }
  if (surgeInferred.lines > 0) preview.warnings.unshift({ line: 1, reason: fr.bedImport.surgeInferred(surgeInferred.lines, surgeInferred.beds) });
  if (!cols.observedAt && reports.length > 0) preview.warnings.unshift({ line: 1, reason: fr.bedImport.noTimeColumn(IMPORT_COLUMNS.observedAt.join(', ')) });
  const installedCount = staffedFromInstalled.both + staffedFromInstalled.pos + staffedFromInstalled.neg;
  if (!cols.staffed && staffedFromOccupied + installedCount > 0) {
    preview.warnings.unshift({ line: 1, reason: fr.bedImport.staffedDefaulted(staffedFromOccupied, staffedFromInstalled) });
  }
  return { preview, reports };
}

function importLine(line: number, e: Establishment, unitType: string, f: Figures): ImportLine {
  return { line, finess: e.finess, establishmentName: e.name, unitType, installed: f.installed, staffed: f.staffed, available: f.available };
}

/**
 * Moves valid lines to the errors (a rule only the store can check, e.g. the user's scope):
 * `reasons` maps a line number to its French reason.
 */
export function demoteLines(parsed: ParsedImport, reasons: ReadonlyMap<number, string>): ParsedImport {
  if (reasons.size === 0) return parsed;
  const errors = [...parsed.preview.errors, ...[...reasons].map(([line, reason]) => ({ line, reason }))].sort((a, b) => a.line - b.line);
  const reports = parsed.reports.filter((r) => !reasons.has(r.line));
  return {
    reports,
    preview: {
      ...parsed.preview,
      valid: parsed.preview.valid.filter((v) => !reasons.has(v.line)),
      warnings: parsed.preview.warnings.filter((w) => w.line === 1 || !reasons.has(w.line)),
      jumps: reports.filter((r) => r.jump).length,
      errors,
    },
  };
}

/** Decodes the base64 the ConsoleApi carries; null when it is not base64. */
export function bytesFromBase64(b64: string): Uint8Array | null {
  const clean = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return null;
  return new Uint8Array(Buffer.from(clean, 'base64'));
}
