/**
 * Critical-care beds (ROR+): unit reports, their plausibility rules, the `unit.report`
 * mutator, and the pure aggregations every bed view uses (with staleness).
 *
 * A unit is one unit type in one establishment (`finess` + `unitType`). Reports are a time
 * series; the current figures of a unit are its latest report in SERVER order
 * (latest-report-wins): two reports in flight resolve to the one the server applied last.
 * History is kept.
 */
import { z } from 'zod';
import { fr } from '../i18n/fr';
import { isWithin } from '../territory';
import { defineMutator, MutationRejected, type MutationContext } from './mutation';
import { UNIT_TYPE_CODES, unitType } from './unitTypes';

/** Above this, a unit's figure is absurd (the largest French ICUs have well under 100 beds). */
export const MAX_BEDS_PER_UNIT = 300;
/** A change of more than this many beds from the last report asks for confirmation. */
export const JUMP_CONFIRM_THRESHOLD = 4;
export const DEFAULT_STALE_AFTER_HOURS = 24;
export const DEFAULT_TENSION_THRESHOLDS = { orange: 0.5, red: 0.8 } as const;
export const REPORT_COMMENT_MAX = 500;

export type ReportSource = 'app' | 'import' | 'feed';

export interface UnitReport {
  id: string;
  finess: string;
  unitType: string;
  installed: number;
  staffed: number;
  available: number;
  covidPos: number | null;
  covidNeg: number | null;
  extra24h: number | null;
  extra72h: number | null;
  comment: string;
  source: ReportSource;
  reportedBy: string;
  reportedRole: string;
  /** When the figures were reported (the author's clock, or the register's own time). */
  at: string;
  version: number;
}

export const unitKey = (finess: string, unitTypeCode: string) => `${finess}:${unitTypeCode}`;

export interface Figures {
  installed: number;
  staffed: number;
  available: number;
  covidPos?: number | null;
  covidNeg?: number | null;
  extra24h?: number | null;
  extra72h?: number | null;
}

const beds = z
  .number({ error: 'nombre de lits attendu' })
  .int('nombre entier de lits attendu')
  .min(0, 'un nombre de lits ne peut pas être négatif')
  .max(MAX_BEDS_PER_UNIT, `plus de ${MAX_BEDS_PER_UNIT} lits dans une unité : valeur invraisemblable`);
const optionalBeds = beds.nullable().default(null);
const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'identifiant UUID attendu');

export const UnitReportArgs = z.strictObject({
  id: Uuid,
  finess: z.string().regex(/^[0-9][0-9AB][0-9]{7}$/, 'numéro FINESS à 9 caractères attendu'),
  unitType: z.enum(UNIT_TYPE_CODES, { error: 'type d’unité inconnu' }),
  installed: beds,
  staffed: beds,
  available: beds,
  covidPos: optionalBeds,
  covidNeg: optionalBeds,
  extra24h: optionalBeds,
  extra72h: optionalBeds,
  comment: z.string().trim().max(REPORT_COMMENT_MAX).default(''),
  source: z.enum(['app', 'import', 'feed']).default('app'),
  /** The reporter saw the jump warning and confirmed it. */
  confirmJump: z.boolean().default(false),
});
export type UnitReportArgs = z.input<typeof UnitReportArgs>;

/**
 * The plausibility rules, as French sentences (empty when plausible). Used at entry in the
 * form, by the CSV import and the register feed, and by the mutator on both sides.
 */
export function figureErrors(f: Figures): string[] {
  const errors: string[] = [];
  if (f.available > f.staffed) errors.push(fr.beds.availableOverStaffed(f.available, f.staffed));
  if (f.staffed > f.installed) errors.push(fr.beds.staffedOverInstalled(f.staffed, f.installed));
  const occupied = (f.covidPos ?? 0) + (f.covidNeg ?? 0);
  if (f.covidPos != null || f.covidNeg != null) {
    if (occupied + f.available > f.staffed) errors.push(fr.beds.occupiedOverStaffed(occupied, f.available, f.staffed));
  }
  if (f.extra24h != null && f.extra72h != null && f.extra24h > f.extra72h) errors.push(fr.beds.extraOrder(f.extra24h, f.extra72h));
  return errors;
}

/** The largest change, in beds, of installed / staffed / available from the previous report. */
export function jumpFrom(prev: Figures | undefined, next: Figures): number {
  if (!prev) return 0;
  return Math.max(
    Math.abs(next.installed - prev.installed),
    Math.abs(next.staffed - prev.staffed),
    Math.abs(next.available - prev.available),
  );
}

export function needsJumpConfirmation(prev: Figures | undefined, next: Figures): boolean {
  return jumpFrom(prev, next) > JUMP_CONFIRM_THRESHOLD;
}

/** Who may report for an establishment, and through which channel. */
function checkReporter(ctx: MutationContext, finess: string, source: ReportSource): void {
  const role = ctx.actor.role;
  if (role.kind === 'establishment') {
    if (role.finess !== finess) throw new MutationRejected(fr.beds.notYourEstablishment);
    return;
  }
  if (role.kind === 'ars' || role.kind === 'national') {
    // Crisis cells read the picture; they write it only by importing a register extract or
    // through a register feed, for establishments inside their territory.
    if (source === 'app') throw new MutationRejected(fr.beds.readOnlyRole);
    const path = ctx.territories.path(`E:${finess}`);
    if (!path || !isWithin(path, ctx.actor.territoryPath)) {
      throw new MutationRejected(fr.reject.territoryOutOfScope(ctx.territories.label(`E:${finess}`)));
    }
    return;
  }
  throw new MutationRejected(fr.beds.readOnlyRole);
}

export const bedMutators = {
  'unit.report': defineMutator(UnitReportArgs, (tx, args, ctx) => {
    if (!unitType(args.unitType)) throw new MutationRejected(fr.beds.unknownUnitType(args.unitType));
    if (!ctx.territories.establishment(args.finess)) throw new MutationRejected(fr.beds.unknownEstablishment(args.finess));
    checkReporter(ctx, args.finess, args.source);
    const errors = figureErrors(args);
    if (errors.length) throw new MutationRejected(errors.join(' '));
    const prev = tx.getCurrentReport(args.finess, args.unitType);
    // A register feed is automated: nobody is there to confirm; its jumps are accepted.
    if (args.source !== 'feed' && !args.confirmJump && needsJumpConfirmation(prev, args)) {
      throw new MutationRejected(fr.beds.jumpNeedsConfirmation(jumpFrom(prev, args), JUMP_CONFIRM_THRESHOLD));
    }
    if (tx.getReport(args.id)) throw new MutationRejected(fr.beds.reportExists);
    tx.insertReport({
      id: args.id,
      finess: args.finess,
      unitType: args.unitType,
      installed: args.installed,
      staffed: args.staffed,
      available: args.available,
      covidPos: args.covidPos,
      covidNeg: args.covidNeg,
      extra24h: args.extra24h,
      extra72h: args.extra72h,
      comment: args.comment,
      source: args.source,
      reportedBy: ctx.actor.displayName,
      reportedRole: ctx.actor.roleText,
      at: ctx.at,
      version: 0,
    });
  }),
};

// ---- aggregation with freshness -------------------------------------------------------

export interface FreshnessSettings {
  staleAfterHours: number;
  thresholds: { orange: number; red: number };
}
export const DEFAULT_FRESHNESS: FreshnessSettings = {
  staleAfterHours: DEFAULT_STALE_AFTER_HOURS,
  thresholds: { ...DEFAULT_TENSION_THRESHOLDS },
};

export function isStale(at: string, now: number, staleAfterHours: number): boolean {
  return now - Date.parse(at) > staleAfterHours * 3_600_000;
}

/** A total over units. It is never fresher than its stalest part: `oldestAt` is the oldest update inside it. */
export interface BedTotal {
  installed: number;
  staffed: number;
  available: number;
  units: number;
  staleUnits: number;
  /** The oldest report inside the total (null when empty). */
  oldestAt: string | null;
  newestAt: string | null;
}

export function emptyTotal(): BedTotal {
  return { installed: 0, staffed: 0, available: 0, units: 0, staleUnits: 0, oldestAt: null, newestAt: null };
}

export function addToTotal(t: BedTotal, r: Pick<UnitReport, 'installed' | 'staffed' | 'available' | 'at'>, stale: boolean): void {
  t.installed += r.installed;
  t.staffed += r.staffed;
  t.available += r.available;
  t.units += 1;
  if (stale) t.staleUnits += 1;
  if (t.oldestAt === null || r.at < t.oldestAt) t.oldestAt = r.at;
  if (t.newestAt === null || r.at > t.newestAt) t.newestAt = r.at;
}

/** Groups current reports into totals by a key (département, unit type, both…). */
export function totalsBy<K extends string>(
  reports: readonly UnitReport[],
  keyOf: (r: UnitReport) => K | null,
  now: number,
  settings: FreshnessSettings = DEFAULT_FRESHNESS,
): Map<K, BedTotal> {
  const out = new Map<K, BedTotal>();
  for (const r of reports) {
    const k = keyOf(r);
    if (k === null) continue;
    let t = out.get(k);
    if (!t) out.set(k, (t = emptyTotal()));
    addToTotal(t, r, isStale(r.at, now, settings.staleAfterHours));
  }
  return out;
}

/** Share of staffed beds in use (0..1), or null when nothing is staffed. */
export function occupancy(t: Pick<BedTotal, 'staffed' | 'available'>): number | null {
  return t.staffed > 0 ? (t.staffed - t.available) / t.staffed : null;
}

export type TensionLevel = 'green' | 'orange' | 'red' | 'none';

/** Green under the orange threshold, orange under the red one, red beyond; `none` without staffed beds. */
export function tensionOf(t: Pick<BedTotal, 'staffed' | 'available'>, thresholds = DEFAULT_FRESHNESS.thresholds): TensionLevel {
  const o = occupancy(t);
  if (o === null) return 'none';
  if (o < thresholds.orange) return 'green';
  if (o < thresholds.red) return 'orange';
  return 'red';
}
