/**
 * The ConsoleApi calls of regional redeployments: the « Redéploiements » view (the suggestion
 * for a molecule and a presentation in a région, and the moves tracked there), the ARS's
 * validation of chosen moves, a step of a move (ship, receive, cancel) and the moves an
 * establishment takes part in (its stocks board shows them with their next action).
 */
import { z } from 'zod';
import { call, returns, NoArgs, type MutationReceipt } from '../../engine/calls';
import { MOLECULE_CODES, type MoleculeCode } from './products';
import type { RedeployMove, RedeployUnmet } from './redeploy';
import type { Redeployment, RedeployStepName } from './redeployment';

/** A move as the views show it: names, the presentation, pending or not, and what the viewer may do next. */
export interface RedeploymentItem extends Redeployment {
  fromName: string;
  toName: string;
  presentationLabel: string;
  pending: boolean;
  next: RedeployStepName[];
  /** The viewer's side of the move, when its establishment gives or receives it. */
  side: 'giver' | 'receiver' | null;
}

export interface SuggestedMove extends RedeployMove {
  fromName: string;
  toName: string;
  /**
   * Why the server would refuse this move as it stands (the suggestion counts a molecule in mg
   * across presentations; the move needs the giver to hold the units of the chosen one), or null.
   */
  problem: string | null;
}

export interface RedeployMine {
  scope: 'region' | 'establishment' | 'none';
  /** The moves the user's establishment gives or receives (empty for other roles). */
  moves: RedeploymentItem[];
}

export interface RedeployView {
  /** True for the ARS of the shown région: it validates moves. */
  canPropose: boolean;
  regions: Array<{ code: string; name: string }>;
  region: string | null;
  molecule: MoleculeCode;
  presentations: Array<{ cip13: string; label: string; mgPerUnit: number; establishments: number }>;
  cip13: string | null;
  surplusDays: number;
  alertDays: number;
  /** Null when there is no région or presentation to suggest for. */
  suggestion: {
    moves: SuggestedMove[];
    unmet: Array<RedeployUnmet & { name: string }>;
    unknown: Array<{ finess: string; name: string }>;
    totals: { givers: number; receivers: number; movedUnits: number; neededUnits: number; missingUnits: number; totalKm: number };
  } | null;
  /** The moves of the région, latest first. */
  moves: RedeploymentItem[];
}

const FinessArg = z.string().regex(/^[0-9][0-9AB][0-9]{7}$/, 'numéro FINESS à 9 caractères attendu');

export const redeployCalls = {
  'redeployments.view': call(
    z.strictObject({
      region: z.string().regex(/^\d{2}$/, 'code de région à 2 chiffres attendu').optional(),
      molecule: z.enum(MOLECULE_CODES).optional(),
      cip13: z.string().regex(/^\d{13}$/, 'code CIP13 à 13 chiffres attendu').optional(),
      surplusDays: z.number().optional(),
      alertDays: z.number().optional(),
    }),
    returns<RedeployView>(),
  ),
  'redeployments.propose': call(
    z.strictObject({
      cip13: z.string().regex(/^\d{13}$/, 'code CIP13 à 13 chiffres attendu'),
      surplusDays: z.number(),
      alertDays: z.number(),
      moves: z.array(z.strictObject({ from: FinessArg, to: FinessArg, units: z.number() })).min(1, 'cochez au moins une proposition'),
    }),
    returns<MutationReceipt>(),
  ),
  'redeployments.step': call(z.strictObject({ id: z.uuid('identifiant invalide'), step: z.enum(['ship', 'receive', 'cancel']) }), returns<MutationReceipt>()),
  /** What this user does with redeployments: `region` (ARS, national: the « Redéploiements » tab), `establishment` (its moves, with their next step), `none`. */
  'redeployments.mine': call(NoArgs, returns<RedeployMine>()),
} as const;

