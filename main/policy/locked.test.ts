/** Locked settings over a real cache file: what is written over the user's values, and which calls are refused. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore, type VigieStore } from '../boards';
import { tempDir, testTerritories } from '../store/testSupport';
import { enforceLockedSettings, lockedRefusal } from './locked';

let tmp: { dir: string; cleanup(): void };
let store: VigieStore;
beforeEach(() => {
  tmp = tempDir('locked');
  store = openLocalStore(join(tmp.dir, 'cache.sqlite'), testTerritories());
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('enforceLockedSettings', () => {
  it('writes the locked fields over the user’s and keeps the others', () => {
    store.boards.beds.setBedSettings({ staleAfterHours: 48, thresholds: { fewFree: 5 } });
    enforceLockedSettings(store, { beds: { fewFree: 1 } });
    expect(store.boards.beds.bedSettings()).toEqual({ staleAfterHours: 48, thresholds: { fewFree: 1 } });
  });

  it('a locked red above the user’s orange pulls the orange up (the order rule holds)', () => {
    store.boards.stocks.setSettings({ red: 2, orange: 4 });
    enforceLockedSettings(store, { stocks: { red: 6 } });
    expect(store.boards.stocks.settings()).toEqual({ red: 6, orange: 6 });
  });

  it('a locked orange below the user’s red pulls the red down', () => {
    store.boards.stocks.setSettings({ red: 5, orange: 9 });
    enforceLockedSettings(store, { stocks: { orange: 3 } });
    expect(store.boards.stocks.settings()).toEqual({ red: 3, orange: 3 });
  });

  it('nothing locked changes nothing', () => {
    store.boards.transfers.setTransferSettings({ holdHours: 3, unansweredAfterMinutes: 45 });
    enforceLockedSettings(store, {});
    expect(store.boards.transfers.transferSettings()).toEqual({ holdHours: 3, unansweredAfterMinutes: 45 });
  });
});

describe('lockedRefusal', () => {
  const locked = { beds: { staleAfterHours: 12 }, stocks: { red: 3 }, transfers: { unansweredAfterMinutes: 20 } };
  it('refuses a changed locked value, naming each field and the organisation', () => {
    expect(lockedRefusal('stocks.setSettings', { red: 4, orange: 7 }, locked, 'DSI')).toBe(
      'Réglage verrouillé par votre service informatique (DSI) : le seuil rouge des stocks ne peut pas être modifié sur ce poste.',
    );
    expect(lockedRefusal('transfers.setSettings', { holdHours: 4, unansweredAfterMinutes: 30 }, locked, 'DSI')).toContain('le délai d’une proposition sans réponse');
  });
  it('lets through the locked value unchanged, other fields, and other calls', () => {
    expect(lockedRefusal('beds.setSettings', { staleAfterHours: 12, thresholds: { fewFree: 9 } }, locked, 'DSI')).toBeNull();
    expect(lockedRefusal('stocks.setSettings', { red: 3, orange: 20 }, locked, 'DSI')).toBeNull();
    expect(lockedRefusal('messages.post', { staleAfterHours: 1 }, locked, 'DSI')).toBeNull();
  });
});
