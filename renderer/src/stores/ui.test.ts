import { beforeEach, describe, expect, it } from 'vitest';
import { announced, MAX_URGENT_NOTICES, urgentStorageKey, useUi } from './ui';

const notice = (id: string) => ({
  id,
  eventId: 'e',
  body: `urgent ${id}`,
  authorName: 'Dr A',
  authorPost: 'SAMU 75 — Paris',
  territoryLabel: 'Île-de-France',
  at: '2020-03-24T08:00:00.000Z',
  receivedAt: '2020-03-24T08:00:01.000Z',
});

/** An in-memory localStorage (vitest runs this file in Node). */
function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe('ui store', () => {
  beforeEach(() => {
    globalThis.localStorage = memoryStorage();
    useUi.getState().reset();
  });

  it('announces each urgent message once, newest first, within a bounded list', () => {
    const s = useUi.getState();
    s.pushUrgent(notice('1'));
    s.pushUrgent(notice('1'));
    s.pushUrgent(notice('2'));
    expect(useUi.getState().urgent.map((n) => n.id)).toEqual(['2', '1']);
    for (let i = 3; i < MAX_URGENT_NOTICES + 10; i++) s.pushUrgent(notice(String(i)));
    expect(useUi.getState().urgent).toHaveLength(MAX_URGENT_NOTICES);
    expect(useUi.getState().urgent[0].id).toBe(String(MAX_URGENT_NOTICES + 9));
  });

  it('closes the help first, then the announcement shown, on Escape; closed ones stay unopened', () => {
    const s = useUi.getState();
    s.pushUrgent(notice('1'));
    s.pushUrgent(notice('2'));
    s.toggleHelp();
    expect(s.closeTopmost()).toBe(true);
    expect(useUi.getState().helpOpen).toBe(false);
    expect(announced(useUi.getState())).toHaveLength(2);
    expect(useUi.getState().closeTopmost()).toBe(true);
    expect(announced(useUi.getState()).map((n) => n.id)).toEqual(['1']);
    useUi.getState().dismissUrgent('1');
    expect(useUi.getState().closeTopmost()).toBe(false);
    expect(useUi.getState().urgent.map((n) => n.id)).toEqual(['2', '1']);
  });

  it('keeps unopened urgent messages per user across a reload, until they are opened', () => {
    const key = urgentStorageKey('https://vigie.example', 'u1');
    useUi.getState().restoreUrgent(key);
    useUi.getState().pushUrgent(notice('1'));
    useUi.getState().pushUrgent(notice('2'));
    useUi.getState().pushUrgent(notice('3'));
    useUi.getState().dismissUrgent('3');

    // A reload: memory is gone, the storage is not.
    useUi.getState().reset();
    expect(useUi.getState().urgent).toEqual([]);
    useUi.getState().restoreUrgent(key);
    expect(useUi.getState().urgent.map((n) => n.id)).toEqual(['3', '2', '1']);
    expect(announced(useUi.getState()).map((n) => n.id)).toEqual(['2', '1']);

    useUi.getState().openedUrgent('2');
    useUi.getState().dismissAllUrgent();
    useUi.getState().reset();
    useUi.getState().restoreUrgent(key);
    expect(useUi.getState().urgent.map((n) => n.id)).toEqual(['3', '1']);
    expect(announced(useUi.getState())).toEqual([]);

    // Another user on the same workstation sees none of it.
    useUi.getState().reset();
    useUi.getState().restoreUrgent(urgentStorageKey('https://vigie.example', 'u2'));
    expect(useUi.getState().urgent).toEqual([]);
  });
});
