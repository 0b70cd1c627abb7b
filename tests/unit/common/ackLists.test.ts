/** Distribution lists of consignes (issue 7): who must acknowledge is what the author chose, within the author's reach. */
import { describe, expect, it } from 'vitest';
import { ackListLabel, expectedAcknowledgersOf } from '../../../common/domain/eventlog/ackList';
import { ctx, MemoryTx, reason, runMutator, uuid } from '../../support/memoryTx';
import { testTerritories } from '../../support/referential';

const PITIE = 'E:750100125';
const BICHAT = 'E:750100232';
const AMBROISE_PARE_92 = 'E:920100013';

/** A unit of the bed board, as a report: what makes an establishment one « with critical care ». */
function bedUnit(tx: MemoryTx, key: string) {
  const finess = key.slice(2);
  tx.insertReport({
    id: uuid(), finess, unitType: 'REA_MED', unitId: 'REA_MED', unitName: null, atKnown: true, installed: 20, staffed: 18, available: 4,
    covidPos: null, covidNeg: null, extra24h: null, extra72h: null, surge: null, assignment: null, temporary: false, ror: null, comment: '', source: 'app', reportedBy: 'x',
    reportedRole: `establishment:${finess}`, at: '2020-03-24T08:00:00.000Z', version: 1,
  });
}

function world() {
  const tx = new MemoryTx();
  bedUnit(tx, PITIE);
  bedUnit(tx, BICHAT);
  bedUnit(tx, AMBROISE_PARE_92);
  const eventId = uuid();
  runMutator(tx, 'event.open', { id: eventId, title: 'Covid-19 — vague 1', territory: 'FR' }, ctx('national'));
  return { tx, eventId };
}

function consigne(tx: MemoryTx, eventId: string, role: string, territory: string, ackList: unknown, extra: Record<string, unknown> = {}) {
  const id = uuid();
  runMutator(tx, 'message.post', { id, eventId, territory, kind: 'consigne', priority: 'important', body: 'Consigne', ackList, ...extra }, ctx(role));
  return id;
}

describe('a consigne’s distribution list', () => {
  it('SAMU 75: the establishments with critical care it chose travel with the consigne, and only they are expected', () => {
    const { tx, eventId } = world();
    const id = consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'critical-care', dep: '75', members: [PITIE, BICHAT] });
    const m = tx.getMessage(id)!;
    expect(m.ackList).toEqual({ kind: 'critical-care', of: 'D:75', members: [PITIE, BICHAT] });
    expect(expectedAcknowledgersOf(m, testTerritories())).toEqual([PITIE, BICHAT]);
    // Before lists, a Paris consigne expected every FINESS entry of Paris.
    expect(testTerritories().expectedAcknowledgers('D:75').length).toBeGreaterThan(90);
    expect(ackListLabel(m.ackList!, testTerritories())).toBe('Établissements avec soins critiques — Paris (75)');
  });

  it('resolves the ARS list and a region’s SAMU from the referential', () => {
    const { tx, eventId } = world();
    const national = consigne(tx, eventId, 'national', 'FR', { kind: 'ars' });
    expect(tx.getMessage(national)!.ackList).toMatchObject({ kind: 'ars', of: 'FR' });
    expect(tx.getMessage(national)!.ackList!.members).toHaveLength(18);
    const regional = consigne(tx, eventId, 'ars:11', 'R:11', { kind: 'samu', region: '11' });
    expect([...tx.getMessage(regional)!.ackList!.members].sort()).toEqual(['D:75', 'D:77', 'D:78', 'D:91', 'D:92', 'D:93', 'D:94', 'D:95']);
    // The national cell may ask one region's SAMU directly.
    const direct = consigne(tx, eventId, 'national', 'FR', { kind: 'samu', region: '53' });
    expect(tx.getMessage(direct)!.ackList!.members.sort()).toEqual(['D:22', 'D:29', 'D:35', 'D:56']);
  });

  it('a list cannot reach beyond the consigne’s addressees: another département, another region, the ARS above', () => {
    const { tx, eventId } = world();
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: [PITIE, AMBROISE_PARE_92] }))).toMatch(
      /ne reçoit pas une consigne adressée à « SAMU 75 — Paris »/,
    );
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: ['R:11'] }))).toMatch(/ARS Île-de-France.*ne reçoit pas/);
    expect(reason(() => consigne(tx, eventId, 'ars:11', 'R:11', { kind: 'samu', region: '53' }))).toMatch(/SAMU 22.*ne reçoit pas/);
    expect(reason(() => consigne(tx, eventId, 'ars:53', 'R:53', { kind: 'ars' }))).toMatch(/ne reçoit pas/);
    expect(tx.messages.size).toBe(0);
  });

  it('refuses the author’s own post, a post named twice, unknown posts, field posts, and a critical-care list outside its département', () => {
    const { tx, eventId } = world();
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: ['D:75'] }))).toMatch(/Votre propre poste/);
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: [PITIE, PITIE] }))).toMatch(/deux fois/);
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: ['E:999999999'] }))).toMatch(/n’est pas un poste connu/);
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: ['F:75-PMA-GARE-DE-LYON'] }))).toMatch(/n’est pas un poste connu/);
    expect(reason(() => consigne(tx, eventId, 'ars:11', 'R:11', { kind: 'critical-care', dep: '75', members: [AMBROISE_PARE_92] }))).toMatch(
      /n’est pas un établissement de Paris \(75\)/,
    );
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: [] }))).toMatch(/aucun poste/);
    expect(tx.messages.size).toBe(0);
  });

  it('a critical-care list names only establishments that have a unit in the bed board the checker holds, whatever the payload says', () => {
    const { tx, eventId } = world();
    // Lariboisière is a Paris establishment, but the bed board knows no unit of it.
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'critical-care', dep: '75', members: [PITIE, 'E:750100042'] }))).toMatch(
      /Lariboisière.*n’a aucune unité de soins critiques/,
    );
    // The same post on a custom list is the author's choice.
    consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: [PITIE, 'E:750100042'] });
    expect(tx.messages.size).toBe(1);
  });

  it('refuses nonsense kinds', () => {
    const { tx, eventId } = world();
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'everyone' }))).toMatch(/Données invalides/);
    expect(tx.messages.size).toBe(0);
  });

  it('only a consigne carries a list', () => {
    const { tx, eventId } = world();
    expect(reason(() => consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: [PITIE] }, { kind: 'information' }))).toMatch(
      /Seule une consigne attend des accusés/,
    );
  });

  it('only the listed posts acknowledge; a consigne from before lists is acknowledged by anyone it addresses, as before', () => {
    const { tx, eventId } = world();
    const listed = consigne(tx, eventId, 'samu:75', 'D:75', { kind: 'custom', members: [PITIE] });
    runMutator(tx, 'consigne.acknowledge', { messageId: listed }, ctx('establishment:750100125'));
    expect(tx.getAck(listed, PITIE)).toBeDefined();
    expect(reason(() => runMutator(tx, 'consigne.acknowledge', { messageId: listed }, ctx('establishment:750100232')))).toMatch(
      /n’est pas sur la liste des accusés attendus de cette consigne \(Liste personnalisée\)/,
    );
    const legacy = consigne(tx, eventId, 'samu:75', 'D:75', null);
    expect(tx.getMessage(legacy)!.ackList).toBeNull();
    runMutator(tx, 'consigne.acknowledge', { messageId: legacy }, ctx('establishment:750100232'));
    expect(tx.getAck(legacy, BICHAT)).toBeDefined();
  });
});
