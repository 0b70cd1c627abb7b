/**
 * Regional redeployments across real processes: a real sync server (demo accounts and counts)
 * and real clients (the main-process services with their own SQLite caches). The ARS of
 * Île-de-France proposes a move from Pitié to Bichat, Pitié's pharmacy ships it, Bichat's
 * receives it: both sides' stock lines change exactly once, a replayed receipt is applied once,
 * and other régions see nothing of it.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWire, type PushResult, type Reply } from '../../common/protocol';
import { FAST_SYNC, loginClient, rawClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

const PITIE = '750100125';
const BICHAT = '750100232';
const MONDOR = '940100027';
/** PROPOFOL FRESENIUS 10 mg/ml, flacon 50 ml: the presentation every demo pharmacy counts. */
const PROPOFOL = '3400956100163';
/** DIPRIVAN 20 mg/ml, seringue 50 ml: 1 g a unit. */
const DIPRIVAN_1G = '3400956361168';

/** A poke, not a pull, must bring a live change: these clients pull only a minute after one. */
const POKE_ONLY = { ...FAST_SYNC, pokePullDelayMs: 60_000 };

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let ars: TestClient;
let pitie: TestClient;
let bichat: TestClient;
let mondor: TestClient;
let arsBretagne: TestClient;
let national: TestClient;

beforeAll(async () => {
  tmp = tempDir('stocks-redeploy');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  ars = await loginClient(join(tmp.dir, 'ars'), server.url, 'ars-idf', POKE_ONLY);
  pitie = await loginClient(join(tmp.dir, 'pitie'), server.url, 'pui-pitie', POKE_ONLY);
  bichat = await loginClient(join(tmp.dir, 'bichat'), server.url, 'pui-bichat', POKE_ONLY);
  mondor = await loginClient(join(tmp.dir, 'mondor'), server.url, 'pui-mondor');
  arsBretagne = await loginClient(join(tmp.dir, 'ars-bzh'), server.url, 'ars-bretagne');
  national = await loginClient(join(tmp.dir, 'national'), server.url, 'national');
  for (const c of [ars, pitie, bichat, mondor, arsBretagne, national]) await waitSynced(c);
}, 90_000);
afterAll(async () => {
  for (const c of [ars, pitie, bichat, mondor, arsBretagne, national]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

const linesOf = async (finess: string) => server.app.store.boards.stocks.history(finess, PROPOFOL, 1_000);
const onHandAt = async (c: TestClient, finess: string) => (await c.call('stocks.board', {})).rows.find((r) => r.finess === finess)?.molecules.propofol?.onHandUnits;

describe('a regional redeployment', () => {
  let id = '';

  it('is suggested to the ARS from its région’s stocks and validated by it', async () => {
    // Pitié: 400 flacons at 10 a day (40 days); Bichat: 20 at 10 a day (2 days).
    await pitie.call('stocks.report', { finess: PITIE, lines: [{ cip13: PROPOFOL, onHand: 400, dailyUse: 10 }] });
    await bichat.call('stocks.report', { finess: BICHAT, lines: [{ cip13: PROPOFOL, onHand: 20, dailyUse: 10 }] });
    await waitSynced(pitie);
    await waitSynced(bichat);
    await waitFor(async () => (await onHandAt(ars, PITIE)) === 400 && (await onHandAt(ars, BICHAT)) === 20, 'both counts to reach the ARS');

    const view = await ars.call('redeployments.view', { molecule: 'propofol', cip13: PROPOFOL });
    expect(view).toMatchObject({ canPropose: true, region: '11', cip13: PROPOFOL, surplusDays: 14, alertDays: 7 });
    expect(view.regions.map((r) => r.code)).toEqual(['11']);
    // Bichat, 2 days of cover, needs 50 flacons to reach 7 days: it receives them, from one or more givers.
    const toBichat = view.suggestion?.moves.filter((m) => m.to === BICHAT) ?? [];
    expect(toBichat.reduce((s, m) => s + m.units, 0) + (view.suggestion?.unmet.find((u) => u.finess === BICHAT)?.missing ?? 0)).toBe(50);
    expect(view.suggestion?.moves.every((m) => m.fromCoverAfter >= 14 - 1e-9)).toBe(true);

    await ars.call('redeployments.propose', { cip13: PROPOFOL, surplusDays: 14, alertDays: 7, moves: [{ from: PITIE, to: BICHAT, units: 50 }] });
    const mine = (await ars.call('redeployments.view', { molecule: 'propofol', cip13: PROPOFOL })).moves;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ from: PITIE, to: BICHAT, units: 50, state: 'propose', pending: true, next: ['cancel'], fromName: expect.any(String) });
    id = mine[0].id;
    // Validated, it is no longer suggested: Bichat's 50 are on their way.
    const again = await ars.call('redeployments.view', { molecule: 'propofol', cip13: PROPOFOL });
    expect(again.suggestion?.moves.some((m) => m.to === BICHAT)).toBe(false);
    await waitSynced(ars);
  });

  it('is shipped by the giver and received by the receiver; both stocks change exactly once', async () => {
    const pitieBefore = (await linesOf(PITIE)).length;
    const bichatBefore = (await linesOf(BICHAT)).length;
    const atPitie = await waitFor(async () => (await pitie.call('redeployments.mine', {})).moves.find((r) => r.id === id), 'the move to reach the giver by poke');
    expect(atPitie).toMatchObject({ state: 'propose', next: ['ship'] });
    expect((await bichat.raw('redeployments.step', { id, step: 'ship' })).ok).toBe(false);
    await pitie.call('redeployments.step', { id, step: 'ship' });
    await waitSynced(pitie);

    const atBichat = await waitFor(async () => (await bichat.call('redeployments.mine', {})).moves.find((r) => r.id === id && r.state === 'expedie'), 'the shipment to reach the receiver');
    expect(atBichat.next).toEqual(['receive']);
    await bichat.call('redeployments.step', { id, step: 'receive' });
    // The receiver's own stock shows at once; the giver's is the server's to write (another branch).
    expect(await onHandAt(bichat, BICHAT)).toBe(70);
    await waitSynced(bichat);

    expect(await server.app.store.boards.stocks.current(PITIE, PROPOFOL)).toMatchObject({ onHand: 350, dailyUse: 10, delivered: 0, id: `${id}:giver` });
    expect(await server.app.store.boards.stocks.current(BICHAT, PROPOFOL)).toMatchObject({ onHand: 70, dailyUse: 10, delivered: 50, id: `${id}:receiver` });
    expect((await linesOf(PITIE)).length).toBe(pitieBefore + 1);
    expect((await linesOf(BICHAT)).length).toBe(bichatBefore + 1);

    // Everyone concerned sees both sides follow.
    await waitFor(async () => (await onHandAt(ars, PITIE)) === 350 && (await onHandAt(ars, BICHAT)) === 70, 'the ARS grid to show both stocks');
    await waitFor(async () => (await onHandAt(pitie, PITIE)) === 350, 'the giver to see its stock');
    await waitFor(async () => (await ars.call('redeployments.view', { molecule: 'propofol' })).moves.find((r) => r.id === id)?.state === 'recu', 'the ARS tracking list');
  });

  it('a replayed receipt is applied once: the same mutation pushed again, or a second receipt', async () => {
    const pitieBefore = (await linesOf(PITIE)).length;
    const bichatBefore = (await linesOf(BICHAT)).length;
    const clientId = 'raw-bichat-receive';
    const { socket } = await rawClient(server.url, 'pui-bichat', clientId);
    try {
      const push = async (mutationId: number) =>
        (await socket.timeout(5_000).emitWithAck(syncWire.push, {
          clientId,
          mutations: [{ clientId, mutationId, name: 'redeployment.receive', args: { id }, at: new Date().toISOString() }],
        })) as Reply<PushResult>;
      expect(await push(1)).toEqual({ data: { results: [{ mutationId: 1, status: 'applied', version: expect.any(Number) }] } });
      expect(await push(1)).toMatchObject({ data: { results: [{ mutationId: 1, status: 'applied' }] } });
      expect(await push(2)).toMatchObject({ data: { results: [{ mutationId: 2, status: 'applied' }] } });
    } finally {
      socket.disconnect();
    }
    await bichat.call('redeployments.step', { id, step: 'receive' });
    await waitSynced(bichat);
    expect((await linesOf(PITIE)).length).toBe(pitieBefore);
    expect((await linesOf(BICHAT)).length).toBe(bichatBefore);
    expect((await server.app.store.boards.stocks.current(PITIE, PROPOFOL))?.onHand).toBe(350);
    expect((await server.app.store.boards.stocks.current(BICHAT, PROPOFOL))?.onHand).toBe(70);
  });

  it('is seen by neither another région nor another establishment; the national cell reads it by région', async () => {
    await waitSynced(arsBretagne);
    await waitSynced(mondor);
    const bzh = await arsBretagne.call('redeployments.view', { molecule: 'propofol' });
    // Bretagne sees its own moves only (the demo's, under way), never Île-de-France's.
    expect(bzh.moves.map((m) => m.id)).not.toContain(id);
    expect(bzh.moves.every((m) => m.region === '53')).toBe(true);
    expect(bzh.canPropose).toBe(true);
    expect(bzh.regions.map((r) => r.code)).toEqual(['53']);
    expect(await mondor.call('redeployments.mine', {})).toEqual({ scope: 'establishment', moves: [] });
    expect((await arsBretagne.call('redeployments.mine', {})).scope).toBe('region');
    const nat = await waitFor(async () => {
      const v = await national.call('redeployments.view', { region: '11', molecule: 'propofol' });
      return v.moves.some((r) => r.id === id) ? v : null;
    }, 'the national cell to see the move');
    expect(nat.canPropose).toBe(false);
    // Refused to another région's ARS by the server, whatever its payload says.
    const { socket } = await rawClient(server.url, 'ars-bretagne', 'raw-bzh-propose');
    try {
      const reply = (await socket.timeout(5_000).emitWithAck(syncWire.push, {
        clientId: 'raw-bzh-propose',
        mutations: [
          {
            clientId: 'raw-bzh-propose',
            mutationId: 1,
            name: 'redeployment.propose',
            args: { cip13: PROPOFOL, surplusDays: 14, alertDays: 7, moves: [{ id: randomUUID(), from: PITIE, to: MONDOR, units: 1 }] },
            at: new Date().toISOString(),
          },
        ],
      })) as Reply<PushResult>;
      expect(reply).toEqual({ data: { results: [{ mutationId: 1, status: 'rejected', reason: expect.stringMatching(/n’est pas dans votre région/) }] } });
    } finally {
      socket.disconnect();
    }
  });

  it('flags a suggested move the giver cannot send in the chosen presentation, and the server refuses it alike', async () => {
    // Pitié also holds 1 000 seringues of 1 g: plenty of propofol in mg, but 350 flacons only.
    await pitie.call('stocks.report', { finess: PITIE, lines: [{ cip13: DIPRIVAN_1G, onHand: 1_000, dailyUse: 0 }] });
    // Bichat is dry at 100 flacons a day: 700 needed to reach 7 days.
    await bichat.call('stocks.report', { finess: BICHAT, lines: [{ cip13: PROPOFOL, onHand: 0, dailyUse: 100 }] });
    await waitSynced(pitie);
    await waitSynced(bichat);
    const move = await waitFor(async () => {
      const v = await ars.call('redeployments.view', { molecule: 'propofol', cip13: PROPOFOL });
      return v.suggestion?.moves.find((m) => m.from === PITIE && m.to === BICHAT && m.units === 700) ?? null;
    }, 'the suggestion of 700 flacons from Pitié');
    expect(move.problem).toBe('Hôpital Pitié-Salpêtrière n’a que 350 unités de cette présentation disponibles (hors redéploiements en cours) : impossible d’en envoyer 700.');
    const refused = await ars.raw('redeployments.propose', { cip13: PROPOFOL, surplusDays: 14, alertDays: 7, moves: [{ from: PITIE, to: BICHAT, units: 700 }] });
    expect(refused).toEqual({ ok: false, error: { code: 'rejected', message: move.problem } });
  });
});

