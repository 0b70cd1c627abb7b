import { describe, expect, it } from 'vitest';
import { canManageEvents, excerpt, formatClock, formatFullTime, formatGridTime, identityLine, lateText, roleLabel, timeValue } from './format';
import type { Referential } from '../../../common/app/api';

// Built from local components so the expectations hold in any time zone.
const local = (y: number, mo: number, d: number, h: number, mi: number, s: number) => new Date(y, mo - 1, d, h, mi, s).toISOString();

describe('time formatting', () => {
  it('shows the grid time as dd/MM HH:mm:ss in local time', () => {
    expect(formatGridTime(local(2024, 3, 5, 3, 4, 9))).toBe('05/03 03:04:09');
    expect(formatGridTime(local(2024, 12, 31, 23, 59, 59))).toBe('31/12 23:59:59');
  });

  it('shows the clock and the full date', () => {
    expect(formatClock(local(2024, 3, 5, 14, 3, 22))).toBe('14:03:22');
    expect(formatFullTime(local(2024, 3, 5, 14, 3, 22))).toBe('05/03/2024 14:03:22');
  });

  it('shows nothing for a missing or unreadable time', () => {
    expect(formatGridTime(null)).toBe('');
    expect(formatGridTime('pas une date')).toBe('');
    expect(formatClock(undefined)).toBe('');
  });

  it('orders times across offsets by instant, not by text', () => {
    // 10:00+02:00 is 08:00Z: earlier than 09:00Z although its text sorts after.
    expect(timeValue('2024-03-05T10:00:00+02:00')).toBeLessThan(timeValue('2024-03-05T09:00:00Z'));
    expect(timeValue(null)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('excerpt', () => {
  it('puts the text on one line and cuts it with an ellipsis', () => {
    expect(excerpt('Ligne 1\n\nLigne   2', 60)).toBe('Ligne 1 Ligne 2');
    const cut = excerpt('abcdefghij', 5);
    expect(cut).toBe('abcd…');
    expect(cut.length).toBe(5);
  });
});

describe('role labels', () => {
  const referential: Referential = {
    regions: [{ key: 'R:11', label: 'ARS Île-de-France' }],
    departements: [{ key: 'D:75', label: 'SAMU 75 — Paris', region: '11', neighbours: ['92', '93', '94'] }],
  };

  it('names each role family in French', () => {
    expect(roleLabel('national', referential)).toBe('Cellule nationale');
    expect(roleLabel('ars:11', referential)).toBe('ARS Île-de-France');
    expect(roleLabel('samu:75', referential)).toBe('SAMU 75');
    expect(roleLabel('field:75-PMA1', referential)).toBe('Poste 75-PMA1');
  });

  it('falls back to the code when the referential is not loaded', () => {
    expect(roleLabel('ars:11', null)).toBe('ARS 11');
    expect(roleLabel('inconnu', null)).toBe('inconnu');
  });

  it('says once who the user acts for in the header', () => {
    expect(identityLine({ role: 'samu:75', territoryLabel: 'SAMU 75 — Paris' })).toBe('SAMU 75 — Paris');
    expect(identityLine({ role: 'ars:11', territoryLabel: 'ARS Île-de-France' })).toBe('ARS Île-de-France');
    expect(identityLine({ role: 'national', territoryLabel: 'France (niveau national)' })).toBe('Cellule nationale');
    expect(identityLine({ role: 'establishment:750100125', territoryLabel: 'Pitié-Salpêtrière' })).toBe('Établissement — Pitié-Salpêtrière');
  });

  it('lets national, ARS and SAMU roles manage events, and no one else', () => {
    expect(canManageEvents('national')).toBe(true);
    expect(canManageEvents('ars:11')).toBe(true);
    expect(canManageEvents('samu:75')).toBe(true);
    expect(canManageEvents('establishment:750100125')).toBe(false);
    expect(canManageEvents('field:75-PMA1')).toBe(false);
  });
});

describe('messages delivered late', () => {
  it('says when a message received more than five minutes after it was written was written and received', () => {
    const written = local(2020, 3, 24, 8, 2, 0);
    expect(lateText({ at: written, receivedAt: local(2020, 3, 24, 11, 30, 0) })).toBe('Écrit hors ligne à 08:02, reçu à 11:30');
    // Another day: both times carry their date.
    expect(lateText({ at: written, receivedAt: local(2020, 3, 25, 7, 0, 0) })).toBe('Écrit hors ligne à 24/03 08:02, reçu à 25/03 07:00');
  });

  it('marks nothing that arrived in time, that is pending, or whose times are unreadable', () => {
    const written = local(2020, 3, 24, 8, 2, 0);
    expect(lateText({ at: written, receivedAt: local(2020, 3, 24, 8, 7, 0) })).toBeNull();
    expect(lateText({ at: written, receivedAt: null })).toBeNull();
    expect(lateText({ at: 'hier', receivedAt: local(2020, 3, 24, 11, 30, 0) })).toBeNull();
  });
});
