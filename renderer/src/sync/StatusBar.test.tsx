// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useSync } from '../stores/sync';
import { StatusBar } from './StatusBar';
import type { SyncStatus } from '../../../common/app/api';

// React's act() environment flag, so state updates flush synchronously in the test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const local = (h: number, m: number, s: number) => new Date(2024, 2, 5, h, m, s).toISOString();

const status = (over: Partial<SyncStatus>): SyncStatus => ({
  state: 'online',
  pending: 0,
  rejected: 0,
  lastSyncAt: null,
  serverUrl: 'http://127.0.0.1:4100',
  detail: null,
  ...over,
});

describe('status bar', () => {
  let host: HTMLDivElement;
  let root: Root;
  const text = (testid: string) => host.querySelector(`[data-testid="${testid}"]`)?.textContent ?? null;

  beforeEach(() => {
    useSync.getState().reset();
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
    act(() => root.render(<StatusBar />));
  });
  afterEach(() => {
    act(() => root.unmount());
    host.remove();
  });

  it('says online, nothing pending, and the time of the last sync', () => {
    act(() => useSync.getState().setStatus(status({ lastSyncAt: local(14, 3, 22) })));
    expect(text('sync-state')).toBe('En ligne');
    expect(text('sync-pending')).toBe('0 en attente');
    expect(text('sync-last')).toBe('Dernière synchro 14:03:22');
    expect(host.querySelector('[data-testid="sync-detail"]')).toBeNull();
  });

  it('says offline with the pending count and why, in colour and in words', () => {
    act(() =>
      useSync.getState().setStatus(
        status({ state: 'offline', pending: 1, lastSyncAt: local(9, 0, 1), detail: 'Serveur de synchronisation injoignable.' }),
      ),
    );
    expect(text('sync-state')).toBe('Hors ligne');
    expect(host.querySelector('[data-testid="sync-state"]')?.className).toContain('sync-offline');
    expect(text('sync-pending')).toBe('1 en attente');
    expect(text('sync-detail')).toBe('Serveur de synchronisation injoignable.');
    expect(text('sync-last')).toBe('Dernière synchro 09:00:01');
  });

  it('says syncing, and never synced before the first success', () => {
    act(() => useSync.getState().setStatus(status({ state: 'syncing', pending: 3 })));
    expect(text('sync-state')).toBe('Synchronisation…');
    expect(text('sync-pending')).toBe('3 en attente');
    expect(text('sync-last')).toBe('Jamais synchronisé');
  });

  it('online, still shows a notice main gives, such as the server having been restored', () => {
    act(() => useSync.getState().setStatus(status({ detail: 'Le serveur a été restauré : données rechargées (vos opérations en attente sont renvoyées).' })));
    expect(text('sync-state')).toBe('En ligne');
    expect(text('sync-detail')).toBe('Le serveur a été restauré : données rechargées (vos opérations en attente sont renvoyées).');
  });
});
