import { describe, expect, it } from 'vitest';
import { durationText, timelineEntries } from './Timeline';
import { hold, minutesAgo, NOW, view } from './testViews';

const roleName = (r: string) => `<${r}>`;
const steps = [
  { state: 'demande' as const, at: minutesAgo(200), by: 'Dr A', byRole: 'samu:75', comment: 'SDRA' },
  { state: 'propose' as const, at: minutesAgo(185), by: 'Dr A', byRole: 'samu:75', comment: '' },
  { state: 'accepte' as const, at: minutesAgo(120), by: 'Dr B', byRole: 'establishment:750100232', comment: 'lit 12' },
];

describe('a transfer timeline', () => {
  it('says durations as a regulator does', () => {
    expect(durationText(20_000)).toBe('moins d’une minute');
    expect(durationText(12 * 60_000)).toBe('12 min');
    expect(durationText(65 * 60_000)).toBe('1 h 05');
    expect(durationText(120 * 60_000)).toBe('2 h');
    expect(durationText((51 * 60 + 10) * 60_000)).toBe('2 j 3 h');
  });

  it('lists every step with the time since the one before, its author and comment', () => {
    const e = timelineEntries(view({ state: 'accepte', steps }), NOW, roleName);
    expect(e.map((x) => [x.label, x.after, x.who?.role, x.comment])).toEqual([
      ['Demandé', null, '<samu:75>', 'SDRA'],
      ['Proposé', '15 min', '<samu:75>', ''],
      ['Accepté', '1 h 05', '<establishment:750100232>', 'lit 12'],
    ]);
  });

  it('places the hold among the steps: placed, then its expiry to come last', () => {
    const t = view({ state: 'accepte', steps, hold: hold({ placedAt: minutesAgo(120), expiresAt: minutesAgo(-120) }) });
    const e = timelineEntries(t, NOW, roleName);
    expect(e.map((x) => [x.kind, x.label])).toEqual([
      ['step', 'Demandé'],
      ['step', 'Proposé'],
      ['step', 'Accepté'],
      ['hold', 'Lit réservé en Réanimation médicale'],
      ['upcoming', 'La réservation expire'],
    ]);
  });

  it('shows a lapsed hold as expired, and an ended one by how it ended', () => {
    const lapsed = timelineEntries(view({ state: 'accepte', steps, hold: hold({ placedAt: minutesAgo(120), expiresAt: minutesAgo(60) }) }), NOW, roleName);
    expect(lapsed.at(-1)).toMatchObject({ kind: 'hold', label: 'Réservation expirée', at: minutesAgo(60) });
    const arrived = timelineEntries(
      view({ state: 'arrive', steps: [...steps, { state: 'arrive', at: minutesAgo(30), by: 'Dr B', byRole: 'establishment:750100232', comment: '' }], hold: hold({ state: 'arrived', placedAt: minutesAgo(120), expiresAt: minutesAgo(-120), endedAt: minutesAgo(30) }) }),
      NOW,
      roleName,
    );
    expect(arrived.map((x) => x.label).slice(-2)).toEqual(['Arrivé', 'Lit occupé par le patient arrivé']);
    expect(arrived.some((x) => x.label.includes('expire'))).toBe(false);
  });

  it('shows the expiry a transfer carries when the hold itself is outside this workstation’s branch', () => {
    const far = view({ state: 'accepte', steps, holdId: 'h', holdExpiresAt: minutesAgo(-60), hold: null });
    expect(timelineEntries(far, NOW, roleName).at(-1)).toMatchObject({ kind: 'upcoming', label: 'La réservation expire' });
    expect(timelineEntries({ ...far, holdExpiresAt: minutesAgo(5) }, NOW, roleName).at(-1)).toMatchObject({ kind: 'hold', label: 'Réservation expirée' });
    expect(timelineEntries({ ...far, state: 'arrive' }, NOW, roleName).some((e) => e.key === 'hold-expires')).toBe(false);
  });
});
