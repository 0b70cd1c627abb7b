/**
 * National allocation rounds (issue 9), as synced rows: the national cell shares a delivery
 * of one presentation between establishments by the key of `allocation.ts`, adjusts lines by
 * hand, validates; each establishment sees its own line and confirms receipt.
 *
 * Model (who sees what). A round is two kinds of rows:
 * - one `allocationRound` scoped `FR`: the molecule, the delivered presentation, the supply,
 *   the parameters of the key and the totals — nothing per establishment, so every post may
 *   see it (the consigne in the main courante says as much);
 * - one `allocationLine` per establishment scoped `E:<FINESS>`: its inputs (mg on hand, mg
 *   used a day, COVID+ occupancy), every intermediate figure of the key, the proposed and the
 *   final quota, and the confirmation of receipt. The branch rule gives it to the
 *   establishment (and its PUI), its SAMU, its ARS and the national cell — never to another
 *   establishment.
 *
 * The figures of a line are not taken from the payload: `allocation.validate` carries the
 * inputs as the national cell's workstation read them and the quotas it chose, and the
 * mutator runs `allocate()` again on those inputs (same inputs, same figures) and
 * `adjustAllocation()` on the quotas. Runs anywhere.
 */
import { z } from 'zod';
import { defineEntity } from '../../engine/entity';
import { fr } from '../../i18n/fr';
import type { AllocationLine, AllocationParameters } from './allocation';
import { Cip13Schema, MAX_UNITS } from './model';
import type { MoleculeCode } from './products';

/** The default target: the national quotas of spring 2020 were about 7 days of use. */
export const DEFAULT_TARGET_DAYS = 7;
/** A round names at most this many establishments (about 2,300 in FINESS; the demo stocks some 250). */
export const MAX_ROUND_LINES = 5_000;

export interface AllocationRoundTotals {
  supplyUnits: number;
  /** Σ need in units (lines with a known need). */
  needUnits: number;
  /** What the key proposed. */
  proposedUnits: number;
  /** What was validated (after adjustments). */
  allocatedUnits: number;
  /** supply − allocated: left with the national level. */
  leftUnits: number;
  lines: number;
  adjustedLines: number;
  unknownNeedLines: number;
}

/** A validated round: the national row every post may read. */
export interface AllocationRound {
  id: string;
  molecule: MoleculeCode;
  cip13: string;
  presentationLabel: string;
  mgPerUnit: number;
  targetDays: number;
  parameters: AllocationParameters;
  totals: AllocationRoundTotals;
  /** The consigne published in the main courante. */
  messageId: string;
  validatedBy: string;
  validatedRole: string;
  validatedAt: string;
  version: number;
}

/** One establishment's line of a validated round. */
export interface AllocationRoundLine {
  /** `<round id>:<FINESS>`. */
  id: string;
  roundId: string;
  finess: string;
  molecule: MoleculeCode;
  cip13: string;
  presentationLabel: string;
  mgPerUnit: number;
  /** Inputs and every intermediate figure of the key, as `allocate()` computed them. */
  figures: AllocationLine;
  /** What the key proposed (figures.quota). */
  proposed: number;
  /** What was validated. */
  quota: number;
  adjusted: boolean;
  validatedBy: string;
  validatedAt: string;
  confirmedBy: string | null;
  confirmedRole: string | null;
  confirmedAt: string | null;
  version: number;
}

export const roundLineId = (roundId: string, finess: string): string => `${roundId}:${finess}`;

const Finess = z.string().regex(/^[0-9][0-9AB][0-9]{7}$/, fr.stocks.field.finess);

/** One establishment's inputs as the national workstation read them, and the quota chosen. */
export const RoundLineArgs = z.strictObject({
  finess: Finess,
  onHandMg: z.number().min(0).max(1e12),
  dailyUseMg: z.number().min(0).max(1e12).nullable(),
  covidOccupied: z.number().int().min(0).max(100_000).nullable(),
  quota: z.number({ error: fr.allocationRounds.quota }).int(fr.allocationRounds.quota).min(0, fr.allocationRounds.quota).max(MAX_UNITS, fr.allocationRounds.quota),
});

/** `allocation.validate`: the round as proposed and adjusted on the national workstation. */
export const AllocationValidateArgs = z.strictObject({
  roundId: z.uuid(),
  cip13: Cip13Schema,
  supplyUnits: z.number({ error: fr.allocationRounds.supply }).int(fr.allocationRounds.supply).min(1, fr.allocationRounds.supply).max(MAX_UNITS, fr.allocationRounds.supply),
  targetDays: z.number({ error: fr.allocationRounds.targetDays }).min(1, fr.allocationRounds.targetDays).max(60, fr.allocationRounds.targetDays),
  weightByOccupancy: z.boolean(),
  lines: z.array(RoundLineArgs).min(1, fr.allocationRounds.noLine).max(MAX_ROUND_LINES),
});
export type AllocationValidateInput = z.input<typeof AllocationValidateArgs>;

/** `allocation.confirm`: the establishment confirms receipt of its line. */
export const AllocationConfirmArgs = z.strictObject({ roundId: z.uuid(), finess: Finess });

export const allocationRoundEntity = defineEntity<AllocationRound>()('allocationRound', {
  key: (r) => r.id,
  scope: () => 'FR',
  pull: 'log',
});

export const allocationLineEntity = defineEntity<AllocationRoundLine>()('allocationLine', {
  key: (l) => l.id,
  scope: (l) => `E:${l.finess}`,
  pull: 'log',
});

/** The rounds' part of the stocks board's slice. */
export interface RoundsTx {
  getRound(id: string): AllocationRound | undefined;
  putRound(round: AllocationRound): void;
  getRoundLine(id: string): AllocationRoundLine | undefined;
  putRoundLine(line: AllocationRoundLine): void;
}
