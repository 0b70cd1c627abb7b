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
/**
 * Tension is read on free beds, as critical care counts them: none free (saturated), few
 * free (at most `fewFree` per unit on average), or enough. A percentage of occupancy made
 * almost every ICU red in 2020: 0 free of 18 looked like 5 free of 32.
 */
export const DEFAULT_TENSION_THRESHOLDS = { fewFree: 2 } as const;
export const REPORT_COMMENT_MAX = 500;

export type ReportSource = 'app' | 'import' | 'feed';

/** The ROR's temporary assignment of a unit's beds (`temporaryAssignement`, TRE_R337): none, COVID+, COVID−. */
export type Assignment = 'covid+' | 'covid-';
export const ASSIGNMENTS = ['covid+', 'covid-'] as const;
/** Which plan triggered the surge beds (ROR `crisisType`, TRE_R336): `01` PMIE 1, `02` SSE (plan blanc). */
export const CRISIS_TYPES = ['pmie1', 'sse'] as const;
/** Where the sender's figures come from (ROR `capacitySourceType`, TRE_R335). */
export const CAPACITY_SOURCES = ['manual', 'bedManagement', 'gam', 'dpi'] as const;

/**
 * The rest of the ROR's capacity picture of a unit (its FHIR `ror-location-supported-capacity`
 * statuses and temporalities), kept as the register sent it and shown in the unit's detail.
 * Each count is optional: a sender gives what it has.
 */
export interface RorDetail {
  /** `04` Réservé: beds held for an identified patient expected within 24 h. */
  reserved?: number;
  /** `03` Occupé with no COVID assignment (the COVID+/− ones are `covidPos`/`covidNeg`). */
  occupied?: number;
  /** `05` Fermé: closed beds (counted in the installed ones), and how many can reopen (`01` Réactivable). */
  closed?: number;
  closedReactivable?: number;
  /** `06` Supplémentaire not yet opened: `03` mobilisable with staff, `02` without staff. */
  surgeStaffable?: number;
  surgeUnstaffed?: number;
  crisisType?: (typeof CRISIS_TYPES)[number];
  sourceType?: (typeof CAPACITY_SOURCES)[number];
  /** `02` Disponible at +1 h, +24 h, +48 h, +7 days (TRE_R331 `02`–`05`). */
  forecast?: { h1?: number; h24?: number; h48?: number; d7?: number };
}

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
  /**
   * Surge beds: opened beyond the declared (installed) capacity for the crisis (the ROR's
   * `06` Supplémentaire « mobilisé »), counted as such. Staffed beds may reach installed −
   * closed + surge. Null: the sender said nothing (and staffed did not exceed installed).
   */
  surge: number | null;
  /** The unit's beds are set aside for COVID+ or COVID− patients (a « Réanimation COVID19 + »). */
  assignment: Assignment | null;
  /** A unit opened for the crisis (a recovery room used as an ICU). */
  temporary: boolean;
  /** The rest of the ROR capacity picture, when the sender gave it. */
  ror: RorDetail | null;
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
  surge?: number | null;
  ror?: RorDetail | null;
}

const beds = z
  .number({ error: 'nombre de lits attendu' })
  .int('nombre entier de lits attendu')
  .min(0, 'un nombre de lits ne peut pas être négatif')
  .max(MAX_BEDS_PER_UNIT, `plus de ${MAX_BEDS_PER_UNIT} lits dans une unité : valeur invraisemblable`);
const optionalBeds = beds.nullable().default(null);
const someBeds = beds.optional();

export const RorDetailSchema = z.strictObject({
  reserved: someBeds,
  occupied: someBeds,
  closed: someBeds,
  closedReactivable: someBeds,
  surgeStaffable: someBeds,
  surgeUnstaffed: someBeds,
  crisisType: z.enum(CRISIS_TYPES).optional(),
  sourceType: z.enum(CAPACITY_SOURCES).optional(),
  forecast: z.strictObject({ h1: someBeds, h24: someBeds, h48: someBeds, d7: someBeds }).optional(),
});
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
  /** Surge beds opened beyond the installed ones; absent with more staffed than installed beds, the excess is counted as surge. */
  surge: optionalBeds,
  assignment: z.enum(ASSIGNMENTS).nullable().default(null),
  temporary: z.boolean().default(false),
  ror: RorDetailSchema.nullable().default(null),
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
