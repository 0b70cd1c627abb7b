import { describe, expect, it, vi } from 'vitest';
import { mergeMessages, useEventLog } from './store';
import type { MessageChanges, MessageView } from '../../../common/domain/eventlog/api';

/** Main as the store sees it: what `messages.changes` answers, and what it was asked. */
const main = vi.hoisted(() => ({
  answers: [] as unknown[],
  asked: [] as Array<{ name: string; args: unknown }>,
}));
vi.mock('../app/call', () => ({
  call: async (name: string, args: unknown) => {
    main.asked.push({ name, args });
    return { ok: true, data: main.answers.shift() };
  },
}));

function message(id: string, at: string, over: Partial<MessageView> = {}): MessageView {
  return {
    id,
    eventId: 'e',
    level: 'local',
    territory: 'D:75',
    kind: 'information',
    priority: 'info',
    body: `Message ${id}`,
    authorId: 'u',
    authorName: 'Dr Martin',
    authorRole: 'samu:75',
    at,
    replaces: null,
    corrects: null,
    ackList: null,
    receivedAt: null,
    version: 1,
    territoryLabel: 'SAMU 75 — Paris',
    pending: false,
    replacedBy: null,
    correctedBy: [],
    ackCount: 0,
    expectedAckCount: 0,
    ackedByMe: false,
    canAck: false,
    ...over,
  };
}

describe('merging message changes into the main courante', () => {
  const a = message('a', '2020-03-10T09:00:00.000Z');
  const b = message('b', '2020-03-10T10:00:00.000Z');
  const c = message('c', '2020-03-10T11:00:00.000Z');

  it('replaces a changed message in place, sorts a new one in newest first, drops a removed one and keeps the others as they were', () => {
    const rows = [c, b, a];
    const a2 = { ...a, ackCount: 1 };
    const d = message('d', '2020-03-10T10:30:00.000Z');
    const delta = mergeMessages(rows, { full: false, messages: [d, a2], removed: ['b', 'unknown'] });
    expect(delta.messages.map((m) => m.id)).toEqual(['c', 'd', 'a']);
    expect(delta.messages[0]).toBe(c);
    expect(delta.messages[2]).toBe(a2);
    expect(delta).toMatchObject({ full: false, add: [d], update: [a2], remove: [b] });
    expect(delta.from).toBe(rows);
    expect(rows.map((m) => m.id)).toEqual(['c', 'b', 'a']);
  });

  it('a full answer replaces the rows', () => {
    const delta = mergeMessages([c, b, a], { full: true, messages: [b], removed: [] });
    expect(delta.messages).toEqual([b]);
    expect(delta.full).toBe(true);
  });
});

describe('the main courante store kept up to date live', () => {
  it('reads a newly selected event whole, then asks only for what changed since its cursor and merges it', async () => {
    const eventId = '11111111-1111-4111-8111-111111111111';
    const a = message('a', '2020-03-10T09:00:00.000Z', { eventId });
    const b = message('b', '2020-03-10T10:00:00.000Z', { eventId, kind: 'consigne' });
    const b2 = { ...b, ackCount: 1 };
    const c = message('c', '2020-03-10T11:00:00.000Z', { eventId });
    const full: MessageChanges = { full: true, messages: [b, a], removed: [], cursor: 7 };
    const changes: MessageChanges = { full: false, messages: [c, b2], removed: ['a'], cursor: 9 };
    main.answers.push(full, changes);
    useEventLog.getState().selectEvent(eventId);
    await useEventLog.getState().refreshMessages();
    expect(main.asked.map((q) => q.args)).toEqual([
      { eventId, filter: undefined, since: 0 },
      { eventId, filter: undefined, since: 7 },
    ]);
    const s = useEventLog.getState();
    expect(s.messages).toEqual([c, b2]);
    expect(s.messagesCursor).toBe(9);
    expect(s.messagesDelta).toMatchObject({ full: false, add: [c], update: [b2], remove: [a] });
    useEventLog.getState().reset();
  });
});
