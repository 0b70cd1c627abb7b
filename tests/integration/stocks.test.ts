/**
 * The stocks board across real processes: a real sync server (demo accounts, PUI accounts
 * and six weeks of demo counts) and real clients (the main-process services, each with its
 * own SQLite cache), talking through the ConsoleApi dispatch the UI uses.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_SYNC, loginClient, rawClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';
import { syncWire, type PushResult, type Reply } from '../../common/protocol';

const PITIE = '750100125';
const PROPOFOL_50ML = '3400956100163';
const ESMERON = '3400957152123';

/** A poke, not a pull, must bring a live change: these clients pull only a minute after one. */
const POKE_ONLY = { ...FAST_SYNC, pokePullDelayMs: 60_000 };

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let pui: TestClient;
let arsIdf: TestClient;
let national: TestClient;
let arsBretagne: TestClient;
let samu75: TestClient;

beforeAll(async () => {
  tmp = tempDir('stocks');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  pui = await loginClient(join(tmp.dir, 'pui'), server.url, 'pui-pitie');
  arsIdf = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf', POKE_ONLY);
  national = await loginClient(join(tmp.dir, 'national'), server.url, 'national', POKE_ONLY);
  arsBretagne = await loginClient(join(tmp.dir, 'ars-bretagne'), server.url, 'ars-bretagne');
  samu75 = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
  for (const c of [pui, arsIdf, national, arsBretagne, samu75]) await waitSynced(c);
}, 60_000);
afterAll(async () => {
  for (const c of [pui, arsIdf, national, arsBretagne, samu75]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

const pitieRow = async (c: TestClient) => (await c.call('stocks.board', {})).rows.find((r) => r.finess === PITIE);

describe('the demo stocks', () => {
  it('show every seeded establishment to the national cell, only its région’s to an ARS, its own to a pharmacy', async () => {
    const nat = await national.call('stocks.board', {});
    const idf = await arsIdf.call('stocks.board', {});
    const own = await pui.call('stocks.board', {});
    expect(nat.rows.length).toBeGreaterThan(200);
    expect(new Set(nat.rows.map((r) => r.region)).size).toBeGreaterThan(12);
    expect(idf.rows.length).toBeGreaterThan(10);
    expect(idf.rows.every((r) => r.region === '11')).toBe(true);
    expect(own.rows.map((r) => r.finess)).toEqual([PITIE]);
    expect(own.reportsFor).toBe(PITIE);
    expect(nat.national).toBe(true);
    // Plausible: some red somewhere, some green, propofol counted in mg.
    const levels = new Set(nat.rows.map((r) => r.level));
    expect(levels.has('red') || levels.has('orange')).toBe(true);
    expect(levels.has('green')).toBe(true);
    expect(nat.rows[0].molecules.propofol?.onHandMg).toBeGreaterThan(0);
  });
});

describe('a pharmacist’s report', () => {
  it('reaches ARS Île-de-France and the national cell live, with its cover recomputed, and never ARS Bretagne', async () => {
    await pitieRow(arsIdf);
    const form = await pui.call('stocks.form', { finess: PITIE });
    expect(form.molecules.map((m) => m.code)).toEqual(['midazolam', 'propofol', 'cisatracurium', 'atracurium', 'rocuronium']);
    expect(form.molecules.flatMap((m) => m.presentations)).toHaveLength(74);
    expect(form.molecules[1].presentations.find((p) => p.cip13 === PROPOFOL_50ML)?.current).not.toBeNull();

    // 20 flacons of 500 mg, 70 used over 5 days (2 dry): 14 a day → 1.43 days of propofol: red.
    await pui.call('stocks.report', { finess: PITIE, lines: [{ cip13: PROPOFOL_50ML, onHand: 20, used7d: 70, daysOut: 2, delivered: 10 }, { cip13: ESMERON, onHand: 300, dailyUse: 10 }] });
    const mine = await pitieRow(pui);
    expect(mine?.pending).toBe(true);

    for (const c of [arsIdf, national]) {
      const row = await waitFor(async () => {
        const r = await pitieRow(c);
        return r?.molecules.propofol?.onHandUnits !== undefined && r.molecules.rocuronium?.onHandUnits === 300 ? r : null;
      }, 'the report to arrive by poke');
      expect(row.pending).toBe(false);
      // Only the 50 ml flacon is counted at Pitié: the demo's other presentations were a different CIP.
      expect(row.molecules.rocuronium).toMatchObject({ onHandUnits: 300, dailyUnits: 10, days: 30, level: 'green' });
    }
    const arsRow = await pitieRow(arsIdf);
    const propofol = arsRow?.molecules.propofol;
    expect(propofol?.lines).toBe(1);
    expect(propofol).toMatchObject({ onHandUnits: 20, onHandMg: 10_000, dailyUnits: 14, level: 'red' });
    // The board view rounds days and daily use to 4 decimals (MoleculeCell).
    expect(propofol?.days).toBeCloseTo(20 / 14, 4);
    expect((await arsBretagne.call('stocks.board', {})).rows.find((r) => r.finess === PITIE)).toBeUndefined();
    await waitSynced(pui);
    // Settled once the server's lines reach the pharmacy's cache.
    await waitFor(async () => (await pitieRow(pui))?.pending === false, 'the pending report to settle');
    expect(await server.app.store.boards.stocks.current(PITIE, PROPOFOL_50ML)).toMatchObject({ onHand: 20, source: 'pui', reportedRole: `pui:${PITIE}` });
  });

  it('is refused, with its French reason, to a SAMU and to another establishment’s pharmacy, even pushed raw', async () => {
    const refused = await samu75.raw('stocks.report', { finess: PITIE, lines: [{ cip13: PROPOFOL_50ML, onHand: 1 }] });
    expect(refused).toEqual({ ok: false, error: { code: 'rejected', message: 'Seule la pharmacie (PUI) de l’établissement déclare ses stocks ; la cellule nationale peut les corriger.' } });
    const bad = await pui.raw('stocks.report', { finess: PITIE, lines: [{ cip13: PROPOFOL_50ML, onHand: -3 }] });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message).toContain('Stock : la valeur ne peut pas être négative.');
  });

  it('keeps an older count in the history without replacing the current one', async () => {
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
    await pui.call('stocks.report', { finess: PITIE, at: old, lines: [{ cip13: PROPOFOL_50ML, onHand: 999, used7d: 7 }] });
    await waitSynced(pui);
    expect(await server.app.store.boards.stocks.current(PITIE, PROPOFOL_50ML)).toMatchObject({ onHand: 20 });
    expect((await server.app.store.boards.stocks.history(PITIE, PROPOFOL_50ML, 100)).some((l) => l.onHand === 999)).toBe(true);
    expect((await pitieRow(pui))?.molecules.propofol?.onHandUnits).toBe(20);
  });

  it('moves the colours with this workstation’s thresholds', async () => {
    await arsIdf.call('stocks.setSettings', { red: 1, orange: 2 });
    expect((await pitieRow(arsIdf))?.molecules.propofol?.level).toBe('orange');
    expect((await arsIdf.raw('stocks.setSettings', { red: 5, orange: 2 })).ok).toBe(false);
    await arsIdf.call('stocks.setSettings', { red: 3, orange: 7 });
  });
});

describe('history on demand', () => {
  it('gives an ARS an establishment’s counts of a presentation, latest first, and refuses another région’s ARS', async () => {
    const lines = await arsIdf.call('stocks.history', { finess: PITIE, cip13: PROPOFOL_50ML });
    // Twelve demo counts, the pharmacist's two reports and the older count kept as history.
    expect(lines.length).toBeGreaterThanOrEqual(14);
    expect(lines.every((l) => l.finess === PITIE && l.cip13 === PROPOFOL_50ML)).toBe(true);
    const times = lines.map((l) => Date.parse(l.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(lines.some((l) => l.onHand === 999)).toBe(true);
    const lastWeek = await arsIdf.call('stocks.history', { finess: PITIE, molecule: 'propofol', days: 7 });
    expect(lastWeek.length).toBeGreaterThan(0);
    expect(lastWeek.length).toBeLessThan(lines.length);
    const refused = await arsBretagne.raw('stocks.history', { finess: PITIE });
    expect(refused).toEqual({ ok: false, error: { code: 'rejected', message: expect.stringMatching(/^Le territoire « .+ » est hors de votre périmètre\.$/) } });
  });
});

describe('over the raw protocol', () => {
  const push = async (username: string, clientId: string, args: Record<string, unknown>) => {
    const { socket } = await rawClient(server.url, username, clientId);
    try {
      return (await socket.timeout(5_000).emitWithAck(syncWire.push, {
        clientId,
        mutations: [{ clientId, mutationId: 1, name: 'stock.report', args, at: new Date().toISOString() }],
      })) as Reply<PushResult>;
    } finally {
      socket.disconnect();
    }
  };

  it('a report is all or nothing: one unknown presentation and its good line is not written either', async () => {
    const good = randomUUID();
    const reply = await push('pui-pitie', 'raw-pui-all-or-nothing', {
      finess: PITIE,
      lines: [{ id: good, cip13: ESMERON, onHand: 4242 }, { id: randomUUID(), cip13: '3400000000000', onHand: 1 }],
    });
    expect(reply).toEqual({ data: { results: [{ mutationId: 1, status: 'rejected', reason: 'Présentation inconnue du référentiel des médicaments : CIP13 3400000000000.' }] } });
    expect((await server.app.store.boards.stocks.history(PITIE, ESMERON, 100)).some((l) => l.id === good)).toBe(false);
    expect((await server.app.store.boards.stocks.current(PITIE, ESMERON))?.onHand).not.toBe(4242);
  });

  it('the establishment’s own (non-pharmacy) account and a pharmacy for another establishment are refused by the server', async () => {
    const args = { finess: PITIE, lines: [{ id: randomUUID(), cip13: ESMERON, onHand: 1 }] };
    expect(await push('pitie', 'raw-pitie-stocks', args)).toEqual({
      data: { results: [{ mutationId: 1, status: 'rejected', reason: 'Seule la pharmacie (PUI) de l’établissement déclare ses stocks ; la cellule nationale peut les corriger.' }] },
    });
    expect(await push('pui-bichat', 'raw-bichat-stocks', args)).toEqual({
      data: { results: [{ mutationId: 1, status: 'rejected', reason: 'Vous ne pouvez déclarer que les stocks de votre établissement.' }] },
    });
  });
});

describe('offline', () => {
  it('a count entered while the server is away shows at once, waits in the outbox, and arrives once when it returns', async () => {
    const { port, dbPath } = server;
    await waitSynced(pui);
    await server.close();
    await waitFor(async () => (await pui.call('sync.status', {})).state === 'offline', 'the pharmacy to see it is offline');
    await pui.call('stocks.report', { finess: PITIE, lines: [{ cip13: ESMERON, onHand: 77, dailyUse: 7 }] });
    expect((await pitieRow(pui))?.molecules.rocuronium).toMatchObject({ onHandUnits: 77, days: 11 });
    expect((await pitieRow(pui))?.pending).toBe(true);
    expect((await pui.call('sync.status', {})).pending).toBe(1);

    server = await startServer({ dbPath, port, seed: false });
    await waitSynced(pui, 30_000);
    await waitFor(async () => (await pitieRow(arsIdf))?.molecules.rocuronium?.onHandUnits === 77, 'the count to reach the ARS after the outage', 30_000);
    expect((await server.app.store.boards.stocks.history(PITIE, ESMERON, 100)).filter((l) => l.onHand === 77)).toHaveLength(1);
  }, 90_000);
});
