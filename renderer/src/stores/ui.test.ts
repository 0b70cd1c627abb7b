import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_URGENT_NOTICES, useUi } from './ui';

const notice = (id: string) => ({ id, eventId: 'e', body: `urgent ${id}`, authorName: 'Dr A', territoryLabel: 'SAMU 75 — Paris' });

describe('ui store', () => {
  beforeEach(() => useUi.getState().reset());

  it('announces each urgent message once, newest first, within a bounded stack', () => {
    const s = useUi.getState();
    s.pushUrgent(notice('1'));
    s.pushUrgent(notice('1'));
    s.pushUrgent(notice('2'));
    expect(useUi.getState().urgent.map((n) => n.id)).toEqual(['2', '1']);
    for (let i = 3; i < 10; i++) s.pushUrgent(notice(String(i)));
    expect(useUi.getState().urgent).toHaveLength(MAX_URGENT_NOTICES);
    expect(useUi.getState().urgent[0].id).toBe('9');
  });

  it('closes the help first, then the newest announcement, on Escape', () => {
    const s = useUi.getState();
    s.pushUrgent(notice('1'));
    s.pushUrgent(notice('2'));
    s.toggleHelp();
    expect(s.closeTopmost()).toBe(true);
    expect(useUi.getState().helpOpen).toBe(false);
    expect(useUi.getState().urgent).toHaveLength(2);
    expect(useUi.getState().closeTopmost()).toBe(true);
    expect(useUi.getState().urgent.map((n) => n.id)).toEqual(['1']);
    useUi.getState().dismissUrgent('1');
    expect(useUi.getState().closeTopmost()).toBe(false);
  });
});
