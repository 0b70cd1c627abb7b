/**
 * The transfers board's part of ConsoleApi: the transfers in the user's scope (with the
 * places named and the next steps the user may take), one call per step, the holds every
 * bed view subtracts, and candidate destinations.
 */
import { z } from 'zod';
import { fr } from '../../i18n/fr';
import { call, returns, NoArgs, type MutationReceipt } from '../../engine/calls';
import { UnitIdSchema } from '../beds/model';
import type { EvacuationPlan } from './evacuation';
import type { OperationProgress } from './operation';
import { CarSchema, DEFAULT_HOLD_HOURS, LegSchema, MAX_CARS, MAX_HOLD_HOURS, MAX_LEGS, MAX_OPERATION_PATIENTS, PatientSchema, SeatSchema, UNANSWERED_AFTER_MINUTES, VEHICLES, type Car, type Leg, type Operation, type Seat, REASON_MAX, SUMMARY_MAX, TRANSPORTS, URGENCIES, type BedHold, type Transfer } from './model';
import type { TransferParty, TransferStepName } from './rules';

export interface TransferView extends Transfer {
  /** The clinical summary, when this workstation holds it (its user is a party: `summaryParties`); else null. */
  summary: string | null;
  /** When the server erased the summary's text at the end of its retention (the cache then holds no text); else null. */
  summaryPurgedAt: string | null;
  /** True when the signed-in user is one of the parties the summary is for. */
  summaryParty: boolean;
  originName: string;
  originDep: string;
  destName: string | null;
  /** The régions of its origin and destination (codes), for « ma région ». */
  regions: string[];
  samuLabel: string;
  /** True while a local change to it waits for the server. */
  pending: boolean;
  /** The steps the signed-in user may take now. */
  next: TransferStepName[];
  /** Who must act next (null when done). */
  whoActs: TransferParty | null;
  /** The user's own side(s) in it. */
  mine: TransferParty[];
  hold: BedHold | null;
}

export interface OperationView extends Operation {
  receivingLabel: string;
  pending: boolean;
  /** Its transfers, as the board shows them. */
  transfers: TransferView[];
  /** Read through `legsOf`, `carsOf`, `seatsOf` (rows from before legs and cars have them too). */
  legs: Leg[];
  cars: Car[];
  seats: Seat[];
  /** Transfer ids boarded. */
  boardedIds: string[];
  progress: OperationProgress;
  /** The short names of the destinations the progress counts by (FINESS → name). */
  destinationNames: Record<string, string>;
  /** True when the signed-in user may run it (the national cell, or the ARS of every patient's origin). */
  mayRun: boolean;
}

/** A unit the planner could use: its key is `finess:unitId`. */
export interface PlanUnitView {
  key: string;
  finess: string;
  unitId: string;
  unitType: string;
  label: string;
  establishmentName: string;
  free: number;
  minutes: number | null;
  stale: boolean;
}

export interface OperationPlanView {
  plan: EvacuationPlan;
  units: PlanUnitView[];
  /** The greedy nearest-first plan on the same case, for comparison. */
  greedyTotalMinutes: number;
  greedyPlaced: number;
  /** Road minutes from each leg's arrival to each unit (by unit key; null without coordinates). */
  minutesByLeg: Array<Record<string, number | null>>;
}

/** A unit that could take the patient: free beds not held, its freshness, an estimated time when known. */
export interface CandidateView {
  finess: string;
  unitId: string;
  unitType: string;
  label: string;
  establishmentName: string;
  dep: string;
  available: number;
  held: number;
  free: number;
  at: string;
  stale: boolean;
  minutes: number | null;
}

const Finess = z.string().regex(/^[0-9][0-9AB][0-9]{7}$/, 'numéro FINESS à 9 caractères attendu');
const Comment = z.string().trim().max(REASON_MAX).optional();
const Reason = z.string().trim().min(3, 'motif requis (3 caractères au moins)').max(REASON_MAX);

/** An operation's shape as the planning view sends it (seats omitted: placed in order). */
const OperationShape = z.strictObject({
  label: z.string().trim().min(3, 'nom de l’opération requis').max(120),
  vehicle: z.enum(VEHICLES),
  legs: z.array(LegSchema).min(1).max(MAX_LEGS),
  cars: z.array(CarSchema).min(1).max(MAX_CARS),
  receivingRegion: z.string().regex(/^R:\d{2}$/),
  transferIds: z.array(z.uuid()).min(1).max(MAX_OPERATION_PATIENTS),
  seats: z.array(SeatSchema).max(MAX_OPERATION_PATIENTS).nullable().optional(),
});

export const TransferStepCall = z.discriminatedUnion('step', [
  z.strictObject({ id: z.uuid(), step: z.enum(['submit', 'depart', 'arrive']), comment: Comment }),
  z.strictObject({ id: z.uuid(), step: z.literal('propose'), destFiness: Finess, destUnitId: UnitIdSchema, transport: z.enum(TRANSPORTS).nullable().optional(), comment: Comment }),
  z.strictObject({ id: z.uuid(), step: z.literal('accept'), holdHours: z.number().min(1).max(MAX_HOLD_HOURS).optional(), comment: Comment }),
  z.strictObject({ id: z.uuid(), step: z.enum(['refuse', 'cancel']), reason: z.string().trim().min(3, 'motif requis (3 caractères au moins)').max(REASON_MAX) }),
  z.strictObject({ id: z.uuid(), step: z.literal('organize'), transport: z.enum(TRANSPORTS, { error: 'moyen de transport attendu' }), comment: Comment }),
]);

/** What a transfer's party is told when it reaches them (a desktop notification on Electron, a banner in the board). */
export interface TransferNotice {
  id: string;
  number: string;
  kind: 'incoming' | 'accepted' | 'refused' | 'unanswered' | 'expired';
  text: string;
}

const UNANSWERED_MIN_MINUTES = 5;
const UNANSWERED_MAX_MINUTES = 240;

/**
 * This workstation's transfer delays (issue 8): the hold an acceptance proposes, and how long
 * a proposal waits before it is flagged and told to the requesting SAMU. Kept in the cache's
 * meta like the bed board's freshness settings.
 */
export const TransferSettingsSchema = z.strictObject({
  holdHours: z
    .number({ error: fr.transfers.settings.holdHours })
    .int(fr.transfers.settings.holdHoursInt)
    .min(1, fr.transfers.settings.holdHoursMin)
    .max(MAX_HOLD_HOURS, fr.transfers.settings.holdHoursMax(MAX_HOLD_HOURS)),
  unansweredAfterMinutes: z
    .number({ error: fr.transfers.settings.unanswered })
    .int(fr.transfers.settings.unansweredInt)
    .min(UNANSWERED_MIN_MINUTES, fr.transfers.settings.unansweredMin(UNANSWERED_MIN_MINUTES))
    .max(UNANSWERED_MAX_MINUTES, fr.transfers.settings.unansweredMax(UNANSWERED_MAX_MINUTES)),
});
export type TransferSettings = z.infer<typeof TransferSettingsSchema>;
export const DEFAULT_TRANSFER_SETTINGS: TransferSettings = { holdHours: DEFAULT_HOLD_HOURS, unansweredAfterMinutes: UNANSWERED_AFTER_MINUTES };

/** Events main pushes for the transfers board. */
export const transferEvents = {
  'transfer.notice': returns<TransferNotice>(),
} as const;

export const transferCalls = {
  'transfers.list': call(NoArgs, returns<TransferView[]>()),
  'transfers.create': call(
    z.strictObject({
      patient: PatientSchema,
      summary: z.string().trim().max(SUMMARY_MAX).optional(),
      originFiness: Finess,
      originUnitId: UnitIdSchema.nullable().optional(),
      urgency: z.enum(URGENCIES),
      transport: z.enum(TRANSPORTS).nullable().optional(),
      draft: z.boolean().optional(),
      comment: Comment,
    }),
    returns<MutationReceipt>(),
  ),
  'transfers.step': call(TransferStepCall, returns<MutationReceipt>()),
  /** A new text of the clinical summary (origin establishment or requesting SAMU; the mutator checks). */
  'transfers.summary': call(z.strictObject({ id: z.uuid(), summary: z.string().trim().max(SUMMARY_MAX) }), returns<MutationReceipt>()),
  /** Holds on the units in the user's scope, for the bed views (they subtract those that take a bed). */
  'transfers.holds': call(NoArgs, returns<BedHold[]>()),
  /** This workstation's delays (defaults until changed). */
  'transfers.settings': call(NoArgs, returns<TransferSettings>()),
  'transfers.setSettings': call(TransferSettingsSchema, returns<TransferSettings>()),
  'transfers.candidates': call(z.strictObject({ id: z.uuid() }), returns<CandidateView[]>()),
  'transfers.operations': call(NoArgs, returns<OperationView[]>()),
  'transfers.createOperation': call(OperationShape, returns<MutationReceipt>()),
  /** A re-plan of an operation whose beds are not held yet (the whole new shape). */
  'transfers.updateOperation': call(OperationShape.extend({ id: z.uuid() }), returns<MutationReceipt>()),
  /** Patients boarded: those listed, or every patient of one car (index in `cars`) not boarded yet. */
  'transfers.boardOperation': call(
    z.union([
      z.strictObject({ id: z.uuid(), transferIds: z.array(z.uuid()).min(1).max(MAX_OPERATION_PATIENTS) }),
      z.strictObject({ id: z.uuid(), car: z.number().int().min(0).max(MAX_CARS) }),
    ]),
    returns<MutationReceipt>(),
  ),
  'transfers.cancelOperation': call(z.strictObject({ id: z.uuid(), reason: Reason }), returns<MutationReceipt>()),
  'transfers.releaseFromOperation': call(z.strictObject({ id: z.uuid(), transferId: z.uuid(), reason: Reason }), returns<MutationReceipt>()),
  /** A proposed assignment of the operation's patients to units of the receiving région (the planner's, with its arithmetic). */
  'transfers.planOperation': call(z.strictObject({ id: z.uuid() }), returns<OperationPlanView>()),
  'transfers.holdOperation': call(
    z.strictObject({ id: z.uuid(), assignments: z.array(z.strictObject({ transferId: z.uuid(), destFiness: Finess, destUnitId: UnitIdSchema })).min(1).max(MAX_OPERATION_PATIENTS) }),
    returns<MutationReceipt>(),
  ),
} as const;

export { DEFAULT_HOLD_HOURS };
