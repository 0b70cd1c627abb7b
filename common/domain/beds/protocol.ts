/**
 * What the bed board adds to the sync protocol: the `beds:history` socket event (a unit's
 * report history, scoped like a pull) and the register feed over HTTP (external registers
 * push unit reports with an API key bound to a territory). docs/protocol.md §13 documents both.
 */
import { z } from 'zod';
import { MAX_PULL_LIMIT, type AskEvent } from '../../engine/wire';
import { ASSIGNMENTS, CAPACITY_SOURCES, CRISIS_TYPES, UnitIdSchema, type UnitReport } from './model';

export const bedsWire = {
  history: 'beds:history',
  picture: 'beds:picture',
} as const;

export const bedsHttp = {
  /** Register feed: external registers push unit reports with an API key bound to a territory. */
  feedUnitReports: '/api/feed/unit-reports',
  /** The same feed in the ROR's FHIR shape: a Bundle of Locations with their supported-capacity extensions. */
  feedFhir: '/api/feed/fhir',
} as const;

/** A unit's report history (scoped like a pull): newest observation first. */
export const HistoryRequestSchema = z.strictObject({
  finess: z.string().regex(/^[0-9][0-9AB][0-9]{7}$/),
  unitType: z.string().min(2).max(20),
  /** The unit inside its establishment; default: `unitType` (one unit per type). */
  unitId: UnitIdSchema.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
});
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;
export interface HistoryResult {
  reports: UnitReport[];
}

export const MAX_FEED_REPORTS = 2_000;
const feedBeds = z.number().int().min(0);
/** One report from an external register (`unitType`: a Vigie code or the ROR label). */
export const FeedReportSchema = z.strictObject({
  finess: z.string(),
  unitType: z.string().min(1).max(120),
  /** The register's own identifier of the unit; absent: one unit per type in the establishment. */
  unitId: UnitIdSchema.optional(),
  unitName: z.string().trim().max(120).optional(),
  installed: feedBeds,
  staffed: feedBeds,
  available: feedBeds,
  covidPos: feedBeds.nullable().optional(),
  covidNeg: feedBeds.nullable().optional(),
  extra24h: feedBeds.nullable().optional(),
  extra72h: feedBeds.nullable().optional(),
  /** Surge beds opened beyond the installed ones (ROR `06` « mobilisé »); absent with staffed > installed, the excess is counted as surge. */
  surge: feedBeds.nullable().optional(),
  /** COVID+/− unit (ROR `temporaryAssignement`); a label such as `Réanimation COVID19 +` says it too. */
  assignment: z.enum(ASSIGNMENTS).nullable().optional(),
  /** A unit opened for the crisis (a recovery room used as an ICU); a label such as `SSPI transformée en réanimation` says it too. */
  temporary: z.boolean().optional(),
  /** The rest of the ROR capacity picture (counts checked per line, like the figures). */
  ror: z
    .strictObject({
      reserved: feedBeds.optional(),
      occupied: feedBeds.optional(),
      closed: feedBeds.optional(),
      closedReactivable: feedBeds.optional(),
      surgeStaffable: feedBeds.optional(),
      surgeUnstaffed: feedBeds.optional(),
      crisisType: z.enum(CRISIS_TYPES).optional(),
      sourceType: z.enum(CAPACITY_SOURCES).optional(),
      forecast: z.strictObject({ h1: feedBeds.optional(), h24: feedBeds.optional(), h48: feedBeds.optional(), d7: feedBeds.optional() }).optional(),
    })
    .nullable()
    .optional(),
  comment: z.string().max(500).optional(),
  /** When the register observed the figures; absent, the report is marked as having no observation time (the reception time stands in). */
  at: z.iso.datetime({ offset: true }).optional(),
});
export const FeedRequestSchema = z.strictObject({ reports: z.array(FeedReportSchema).min(1).max(MAX_FEED_REPORTS) });
export type FeedRequest = z.infer<typeof FeedRequestSchema>;
export interface FeedResult {
  results: Array<{ index: number; status: 'applied'; version: number } | { index: number; status: 'rejected'; reason: string }>;
}

/**
 * The units' figures of some départements at an instant (`beds:picture`): the SAMU's view
 * of the beds around it (its département's neighbours are outside its branch) and the
 * "as of" view (the picture at a past instant, from the history). Each unit's latest report
 * observed at or before `at` (default: now); a unit with no report by then is absent.
 */
export const PictureRequestSchema = z.strictObject({
  /** Départements (codes); default: the user's own scope. */
  deps: z.array(z.string().regex(/^(?:[0-9]{2}|2A|2B|97[0-9])$/, 'code de département attendu')).min(1).max(120).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});
export type PictureRequest = z.infer<typeof PictureRequestSchema>;
export interface PictureResult {
  reports: UnitReport[];
  /** The server's clock when it answered (ISO). */
  serverTime: string;
}

/** The Socket.IO events the bed board adds. */
export interface BedsSocketEvents {
  'beds:history': AskEvent<HistoryRequest, HistoryResult>;
  'beds:picture': AskEvent<PictureRequest, PictureResult>;
}
