import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mainBoards, openLocalStore, type VigieStore } from '../boards';
import { actorFor, tempDir, testTerritories } from './testSupport';
import type { CrisisEvent, Message } from '../../common/domain/eventlog/model';
import type { Change } from '../../common/protocol';

const samu75 = actorFor('u-samu75', 'samu:75', 'SAMU 75 régulation');
const ars11 = actorFor('u-ars11', 'ars:11', 'ARS IdF');
const pitie = actorFor('u-pitie', 'establishment:750100125', 'Pitié');

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function openStore(): { store: VigieStore; file: string } {
  const t = tempDir('store');
  const file = join(t.dir, 'cache.sqlite');
  const store = openLocalStore(file, testTerritories());
  cleanups.push(() => {
    store.close();
    t.cleanup();
  });
  return { store, file };
}

function serverEvent(over: Partial<CrisisEvent> = {}): CrisisEvent {
  return {
    id: randomUUID(),
    title: 'Covid-19 — vague 1',
    description: '',
    territory: 'R:11',
    status: 'open',
    openedAt: '2020-03-10T08:00:00.000Z',
    openedBy: 'ARS IdF',
    closedAt: null,
    closedBy: null,
    version: 1,
    ...over,
  };
}

function serverMessage(eventId: string, over: Partial<Message> = {}): Message {
  return {
    id: randomUUID(),
    eventId,
    level: 'local',
    territory: 'D:75',
    kind: 'information',
    priority: 'info',
    body: 'Point de situation',
    authorId: 'u-other',
    authorName: 'Autre',
    authorRole: 'samu:75',
    at: '2020-03-10T09:00:00.000Z',
    replaces: null,
    corrects: null,
    ackList: null,
    receivedAt: null,
    version: 2,
    ...over,
  };
}

const ev = (data: CrisisEvent): Change => ({ version: data.version, entity: 'event', data });
const msg = (data: Message): Change => ({ version: data.version, entity: 'message', data });

describe('local store: mutate, overlay and outbox', () => {
  it('a local write shows at once as pending and waits in the outbox', () => {
    const { store } = openStore();
    const id = randomUUID();
    const r = store.mutate('event.open', { id, title: 'Afflux gare de Lyon', territory: 'D:75' }, samu75);
    expect(r).toEqual({ ok: true, mutationId: 1 });
    const [view] = store.boards.eventlog.listEvents();
    expect(view).toMatchObject({ id, title: 'Afflux gare de Lyon', territory: 'D:75', pending: true, status: 'open', messageCount: 0 });
    expect(view.territoryLabel).toBe('SAMU 75 — Paris');
    expect(store.counts()).toEqual({ pending: 1, rejected: 0 });
    const [m] = store.pendingBatch(200);
    expect(m).toMatchObject({ clientId: store.clientId(), mutationId: 1, name: 'event.open' });
    expect(m.args).toEqual({ id, title: 'Afflux gare de Lyon', territory: 'D:75' });
  });

  it('a local rejection queues nothing and does not use up a mutation id', () => {
    const { store } = openStore();
    const bad = store.mutate('event.open', { id: randomUUID(), title: 'Hors périmètre', territory: 'D:29' }, samu75);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/hors de votre périmètre/);
    const invalid = store.mutate('event.open', { id: 'pas-un-uuid', title: '', territory: 'D:75' }, samu75);
    expect(invalid.ok).toBe(false);
    expect(store.counts().pending).toBe(0);
    expect(store.overlayCount()).toBe(0);
    expect(store.boards.eventlog.listEvents()).toEqual([]);
    const good = store.mutate('event.open', { id: randomUUID(), title: 'OK', territory: 'D:75' }, samu75);
    expect(good).toEqual({ ok: true, mutationId: 1 });
  });

  it('mutators read the overlay: a message can be posted in an event opened offline', () => {
    const { store } = openStore();
    const eventId = randomUUID();
    expect(store.mutate('event.open', { id: eventId, title: 'Évènement local', territory: 'D:75' }, samu75).ok).toBe(true);
    const post = store.mutate(
      'message.post',
      { id: randomUUID(), eventId, territory: 'D:75', kind: 'information', priority: 'urgent', body: 'Afflux de blessés' },
      samu75,
    );
    expect(post).toEqual({ ok: true, mutationId: 2 });
    const [view] = store.boards.eventlog.listMessages(eventId, undefined, samu75);
    expect(view).toMatchObject({ body: 'Afflux de blessés', pending: true, authorName: 'SAMU 75 régulation', level: 'local' });
    expect(store.boards.eventlog.listEvents()[0].messageCount).toBe(1);
  });

  it('applied: the overlay goes once the server row arrives, and the outbox row once the cursor passed it', () => {
    const { store } = openStore();
    const event = serverEvent({ territory: 'D:75', version: 1 });
    store.applyPull([ev(event)], 1);
    const id = randomUUID();
    store.mutate('message.post', { id, eventId: event.id, territory: 'D:75', kind: 'information', priority: 'info', body: 'Bonjour' }, samu75);
    expect(store.recordResults([{ mutationId: 1, status: 'applied', version: 7 }])).toEqual([]);
    // Answered but the row is not here yet: still shown, from the overlay.
    expect(store.boards.eventlog.listMessages(event.id, undefined, samu75)[0]).toMatchObject({ id, pending: true });
    expect(store.counts().pending).toBe(0);
    store.applyChanges([msg(serverMessage(event.id, { id, body: 'Bonjour', authorId: samu75.userId, version: 7 }))]);
    expect(store.overlayCount()).toBe(0);
    expect(store.boards.eventlog.listMessages(event.id, undefined, samu75)[0]).toMatchObject({ id, pending: false, version: 7 });
    expect(store.outbox()).toHaveLength(1);
    store.applyPull([], 7);
    expect(store.outbox()).toHaveLength(0);
  });

  it('applied: the cursor passing the version also drops the overlay (row not visible any more)', () => {
    const { store } = openStore();
    const event = serverEvent({ territory: 'D:75' });
    store.applyPull([ev(event)], 1);
    store.mutate('event.close', { id: event.id }, samu75);
    expect(store.boards.eventlog.listEvents()[0]).toMatchObject({ status: 'closed', pending: true });
    store.recordResults([{ mutationId: 1, status: 'applied', version: 9 }]);
    expect(store.overlayCount()).toBe(1);
    store.applyPull([], 9);
    expect(store.overlayCount()).toBe(0);
  });

  it('rejected: the overlay is dropped, the outbox row is kept with its reason until dismissed', () => {
    const { store } = openStore();
    const event = serverEvent({ territory: 'D:75' });
    store.applyPull([ev(event)], 1);
    const id = randomUUID();
    store.mutate('message.post', { id, eventId: event.id, territory: 'D:75', kind: 'demande', priority: 'important', body: 'Renforts ?' }, samu75);
    const rejected = store.recordResults([{ mutationId: 1, status: 'rejected', reason: 'Cet évènement est clos : on ne peut plus y écrire.' }]);
    expect(rejected).toEqual([
      {
        mutationId: 1,
        name: 'message.post',
        args: { id, eventId: event.id, territory: 'D:75', kind: 'demande', priority: 'important', body: 'Renforts ?' },
        at: expect.any(String),
        reason: 'Cet évènement est clos : on ne peut plus y écrire.',
      },
    ]);
    expect(store.boards.eventlog.listMessages(event.id, undefined, samu75)).toEqual([]);
    expect(store.counts()).toEqual({ pending: 0, rejected: 1 });
    expect(store.rejectedList()).toEqual(rejected);
    // A replayed answer for the same mutation is not reported twice.
    expect(store.recordResults([{ mutationId: 1, status: 'rejected', reason: 'x' }])).toEqual([]);
    expect(store.dismiss(2)).toBe(false);
    expect(store.dismiss(1)).toBe(true);
    expect(store.counts()).toEqual({ pending: 0, rejected: 0 });
  });

  it('a server row is replaced only by a newer version of itself', () => {
    const { store } = openStore();
    const event = serverEvent({ version: 5, status: 'closed', closedAt: '2020-03-11T00:00:00.000Z', closedBy: 'ARS' });
    store.applyChanges([ev(event)]);
    store.applyChanges([ev({ ...event, status: 'open', closedAt: null, closedBy: null, version: 3 })]);
    expect(store.boards.eventlog.listEvents()[0]).toMatchObject({ status: 'closed', version: 5 });
    store.applyChanges([ev({ ...event, title: 'Renommé', version: 6 })]);
    expect(store.boards.eventlog.listEvents()[0]).toMatchObject({ title: 'Renommé', version: 6 });
  });

  it('reports the rows a poke brought that were new to the cache, for entities that announce them (messages)', () => {
    const { store } = openStore();
    const event = serverEvent();
    const m = serverMessage(event.id, { version: 2 });
    expect(store.applyPull([ev(event)], 1).fresh).toEqual([]);
    const first = store.applyChanges([ev(event), msg(m)]);
    expect(first.entities.sort()).toEqual(['event', 'message']);
    expect(first.fresh).toEqual([msg(m)]);
    expect(store.applyChanges([msg(m)]).fresh).toEqual([]);
    // A pull never announces: a bootstrap raises no notification storm.
    expect(store.applyPull([msg(serverMessage(event.id, { version: 3 }))], 3).fresh).toEqual([]);
  });

  it('skips a change of an entity this release does not know, and applies the rest', () => {
    const { store } = openStore();
    const event = serverEvent();
    const unknown = { version: 2, entity: 'fromAFutureRelease', data: { id: 'x', version: 2 } } as unknown as Change;
    const result = store.applyPull([ev(event), unknown], 2);
    expect(result.entities).toEqual(['event']);
    expect(store.boards.eventlog.listEvents()).toHaveLength(1);
    expect(store.cursor()).toBe(2);
  });

  it('the cursor only moves forward', () => {
    const { store } = openStore();
    store.applyPull([], 10);
    store.applyPull([], 4);
    expect(store.cursor()).toBe(10);
  });

  it('the outbox, the overlay and the ids survive closing and reopening the file', () => {
    const t = tempDir('reopen');
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'c.sqlite');
    const a = openLocalStore(file, testTerritories());
    const clientId = a.clientId();
    a.mutate('event.open', { id: randomUUID(), title: 'A', territory: 'D:75' }, samu75);
    a.close();
    const b = openLocalStore(file, testTerritories());
    expect(b.clientId()).toBe(clientId);
    expect(b.counts().pending).toBe(1);
    expect(b.boards.eventlog.listEvents()).toHaveLength(1);
    expect(b.mutate('event.open', { id: randomUUID(), title: 'B', territory: 'D:75' }, samu75)).toEqual({ ok: true, mutationId: 2 });
    b.close();
  });
});

describe('local store: message views and filters', () => {
  function seeded() {
    const { store } = openStore();
    const event = serverEvent({ territory: 'R:11' });
    let v = 1;
    const mk = (over: Partial<Message>): Message => serverMessage(event.id, { version: ++v, ...over });
    const national = mk({ territory: 'FR', level: 'national', kind: 'consigne', body: 'Consigne nationale', authorRole: 'national', authorId: 'u-nat', at: '2020-03-10T08:00:00.000Z' });
    const regional = mk({ territory: 'R:11', level: 'regional', kind: 'consigne', body: 'Déclenchement du plan blanc', authorRole: 'ars:11', authorId: 'u-ars11', at: '2020-03-10T09:00:00.000Z' });
    const local75 = mk({ territory: 'D:75', level: 'local', kind: 'consigne', priority: 'urgent', body: 'Évacuation du hall', authorName: 'Dr Martin', at: '2020-03-10T10:00:00.000Z' });
    const local92 = mk({ territory: 'D:92', level: 'local', kind: 'demande', priority: 'important', body: 'Besoin de lits', authorRole: 'samu:92', at: '2020-03-10T11:00:00.000Z' });
    const newRegional = mk({ territory: 'R:11', level: 'regional', kind: 'consigne', body: 'Plan blanc v2', replaces: regional.id, authorRole: 'ars:11', authorId: 'u-ars11', at: '2020-03-10T12:00:00.000Z' });
    const correction = mk({ territory: 'D:75', kind: 'information', body: 'Rectificatif', corrects: local75.id, at: '2020-03-10T13:00:00.000Z' });
    const all = [national, regional, local75, local92, newRegional, correction];
    store.applyPull([ev(event), ...all.map(msg)], v);
    return { store, event, national, regional, local75, local92, newRegional, correction };
  }

  it('lists newest first with labels, relations and acknowledgement state', () => {
    const s = seeded();
    const views = s.store.boards.eventlog.listMessages(s.event.id, undefined, samu75);
    expect(views.map((m) => m.id)).toEqual([s.correction, s.newRegional, s.local92, s.local75, s.regional, s.national].map((m) => m.id));
    const byId = new Map(views.map((m) => [m.id, m]));
    expect(byId.get(s.regional.id)).toMatchObject({ replacedBy: s.newRegional.id, canAck: false, territoryLabel: 'ARS Île-de-France' });
    expect(byId.get(s.local75.id)?.correctedBy).toEqual([s.correction.id]);
    // A regional consigne of Île-de-France expects its eight SAMU; SAMU 75 may acknowledge it.
    expect(byId.get(s.newRegional.id)).toMatchObject({ expectedAckCount: 8, ackCount: 0, ackedByMe: false, canAck: true });
    expect(byId.get(s.correction.id)).toMatchObject({ expectedAckCount: 0, canAck: false });
  });

  it('an acknowledgement shows at once as pending, then counts once the server has it', () => {
    const s = seeded();
    const r = s.store.mutate('consigne.acknowledge', { messageId: s.newRegional.id }, samu75);
    expect(r.ok).toBe(true);
    const view = s.store.boards.eventlog.listMessages(s.event.id, undefined, samu75).find((m) => m.id === s.newRegional.id);
    expect(view).toMatchObject({ ackCount: 1, ackedByMe: true, canAck: false });
    const summary = s.store.boards.eventlog.ackSummary(s.newRegional.id);
    expect(summary?.acknowledged).toEqual([{ territory: 'D:75', label: 'SAMU 75 — Paris', userName: samu75.displayName, at: expect.any(String), pending: true, listed: true }]);
    expect(summary?.missing).toHaveLength(7);
    expect(summary?.missing.map((m) => m.key)).not.toContain('D:75');
    // The same territory cannot acknowledge twice, even before the server answered.
    const again = s.store.mutate('consigne.acknowledge', { messageId: s.newRegional.id }, samu75);
    expect(again.ok).toBe(false);
    expect(s.store.boards.eventlog.ackSummary(randomUUID())).toBeNull();
  });

  it('filters by level, kind, priority, territory subtree and text without accents or case', () => {
    const s = seeded();
    const ids = (f: Parameters<VigieStore['boards']['eventlog']['listMessages']>[1]) => s.store.boards.eventlog.listMessages(s.event.id, f, ars11).map((m) => m.id).sort();
    expect(ids({ levels: ['national', 'regional'] })).toEqual([s.national.id, s.regional.id, s.newRegional.id].sort());
    expect(ids({ kinds: ['demande'] })).toEqual([s.local92.id]);
    expect(ids({ priorities: ['urgent', 'important'] })).toEqual([s.local75.id, s.local92.id].sort());
    expect(ids({ territory: 'D:75' })).toEqual([s.local75.id, s.correction.id].sort());
    expect(ids({ territory: 'R:11' })).toEqual([s.regional.id, s.local75.id, s.local92.id, s.newRegional.id, s.correction.id].sort());
    expect(ids({ text: 'EVACUATION' })).toEqual([s.local75.id]);
    expect(ids({ text: 'martin' })).toEqual([s.local75.id]);
    expect(ids({ text: 'plan blanc', kinds: ['consigne'], levels: ['regional'] })).toEqual([s.regional.id, s.newRegional.id].sort());
    expect(ids({ levels: [], kinds: [] })).toHaveLength(6);
    expect(ids({ territory: 'D:00' })).toEqual([]);
    expect(ids({ text: '%' })).toEqual([]);
  });

  it('an establishment may acknowledge a local consigne of its département, its author may not', () => {
    const s = seeded();
    const asPitie = s.store.boards.eventlog.listMessages(s.event.id, undefined, pitie).find((m) => m.id === s.local75.id);
    expect(asPitie?.canAck).toBe(true);
    const asAuthor = s.store.boards.eventlog.listMessages(s.event.id, undefined, { ...samu75, userId: 'u-other' }).find((m) => m.id === s.local75.id);
    expect(asAuthor?.canAck).toBe(false);
  });
});

describe('local store at scale', () => {
  it('lists and filters 50,000 messages quickly, using the event index', () => {
    const { store } = openStore();
    const event = serverEvent({ territory: 'FR' });
    const deps = ['75', '92', '93', '94', '29', '35'];
    const changes: Change[] = [ev(event)];
    for (let i = 0; i < 50_000; i++) {
      const dep = deps[i % deps.length];
      changes.push(
        msg(
          serverMessage(event.id, {
            territory: `D:${dep}`,
            priority: i % 50 === 0 ? 'urgent' : 'info',
            body: i % 1000 === 0 ? `Évacuation secteur ${i}` : `Message de routine n° ${i}`,
            at: new Date(Date.UTC(2020, 2, 10) + i * 1000).toISOString(),
            version: i + 2,
          }),
        ),
      );
    }
    let t = performance.now();
    for (let i = 0; i < changes.length; i += 5000) store.applyPull(changes.slice(i, i + 5000), Math.min(i + 5000, changes.length));
    const applyMs = performance.now() - t;

    t = performance.now();
    const all = store.boards.eventlog.listMessages(event.id, undefined, samu75);
    const allMs = performance.now() - t;
    t = performance.now();
    const filtered = store.boards.eventlog.listMessages(event.id, { text: 'evacuation', priorities: ['urgent'], territory: 'R:11' }, samu75);
    const filteredMs = performance.now() - t;
    console.log(`50k messages: apply ${applyMs.toFixed(0)} ms, list all ${allMs.toFixed(0)} ms, filtered ${filteredMs.toFixed(0)} ms`);

    expect(all).toHaveLength(50_000);
    // Every 1000th is an évacuation, urgent (i % 50 === 0), in Île-de-France (75, 92, 93, 94).
    const expected = Array.from({ length: 50 }, (_, k) => k * 1000).filter((i) => ['75', '92', '93', '94'].includes(deps[i % deps.length]));
    expect(filtered.map((m) => m.body).sort()).toEqual(expected.map((i) => `Évacuation secteur ${i}`).sort());
    // Speed is the benchmarks' business (figures printed above); what keeps the filtered list
    // fast is the index it reads, checked here.
    const plan = store.db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM messages WHERE event_id = ? AND priority = 'urgent' ORDER BY at DESC")
      .all(event.id) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/messages_event_at/);
  });
});

describe('local store: rebuild after a server restore', () => {
  const post = (store: VigieStore, eventId: string, body: string) => {
    const r = store.mutate('message.post', { id: randomUUID(), eventId, territory: 'D:75', kind: 'information', priority: 'info', body }, samu75);
    if (!r.ok) throw new Error(r.reason);
    return r.mutationId;
  };

  it('empties every board’s server rows and resets the cursor, keeps what is pending, and moves the views’ counters forward', () => {
    const { store } = openStore();
    const event = serverEvent({ territory: 'D:75', version: 1 });
    const old = [2, 3, 4].map((version) => serverMessage(event.id, { version }));
    store.applyPull([ev(event), ...old.map(msg)], 4);
    store.adoptEpoch('epoch-1');
    const mine = post(store, event.id, 'Écrit hors ligne');
    const before = store.boards.eventlog.messageCursor();

    store.rebuild({ epoch: 'epoch-2', lastMutationId: 0 });

    for (const table of mainBoards.flatMap((b) => b.entities.flatMap((e) => [e.table, ...(e.copies ?? [])]))) {
      expect((store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0);
    }
    expect(store.cursor()).toBe(0);
    expect(store.serverEpoch()).toBe('epoch-2');
    expect(store.outbox().map((o) => [o.mutationId, o.status])).toEqual([[mine, 'pending']]);
    expect(store.boards.eventlog.listMessages(event.id, undefined, samu75).map((m) => [m.body, m.pending])).toEqual([['Écrit hors ligne', true]]);
    // A live view asking from its old cursor learns that the server's messages are gone.
    const changes = store.boards.eventlog.messageChangesSince(event.id, undefined, samu75, before);
    expect(changes.full).toBe(false);
    expect(changes.cursor).toBeGreaterThan(before);
    expect(new Set(changes.removed)).toEqual(new Set(old.map((m) => m.id)));
    // The same rows pulled again from 0 are stamped above the view's cursor: it sees them come back.
    store.applyPull([ev(event), msg(old[0])], 2);
    const back = store.boards.eventlog.messageChangesSince(event.id, undefined, samu75, changes.cursor);
    expect(back.messages.map((m) => m.id)).toContain(old[0].id);
  });

  it('numbers on the wire, after the restored server’s last id, the mutations it has not seen; those it has seen keep theirs; a refused one is never sent again', () => {
    const { store } = openStore();
    const event = serverEvent({ territory: 'D:75', version: 1 });
    store.applyPull([ev(event)], 1);
    const ids = ['un', 'deux', 'trois', 'quatre', 'cinq'].map((b) => post(store, event.id, b));
    expect(store.pendingBatch(10).map((m) => m.mutationId)).toEqual([1, 2, 3, 4, 5]);
    store.recordResults([
      { mutationId: 1, status: 'applied', version: 10 },
      { mutationId: 2, status: 'rejected', reason: 'Refusé.' },
      { mutationId: 3, status: 'applied', version: 11 },
      { mutationId: 4, status: 'applied', version: 12 },
    ]);
    expect(store.answeredWireId()).toBe(4);

    // The restored server has seen mutation 1 only: 3 and 4 were applied by a history it lost.
    store.rebuild({ epoch: 'epoch-2', lastMutationId: 1 });

    const batch = store.pendingBatch(10);
    expect(batch.map((m) => [m.mutationId, (m.args as { body: string }).body])).toEqual([
      [1, 'un'],
      [2, 'trois'],
      [3, 'quatre'],
      [4, 'cinq'],
    ]);
    expect(store.rejectedList().map((r) => [r.mutationId, r.reason])).toEqual([[ids[1], 'Refusé.']]);
    expect(store.answeredWireId()).toBe(1);
    // The next write (once the event is pulled again) follows on the wire; answers by wire id reach the right local rows.
    store.applyPull([ev(event)], 1);
    const six = post(store, event.id, 'six');
    expect(store.pendingBatch(10).map((m) => m.mutationId)).toEqual([1, 2, 3, 4, 5]);
    store.recordResults([
      { mutationId: 1, status: 'applied', version: 2 },
      { mutationId: 2, status: 'rejected', reason: 'Plus possible.' },
    ]);
    expect(store.outbox().map((o) => [o.mutationId, o.status])).toEqual([
      [ids[0], 'applied'],
      [ids[1], 'rejected'],
      [ids[2], 'rejected'],
      [ids[3], 'pending'],
      [ids[4], 'pending'],
      [six, 'pending'],
    ]);
  });

  it('when the server knows more of this client id than the cache (a cache restored on the workstation), new writes go after it', () => {
    const { store } = openStore();
    const event = serverEvent({ territory: 'D:75', version: 1 });
    store.applyPull([ev(event)], 1);
    post(store, event.id, 'un');
    store.rebuild({ epoch: 'epoch-2', lastMutationId: 7 });
    expect(store.pendingBatch(10).map((m) => m.mutationId)).toEqual([1]);
    store.applyPull([ev(event)], 1);
    post(store, event.id, 'deux');
    expect(store.pendingBatch(10).map((m) => m.mutationId)).toEqual([1, 8]);
  });
});
