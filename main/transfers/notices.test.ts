/**
 * The clock notices of the transfers board over a real cache file, with the clock passed in:
 * a proposal left unanswered is told to the requesting SAMU once its delay passed (not
 * before, not to anyone else, not twice, not again after a restart); a hold that lapsed
 * before the arrival is told to the SAMU and to the destination, once.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransferNotice } from '../../common/domain/transfers/api';
import type { BedHold, Transfer, TransferStep } from '../../common/domain/transfers/model';
import type { Change } from '../../common/protocol';
import { openLocalStore, type VigieStore } from '../boards';
import { tempDir, testTerritories } from '../store/testSupport';
import { checkTransferNotices } from './notices';

const PITIE = '750100125';
const BICHAT = '750100232';
const T0 = Date.parse('2020-03-24T10:00:00.000Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const TID = '4f1c2a9e-0b7d-4c3e-9a51-6d2e8f0a1b2c';
const HID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

/** A cache file of `roleText`, reopenable (a restart of the workstation). */
function workstation(roleText: string) {
  const t = tempDir('transfer-notices');
  const file = join(t.dir, 'cache.sqlite');
  let store: VigieStore | null = openLocalStore(file, testTerritories());
  const told: TransferNotice[] = [];
  const ctx = {
    userId: 'u',
    roleText,
    labelOf: (k: string) => testTerritories().label(k),
    emit: ((event: string, payload: unknown) => {
      if (event === 'transfer.notice') told.push(payload as TransferNotice);
    }) as Parameters<typeof checkTransferNotices>[1]['emit'],
  };
  const ws = {
    told,
    get store(): VigieStore {
      if (!store) throw new Error('closed');
      return store;
    },
    /** One clock check at `min` minutes after T0; what it told. */
    check: (min: number) => checkTransferNotices(ws.store, ctx, T0 + min * 60_000),
    restart() {
      ws.store.close();
      store = openLocalStore(file, testTerritories());
    },
    receive(...changes: Change[]) {
      ws.store.applyPull(changes, Math.max(...changes.map((c) => c.version)));
    },
  };
  cleanups.push(() => {
    store?.close();
    t.cleanup();
  });
  return ws;
}

const step = (state: TransferStep['state'], min: number, byRole = 'samu:75'): TransferStep => ({ state, at: at(min), by: 'Régulateur', byRole, comment: '' });

function transfer(over: Partial<Transfer> = {}): Transfer {
  return {
    id: TID,
    number: 'TR-4F1C2A9E',
    patient: { ageBand: '61-75', sex: 'M', weightClass: null, need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: false },
    originFiness: PITIE,
    originUnitId: null,
    samu: 'D:75',
    urgency: 'immediate',
    transport: null,
    destFiness: BICHAT,
    destUnitId: 'REA_MED',
    destUnitType: 'REA_MED',
    state: 'propose',
    reason: null,
    holdId: null,
    steps: [step('demande', -10), step('propose', 0)],
    createdAt: at(-10),
    createdBy: 'u-samu',
    updatedAt: at(0),
    version: 2,
    ...over,
  };
}

function hold(over: Partial<BedHold> = {}): BedHold {
  return { id: HID, transferId: TID, finess: BICHAT, unitId: 'REA_MED', unitType: 'REA_MED', state: 'active', placedAt: at(5), expiresAt: at(5 + 240), endedAt: null, version: 3, ...over };
}

const accepted = (over: Partial<Transfer> = {}) =>
  transfer({ state: 'accepte', holdId: HID, steps: [step('demande', -10), step('propose', 0), step('accepte', 5, `establishment:${BICHAT}`)], version: 3, ...over });
const tc = (t: Transfer): Change => ({ version: t.version, entity: 'transfer', data: t });
const hc = (h: BedHold): Change => ({ version: h.version, entity: 'hold', data: h });

describe('unanswered proposals', () => {
  it('are told to the requesting SAMU once the delay passed, not before, and once', () => {
    const samu = workstation('samu:75');
    samu.receive(tc(transfer()));
    expect(samu.check(29)).toEqual([]);
    expect(samu.check(30)).toEqual([{ id: TID, number: 'TR-4F1C2A9E', kind: 'unanswered', text: 'Transfert TR-4F1C2A9E : proposition à Bichat (AP-HP) sans réponse depuis 30 min.' }]);
    expect(samu.check(31)).toEqual([]);
    expect(samu.check(90)).toEqual([]);
    expect(samu.told).toHaveLength(1);
  });

  it('are not told twice across a restart of the workstation', () => {
    const samu = workstation('samu:75');
    samu.receive(tc(transfer()));
    expect(samu.check(45)).toHaveLength(1);
    samu.restart();
    expect(samu.check(46)).toEqual([]);
    expect(samu.told).toHaveLength(1);
  });

  it('follow the delay this workstation chose', () => {
    const samu = workstation('samu:75');
    samu.receive(tc(transfer()));
    samu.store.boards.transfers.setTransferSettings({ holdHours: 4, unansweredAfterMinutes: 10 });
    expect(samu.check(9)).toEqual([]);
    expect(samu.check(10)).toEqual([expect.objectContaining({ kind: 'unanswered', text: expect.stringContaining('depuis 10 min') })]);
  });

  it('are told to no one but the requesting SAMU', () => {
    for (const role of [`establishment:${BICHAT}`, `establishment:${PITIE}`, 'samu:92', 'ars:11', 'national']) {
      const ws = workstation(role);
      ws.receive(tc(transfer()));
      expect(ws.check(60), role).toEqual([]);
    }
  });

  it('stop when the proposal is answered; a new proposal after a refusal is a new event', () => {
    const samu = workstation('samu:75');
    samu.receive(tc(transfer()));
    expect(samu.check(20)).toEqual([]);
    samu.receive(tc(transfer({ state: 'refuse', reason: 'plus de lit', steps: [step('demande', -10), step('propose', 0), step('refuse', 25, `establishment:${BICHAT}`)], version: 3 })));
    expect(samu.check(60)).toEqual([]);
    samu.receive(tc(transfer({ steps: [step('demande', -10), step('propose', 0), step('refuse', 25, `establishment:${BICHAT}`), step('propose', 61)], version: 4 })));
    expect(samu.check(90)).toEqual([]);
    expect(samu.check(91)).toEqual([expect.objectContaining({ kind: 'unanswered', text: expect.stringContaining('depuis 30 min') })]);
  });
});

describe('lapsed holds', () => {
  it('are told to the requesting SAMU and to the destination once the hold expired before the arrival', () => {
    for (const role of ['samu:75', `establishment:${BICHAT}`]) {
      const ws = workstation(role);
      ws.receive(tc(accepted()), hc(hold()));
      expect(ws.check(244), role).toEqual([]);
      expect(ws.check(245), role).toEqual([
        { id: TID, number: 'TR-4F1C2A9E', kind: 'expired', text: 'Transfert TR-4F1C2A9E : la réservation du lit à Bichat (AP-HP) a expiré à 15:05 sans que le patient soit arrivé.' },
      ]);
      expect(ws.check(300), role).toEqual([]);
      ws.restart();
      expect(ws.check(301), role).toEqual([]);
      expect(ws.told, role).toHaveLength(1);
    }
  });

  it('are told while the patient is on the way, not after the arrival, a cancellation or to the origin', () => {
    const enRoute = workstation('samu:75');
    enRoute.receive(tc(accepted({ state: 'en_route', version: 5 })), hc(hold()));
    expect(enRoute.check(250)).toEqual([expect.objectContaining({ kind: 'expired' })]);

    const arrived = workstation('samu:75');
    arrived.receive(tc(accepted({ state: 'arrive', version: 6 })), hc(hold({ state: 'arrived', endedAt: at(200), version: 6 })));
    expect(arrived.check(250)).toEqual([]);

    const cancelled = workstation(`establishment:${BICHAT}`);
    cancelled.receive(tc(accepted({ state: 'annule', version: 4 })), hc(hold({ state: 'released', endedAt: at(100), version: 4 })));
    expect(cancelled.check(250)).toEqual([]);

    const origin = workstation(`establishment:${PITIE}`);
    origin.receive(tc(accepted()), hc(hold()));
    expect(origin.check(250)).toEqual([]);
  });
});

describe('transfer settings in the cache', () => {
  it('default until changed, survive a restart, and a value this release refuses reads as the defaults', () => {
    const ws = workstation('samu:75');
    expect(ws.store.boards.transfers.transferSettings()).toEqual({ holdHours: 4, unansweredAfterMinutes: 30 });
    expect(ws.store.boards.transfers.setTransferSettings({ holdHours: 6, unansweredAfterMinutes: 15 })).toEqual({ holdHours: 6, unansweredAfterMinutes: 15 });
    ws.restart();
    expect(ws.store.boards.transfers.transferSettings()).toEqual({ holdHours: 6, unansweredAfterMinutes: 15 });
    expect(() => ws.store.boards.transfers.setTransferSettings({ holdHours: 30, unansweredAfterMinutes: 15 })).toThrow();
    expect(ws.store.boards.transfers.transferSettings()).toEqual({ holdHours: 6, unansweredAfterMinutes: 15 });
    ws.store.setMeta('transfer_settings', '{"holdHours":0}');
    expect(ws.store.boards.transfers.transferSettings()).toEqual({ holdHours: 4, unansweredAfterMinutes: 30 });
  });
});

describe('a hold outside the SAMU’s branch', () => {
  it('is read from its transfer: the SAMU of a transfer to another département is told when it lapses, once', () => {
    const PELLEGRIN = '330781360';
    const samu = workstation('samu:75');
    // The SAMU 75 sees the transfer (its origin's branch), not the hold on a Gironde unit.
    samu.receive(tc(accepted({ destFiness: PELLEGRIN, holdExpiresAt: hold().expiresAt })));
    expect(samu.store.boards.transfers.listHolds()).toEqual([]);
    expect(samu.check(244)).toEqual([]);
    expect(samu.check(245)).toEqual([expect.objectContaining({ kind: 'expired', text: expect.stringMatching(/^Transfert TR-4F1C2A9E : la réservation du lit à .*Pellegrin.* a expiré à 15:05/) })]);
    samu.restart();
    expect(samu.check(250)).toEqual([]);
    samu.receive(tc(accepted({ destFiness: PELLEGRIN, holdExpiresAt: hold().expiresAt, state: 'arrive', version: 6 })));
    expect(samu.told).toHaveLength(1);
  });
});
