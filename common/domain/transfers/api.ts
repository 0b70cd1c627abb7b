/**
 * The transfers board's part of ConsoleApi: the transfers in the user's scope (with the
 * places named and the next steps the user may take), one call per step, the holds every
 * bed view subtracts, and candidate destinations.
 */
import { z } from 'zod';
import { call, returns, NoArgs, type MutationReceipt } from '../../engine/calls';
import { UnitIdSchema } from '../beds/model';
import { DEFAULT_HOLD_HOURS, MAX_HOLD_HOURS, PatientSchema, REASON_MAX, SUMMARY_MAX, TRANSPORTS, URGENCIES, type BedHold, type Transfer } from './model';
import type { TransferParty, TransferStepName } from './rules';

export interface TransferView extends Transfer {
  originName: string;
  originDep: string;
  destName: string | null;
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
  kind: 'incoming' | 'accepted' | 'refused' | 'unanswered';
  text: string;
}

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
  /** Holds on the units in the user's scope, for the bed views (they subtract those that take a bed). */
  'transfers.holds': call(NoArgs, returns<BedHold[]>()),
  'transfers.candidates': call(z.strictObject({ id: z.uuid() }), returns<CandidateView[]>()),
} as const;

export { DEFAULT_HOLD_HOURS };
