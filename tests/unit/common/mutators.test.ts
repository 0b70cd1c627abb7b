import { describe, expect, it } from 'vitest';
import { ctx, MemoryTx, reason, runMutator, uuid } from '../../support/memoryTx';

function world() {
  const tx = new MemoryTx();
  const eventId = uuid();
  runMutator(tx, 'event.open', { id: eventId, title: 'Covid-19 — vague 1', territory: 'FR' }, ctx('national'));
  return { tx, eventId };
}

const post = (tx: MemoryTx, role: string, args: Record<string, unknown>) => {
  const id = uuid();
  runMutator(tx, 'message.post', { id, kind: 'information', priority: 'info', body: 'texte', ...args }, ctx(role));
  return id;
};

describe('event.open / event.close', () => {
  it('opens an event with the author and time of the mutation', () => {
    const { tx, eventId } = world();
    const ev = tx.getEvent(eventId)!;
    expect(ev.status).toBe('open');
    expect(ev.openedBy).toBe('national');
    expect(ev.openedAt).toBe('2020-03-24T08:00:00.000Z');
  });

  it('refuses establishments and field posts, and territories outside the role', () => {
    const tx = new MemoryTx();
    expect(reason(() => runMutator(tx, 'event.open', { id: uuid(), title: 'x', territory: 'D:75' }, ctx('establishment:750100125')))).toMatch(/Seuls/);
    expect(reason(() => runMutator(tx, 'event.open', { id: uuid(), title: 'x', territory: 'R:53' }, ctx('ars:11')))).toMatch(/hors de votre périmètre/);
    expect(tx.events.size).toBe(0);
  });

  it('a closed event accepts no more messages, and cannot be closed twice', () => {
    const { tx, eventId } = world();
    runMutator(tx, 'event.close', { id: eventId }, ctx('national'));
    expect(reason(() => post(tx, 'samu:75', { eventId, territory: 'D:75' }))).toMatch(/clos/);
    expect(reason(() => runMutator(tx, 'event.close', { id: eventId }, ctx('national')))).toMatch(/déjà clos/);
  });

  it('a SAMU cannot close a national event', () => {
    const { tx, eventId } = world();
    expect(reason(() => runMutator(tx, 'event.close', { id: eventId }, ctx('samu:75')))).toMatch(/hors de votre périmètre/);
    expect(tx.getEvent(eventId)!.status).toBe('open');
  });
});

describe('message.post', () => {
  it('derives the level from the territory and stamps the author', () => {
    const { tx, eventId } = world();
    const id = post(tx, 'samu:75', { eventId, territory: 'D:75' });
    const m = tx.getMessage(id)!;
    expect(m.level).toBe('local');
    expect(m.authorRole).toBe('samu:75');
    const r = post(tx, 'ars:11', { eventId, territory: 'R:11' });
    expect(tx.getMessage(r)!.level).toBe('regional');
  });

  it('an ARS Bretagne user cannot post an Île-de-France local message', () => {
    const { tx, eventId } = world();
    expect(reason(() => post(tx, 'ars:53', { eventId, territory: 'D:75' }))).toMatch(/SAMU 75 — Paris.*hors de votre périmètre/);
    expect(tx.messages.size).toBe(0);
  });

  it('refuses empty and oversized bodies with a readable reason', () => {
    const { tx, eventId } = world();
    expect(reason(() => post(tx, 'samu:75', { eventId, territory: 'D:75', body: '   ' }))).toMatch(/message vide/);
    expect(reason(() => post(tx, 'samu:75', { eventId, territory: 'D:75', body: 'x'.repeat(10_001) }))).toMatch(/dépasse 10\u202f000 caractères|dépasse 10 000 caractères/);
  });

  it('refuses unknown fields and a duplicate id', () => {
    const { tx, eventId } = world();
    expect(reason(() => post(tx, 'samu:75', { eventId, territory: 'D:75', author: 'someone else' }))).toMatch(/Données invalides/);
    const id = post(tx, 'samu:75', { eventId, territory: 'D:75' });
    expect(reason(() => runMutator(tx, 'message.post', { id, eventId, territory: 'D:75', kind: 'information', priority: 'info', body: 'b' }, ctx('samu:75')))).toMatch(/existe|identifiant/);
  });

  it('a message must stay inside its event territory', () => {
    const tx = new MemoryTx();
    const eventId = uuid();
    runMutator(tx, 'event.open', { id: eventId, title: 'Incendie', territory: 'D:75' }, ctx('samu:75'));
    expect(reason(() => post(tx, 'ars:11', { eventId, territory: 'R:11' }))).toMatch(/territoire du message/);
  });

  it('does not reveal an event outside the author’s branch', () => {
    const tx = new MemoryTx();
    const eventId = uuid();
    runMutator(tx, 'event.open', { id: eventId, title: 'Local', territory: 'D:75' }, ctx('samu:75'));
    expect(reason(() => post(tx, 'samu:29', { eventId, territory: 'D:29' }))).toMatch(/introuvable/);
  });
});

describe('consignes', () => {
  it('a new version replaces the old one once, at the same territory', () => {
    const { tx, eventId } = world();
    const v1 = post(tx, 'ars:11', { eventId, territory: 'R:11', kind: 'consigne' });
    const v2 = post(tx, 'ars:11', { eventId, territory: 'R:11', kind: 'consigne', replaces: v1 });
    expect(tx.isReplaced(v1)).toBe(true);
    expect(reason(() => post(tx, 'ars:11', { eventId, territory: 'R:11', kind: 'consigne', replaces: v1 }))).toMatch(/déjà été remplacée/);
    expect(reason(() => post(tx, 'ars:11', { eventId, territory: 'D:75', kind: 'consigne', replaces: v2 }))).toMatch(/même territoire/);
    expect(reason(() => post(tx, 'ars:11', { eventId, territory: 'R:11', kind: 'information', replaces: v2 }))).toMatch(/Seule une consigne/);
  });

  it('is acknowledged once per territory, by its addressees, not by its author', () => {
    const { tx, eventId } = world();
    const c = post(tx, 'ars:11', { eventId, territory: 'R:11', kind: 'consigne' });
    runMutator(tx, 'consigne.acknowledge', { messageId: c }, ctx('samu:75'));
    expect(tx.getAck(c, 'D:75')?.userName).toBe('samu:75');
    expect(reason(() => runMutator(tx, 'consigne.acknowledge', { messageId: c }, ctx('samu:75')))).toMatch(/déjà accusé/);
    expect(reason(() => runMutator(tx, 'consigne.acknowledge', { messageId: c }, ctx('ars:11')))).toMatch(/auteur/);
    expect(reason(() => runMutator(tx, 'consigne.acknowledge', { messageId: c }, ctx('national')))).toMatch(/ne s’adresse pas/);
    expect(reason(() => runMutator(tx, 'consigne.acknowledge', { messageId: c }, ctx('samu:29')))).toMatch(/introuvable/);
  });

  it('a replaced consigne and a plain information cannot be acknowledged', () => {
    const { tx, eventId } = world();
    const v1 = post(tx, 'ars:11', { eventId, territory: 'R:11', kind: 'consigne' });
    post(tx, 'ars:11', { eventId, territory: 'R:11', kind: 'consigne', replaces: v1 });
    expect(reason(() => runMutator(tx, 'consigne.acknowledge', { messageId: v1 }, ctx('samu:75')))).toMatch(/remplacée/);
    const info = post(tx, 'ars:11', { eventId, territory: 'R:11' });
    expect(reason(() => runMutator(tx, 'consigne.acknowledge', { messageId: info }, ctx('samu:75')))).toMatch(/Seules les consignes/);
  });
});

it('an unknown mutation name is rejected, not thrown as a crash', () => {
  expect(reason(() => runMutator(new MemoryTx(), 'message.delete', {}, ctx('national')))).toMatch(/Opération inconnue/);
});

describe('corrections', () => {
  it('only the post that wrote a message corrects it, whoever holds that post; another post is told to answer instead', () => {
    const { tx, eventId } = world();
    const national = post(tx, 'national', { eventId, territory: 'FR', kind: 'consigne' });
    // SAMU 75 may not correct the national cell's consigne (the 2020 replay found it could).
    expect(reason(() => post(tx, 'samu:75', { eventId, territory: 'D:75', corrects: national }))).toMatch(/Seul le poste qui a écrit ce message \(national\)/);
    const local = post(tx, 'samu:75', { eventId, territory: 'D:75' });
    // Another regulator of the same SAMU holds the same post: allowed.
    const other = { ...ctx('samu:75'), actor: { ...ctx('samu:75').actor, userId: 'u-other-regulator', displayName: 'Dr Autre' } };
    runMutator(tx, 'message.post', { id: uuid(), eventId, territory: 'D:75', kind: 'information', priority: 'info', body: 'corrigé', corrects: local }, other);
    expect(reason(() => post(tx, 'ars:11', { eventId, territory: 'R:11', corrects: local }))).toMatch(/Seul le poste/);
    expect(reason(() => post(tx, 'national', { eventId, territory: 'FR', corrects: local }))).toMatch(/Seul le poste/);
    expect(post(tx, 'national', { eventId, territory: 'FR', corrects: national })).toBeTruthy();
  });
});
