/**
 * The tray's count of what awaits action, read through the real services of two
 * workstations and a real sync server: an urgent consigne to acknowledge, a transfer
 * proposal to answer, a hold that expired before the arrival — each counted where it must
 * be acted on, and gone once it is.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { gatherAttention } from '../../main/desktop/attention';
import { loginClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

const PITIE = '750100125';
const BICHAT = '750100232';
let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let samu: TestClient;
let bichat: TestClient;

const counts = (c: TestClient) => gatherAttention((name, args) => c.services.dispatch(name, args));
const patient = { ageBand: '41-60', sex: 'M', need: 'rea_adulte', covid: 'negatif', ventilated: true, ecmo: false, isolation: false, weightClass: null } as const;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  tmp = tempDir('attention');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  samu = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
  bichat = await loginClient(join(tmp.dir, 'bichat'), server.url, 'bichat');
  await waitSynced(samu);
  await waitSynced(bichat);
}, 60_000);
afterAll(async () => {
  for (const c of [samu, bichat]) await c?.close();
  await server?.close();
  tmp?.cleanup();
  vi.useRealTimers();
});

describe('what awaits action', () => {
  it('an urgent consigne counts at the post that must acknowledge it, until it does', async () => {
    const before = await counts(bichat);
    const { id } = await samu.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'consigne', priority: 'urgent', body: 'Déclencher le plan blanc.' });
    await waitSynced(samu);
    await waitFor(async () => (await counts(bichat)).urgent === before.urgent + 1, 'the urgent consigne counted at the Bichat');
    // The author has nothing to acknowledge.
    expect((await counts(samu)).urgent).toBe(0);
    await bichat.call('messages.acknowledge', { messageId: id as string });
    expect((await counts(bichat)).urgent).toBe(before.urgent);
  });

  it('a proposal counts at its destination, a lapsed hold at both sides', async () => {
    const id = (await samu.call('transfers.create', { patient, originFiness: PITIE, urgency: 'moins_6h' })).id as string;
    expect((await counts(bichat)).proposals).toBe(0);
    await samu.call('transfers.step', { id, step: 'propose', destFiness: BICHAT, destUnitId: 'REA_MED' });
    await waitSynced(samu);
    await waitFor(async () => (await counts(bichat)).proposals === 1, 'the proposal counted at the Bichat');
    expect((await counts(samu)).proposals).toBe(0);

    await bichat.call('transfers.step', { id, step: 'accept', holdHours: 1 });
    await waitSynced(bichat);
    expect(await counts(bichat)).toMatchObject({ proposals: 0, expired: 0 });
    await waitFor(async () => (await samu.call('transfers.list', {})).find((t) => t.id === id && t.state === 'accepte'), 'the acceptance at the SAMU');
    vi.setSystemTime(Date.now() + 61 * 60_000);
    expect((await counts(bichat)).expired).toBe(1);
    expect((await counts(samu)).expired).toBe(1);
    const all = await counts(bichat);
    expect(all.total).toBe(all.urgent + all.proposals + all.expired);
  });

  it('nobody signed in counts nothing', async () => {
    const c = await loginClient(join(tmp.dir, 'other'), server.url, 'samu75');
    await c.call('session.logout', {});
    expect(await counts(c)).toEqual({ urgent: 0, proposals: 0, expired: 0, total: 0 });
    await c.close();
  });
});
