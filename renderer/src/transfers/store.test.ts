import { describe, expect, it } from 'vitest';
import { filtered, holdExpired, unansweredMinutes } from './store';
import { hold, minutesAgo, NOW, view } from './testViews';

describe('transfer timers', () => {
  it('flags a proposal unanswered from 30 minutes after it was made, and only a proposal', () => {
    expect(unansweredMinutes(view({}), NOW)).toBeNull();
    expect(unansweredMinutes(view({ steps: [{ state: 'propose', at: minutesAgo(45), by: 'x', byRole: 'samu:75', comment: '' }] }), NOW)).toBe(45);
    expect(unansweredMinutes(view({ state: 'accepte', steps: [{ state: 'accepte', at: minutesAgo(45), by: 'x', byRole: 'x', comment: '' }] }), NOW)).toBeNull();
  });

  it('flags a proposal after the delay this workstation chose', () => {
    expect(unansweredMinutes(view({}), NOW, 10)).toBe(10);
    expect(unansweredMinutes(view({}), NOW, 11)).toBeNull();
    const old = view({ steps: [{ state: 'propose', at: minutesAgo(45), by: 'x', byRole: 'samu:75', comment: '' }] });
    expect(unansweredMinutes(old, NOW, 60)).toBeNull();
  });

  it('knows a held bed lapsed before the arrival, not after it or once released', () => {
    expect(holdExpired(view({ state: 'accepte', hold: hold({}) }), NOW)).toBe(true);
    expect(holdExpired(view({ state: 'accepte', hold: hold({ expiresAt: minutesAgo(-60) }) }), NOW)).toBe(false);
    expect(holdExpired(view({ state: 'arrive', hold: hold({ state: 'arrived' }) }), NOW)).toBe(false);
    expect(holdExpired(view({ state: 'annule', hold: hold({ state: 'released' }) }), NOW)).toBe(false);
  });

  it('filters: in progress, my requests, incoming to my establishment', () => {
    const list = [view({ id: 'a', state: 'arrive' }), view({ id: 'b', mine: ['destination'] }), view({ id: 'c', mine: ['origin'] })];
    expect(filtered(list, 'active').map((t) => t.id)).toEqual(['b', 'c']);
    expect(filtered(list, 'incoming').map((t) => t.id)).toEqual(['b']);
    expect(filtered(list, 'mine').map((t) => t.id)).toEqual(['a', 'c']);
    expect(filtered(list, 'all')).toHaveLength(3);
    const bzh = view({ id: 'd', regions: ['11', '53'] });
    expect(filtered([...list, bzh], 'region', '53').map((t) => t.id)).toEqual(['d']);
    expect(filtered([...list, bzh], 'region', null)).toEqual([]);
  });
});
