import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalStore, type VigieStore } from '../boards';
import { actorFor, tempDir, testTerritories } from '../store/testSupport';
import type { Ack, CrisisEvent, Message } from '../../common/domain/eventlog/model';
import type { Change } from '../../common/protocol';

const samu75 = actorFor('u-samu75', 'samu:75', 'SAMU 75 régulation');

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function dir(): string {
  const t = tempDir('msgchg');
  cleanups.push(t.cleanup);
  return t.dir;
}

function openStore(): VigieStore {
  const store = openLocalStore(join(dir(), 'cache.sqlite'), testTerritories());
  cleanups.push(() => store.close());
  return store;
}

function serverEvent(): CrisisEvent {
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
  };
}

let version = 10;
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
    authorRole: 'samu:92',
    at: '2020-03-10T09:00:00.000Z',
    replaces: null,
    corrects: null,
    ackList: null,
    receivedAt: null,
    version: ++version,
    ...over,
  };
}

const ev = (data: CrisisEvent): Change => ({ version: data.version, entity: 'event', data });
const msg = (data: Message): Change => ({ version: data.version, entity: 'message', data });
const ack = (data: Ack): Change => ({ version: data.version, entity: 'ack', data });

describe('local store: message changes since a cursor', () => {
  function seeded() {
    const store = openStore();
    const event = serverEvent();
    const other = serverEvent();
    const a = serverMessage(event.id, { kind: 'consigne', territory: 'R:11', level: 'regional', at: '2020-03-10T09:00:00.000Z' });
    const b = serverMessage(event.id, { priority: 'urgent', at: '2020-03-10T10:00:00.000Z' });
    store.applyPull([ev(event), ev(other), msg(a), msg(b)], 20);
    return { store, event, other, a, b };
  }

  it('from 0, or from a cursor this cache never gave, answers the whole list; from the cursor, nothing', () => {
    const s = seeded();
    const first = s.store.boards.eventlog.messageChangesSince(s.event.id, undefined, samu75, 0);
    expect(first.full).toBe(true);
    expect(first.messages).toEqual(s.store.boards.eventlog.listMessages(s.event.id, undefined, samu75));
    expect(first.cursor).toBe(s.store.boards.eventlog.messageCursor());
    expect(s.store.boards.eventlog.messageChangesSince(s.event.id, undefined, samu75, first.cursor + 100).full).toBe(true);
    expect(s.store.boards.eventlog.messageChangesSince(s.event.id, undefined, samu75, first.cursor)).toEqual({ full: false, messages: [], removed: [], cursor: first.cursor });
  });

  it('answers a new message, a replaced one, an acknowledged one, and leaves other events out', () => {
    const s = seeded();
    const c0 = s.store.boards.eventlog.messageCursor();
    const newA = serverMessage(s.event.id, { kind: 'consigne', territory: 'R:11', level: 'regional', replaces: s.a.id, at: '2020-03-10T11:00:00.000Z' });
    s.store.applyChanges([msg(newA), msg(serverMessage(s.other.id))]);
    const c1 = s.store.boards.eventlog.messageChangesSince(s.event.id, undefined, samu75, c0);
    expect(c1.full).toBe(false);
    expect(c1.removed).toEqual([]);
    expect(c1.messages.map((m) => m.id)).toEqual([newA.id, s.a.id]);
    expect(c1.messages[1]).toMatchObject({ replacedBy: newA.id, canAck: false });
    expect(c1.messages).toEqual(s.store.boards.eventlog.listMessages(s.event.id, undefined, samu75).filter((m) => m.id === newA.id || m.id === s.a.id));

    // A server ack and a local (overlay) ack: each changes the acknowledged message only.
    s.store.applyChanges([ack({ messageId: newA.id, territory: 'D:92', userId: 'u92', userName: 'SAMU 92', at: '2020-03-10T11:05:00.000Z', version: 40 })]);
    const c2 = s.store.boards.eventlog.messageChangesSince(s.event.id, undefined, samu75, c1.cursor);
    expect(c2.messages.map((m) => [m.id, m.ackCount])).toEqual([[newA.id, 1]]);
    expect(s.store.mutate('consigne.acknowledge', { messageId: newA.id }, samu75).ok).toBe(true);
    const c3 = s.store.boards.eventlog.messageChangesSince(s.event.id, undefined, samu75, c2.cursor);
    expect(c3.messages.map((m) => [m.id, m.ackCount, m.ackedByMe])).toEqual([[newA.id, 2, true]]);
  });

  it('a pending message shows, and a changed message that no longer matches the filter is removed', () => {
    const s = seeded();
    const urgent = { priorities: ['urgent' as const] };
    const c0 = s.store.boards.eventlog.messageChangesSince(s.event.id, urgent, samu75, 0);
    expect(c0.messages.map((m) => m.id)).toEqual([s.b.id]);
    // The server corrects b's priority (a newer version of the same row).
    s.store.applyChanges([msg({ ...s.b, priority: 'info', version: 50 })]);
    const c1 = s.store.boards.eventlog.messageChangesSince(s.event.id, urgent, samu75, c0.cursor);
    expect(c1).toEqual({ full: false, messages: [], removed: [s.b.id], cursor: s.store.boards.eventlog.messageCursor() });
    // A local urgent message: shown at once, pending.
    const id = randomUUID();
    expect(s.store.mutate('message.post', { id, eventId: s.event.id, territory: 'D:75', kind: 'information', priority: 'urgent', body: 'Afflux' }, samu75).ok).toBe(true);
    const c2 = s.store.boards.eventlog.messageChangesSince(s.event.id, urgent, samu75, c1.cursor);
    expect(c2.messages.map((m) => [m.id, m.pending])).toEqual([[id, true]]);
    // Rejected by the server: the overlay row goes, and the view drops it.
    s.store.recordResults([{ mutationId: 1, status: 'rejected', reason: 'non' }]);
    const c3 = s.store.boards.eventlog.messageChangesSince(s.event.id, urgent, samu75, c2.cursor);
    expect(c3.removed).toEqual([id]);
    expect(c3.messages).toEqual([]);
  });
});
