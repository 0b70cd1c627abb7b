/**
 * Stocks of rationed medicines in hospital pharmacies (issue 9, MaPUI+): the stock lines a
 * pharmacy (PUI) reports and the arguments of a report.
 *
 * A stock line is one count of one presentation (CIP13) at one establishment: the units on
 * hand, the consumption over the 7 days before the count (or an average daily consumption),
 * the days out of stock in that period, the units received since the last count, who and when.
 * Lines are a time series; the current stock of a presentation is its latest line BY COUNT
 * TIME (`at`; equal times: the one the server applied last), so a late report of an older
 * count goes into the history and never replaces a newer one.
 */
import { z } from 'zod';
import { fr } from '../../i18n/fr';
import type { MoleculeCode } from './products';

/** Who wrote a line, as the server knows it: the establishment's PUI, or the national cell correcting it. */
export type StockSource = 'pui' | 'correction';

export interface StockLine {
  id: string;
  finess: string;
  cip13: string;
  molecule: MoleculeCode;
  /** Units of the presentation on hand at the count. */
  onHand: number;
  /** Units used over the 7 days before the count (null: not given). */
  used7d: number | null;
  /** An average daily use in units, when the PUI gives that instead of a 7-day total (null: not given). */
  dailyUse: number | null;
  /** Days out of stock (0–7) in the 7 days before the count: they do not count as days of use. */
  daysOut: number;
  /** Units received since the previous count. */
  delivered: number;
  comment: string;
  source: StockSource;
  reportedBy: string;
  reportedRole: string;
  /** When the count was made. */
  at: string;
  version: number;
}

/** The period a consumption refers to. */
export const USE_PERIOD_DAYS = 7;
/** Above this, a count is absurd for one presentation in one pharmacy. */
export const MAX_UNITS = 1_000_000;
/** How far a count time may lie ahead of the clock that receives it. */
export const COUNTED_AHEAD_MS = 10 * 60_000;
export const STOCK_COMMENT_MAX = 500;
/** A report names at most every presentation of the referential once. */
export const MAX_LINES_PER_REPORT = 200;

const units = (what: string) =>
  z
    .number({ error: fr.stocks.field.number(what) })
    .min(0, fr.stocks.field.negative(what))
    .max(MAX_UNITS, fr.stocks.field.tooLarge(what, MAX_UNITS));

export const Cip13Schema = z.string().regex(/^\d{13}$/, fr.stocks.field.cip13);
const Finess = z.string().regex(/^[0-9][0-9AB][0-9]{7}$/, fr.stocks.field.finess);

/** A line's figures as a person enters them (the id is added by the workstation). */
export const StockLineFields = z.strictObject({
  cip13: Cip13Schema,
  onHand: units(fr.stocks.label.onHand),
  used7d: units(fr.stocks.label.used7d).nullable().default(null),
  dailyUse: units(fr.stocks.label.dailyUse).nullable().default(null),
  daysOut: z
    .number({ error: fr.stocks.field.number(fr.stocks.label.daysOut) })
    .int(fr.stocks.field.wholeDays)
    .min(0, fr.stocks.field.negative(fr.stocks.label.daysOut))
    .max(USE_PERIOD_DAYS, fr.stocks.field.daysOutMax(USE_PERIOD_DAYS))
    .default(0),
  delivered: units(fr.stocks.label.delivered).default(0),
});

const oneUse = <T extends { used7d: number | null; dailyUse: number | null }>(l: T) => l.used7d === null || l.dailyUse === null;
const oneUseMessage = { message: fr.stocks.field.useTwice, path: ['dailyUse'] };

/** A line as entered (quick form, import), checked. */
export const StockLineEntry = StockLineFields.refine(oneUse, oneUseMessage);
export const StockLineArgs = StockLineFields.extend({ id: z.uuid(fr.stocks.field.lineId) }).refine(oneUse, oneUseMessage);

/** `stock.report`: one or several presentations of one establishment, counted at one time, all or nothing. */
export const StockReportArgs = z
  .strictObject({
    finess: Finess,
    /** When the count was made (the form's clock by default). */
    at: z.iso.datetime({ offset: true, error: fr.stocks.field.at }).nullable().default(null),
    comment: z.string().trim().max(STOCK_COMMENT_MAX, fr.stocks.field.commentMax(STOCK_COMMENT_MAX)).default(''),
    lines: z.array(StockLineArgs).min(1, fr.stocks.field.noLine).max(MAX_LINES_PER_REPORT),
  })
  .superRefine(noCipTwice);

export type StockReportInput = z.input<typeof StockReportArgs>;

/** A report names each presentation once. */
function noCipTwice(r: { lines: ReadonlyArray<{ cip13: string }> }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  r.lines.forEach((l, i) => {
    if (seen.has(l.cip13)) ctx.addIssue({ code: 'custom', message: fr.stocks.field.cipTwice(l.cip13), path: ['lines', i, 'cip13'] });
    seen.add(l.cip13);
  });
}

/** The quick form's call: the same report, lines without ids (the workstation gives them). */
export const StockEntryArgs = z
  .strictObject({
    finess: Finess,
    at: z.iso.datetime({ offset: true, error: fr.stocks.field.at }).nullable().default(null),
    comment: z.string().trim().max(STOCK_COMMENT_MAX, fr.stocks.field.commentMax(STOCK_COMMENT_MAX)).default(''),
    lines: z.array(StockLineEntry).min(1, fr.stocks.field.noLine).max(MAX_LINES_PER_REPORT),
  })
  .superRefine(noCipTwice);

/** Thresholds of the days-of-cover colours, per workstation. */
export interface CoverThresholds {
  /** Below this many days: red. */
  red: number;
  /** Below this many days (and not red): orange. */
  orange: number;
}

export const DEFAULT_COVER_THRESHOLDS: CoverThresholds = { red: 3, orange: 7 };

export const CoverThresholdsSchema = z
  .strictObject({
    red: z.number({ error: fr.stocks.settings.number }).min(0, fr.stocks.settings.range).max(60, fr.stocks.settings.range),
    orange: z.number({ error: fr.stocks.settings.number }).min(0, fr.stocks.settings.range).max(90, fr.stocks.settings.range),
  })
  .refine((t) => t.orange >= t.red, { message: fr.stocks.settings.order, path: ['orange'] });

/**
 * Reads a number as French people type it: « 1 234,5 », « 12,0 », « 1 234 » (ordinary,
 * narrow or no-break spaces between thousands), or « 12.5 ». Empty: null. Anything else
 * (letters, two decimal separators): NaN, which the schemas refuse with their message.
 */
export function parseFrenchNumber(text: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  if (t === '') return null;
  if (!/^-?\d+(?:[.,]\d+)?$/.test(t)) return Number.NaN;
  return Number(t.replace(',', '.'));
}
