/** Distribution lists on the workstation: the critical-care list from the cached bed picture, the preview, the custom list's candidates, the acknowledgement views. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnitReport } from '../../common/domain/beds/model';
import type { CrisisEvent } from '../../common/domain/eventlog/model';
import type { Change } from '../../common/protocol';
import { openLocalStore, type VigieStore } from '../boards';
import { actorFor, tempDir, testTerritories } from '../store/testSupport';
import { ackCandidates, ackListArgs, criticalCareEstablishments, defaultAckListRequest, previewAckList } from './ackLists';

const EVENT = '00000000-0000-4000-8000-0000000000ee';
const PITIE = '750100125';
const BICHAT = '750100232';
const NECKER = '750100208';
const AMBROISE_PARE_92 = '920100013';
const samu75 = actorFor('u-samu75', 'samu:75', 'Dr Marc Dubois');
const t = testTerritories();

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

let version = 10;
function unit(finess: string, unitType = 'REA_MED'): Change {
  const data: UnitReport = {
    id: randomUUID(),
    finess,
    unitType,
    unitId: unitType,
    unitName: null,
    atKnown: true,
    installed: 20,
    staffed: 18,
    available: 4,
    covidPos: null,
    covidNeg: null,
    extra24h: null,
    extra72h: null, surge: null, assignment: null, temporary: false, ror: null,
    comment: '',
    source: 'app',
    reportedBy: 'x',
    reportedRole: `establishment:${finess}`,
    at: '2020-03-24T08:00:00.000Z',
    version: ++version,
  };
  return { version: data.version, entity: 'unit', data };
}

/** A SAMU 75 cache holding a national event and the bed picture of three Paris establishments (two units at Bichat) and one of Hauts-de-Seine. */
function samuStore(): VigieStore {
  const dir = tempDir('acklists');
  const store = openLocalStore(join(dir.dir, 'cache.sqlite'), t);
  cleanups.push(() => {
    store.close();
    dir.cleanup();
  });
  const event: CrisisEvent = {
    id: EVENT,
    title: 'Covid-19 — vague 1',
    description: '',
    territory: 'FR',
    status: 'open',
    openedAt: '2020-03-10T08:00:00.000Z',
    openedBy: 'Cellule',
    closedAt: null,
    closedBy: null,
    version: 1,
  };
  store.applyChanges([
    { version: 1, entity: 'event', data: event },
    unit(PITIE),
    unit(BICHAT),
    unit(BICHAT, 'USC_MED'),
    unit(NECKER, 'REA_PED'),
    unit(AMBROISE_PARE_92),
  ]);
  return store;
}

describe('the critical-care list on a workstation', () => {
  it('is the establishments of the département with at least one unit in the bed picture, once each, by name', () => {
    const store = samuStore();
    expect(criticalCareEstablishments(store, t, '75')).toEqual([`E:${BICHAT}`, `E:${PITIE}`, `E:${NECKER}`]);
    // Day hospitals and the pharmacy agency of Paris, in FINESS but with no unit, are not in it.
    expect(t.establishmentsIn('D:75').length).toBeGreaterThan(90);
    expect(ackListArgs({ kind: 'critical-care', dep: '75' }, store, t)).toEqual({
      kind: 'critical-care',
      dep: '75',
      members: [`E:${BICHAT}`, `E:${PITIE}`, `E:${NECKER}`],
    });
    expect(() => ackListArgs({ kind: 'critical-care', dep: '29' }, store, t)).toThrow(/Aucun établissement de Finistère \(29\)/);
  });

  it('is the default of a local consigne; regional and national ones default to the SAMU of the region and the ARS', () => {
    expect(defaultAckListRequest('D:75', t)).toEqual({ kind: 'critical-care', dep: '75' });
    expect(defaultAckListRequest('R:53', t)).toEqual({ kind: 'samu', region: '53' });
    expect(defaultAckListRequest('FR', t)).toEqual({ kind: 'ars' });
  });

  it('previews with names and the mutator’s own objection', () => {
    const store = samuStore();
    const ok = previewAckList({ kind: 'critical-care', dep: '75' }, 'D:75', samu75, store, t);
    expect(ok).toMatchObject({ label: 'Établissements avec soins critiques — Paris (75)', problem: null });
    expect(ok.members.map((m) => m.label)).toContain('Hôpital Pitié-Salpêtrière');
    const far = previewAckList({ kind: 'custom', members: [`E:${PITIE}`, `E:${AMBROISE_PARE_92}`] }, 'D:75', samu75, store, t);
    expect(far.problem).toMatch(/Ambroise Paré \(AP-HP\) » ne reçoit pas une consigne adressée à « SAMU 75 — Paris »/);
  });

  it('offers posts under the consigne’s territory for a custom list, establishments with critical care first, never the author’s own post', () => {
    const store = samuStore();
    const paris = ackCandidates('D:75', '', samu75, store, t);
    expect(paris.slice(0, 3).map((c) => c.key)).toEqual([`E:${BICHAT}`, `E:${PITIE}`, `E:${NECKER}`]);
    expect(paris[0].detail).toMatch(/soins critiques/);
    expect(paris.some((c) => c.key === 'D:75')).toBe(false);
    expect(ackCandidates('D:75', 'pitié', samu75, store, t).map((c) => c.key)).toEqual([`E:${PITIE}`]);
    const ars = actorFor('u-ars11', 'ars:11', 'ARS IdF');
    expect(ackCandidates('R:11', '', ars, store, t).map((c) => c.key).sort()).toEqual(['D:75', 'D:77', 'D:78', 'D:91', 'D:92', 'D:93', 'D:94', 'D:95']);
  });
});

describe('a consigne posted with a list, as the workstation shows it', () => {
  it('counts « n / size of the list », names who is missing, and lets only the listed posts acknowledge', () => {
    const store = samuStore();
    const id = randomUUID();
    const posted = store.mutate(
      'message.post',
      { id, eventId: EVENT, territory: 'D:75', kind: 'consigne', priority: 'important', body: 'Ouvrir les lits de réanimation éphémères.', ackList: ackListArgs({ kind: 'critical-care', dep: '75' }, store, t) },
      samu75,
    );
    expect(posted).toMatchObject({ ok: true });
    const pitie = actorFor('u-pitie', `establishment:${PITIE}`, 'Dr Nadia Benali');
    const ambroise = actorFor('u-ap', `establishment:750100042`, 'Lariboisière');
    const asSamu = store.boards.eventlog.listMessages(EVENT, undefined, samu75)[0];
    expect(asSamu).toMatchObject({ expectedAckCount: 3, ackCount: 0, canAck: false, pending: true });
    expect(store.boards.eventlog.listMessages(EVENT, undefined, pitie)[0]).toMatchObject({ canAck: true });
    // Lariboisière has no unit in this picture: not listed, so not asked.
    expect(store.boards.eventlog.listMessages(EVENT, undefined, ambroise)[0]).toMatchObject({ canAck: false });

    expect(store.mutate('consigne.acknowledge', { messageId: id }, pitie)).toMatchObject({ ok: true });
    expect(store.boards.eventlog.listMessages(EVENT, undefined, samu75)[0]).toMatchObject({ expectedAckCount: 3, ackCount: 1 });
    const summary = store.boards.eventlog.ackSummary(id)!;
    expect(summary.list).toEqual({ kind: 'critical-care', label: 'Établissements avec soins critiques — Paris (75)' });
    expect(summary.acknowledged).toEqual([expect.objectContaining({ territory: `E:${PITIE}`, listed: true, pending: true })]);
    expect(summary.missing.map((m) => m.label)).toEqual(['Bichat (AP-HP)', 'Necker Enfants-Malades (AP-HP)']);
  });
});
