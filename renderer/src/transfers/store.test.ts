import { describe, expect, it } from 'vitest';
import type { TransferView } from '../../../common/domain/transfers/api';
import type { BedHold } from '../../../common/domain/transfers/model';
import { filtered, holdExpired, unansweredMinutes } from './store';

const NOW = Date.parse('2020-03-24T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

function view(over: Partial<TransferView>): TransferView {
  return {
    id: 't',
    number: 'TR-1',
    patient: { ageBand: '61-75', sex: 'M', weightClass: null, need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: false },
    summary: '',
    summaryParty: true,
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

const hold = (over: Partial<BedHold>): BedHold => ({
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

describe('transfer timers', () => {
  it('flags a proposal unanswered from 30 minutes after it was made, and only a proposal', () => {
    expect(unansweredMinutes(view({}), NOW)).toBeNull();
    expect(unansweredMinutes(view({ steps: [{ state: 'propose', at: minutesAgo(45), by: 'x', byRole: 'samu:75', comment: '' }] }), NOW)).toBe(45);
    expect(unansweredMinutes(view({ state: 'accepte', steps: [{ state: 'accepte', at: minutesAgo(45), by: 'x', byRole: 'x', comment: '' }] }), NOW)).toBeNull();
  });

  it('knows a held bed lapsed before the arrival, not after it or once released', () => {
    expect(holdExpired(view({ state: 'accepte', hold: hold({}) }), NOW)).toBe(true);
    expect(holdExpired(view({ state: 'accepte', hold: hold({ expiresAt: minutesAgo(-60) }) }), NOW)).toBe(false);
    expect(holdExpired(view({ state: 'arrive', hold: hold({ state: 'arrived' }) }), NOW)).toBe(false);
    expect(holdExpired(view({ state: 'annule', hold: hold({ state: 'released' }) }), NOW)).toBe(false);
  });

  it('filters: in progress, my requests, incoming to my establishment', () => {
    const list = [view({ id: 'a', state: 'arrive' }), view({ id: 'b', mine: ['destination'] }), view({ id: 'c', mine: ['origin'] })];
    expect(filtered(list, 'active').map((t) => t.id)).toEqual(['b', 'c']);
    expect(filtered(list, 'incoming').map((t) => t.id)).toEqual(['b']);
    expect(filtered(list, 'mine').map((t) => t.id)).toEqual(['a', 'c']);
    expect(filtered(list, 'all')).toHaveLength(3);
    const bzh = view({ id: 'd', regions: ['11', '53'] });
    expect(filtered([...list, bzh], 'region', '53').map((t) => t.id)).toEqual(['d']);
    expect(filtered([...list, bzh], 'region', null)).toEqual([]);
  });
});
