import { describe, expect, it } from 'vitest';
import { offlineDuration, offlineSinceAfter } from './sync';
import { ui } from '../../../common/i18n/ui.fr';
import type { SyncStatus } from '../../../common/app/api';

const status = (p: Partial<SyncStatus>): SyncStatus => ({ state: 'online', pending: 0, rejected: 0, lastSyncAt: null, serverUrl: null, detail: null, ...p });
const now = new Date('2020-03-20T10:12:30.000Z');

describe('offline banner', () => {
  it('says « hors ligne depuis 12 min · 2 en attente »', () => {
    expect(ui.sync.offlineFor(offlineDuration('2020-03-20T10:00:00.000Z', now), 2)).toBe('Hors ligne depuis 12 min · 2 en attente');
    expect(offlineDuration('2020-03-20T08:55:00.000Z', now)).toBe('1 h 17');
    expect(offlineDuration('2020-03-20T10:12:00.000Z', now)).toBe('moins d’une minute');
  });

  it('dates the outage from when it began, kept while it lasts, gone when back', () => {
    const first = offlineSinceAfter(null, status({ state: 'offline' }), now);
    expect(first).toBe(now.toISOString());
    expect(offlineSinceAfter(first, status({ state: 'offline' }), new Date('2020-03-20T11:00:00.000Z'))).toBe(first);
    expect(offlineSinceAfter(first, status({ state: 'online' }), now)).toBeNull();
    // A page opened during an outage: the last sync bounds it.
    expect(offlineSinceAfter(null, status({ state: 'offline', lastSyncAt: '2020-03-20T09:00:00.000Z' }), now)).toBe('2020-03-20T09:00:00.000Z');
  });
});
