import { describe, expect, it } from 'vitest';
import { rankCandidates, type CandidateQuery, type CandidateUnit } from '../../../../common/domain/transfers/candidates';

const NOW = Date.parse('2020-03-28T12:00:00Z');
const ADULT_ICU = ['REA_MED', 'REA_CHIR', 'REA_MEDCHIR'];
// Origin: CHU de Strasbourg (Hautepierre).
const ORIGIN = { lat: 48.5932, lon: 7.7105 };

function unit(over: Partial<CandidateUnit> & { unitId: string }): CandidateUnit {
  return {
    finess: '670780055',
    unitType: 'REA_MED',
    establishmentName: 'CHU de Strasbourg',
    lat: 48.5932,
    lon: 7.7105,
    available: 3,
    held: 0,
    at: '2020-03-28T10:00:00Z',
    ...over,
  };
}

const query = (units: CandidateUnit[], over: Partial<CandidateQuery> = {}): CandidateQuery => ({
  origin: ORIGIN,
  mode: 'smur',
  need: ADULT_ICU,
  units,
  now: NOW,
  staleAfterHours: 6,
  ...over,
});

const ids = (q: CandidateQuery) => rankCandidates(q).map((c) => c.unitId);

describe('candidate destinations', () => {
  it('keeps only the unit types the need accepts', () => {
    const units = [
      unit({ unitId: 'med', unitType: 'REA_MED' }),
      unit({ unitId: 'ped', unitType: 'REA_PED' }),
      unit({ unitId: 'usc', unitType: 'USC_POLY' }),
      unit({ unitId: 'medchir', unitType: 'REA_MEDCHIR' }),
    ];
    expect(ids(query(units)).sort()).toEqual(['med', 'medchir']);
    expect(ids(query(units, { need: ['REA_PED'] }))).toEqual(['ped']);
    expect(ids(query(units, { need: [] }))).toEqual([]);
  });

  it('keeps only units with a free bed that no accepted transfer holds', () => {
    const units = [
      unit({ unitId: 'none', available: 0 }),
      unit({ unitId: 'allHeld', available: 2, held: 2 }),
      unit({ unitId: 'overHeld', available: 1, held: 2 }),
      unit({ unitId: 'oneLeft', available: 3, held: 2 }),
    ];
    const r = rankCandidates(query(units));
    expect(r.map((c) => [c.unitId, c.free])).toEqual([['oneLeft', 1]]);
  });

  it('ranks by travel time, unknown coordinates last, then by most free beds', () => {
    const units = [
      unit({ unitId: 'colmar', lat: 48.0794, lon: 7.3585 }),
      unit({ unitId: 'unknown', lat: null, lon: null, available: 9 }),
      unit({ unitId: 'here1', available: 1 }),
      unit({ unitId: 'here4', available: 4 }),
      unit({ unitId: 'nancy', lat: 48.6921, lon: 6.1844 }),
    ];
    const r = rankCandidates(query(units));
    expect(r.map((c) => c.unitId)).toEqual(['here4', 'here1', 'colmar', 'nancy', 'unknown']);
    expect(r.at(-1)?.minutes).toBeNull();
    expect(r[2].minutes).toBeGreaterThan(r[0].minutes as number);
  });

  it('ranks stale figures below fresh ones, even when the stale unit is nearer', () => {
    const units = [
      unit({ unitId: 'staleHere', at: '2020-03-27T12:00:00Z' }),
      unit({ unitId: 'freshColmar', lat: 48.0794, lon: 7.3585, at: '2020-03-28T11:30:00Z' }),
      unit({ unitId: 'unreadableTime', at: 'hier' }),
    ];
    const r = rankCandidates(query(units));
    expect(r.map((c) => [c.unitId, c.stale, c.ageMinutes])).toEqual([
      ['freshColmar', false, 30],
      ['staleHere', true, 24 * 60],
      ['unreadableTime', true, null],
    ]);
  });

  it('a report exactly at the stale delay is still fresh; one from the future has age 0', () => {
    const r = rankCandidates(query([unit({ unitId: 'edge', at: '2020-03-28T06:00:00Z' }), unit({ unitId: 'future', at: '2020-03-28T12:05:00Z' })]));
    expect(r.map((c) => [c.unitId, c.stale, c.ageMinutes])).toEqual([
      ['edge', false, 360],
      ['future', false, 0],
    ]);
  });

  it('is deterministic: the same units in any order give the same list', () => {
    const units = Array.from({ length: 12 }, (_, i) =>
      unit({ unitId: `u${i}`, finess: `67000000${i % 3}`, establishmentName: `CH ${i % 2}`, available: 1 + (i % 3), lat: i % 4 === 0 ? null : 48.5 + (i % 3) * 0.1, lon: 7.7 }),
    );
    const a = ids(query(units));
    const b = ids(query([...units].reverse()));
    expect(b).toEqual(a);
    expect(a).toHaveLength(12);
  });
});
