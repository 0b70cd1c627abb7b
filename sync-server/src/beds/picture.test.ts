import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bedsWire, type PictureResult } from '../../../common/domain/beds/protocol';
import { syncWire, type Reply } from '../../../common/protocol';
import { reportUnit } from '../testing/fixtures';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';

const PITIE = '750100125';
const AMBROISE_PARE = '920100013';
const VERSAILLES = '780800256';
const QUIMPER = '290000025';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.stop());

async function connectAs(username: string, role: string): Promise<ClientSocket> {
  await server.user(username, role);
  const { token } = await server.login(username);
  return server.socket(token, `client-${username}-01`);
}

/** One establishment account pushes its reports (observed when made: form entries). */
let accounts = 0;
async function report(finess: string, figures: Array<{ available: number; at: Date }>): Promise<void> {
  const name = `e${finess}-${++accounts}`;
  const s = await connectAs(name, `establishment:${finess}`);
  const c = `client-${name}-01`;
  const mutations = figures.map((f, i) => reportUnit(c, i + 1, finess, 'REA_MED', { available: f.available, installed: 10, staffed: 10, confirmJump: true }, f.at));
  const r = await s.emitWithAck(syncWire.push, { clientId: c, mutations });
  expect('data' in r && r.data.results.every((x) => x.status === 'applied')).toBe(true);
  s.disconnect();
}

const finesses = (r: Reply<PictureResult>) => ('data' in r ? r.data.reports.map((u) => u.finess).sort() : r.error.code);
const H = 3_600_000;

describe('beds:picture — a SAMU sees the beds around it, everyone sees the past', () => {
  const base = Date.now() - 5 * H;
  beforeEach(async () => {
    await report(PITIE, [
      { available: 0, at: new Date(base) },
      { available: 1, at: new Date(base + H) },
      { available: 2, at: new Date(base + 2 * H) },
    ]);
    await report(AMBROISE_PARE, [{ available: 5, at: new Date(base + H) }]);
    await report(VERSAILLES, [{ available: 7, at: new Date(base) }]);
    await report(QUIMPER, [{ available: 3, at: new Date(base) }]);
  });

  it('a SAMU reads its département and the bordering ones, never a département further away', async () => {
    const samu = await connectAs('samu75', 'samu:75');
    expect(finesses(await samu.emitWithAck(bedsWire.picture, {}))).toEqual([PITIE]);
    expect(finesses(await samu.emitWithAck(bedsWire.picture, { deps: ['75', '92', '93', '94'] }))).toEqual([PITIE, AMBROISE_PARE]);
    const far = await samu.emitWithAck(bedsWire.picture, { deps: ['92', '78'] });
    expect(far).toEqual({ error: { code: 'forbidden', message: 'Le département 78 n’est ni dans votre périmètre ni voisin de celui-ci.' } });
    const unknown = await samu.emitWithAck(bedsWire.picture, { deps: ['99'] });
    expect('error' in unknown && unknown.error.code).toBe('bad_request');
    const bad = await samu.emitWithAck(bedsWire.picture, { deps: 'all' as unknown as string[] });
    expect('error' in bad && bad.error.message).toMatch(/^Requête invalide/);
  });

  it('an ARS reads across its border, an establishment only its own units', async () => {
    const bzh = await connectAs('ars-bretagne', 'ars:53');
    // Ille-et-Vilaine (Bretagne) borders Manche (Normandie).
    expect(finesses(await bzh.emitWithAck(bedsWire.picture, { deps: ['29', '50'] }))).toEqual([QUIMPER]);
    expect('error' in (await bzh.emitWithAck(bedsWire.picture, { deps: ['75'] }))).toBe(true);
    const pitie = await connectAs('pitie', `establishment:${PITIE}`);
    expect(finesses(await pitie.emitWithAck(bedsWire.picture, {}))).toEqual([PITIE]);
    expect(await pitie.emitWithAck(bedsWire.picture, { deps: ['75'] })).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('at a past instant, each unit shows its latest observation up to then; units not yet reported are absent', async () => {
    const national = await connectAs('national', 'national');
    const at = (t: number) => national.emitWithAck(bedsWire.picture, { deps: ['75', '92'], at: new Date(t).toISOString() });
    const figures = (r: Reply<PictureResult>) => ('data' in r ? r.data.reports.map((u) => [u.finess, u.available]).sort() : r);
    expect(figures(await at(base + 1.5 * H))).toEqual([[PITIE, 1], [AMBROISE_PARE, 5]].sort());
    expect(figures(await at(base + 0.5 * H))).toEqual([[PITIE, 0]]);
    expect(figures(await at(base - H))).toEqual([]);
    // A late batch of old figures is part of the past, never of the present.
    await report(PITIE, [{ available: 9, at: new Date(base + 0.75 * H) }]);
    expect(figures(await at(base + 0.8 * H))).toEqual([[PITIE, 9]]);
    expect(figures(await national.emitWithAck(bedsWire.picture, { deps: ['75'] }))).toEqual([[PITIE, 2]]);
    // Offsets are instants: the same moment written in Paris time gives the same picture.
    const paris = new Date(base + 1.5 * H + 3_600_000).toISOString().replace('Z', '+01:00');
    expect(figures(await national.emitWithAck(bedsWire.picture, { deps: ['75', '92'], at: paris }))).toEqual([[PITIE, 1], [AMBROISE_PARE, 5]].sort());
    const future = await at(Date.now() + 2 * H);
    expect('error' in future && future.error.message).toContain('dans le futur');
  });
});
