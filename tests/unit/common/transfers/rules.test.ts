import { describe, expect, it } from 'vitest';
import { parseRole, type Role } from '../../../../common/territory';
import { TRANSFER_STATES, type Transfer, type TransferState } from '../../../../common/domain/transfers/model';
import { nextSteps, stepRefusal, type TransferStepName } from '../../../../common/domain/transfers/rules';

const PITIE = '750100125';
const BICHAT = '750100232';

function transfer(state: TransferState): Transfer {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    number: 'TR-00000000',
    patient: { ageBand: '61-75', sex: 'M', weightClass: null, need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: true },
    originFiness: PITIE,
    originUnitId: null,
    samu: 'D:75',
    urgency: 'moins_6h',
    transport: null,
    destFiness: state === 'brouillon' || state === 'demande' ? null : BICHAT,
    destUnitId: state === 'brouillon' || state === 'demande' ? null : 'REA_MED',
    destUnitType: null,
    state,
    reason: null,
    holdId: null,
    steps: [],
    createdAt: '2020-03-24T08:00:00Z',
    createdBy: 'x',
    updatedAt: '2020-03-24T08:00:00Z',
    version: 1,
  };
}

const roles: Record<string, Role> = Object.fromEntries(
  Object.entries({
    origin: `establishment:${PITIE}`,
    samu: 'samu:75',
    destination: `establishment:${BICHAT}`,
    otherHospital: 'establishment:750100208',
    // The hospitals' pharmacies read their establishment's transfers, never act on them.
    originPharmacy: `pui:${PITIE}`,
    destinationPharmacy: `pui:${BICHAT}`,
    otherSamu: 'samu:92',
    ars: 'ars:11',
    national: 'national',
  }).map(([k, v]) => [k, parseRole(v) as Role]),
);

/** Who may take which step in each state: written out, not derived from the rules under test. */
const EXPECTED: Record<TransferState, Partial<Record<keyof typeof roles, TransferStepName[]>>> = {
  brouillon: { origin: ['submit', 'cancel'], samu: ['submit', 'cancel'] },
  demande: { origin: ['cancel'], samu: ['propose', 'cancel'] },
  propose: { origin: ['cancel'], samu: ['cancel'], destination: ['accept', 'refuse'] },
  refuse: { origin: ['cancel'], samu: ['propose', 'cancel'] },
  accepte: { origin: ['cancel'], samu: ['organize', 'cancel'] },
  transport: { origin: ['depart', 'cancel'], samu: ['depart', 'cancel'] },
  en_route: { origin: ['cancel'], samu: ['cancel'], destination: ['arrive'] },
  arrive: {},
  annule: {},
};

describe('the transfer state machine', () => {
  it('lets each party take exactly its steps in each state, and nobody else any', () => {
    for (const state of TRANSFER_STATES) {
      for (const [name, role] of Object.entries(roles)) {
        expect([state, name, nextSteps(transfer(state), role)]).toEqual([state, name, EXPECTED[state][name as keyof typeof roles] ?? []]);
      }
    }
  });

  it('refuses an illegal step with a sentence a regulator understands', () => {
    expect(stepRefusal('accept', transfer('demande'), roles.destination)).toBe('Accepter : impossible, le transfert est « demandé ».');
    expect(stepRefusal('accept', transfer('propose'), roles.samu)).toBe('Accepter : seul l’établissement de destination le peut.');
    expect(stepRefusal('propose', transfer('demande'), roles.ars)).toBe('Proposer une destination : seul le SAMU demandeur le peut.');
    expect(stepRefusal('cancel', transfer('arrive'), roles.samu)).toMatch(/le transfert est « arrivé »/);
    expect(stepRefusal('depart', transfer('transport'), roles.otherSamu)).toBe('Marquer le départ : seul le SAMU demandeur ou l’établissement d’origine le peut.');
  });
});
