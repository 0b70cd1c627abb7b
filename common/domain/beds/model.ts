/**
 * Critical-care beds (ROR+): unit reports and the arguments of a report.
 *
 * A unit is one unit type in one establishment (`finess` + `unitType`). Reports are a time
 * series; the current figures of a unit are its latest report in SERVER order
 * (latest-report-wins): two reports in flight resolve to the one the server applied last.
 * History is kept.
 */
import { z } from 'zod';
import { UNIT_TYPE_CODES } from './unitTypes';

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
  /**
   * What the client says it is doing (`app`: a form, `import`: a register extract). The
   * stored source is decided by the server from the path the report came by; this can only
   * restrict (a crisis cell's form entry is refused), never grant.
   */
  source: z.enum(['app', 'import', 'feed']).default('app'),
  /** The reporter saw the jump warning and confirmed it. */
  confirmJump: z.boolean().default(false),
});
export type UnitReportArgs = z.input<typeof UnitReportArgs>;
