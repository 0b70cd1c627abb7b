/**
 * Regional redeployments of the stocks board (issue 9): one move of whole units of one
 * presentation from an establishment with a surplus to one about to run out, in one région,
 * tracked proposé → expédié → reçu (or annulé), with who and when at each step.
 *
 * The ARS of the région proposes (from the suggestion of `suggestRedeployment`, checked
 * again here: the giver holds the units and keeps its surplus threshold), the giver ships,
 * the receiver receives, and on receipt the stock of both sides follows, exactly once: a new
 * stock line for the giver (− units) and one for the receiver (+ units, counted as a
 * delivery), dated at the receipt. The ARS may cancel before receipt. Pure rules; the
 * mutators are in `redeployMutators.ts`.
 */
import { z } from 'zod';
import { fr } from '../../i18n/fr';
import type { Role } from '../../territory';
import { averageDailyUse } from './cover';
import type { StockLine } from './model';
import type { MoleculeCode, Products } from './products';

export type RedeploymentState = 'propose' | 'expedie' | 'recu' | 'annule';
export const REDEPLOYMENT_STATES: readonly RedeploymentState[] = ['propose', 'expedie', 'recu', 'annule'];

/** Who took a step, and when (the author's clock). */
export interface RedeploymentStepRecord {
  by: string;
  role: string;
  at: string;
}

export interface Redeployment {
  id: string;
  /** The région of both establishments (INSEE code). */
  region: string;
  molecule: MoleculeCode;
  cip13: string;
  /** The giver's FINESS. */
  from: string;
  /** The receiver's FINESS. */
  to: string;
  units: number;
  state: RedeploymentState;
  /** Great-circle km between the two, null without coordinates. */
  distanceKm: number | null;
  /** The thresholds the ARS proposed with (days of cover). */
  surplusDays: number;
  alertDays: number;
  proposed: RedeploymentStepRecord;
  shipped: RedeploymentStepRecord | null;
  received: RedeploymentStepRecord | null;
  cancelled: RedeploymentStepRecord | null;
  version: number;
}

/** Thresholds by default, as `docs/stocks-method.md` §2 gives them. */
export const DEFAULT_REDEPLOY_THRESHOLDS = { surplusDays: 14, alertDays: 7 } as const;
/** At most this many moves validated at once. */
export const MAX_MOVES_PER_PROPOSAL = 100;

const FinessArg = z.string().regex(/^[0-9][0-9AB][0-9]{7}$/, fr.stocks.field.finess);
const Days = z.number({ error: fr.redeploy.daysNumber }).min(0, fr.redeploy.daysRange).max(90, fr.redeploy.daysRange);

export const RedeployThresholdsSchema = z
  .strictObject({ surplusDays: Days, alertDays: Days })
  .refine((t) => t.surplusDays >= t.alertDays, { message: fr.redeploy.thresholdOrder, path: ['surplusDays'] });

const MoveArgs = z.strictObject({
  id: z.uuid(fr.redeploy.badId),
  from: FinessArg,
  to: FinessArg,
  units: z.number({ error: fr.redeploy.unitsWhole }).int(fr.redeploy.unitsWhole).min(1, fr.redeploy.unitsWhole).max(1_000_000, fr.redeploy.unitsWhole),
});

/** `redeployment.propose`: the moves the ARS validated, for one presentation, all or nothing. */
export const RedeployProposeArgs = z
  .strictObject({
    cip13: z.string().regex(/^\d{13}$/, fr.stocks.field.cip13),
    surplusDays: Days,
    alertDays: Days,
    moves: z.array(MoveArgs).min(1, fr.redeploy.noMove).max(MAX_MOVES_PER_PROPOSAL),
  })
  .refine((a) => a.surplusDays >= a.alertDays, { message: fr.redeploy.thresholdOrder, path: ['surplusDays'] });

export const RedeployStepArgs = z.strictObject({ id: z.uuid(fr.redeploy.badId) });

export type RedeployStepName = 'ship' | 'receive' | 'cancel';
export type RedeployParty = 'giver' | 'receiver' | 'ars';

export const REDEPLOY_STEP_RULES: Record<RedeployStepName, { from: readonly RedeploymentState[]; to: RedeploymentState; by: readonly RedeployParty[] }> = {
  ship: { from: ['propose'], to: 'expedie', by: ['giver'] },
  receive: { from: ['expedie'], to: 'recu', by: ['receiver'] },
  cancel: { from: ['propose', 'expedie'], to: 'annule', by: ['ars'] },
};

/** The parties `role` is in a move: its giver's or receiver's establishment (PUI or not), or the ARS of its région. */
export function redeployPartiesOf(role: Role, r: Pick<Redeployment, 'from' | 'to' | 'region'>): RedeployParty[] {
  const out: RedeployParty[] = [];
  if (role.kind === 'establishment' && role.finess === r.from) out.push('giver');
  if (role.kind === 'establishment' && role.finess === r.to) out.push('receiver');
  if (role.kind === 'ars' && role.region === r.region) out.push('ars');
  return out;
}

/** Why `step` cannot be taken on `r` by `role`, in French; null when it can. */
export function redeployStepRefusal(step: RedeployStepName, r: Redeployment, role: Role): string | null {
  const rule = REDEPLOY_STEP_RULES[step];
  if (!rule.from.includes(r.state)) return fr.redeploy.wrongState(fr.redeploy.step[step], fr.redeploy.state[r.state]);
  const mine = redeployPartiesOf(role, r);
  if (!rule.by.some((p) => mine.includes(p))) return fr.redeploy.notYourStep(fr.redeploy.step[step], rule.by.map((p) => fr.redeploy.party[p]).join(' ou '));
  return null;
}

/** The steps `role` may take now (the views' « next action »). */
export function redeployNextSteps(r: Redeployment, role: Role): RedeployStepName[] {
  return (Object.keys(REDEPLOY_STEP_RULES) as RedeployStepName[]).filter((s) => redeployStepRefusal(s, r, role) === null);
}

/** Open moves (proposed or shipped) still take units from their giver and bring them to their receiver. */
export const isOpen = (r: Pick<Redeployment, 'state'>): boolean => r.state === 'propose' || r.state === 'expedie';

/**
 * A molecule's stock at an establishment in mg, less what its open moves send and plus what
 * they bring (`pendingMg`), and its daily use in mg (null: unknown).
 */
export function moleculeStockMg(lines: readonly StockLine[], molecule: MoleculeCode, products: Products): { onHandMg: number; dailyMg: number | null } {
  let onHandMg = 0;
  let dailyMg: number | null = null;
  for (const l of lines) {
    if (l.molecule !== molecule) continue;
    const p = products.presentation(l.cip13);
    if (!p) continue;
    onHandMg += l.onHand * p.mgPerUnit;
    const d = averageDailyUse(l);
    if (d !== null) dailyMg = (dailyMg ?? 0) + d * p.mgPerUnit;
  }
  return { onHandMg, dailyMg };
}

/** Floating guard, as in `suggestRedeployment`. */
const EPS = 1e-9;

/**
 * Why the giver cannot send `units` more of `cip13`, in French; null when it can. It must
 * hold the units of that presentation (less those its open moves already send), and its
 * cover of the molecule after every open move and this one must stay at or above the
 * surplus threshold (a giver never goes below it).
 */
export function giverRefusal(input: {
  giverName: string;
  lines: readonly StockLine[];
  open: readonly Pick<Redeployment, 'from' | 'to' | 'cip13' | 'units' | 'molecule'>[];
  giver: string;
  cip13: string;
  units: number;
  surplusDays: number;
  products: Products;
}): string | null {
  const p = input.products.presentation(input.cip13);
  if (!p) return fr.stocks.unknownPresentation(input.cip13);
  const line = input.lines.find((l) => l.cip13 === input.cip13);
  const outgoing = input.open.filter((r) => r.from === input.giver);
  const sentOfCip = outgoing.filter((r) => r.cip13 === input.cip13).reduce((s, r) => s + r.units, 0);
  const have = (line?.onHand ?? 0) - sentOfCip;
  if (have < input.units) return fr.redeploy.giverLacksUnits(input.giverName, Math.max(0, Math.floor(have)), input.units);
  const { onHandMg, dailyMg } = moleculeStockMg(input.lines, p.molecule, input.products);
  if (dailyMg === null || !(dailyMg > 0)) return fr.redeploy.giverUseUnknown(input.giverName);
  const sentMg = outgoing.filter((r) => r.molecule === p.molecule).reduce((s, r) => s + r.units * (input.products.presentation(r.cip13)?.mgPerUnit ?? 0), 0);
  const after = (onHandMg - sentMg - input.units * p.mgPerUnit) / dailyMg;
  if (after + EPS < input.surplusDays) return fr.redeploy.belowSurplus(input.giverName, after, input.surplusDays);
  return null;
}

/**
 * The two stock lines a receipt writes: the giver's current line of the presentation less
 * the units (never below 0), and the receiver's plus the units, counted as a delivery; both
 * keep their consumption (a move does not change what a pharmacy uses). The giver's line is
 * null where this process does not hold the giver's current line (the receiver's workstation:
 * another branch; the server writes it). Ids are derived from the move's, so every process
 * writes the same lines.
 */
export function receiptLines(
  r: Redeployment,
  giverLine: StockLine | undefined,
  receiverLine: StockLine | undefined,
  at: string,
  who: { by: string; role: string },
): { giver: StockLine | null; receiver: StockLine } {
  const base = { molecule: r.molecule, cip13: r.cip13, source: 'pui' as const, reportedBy: who.by, reportedRole: who.role, at, version: 0 };
  const giver: StockLine | null = giverLine
    ? {
        ...base,
        id: `${r.id}:giver`,
        finess: r.from,
        onHand: Math.max(0, giverLine.onHand - r.units),
        used7d: giverLine.used7d,
        dailyUse: giverLine.dailyUse,
        daysOut: giverLine.daysOut,
        delivered: 0,
        comment: fr.redeploy.giverLineComment(r.units, r.to),
      }
    : null;
  const receiver: StockLine = {
    ...base,
    id: `${r.id}:receiver`,
    finess: r.to,
    onHand: (receiverLine?.onHand ?? 0) + r.units,
    used7d: receiverLine?.used7d ?? null,
    dailyUse: receiverLine?.dailyUse ?? null,
    daysOut: receiverLine?.daysOut ?? 0,
    delivered: r.units,
    comment: fr.redeploy.receiverLineComment(r.units, r.from),
  };
  return { giver, receiver };
}
