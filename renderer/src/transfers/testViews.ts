/** Transfer views for the renderer's tests (a proposal by the SAMU 75 to Bichat, ten minutes ago). */
import type { TransferView } from '../../../common/domain/transfers/api';
import type { BedHold } from '../../../common/domain/transfers/model';

export const NOW = Date.parse('2020-03-24T12:00:00Z');
export const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

export function view(over: Partial<TransferView>): TransferView {
  return {
    id: 't',
    number: 'TR-1',
    patient: { ageBand: '61-75', sex: 'M', weightClass: null, need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: false },
    summary: '',
    summaryParty: true,
    summaryPurgedAt: null,
    originFiness: '750100125',
    originUnitId: null,
    samu: 'D:75',
    urgency: 'immediate',
    transport: null,
    destFiness: '750100232',
    destUnitId: 'REA_MED',
    destUnitType: 'REA_MED',
    state: 'propose',
    reason: null,
    holdId: null,
    steps: [{ state: 'propose', at: minutesAgo(10), by: 'x', byRole: 'samu:75', comment: '' }],
    createdAt: minutesAgo(20),
    createdBy: 'x',
    updatedAt: minutesAgo(10),
    version: 1,
    originName: 'Pitié',
    originDep: '75',
    destName: 'Bichat',
    samuLabel: 'SAMU 75',
    pending: false,
    next: [],
    whoActs: 'destination',
    mine: ['samu'],
    regions: ['11'],
    hold: null,
    ...over,
  };
}

export const hold = (over: Partial<BedHold>): BedHold => ({
  id: 'h',
  transferId: 't',
  finess: '750100232',
  unitId: 'REA_MED',
  unitType: 'REA_MED',
  state: 'active',
  placedAt: minutesAgo(300),
  expiresAt: minutesAgo(60),
  endedAt: null,
  version: 2,
  ...over,
});
