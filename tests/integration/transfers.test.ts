/**
 * Transfers between real workstations (main-process services, their own caches) and a real
 * sync server: a request made offline is kept, sent and decided when the connection is back;
 * each side is told when the transfer reaches it (incoming at the destination, accepted at
 * the requesting SAMU); the hold shows in the destination's bed picture.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { loginClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

const PITIE = '750100125';
const BICHAT = '750100232';
let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let samu: TestClient;
let bichat: TestClient;
let port = 0;
let dbPath = '';

beforeAll(async () => {
  tmp = tempDir('transfers');
  dbPath = join(tmp.dir, 'server.sqlite');
  server = await startServer({ dbPath });
  port = server.port;
  samu = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
  bichat = await loginClient(join(tmp.dir, 'bichat'), server.url, 'bichat');
  await waitSynced(samu);
  await waitSynced(bichat);
});
afterAll(async () => {
  for (const c of [samu, bichat]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

const patient = { ageBand: '61-75', sex: 'F', need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: true, weightClass: null } as const;

describe('a transfer between two workstations', () => {
  let id = '';

  it('is requested offline, kept, and sent when the server is back', async () => {
    await server.close();
    const receipt = await samu.call('transfers.create', { patient, originFiness: PITIE, urgency: 'immediate', summary: 'SDRA, décubitus ventral' });
    id = receipt.id as string;
    const [t] = await samu.call('transfers.list', {});
    expect(t).toMatchObject({ id, state: 'demande', pending: true, originName: 'Hôpital Pitié-Salpêtrière', samuLabel: 'SAMU 75 — Paris', next: ['propose', 'cancel'] });
    // The summary waits in the outbox with the request (same mutation) and shows to its author offline.
    expect(t).toMatchObject({ summary: 'SDRA, décubitus ventral', summaryParty: true });
    server = await startServer({ dbPath, port, seed: false });
    await waitSynced(samu, 30_000);
    expect((await samu.call('transfers.list', {})).find((x) => x.id === id)).toMatchObject({ state: 'demande', pending: false });
  });

  it('tells the destination of the incoming request, and the SAMU of the acceptance; the hold takes a bed', async () => {
    await waitSynced(bichat, 30_000);
    const candidates = await samu.call('transfers.candidates', { id });
    const target = candidates.find((c) => c.finess === BICHAT && c.unitId === 'REA_MED');
    expect(target).toBeDefined();
    expect(target?.minutes).toBeGreaterThan(0);
    await samu.call('transfers.step', { id, step: 'propose', destFiness: BICHAT, destUnitId: 'REA_MED' });
    await waitSynced(samu);
    const incoming = await waitFor(() => bichat.eventsOf('transfer.notice').find((n) => n.id === id), 'the incoming request at Bichat');
    expect(incoming).toMatchObject({ kind: 'incoming', text: expect.stringMatching(/^Demande de transfert entrante TR-[0-9A-F]{8} : réanimation adulte, depuis Hôpital Pitié-Salpêtrière\.$/) });
    const seen = await waitFor(async () => (await bichat.call('transfers.list', {})).find((x) => x.id === id && x.state === 'propose'), 'the proposal at Bichat');
    expect(seen.next).toEqual(['accept', 'refuse']);
    // Proposed to Bichat: the summary reaches it (a party now), and its cache keeps it for offline reading.
    expect(await waitFor(async () => (await bichat.call('transfers.list', {})).find((x) => x.id === id && x.summary !== null), 'the summary at Bichat')).toMatchObject({ summary: 'SDRA, décubitus ventral', summaryParty: true });
    // The ARS sees the transfer, not its summary.
    const ars = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf');
    try {
      await waitSynced(ars, 30_000);
      const atArs = await waitFor(async () => (await ars.call('transfers.list', {})).find((x) => x.id === id), 'the transfer at the ARS');
      expect(atArs).toMatchObject({ summary: null, summaryParty: false });
      expect(JSON.stringify(await ars.call('transfers.list', {}))).not.toContain('décubitus');
    } finally {
      await ars.close();
    }

    await bichat.call('transfers.step', { id, step: 'accept' });
    await waitSynced(bichat);
    const accepted = await waitFor(() => samu.eventsOf('transfer.notice').find((n) => n.id === id && n.kind === 'accepted'), 'the acceptance at the SAMU');
    expect(accepted.text).toMatch(/accepté par Bichat \(AP-HP\) : un lit est réservé\.$/);
    const holds = await bichat.call('transfers.holds', {});
    expect(holds).toEqual([expect.objectContaining({ transferId: id, finess: BICHAT, unitId: 'REA_MED', state: 'active' })]);
    // The SAMU's own steps are never announced back to it.
    expect(samu.eventsOf('transfer.notice').filter((n) => n.kind === 'incoming')).toEqual([]);
    // The held bed is not available in an export either.
    const raw = (await bichat.call('beds.current', {})).find((u) => u.finess === BICHAT && u.unitId === 'REA_MED');
    const csv = await bichat.call('beds.export', { format: 'csv' });
    const row = csv.content.split('\r\n').map((l) => l.split(';')).find((c) => c[2] === BICHAT && c[6] === 'REA_MED');
    expect(Number(row?.[9])).toBe((raw?.available ?? 0) - 1);
  });

  it('leaves a line of each step in the main courante of its parties', async () => {
    await waitSynced(samu);
    const lines = async (c: TestClient) =>
      (await c.call('messages.list', { eventId: DEMO_IDS.event })).filter((m) => m.body.startsWith('Transfert TR-')).map((m) => m.body);
    const atSamu = await waitFor(async () => {
      const l = await lines(samu);
      return l.some((b) => b.includes('accepté par Bichat (AP-HP)')) ? l : null;
    }, 'the acceptance line at the SAMU');
    expect(atSamu.some((b) => /^Transfert TR-[0-9A-F]{8} demandé : réanimation adulte depuis Hôpital Pitié-Salpêtrière, urgence immédiate\.$/.test(b))).toBe(true);
    expect(atSamu.some((b) => /^Transfert TR-[0-9A-F]{8} : Bichat \(AP-HP\) — REA_MED proposé\.$/.test(b))).toBe(true);
    expect(atSamu.some((b) => /^Transfert TR-[0-9A-F]{8} accepté par Bichat \(AP-HP\) : un lit est réservé jusqu’à \d\d:\d\d\.$/.test(b))).toBe(true);
    // Bichat, in the same département, reads the same lines; each is written once.
    const atBichat = await waitFor(async () => {
      const l = await lines(bichat);
      return l.length >= atSamu.length ? l : null;
    }, 'the lines at Bichat');
    expect(new Set(atBichat).size).toBe(atBichat.length);
  });
});
