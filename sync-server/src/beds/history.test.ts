import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { reportUnit } from '../testing/fixtures';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';
import { bedsWire } from '../../../common/domain/beds/protocol';
import { syncWire, type Poke } from '../../../common/protocol';

const PITIE = '750100125';

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

describe('unit reports over Socket.IO', () => {
  it('an establishment\'s report reaches its SAMU, ARS and national live, and no other branch', async () => {
    const pitie = await connectAs('pitie', `establishment:${PITIE}`);
    const watchers = await Promise.all([
      connectAs('national', 'national'),
      connectAs('ars-idf', 'ars:11'),
      connectAs('samu75', 'samu:75'),
      connectAs('ars-bretagne', 'ars:53'),
      connectAs('samu92', 'samu:92'),
      connectAs('bichat', 'establishment:750100232'),
    ]);
    const got = watchers.map((s) => {
      const list: Poke[] = [];
      s.on(syncWire.poke, (p) => list.push(p));
      return list;
    });
    const national = new Promise<Poke>((resolve) => watchers[0].once(syncWire.poke, resolve));
    const c = 'client-pitie-01';
    const r = await pitie.emitWithAck(syncWire.push, { clientId: c, mutations: [reportUnit(c, 1, PITIE, 'REA_MED', { available: 0 })] });
    expect(r).toEqual({ data: { results: [{ mutationId: 1, status: 'applied', version: 1 }] } });
    const poke = await national;
    expect(poke.changes).toEqual([{ version: 1, entity: 'unit', data: expect.objectContaining({ finess: PITIE, unitType: 'REA_MED', available: 0 }) }]);
    await new Promise((res) => setTimeout(res, 50));
    expect(got.map((list) => list.length)).toEqual([1, 1, 1, 0, 0, 0]);
  });

  it('two reports in flight for one unit, observed at the same time, resolve to the one the server applied last, for every reader', async () => {
    await server.user('pitie', `establishment:${PITIE}`);
    // Two workstations: one login each (a login is bound to one client id). Pushes of two
    // sockets may be applied in either order (docs/protocol.md §4): the current report is the
    // one observed last, and at equal observation times the one applied last.
    const [la, lb] = [await server.login('pitie'), await server.login('pitie')];
    const [a, b] = await Promise.all([server.socket(la.token, 'client-pitie-aa'), server.socket(lb.token, 'client-pitie-bb')]);
    const national = await connectAs('national', 'national');
    const observed = new Date();
    const [ra, rb] = await Promise.all([
      a.emitWithAck(syncWire.push, { clientId: 'client-pitie-aa', mutations: [reportUnit('client-pitie-aa', 1, PITIE, 'REA_MED', { available: 2, comment: 'poste A' }, observed)] }),
      b.emitWithAck(syncWire.push, { clientId: 'client-pitie-bb', mutations: [reportUnit('client-pitie-bb', 1, PITIE, 'REA_MED', { available: 1, comment: 'poste B' }, observed)] }),
    ]);
    const version = (r: typeof ra) => ('data' in r && r.data.results[0].status === 'applied' ? r.data.results[0].version : -1);
    expect([version(ra), version(rb)].sort()).toEqual([1, 2]);
    const last = version(ra) > version(rb) ? 'poste A' : 'poste B';
    for (const reader of [a, national]) {
      const r = await reader.emitWithAck(syncWire.pull, { cursor: 0 });
      expect('data' in r && r.data.changes.map((c) => (c.entity === 'unit' ? [c.version, c.data.comment] : []))).toEqual([[2, last]]);
    }
  });

  it('beds:history answers a unit in scope newest first, and refuses one out of scope without leaking it', async () => {
    const pitie = await connectAs('pitie', `establishment:${PITIE}`);
    const c = 'client-pitie-01';
    const base = Date.now() - 3 * 3_600_000;
    const mutations = [0, 1, 2].map((i) => reportUnit(c, i + 1, PITIE, 'REA_MED', { available: i, comment: `relevé ${i}` }, new Date(base + i * 3_600_000)));
    await pitie.emitWithAck(syncWire.push, { clientId: c, mutations });

    const samu = await connectAs('samu75', 'samu:75');
    const all = await samu.emitWithAck(bedsWire.history, { finess: PITIE, unitType: 'REA_MED' });
    expect('data' in all && all.data.reports.map((rep) => [rep.available, rep.version])).toEqual([[2, 3], [1, 2], [0, 1]]);
    const recent = await samu.emitWithAck(bedsWire.history, { finess: PITIE, unitType: 'REA_MED', since: new Date(base + 1_800_000).toISOString(), limit: 1 });
    expect('data' in recent && recent.data.reports.map((rep) => rep.version)).toEqual([3]);

    const bzh = await connectAs('ars-bretagne', 'ars:53');
    const refused = await bzh.emitWithAck(bedsWire.history, { finess: PITIE, unitType: 'REA_MED' });
    expect(refused).toEqual({
      error: { code: 'forbidden', message: fr.reject.territoryOutOfScope(server.app.territories.label(`E:${PITIE}`)) },
    });
    expect(JSON.stringify(refused)).not.toContain('relevé');
    const neighbour = await connectAs('bichat', 'establishment:750100232');
    expect(await neighbour.emitWithAck(bedsWire.history, { finess: PITIE, unitType: 'REA_MED' })).toMatchObject({ error: { code: 'forbidden' } });

    const bad = await samu.emitWithAck(bedsWire.history, { finess: PITIE, unitType: 'REA_MED', limit: 0 });
    expect(bad).toMatchObject({ error: { code: 'bad_request' } });
    expect('error' in bad && bad.error.message).toMatch(/^Requête invalide : limit : /);
    expect(await samu.emitWithAck(bedsWire.history, { finess: PITIE, unitType: 'LICORNE' })).toEqual({
      error: { code: 'bad_request', message: fr.beds.unknownUnitType('LICORNE') },
    });
  });
});
