/**
 * The allocation rounds' part of ConsoleApi: the national cell's proposal (computed by main
 * from the current stock lines and the bed board's COVID+ occupancy it holds), its
 * validation, the rounds a user sees, and an establishment's confirmation of receipt.
 */
import { z } from 'zod';
import { call, returns, NoArgs, type MutationReceipt } from '../../engine/calls';
import { fr } from '../../i18n/fr';
import type { AllocationProposal } from './allocation';
import type { StockExportFile } from './ioApi';
import { Cip13Schema } from './model';
import type { Molecule, Presentation } from './products';
import { AllocationConfirmArgs, AllocationValidateArgs, DEFAULT_TARGET_DAYS, type AllocationRound, type AllocationRoundLine } from './rounds';

/** Where an establishment is, for the tables. */
export interface PlaceName {
  name: string;
  dep: string;
  regionName: string;
}

export const AllocationProposeArgs = z.strictObject({
  cip13: Cip13Schema,
  supplyUnits: z.number({ error: fr.allocationRounds.supply }).int(fr.allocationRounds.supply).min(1, fr.allocationRounds.supply).max(1_000_000, fr.allocationRounds.supply),
  targetDays: z.number({ error: fr.allocationRounds.targetDays }).min(1, fr.allocationRounds.targetDays).max(60, fr.allocationRounds.targetDays).default(DEFAULT_TARGET_DAYS),
  weightByOccupancy: z.boolean().default(false),
});

/** A proposal as the national cell reviews it before adjusting and validating. */
export interface AllocationProposalView {
  cip13: string;
  presentationLabel: string;
  moleculeLabel: string;
  mgPerUnit: number;
  supplyUnits: number;
  targetDays: number;
  weightByOccupancy: boolean;
  proposal: AllocationProposal;
  names: Record<string, PlaceName>;
}

export interface RoundLineView extends AllocationRoundLine, PlaceName {
  pending: boolean;
}

export interface RoundView {
  round: AllocationRound;
  /** The lines this user sees: every line for the national cell, its région's for an ARS, its own for an establishment. */
  lines: RoundLineView[];
  confirmed: number;
  /** Lines with units to receive. */
  toConfirm: number;
  pending: boolean;
}

export interface RoundsView {
  national: boolean;
  /** The establishment whose lines this user confirms (an establishment or PUI account), or null. */
  confirmFor: string | null;
  /** The referential, for the national cell's choice of molecule and presentation. */
  molecules: Array<Molecule & { presentations: Presentation[] }>;
  /** Latest validated first. */
  rounds: RoundView[];
}

export const roundCalls = {
  'allocations.view': call(NoArgs, returns<RoundsView>()),
  'allocations.propose': call(AllocationProposeArgs, returns<AllocationProposalView>()),
  /** Validates a round; the workstation gives it its id. */
  'allocations.validate': call(AllocationValidateArgs.omit({ roundId: true }), returns<MutationReceipt>()),
  'allocations.confirm': call(AllocationConfirmArgs, returns<MutationReceipt>()),
  /** A round as CSV (its lines) or XLSX (the round and its lines), with every figure of the key: the lines this user sees. */
  'allocations.export': call(z.strictObject({ roundId: z.uuid(), format: z.enum(['csv', 'xlsx']) }), returns<StockExportFile>()),
} as const;
