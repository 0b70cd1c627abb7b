import { describe, expect, it } from 'vitest';
import type { Referential } from '../../../common/app/api';
import { consoleCalls } from '../../../common/api';
import { defaultListFor, departementChoices, listKindsFor, regionChoices, requestFromArgs, requestFromList, requestOfKind } from './ackListDraft';
import { blankDraft, draftForNewVersion, draftFromRejected, postArgs } from './draft';
import type { MessageView } from '../../../common/domain/eventlog/api';

const referential: Referential = {
  regions: [
    { key: 'R:11', label: 'ARS Île-de-France' },
    { key: 'R:53', label: 'ARS Bretagne' },
  ],
  departements: [
    { key: 'D:75', label: 'SAMU 75 — Paris', region: '11', neighbours: [] },
    { key: 'D:92', label: 'SAMU 92 — Hauts-de-Seine', region: '11', neighbours: [] },
    { key: 'D:29', label: 'SAMU 29 — Finistère', region: '53', neighbours: [] },
  ],
};
const EVENT = '11111111-1111-4111-8111-111111111111';

describe('the composer’s distribution list', () => {
  it('offers the lists that fit the consigne’s territory, the level below by default', () => {
    expect(listKindsFor('FR')).toEqual(['ars', 'samu', 'critical-care', 'custom']);
    expect(listKindsFor('R:11')).toEqual(['samu', 'critical-care', 'custom']);
    expect(listKindsFor('D:75')).toEqual(['critical-care', 'custom']);
    expect(defaultListFor('D:75')).toEqual({ kind: 'critical-care', dep: '75' });
    expect(defaultListFor('R:53')).toEqual({ kind: 'samu', region: '53' });
    expect(defaultListFor('FR')).toEqual({ kind: 'ars' });
  });

  it('offers only regions and départements under the consigne’s territory', () => {
    expect(regionChoices('R:11', referential).map((r) => r.key)).toEqual(['R:11']);
    expect(regionChoices('FR', referential)).toHaveLength(2);
    expect(departementChoices('R:11', referential).map((d) => d.key)).toEqual(['D:75', 'D:92']);
    expect(departementChoices('D:75', referential).map((d) => d.key)).toEqual(['D:75']);
  });

  it('switching kinds keeps what still fits and starts the rest where the consigne is', () => {
    expect(requestOfKind('critical-care', 'R:11', { kind: 'samu', region: '11' }, referential)).toEqual({ kind: 'critical-care', dep: '75' });
    expect(requestOfKind('critical-care', 'R:11', { kind: 'critical-care', dep: '92' }, referential)).toEqual({ kind: 'critical-care', dep: '92' });
    expect(requestOfKind('custom', 'D:75', { kind: 'critical-care', dep: '75' }, referential)).toEqual({ kind: 'custom', members: [] });
    expect(requestOfKind('samu', 'FR', { kind: 'ars' }, referential)).toEqual({ kind: 'samu', region: '11' });
  });

  it('a consigne is always sent with its list (the default one if none was picked); other kinds with none', () => {
    const consigne = { ...blankDraft('D:75'), kind: 'consigne' as const, body: 'Ouvrir les lits éphémères' };
    const args = postArgs(consigne, EVENT);
    expect(args.ackList).toEqual({ kind: 'critical-care', dep: '75' });
    expect(consoleCalls['messages.post'].args.safeParse(args).success).toBe(true);
    expect(postArgs({ ...consigne, kind: 'information' }, EVENT).ackList).toBeUndefined();
    const custom = postArgs({ ...consigne, ackList: { kind: 'custom', members: ['E:750100125'] } }, EVENT);
    expect(custom.ackList).toEqual({ kind: 'custom', members: ['E:750100125'] });
  });

  it('a new version asks the same posts; a refused consigne comes back with its list', () => {
    const kept = { kind: 'critical-care' as const, of: 'D:75', members: ['E:750100125', 'E:750100232'] };
    expect(requestFromList(kept)).toEqual({ kind: 'critical-care', dep: '75' });
    expect(requestFromList({ kind: 'custom', of: null, members: ['E:750100125'] })).toEqual({ kind: 'custom', members: ['E:750100125'] });
    const old = { id: '22222222-2222-4222-8222-222222222222', territory: 'D:75', kind: 'consigne', priority: 'info', body: 'x', ackList: kept } as unknown as MessageView;
    expect(draftForNewVersion(old).ackList).toEqual({ kind: 'critical-care', dep: '75' });
    expect(requestFromArgs({ kind: 'critical-care', dep: '75', members: ['E:750100125'] })).toEqual({ kind: 'critical-care', dep: '75' });
    const refill = draftFromRejected({
      mutationId: 3,
      name: 'message.post',
      args: { eventId: EVENT, territory: 'D:75', kind: 'consigne', priority: 'info', body: 'x', ackList: { kind: 'custom', members: ['E:750100125'] } },
      at: '2020-03-24T08:00:00Z',
      reason: 'refusé',
    });
    expect(refill?.draft.ackList).toEqual({ kind: 'custom', members: ['E:750100125'] });
  });
});
