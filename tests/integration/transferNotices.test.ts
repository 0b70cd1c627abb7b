/**
 * Clock notices of transfers between real workstations (main-process services, their own
 * cache files) and a real sync server, with the process's clock moved forward (timers stay
 * real): each workstation's delays are its own settings; a proposal left unanswered longer
 * than the SAMU's delay is told to the SAMU once, also across a restart of its workstation;
 * an acceptance without a duration holds the bed for the destination's configured hours; a
 * hold that lapses before the arrival is told to both sides after the next sync.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginClient, openClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

const PITIE = '750100125';
const BICHAT = '750100232';
let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let samu: TestClient;
let bichat: TestClient;

/** Moves the process's clock (Date only) `minutes` ahead. */
const advance = (minutes: number) => vi.setSystemTime(Date.now() + minutes * 60_000);

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  tmp = tempDir('transfer-notices');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  samu = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
  bichat = await loginClient(join(tmp.dir, 'bichat'), server.url, 'bichat');
  await waitSynced(samu);
  await waitSynced(bichat);
});
afterAll(async () => {
  for (const c of [samu, bichat]) await c?.close();
  await server?.close();
  tmp?.cleanup();
  vi.useRealTimers();
});

const patient = { ageBand: '41-60', sex: 'M', need: 'rea_adulte', covid: 'negatif', ventilated: true, ecmo: false, isolation: false, weightClass: null } as const;
const notices = (c: TestClient, kind: string, id: string) => c.eventsOf('transfer.notice').filter((n) => n.kind === kind && n.id === id);

describe('clock notices between two workstations', () => {
  let id = '';

  it('each workstation keeps its own delays; bad ones are refused in French', async () => {
    expect(await samu.call('transfers.settings', {})).toEqual({ holdHours: 4, unansweredAfterMinutes: 30 });
    expect(await samu.call('transfers.setSettings', { holdHours: 4, unansweredAfterMinutes: 10 })).toEqual({ holdHours: 4, unansweredAfterMinutes: 10 });
    expect(await bichat.call('transfers.setSettings', { holdHours: 2, unansweredAfterMinutes: 30 })).toEqual({ holdHours: 2, unansweredAfterMinutes: 30 });
    const bad = await samu.raw('transfers.setSettings', { holdHours: 4, unansweredAfterMinutes: 2 });
    expect(bad).toEqual({ ok: false, error: { code: 'bad_args', message: expect.stringContaining('délai de 5 minutes au moins') } });
    expect(await samu.call('transfers.settings', {})).toEqual({ holdHours: 4, unansweredAfterMinutes: 10 });
  });

  it('a proposal unanswered past the SAMU’s delay is told to the SAMU once, not before, not to the destination', async () => {
    id = (await samu.call('transfers.create', { patient, originFiness: PITIE, urgency: 'moins_6h' })).id as string;
    await samu.call('transfers.step', { id, step: 'propose', destFiness: BICHAT, destUnitId: 'REA_MED' });
    await waitSynced(samu);
    await waitFor(async () => (await bichat.call('transfers.list', {})).find((t) => t.id === id && t.state === 'propose'), 'the proposal at Bichat');

    advance(9);
    await samu.call('transfers.setSettings', { holdHours: 4, unansweredAfterMinutes: 10 }); // asks the clocks to look now
    expect(notices(samu, 'unanswered', id)).toEqual([]);

    advance(2);
    await samu.call('transfers.setSettings', { holdHours: 4, unansweredAfterMinutes: 10 });
    const [told] = await waitFor(() => (notices(samu, 'unanswered', id).length > 0 ? notices(samu, 'unanswered', id) : null), 'the unanswered notice');
    expect(told.text).toMatch(/^Transfert TR-[0-9A-F]{8} : proposition à Bichat \(AP-HP\) sans réponse depuis 1[01] min\.$/);
    await samu.call('transfers.setSettings', { holdHours: 4, unansweredAfterMinutes: 10 });
    expect(notices(samu, 'unanswered', id)).toHaveLength(1);
    await bichat.call('transfers.setSettings', { holdHours: 2, unansweredAfterMinutes: 5 });
    expect(bichat.eventsOf('transfer.notice').filter((n) => n.kind === 'unanswered')).toEqual([]);
  });

  it('is not told again when the SAMU’s workstation restarts', async () => {
    const dir = samu.dataDir;
    await samu.close();
    samu = openClient(dir, server.url);
    await waitSynced(samu);
    await samu.call('transfers.setSettings', { holdHours: 4, unansweredAfterMinutes: 10 });
    expect(samu.eventsOf('transfer.notice')).toEqual([]);
  });

  it('an acceptance without a duration holds the bed for the destination’s configured hours', async () => {
    await bichat.call('transfers.step', { id, step: 'accept' });
    await waitSynced(bichat);
    const [hold] = (await bichat.call('transfers.holds', {})).filter((h) => h.transferId === id);
    expect(Date.parse(hold.expiresAt) - Date.parse(hold.placedAt)).toBe(2 * 3_600_000);
    // The transfer carries the expiry too, for a SAMU that does not see the hold (another département).
    const atSamu = await waitFor(async () => (await samu.call('transfers.list', {})).find((t) => t.id === id && t.state === 'accepte'), 'the acceptance at the SAMU');
    expect(atSamu.holdExpiresAt).toBe(hold.expiresAt);
  });

  it('a hold lapsed before the arrival is told to the SAMU and to the destination after the next sync, once', async () => {
    await waitFor(async () => (await samu.call('transfers.list', {})).find((t) => t.id === id && t.state === 'accepte'), 'the acceptance at the SAMU');
    advance(121);
    // The SAMU organises the transport: its push and the pokes that follow are syncs on both sides.
    await samu.call('transfers.step', { id, step: 'organize', transport: 'smur' });
    await waitSynced(samu);
    for (const c of [samu, bichat]) {
      const [n] = await waitFor(() => (notices(c, 'expired', id).length > 0 ? notices(c, 'expired', id) : null), 'the expired notice');
      expect(n.text).toMatch(/^Transfert TR-[0-9A-F]{8} : la réservation du lit à Bichat \(AP-HP\) a expiré à \d\d:\d\d sans que le patient soit arrivé\.$/);
    }
    await samu.call('transfers.setSettings', { holdHours: 4, unansweredAfterMinutes: 10 });
    await bichat.call('transfers.setSettings', { holdHours: 2, unansweredAfterMinutes: 30 });
    expect(notices(samu, 'expired', id)).toHaveLength(1);
    expect(notices(bichat, 'expired', id)).toHaveLength(1);
  });
});
