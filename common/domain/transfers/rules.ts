/**
 * The transfer state machine, enforced by the mutators on the server (and by the same code
 * on a workstation, so a refusal is known before sending where it can be): for each step,
 * the states it leaves, the state it reaches, and who may take it. A refusal is a sentence a
 * regulator understands. Pure.
 */
import { fr } from '../../i18n/fr';
import type { Role } from '../../territory';
import type { Transfer, TransferState } from './model';

export type TransferStepName = 'submit' | 'propose' | 'accept' | 'refuse' | 'organize' | 'depart' | 'arrive' | 'cancel';

/** Who acts in a transfer, as the rules name them. */
export type TransferParty = 'origin' | 'samu' | 'destination';

export interface StepRule {
  from: readonly TransferState[];
  to: TransferState;
  by: readonly TransferParty[];
}

export const STEP_RULES: Record<TransferStepName, StepRule> = {
  submit: { from: ['brouillon'], to: 'demande', by: ['origin', 'samu'] },
  propose: { from: ['demande', 'refuse'], to: 'propose', by: ['samu'] },
  accept: { from: ['propose'], to: 'accepte', by: ['destination'] },
  refuse: { from: ['propose'], to: 'refuse', by: ['destination'] },
  organize: { from: ['accepte'], to: 'transport', by: ['samu'] },
  depart: { from: ['transport'], to: 'en_route', by: ['samu', 'origin'] },
  arrive: { from: ['en_route'], to: 'arrive', by: ['destination'] },
  cancel: { from: ['brouillon', 'demande', 'propose', 'accepte', 'refuse', 'transport', 'en_route'], to: 'annule', by: ['samu', 'origin'] },
};

/**
 * The parties an actor is in a transfer (an ARS or the national cell reads, never acts; an
 * establishment's pharmacy (PUI) reads its establishment's transfers, never acts on them).
 */
export function partiesOf(role: Role, t: Pick<Transfer, 'originFiness' | 'samu' | 'destFiness'>): TransferParty[] {
  const out: TransferParty[] = [];
  if (role.kind === 'establishment' && role.pui) return out;
  if (role.kind === 'establishment' && role.finess === t.originFiness) out.push('origin');
  if (role.kind === 'samu' && `D:${role.dep}` === t.samu) out.push('samu');
  if (role.kind === 'establishment' && t.destFiness !== null && role.finess === t.destFiness) out.push('destination');
  return out;
}

/** Why `step` cannot be taken on `t` by `role`, in French; null when it can. */
export function stepRefusal(step: TransferStepName, t: Transfer, role: Role): string | null {
  const rule = STEP_RULES[step];
  if (!rule.from.includes(t.state)) return fr.transfers.wrongState(fr.transfers.step[step], fr.transfers.state[t.state]);
  const mine = partiesOf(role, t);
  if (!rule.by.some((p) => mine.includes(p))) return fr.transfers.notYourStep(fr.transfers.step[step], rule.by.map((p) => fr.transfers.party[p]).join(' ou '));
  return null;
}

/** The next steps `role` may take on `t` (for the views' "next action" and its shortcut). */
export function nextSteps(t: Transfer, role: Role): TransferStepName[] {
  return (Object.keys(STEP_RULES) as TransferStepName[]).filter((s) => stepRefusal(s, t, role) === null);
}

/** Who must act next, whatever the viewer (a card says it). */
export function whoActs(state: TransferState): TransferParty | null {
  switch (state) {
    case 'brouillon':
      return 'origin';
    case 'demande':
    case 'refuse':
    case 'accepte':
    case 'transport':
      return 'samu';
    case 'propose':
    case 'en_route':
      return 'destination';
    default:
      return null;
  }
}
