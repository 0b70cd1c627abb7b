/** The reinforcement room of a SAMU (issue 7): posts, who holds them for which shift, who is next; written by the SAMU only. */
import { describe, expect, it } from 'vitest';
import { postStatus } from '../../../common/domain/eventlog/room';
import { reinforcementRoomOf, Territories } from '../../../common/territory';
import { ctx, MemoryTx, reason, runMutator, uuid } from '../../support/memoryTx';
import { testTerritories } from '../../support/referential';

function world(territory = 'FR') {
  const tx = new MemoryTx();
  const eventId = uuid();
  runMutator(tx, 'event.open', { id: eventId, title: 'Covid-19 — vague 1', territory }, ctx('national'));
  return { tx, eventId };
}

function openPost(tx: MemoryTx, eventId: string, label: string, role = 'samu:75', kind = 'regulation') {
  const id = uuid();
  runMutator(tx, 'room.openPost', { id, eventId, label, kind }, ctx(role));
  return id;
}

function assign(tx: MemoryTx, postId: string, person: string, startsAt: string, endsAt: string, role = 'samu:75') {
  const id = uuid();
  runMutator(tx, 'room.assign', { id, postId, person, qualification: 'Médecin régulateur', startsAt, endsAt }, ctx(role));
  return id;
}

describe('the room’s scope', () => {
  it('is just below the SAMU: seen by the SAMU, its ARS and the national level, not by the département’s hospitals nor another region', () => {
    const t: Territories = testTerritories();
    const room = reinforcementRoomOf('D:75');
    expect(room).toBe('SR:75');
    expect(t.label(room)).toBe('Salle de renfort du SAMU 75');
    const path = t.path(room)!;
    const sees = (key: string) => {
      const p = t.path(key)!;
      return path.startsWith(p) || p.startsWith(path);
    };
    expect(['FR', 'R:11', 'D:75'].map(sees)).toEqual([true, true, true]);
    expect(['E:750100125', 'F:75-PMA-GARE-DE-LYON', 'D:92', 'R:53', 'SR:92'].map(sees)).toEqual([false, false, false, false, false]);
  });
});

describe('the reinforcement room’s mutators', () => {
  it('a SAMU opens posts in its own room, and puts people on them shift after shift', () => {
    const { tx, eventId } = world();
    const desk = openPost(tx, eventId, 'Régulation 3');
    const line = openPost(tx, eventId, 'Ligne Covid 2', 'samu:75', 'phone');
    expect(tx.getRoomPost(desk)).toMatchObject({ room: 'SR:75', label: 'Régulation 3', kind: 'regulation', closedAt: null, openedBy: 'samu:75' });
    expect(tx.getRoomPost(line)?.kind).toBe('phone');
    const day = assign(tx, desk, 'Dr Claire Martin', '2020-03-24T08:00:00+01:00', '2020-03-24T20:00:00+01:00');
    const night = assign(tx, desk, 'Dr Paul Roche', '2020-03-24T20:00:00+01:00', '2020-03-25T08:00:00+01:00');
    // Instants are kept in UTC, so every store compares them alike.
    expect(tx.getRoomShift(day)).toMatchObject({ startsAt: '2020-03-24T07:00:00.000Z', endsAt: '2020-03-24T19:00:00.000Z', room: 'SR:75' });
    const shifts = tx.roomShifts(desk);
    expect(postStatus(shifts, Date.parse('2020-03-24T12:00:00Z'))).toMatchObject({ current: { id: day }, next: { id: night } });
    expect(postStatus(shifts, Date.parse('2020-03-24T19:00:00Z'))).toMatchObject({ current: { id: night }, next: null });
    expect(postStatus(shifts, Date.parse('2020-03-24T06:00:00Z'))).toMatchObject({ current: null, next: { id: day } });
  });

  it('one person per post at a time: an overlapping shift is refused with who holds it and when (Paris time)', () => {
    const { tx, eventId } = world();
    const desk = openPost(tx, eventId, 'Régulation 3');
    assign(tx, desk, 'Dr Claire Martin', '2020-03-24T08:00:00+01:00', '2020-03-24T20:00:00+01:00');
    expect(reason(() => assign(tx, desk, 'Dr Paul Roche', '2020-03-24T19:00:00+01:00', '2020-03-25T07:00:00+01:00'))).toBe(
      'Le poste « Régulation 3 » est déjà tenu par Dr Claire Martin de 24/03 08:00 à 24/03 20:00 : une seule personne par poste à la fois.',
    );
    expect(reason(() => assign(tx, desk, 'X', '2020-03-24T20:00:00+01:00', '2020-03-24T19:00:00+01:00'))).toMatch(/fin de la vacation doit être après/);
    expect(reason(() => assign(tx, desk, 'X', '2020-03-25T08:00:00+01:00', '2020-03-26T09:00:00+01:00'))).toMatch(/au plus 24 h/);
    expect(reason(() => assign(tx, desk, '  ', '2020-03-25T08:00:00+01:00', '2020-03-25T09:00:00+01:00'))).toMatch(/nom de la personne vide/);
    expect(reason(() => assign(tx, desk, 'X', '2020-03-25 08:00', '2020-03-25T09:00:00+01:00'))).toMatch(/date et heure attendues/);
    expect(tx.roomShiftRows.size).toBe(1);
  });

  it('a cancelled shift frees its hours and stays in the history; a closed post takes no one and stays listed', () => {
    const { tx, eventId } = world();
    const desk = openPost(tx, eventId, 'Régulation 3');
    const day = assign(tx, desk, 'Dr Claire Martin', '2020-03-24T08:00:00+01:00', '2020-03-24T20:00:00+01:00');
    runMutator(tx, 'room.cancelShift', { id: day }, ctx('samu:75'));
    expect(tx.getRoomShift(day)).toMatchObject({ cancelledBy: 'samu:75' });
    expect(reason(() => runMutator(tx, 'room.cancelShift', { id: day }, ctx('samu:75')))).toMatch(/déjà annulée/);
    assign(tx, desk, 'Dr Paul Roche', '2020-03-24T08:00:00+01:00', '2020-03-24T20:00:00+01:00');
    expect(postStatus(tx.roomShifts(desk), Date.parse('2020-03-24T12:00:00Z')).current?.person).toBe('Dr Paul Roche');
    runMutator(tx, 'room.closePost', { id: desk }, ctx('samu:75'));
    expect(tx.getRoomPost(desk)?.closedAt).not.toBeNull();
    expect(reason(() => assign(tx, desk, 'X', '2020-03-25T08:00:00+01:00', '2020-03-25T09:00:00+01:00'))).toMatch(/« Régulation 3 » est fermé/);
    expect(reason(() => runMutator(tx, 'room.closePost', { id: desk }, ctx('samu:75')))).toMatch(/déjà fermé/);
    // Its name is free again for a new post.
    openPost(tx, eventId, 'Régulation 3');
    expect(reason(() => openPost(tx, eventId, 'régulation 3'))).toMatch(/s’appelle déjà « régulation 3 »/);
  });

  it('only the SAMU writes its room: the ARS and the national level read it, another SAMU cannot touch it, an establishment has none', () => {
    const { tx, eventId } = world();
    const desk = openPost(tx, eventId, 'Régulation 3');
    for (const role of ['ars:11', 'national', 'establishment:750100125']) {
      expect(reason(() => openPost(tx, eventId, 'Poste ARS', role))).toMatch(/Seul un SAMU tient une salle de renfort/);
    }
    expect(reason(() => assign(tx, desk, 'Intrus', '2020-03-24T08:00:00+01:00', '2020-03-24T09:00:00+01:00', 'samu:92'))).toMatch(/Poste introuvable/);
    expect(reason(() => runMutator(tx, 'room.closePost', { id: desk }, ctx('samu:92')))).toMatch(/Poste introuvable/);
    // SAMU 92 opens its own room in the same event.
    const other = openPost(tx, eventId, 'Régulation 3', 'samu:92');
    expect(tx.getRoomPost(other)?.room).toBe('SR:92');
  });

  it('the room lives in an open event that concerns the département', () => {
    const bzh = world('R:53');
    expect(reason(() => openPost(bzh.tx, bzh.eventId, 'Régulation 3'))).toMatch(/ne concerne pas votre département/);
    const { tx, eventId } = world();
    runMutator(tx, 'event.close', { id: eventId }, ctx('national'));
    expect(reason(() => openPost(tx, eventId, 'Régulation 3'))).toMatch(/évènement est clos/);
    expect(tx.roomPostRows.size).toBe(0);
  });
});
