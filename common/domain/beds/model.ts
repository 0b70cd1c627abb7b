/**
 * Critical-care beds (ROR+): unit reports and the arguments of a report.
 *
 * A unit is identified inside its establishment (`finess` + `unitId`): the ROR's unit
 * identifier or a name, so a hospital with two medical ICUs has two units; its `unitType`
 * says how it aggregates. A source that names no unit gets one unit per type (`unitId` =
 * the type's code). Reports are a time series; the current figures of a unit are its latest
 * report BY OBSERVATION TIME (`at`; between equal times, the one the server applied last): a
 * late batch of old figures goes into the history and never replaces newer ones.
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
  /** The unit inside its establishment: the ROR's identifier, a name, or (one unit per type) the type's code. */
  unitId: string;
  /** How people call the unit, when its id is not enough (`Réanimation médicale 2 — Babinski`). */
  unitName: string | null;
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
  /** When the figures were observed (the author's clock at entry, the register's or the extract's own time). */
  at: string;
  /** False when the sender gave no observation time: `at` is then when the report was received. */
  atKnown: boolean;
  version: number;
}

/** How far an observation time may lie ahead of the clock that receives it (clocks drift): further is refused. */
export const OBSERVED_AHEAD_MS = 10 * 60_000;

/** The key of a unit: `finess:unitId`. */
export const unitKey = (finess: string, unitId: string) => `${finess}:${unitId}`;

/** A unit id: 1 to 60 printable characters (a ROR identifier such as `94/666`, or a name). */
export const UNIT_ID_MAX = 60;
export const UnitIdSchema = z
  .string()
  .trim()
  .min(1, 'identifiant d’unité vide')
  .max(UNIT_ID_MAX, `identifiant d’unité de plus de ${UNIT_ID_MAX} caractères`)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'identifiant d’unité illisible (caractères de contrôle)');

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
  /** The unit inside its establishment; default: the type's code (one unit per type). */
  unitId: UnitIdSchema.optional(),
  unitName: z.string().trim().max(120).nullable().default(null),
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
  /**
   * When the figures were observed, when it is not the moment they are written (an extract's
   * date column, a register's time). Absent: the mutation's own time, which is the
   * observation time of a form entry and only the reception time of anything else.
   */
  observedAt: z.iso.datetime({ offset: true }).nullable().default(null),
});
export type UnitReportArgs = z.input<typeof UnitReportArgs>;
