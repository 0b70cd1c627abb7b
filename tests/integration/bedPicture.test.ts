/**
 * `beds.picture` across real processes: a SAMU workstation asks the real sync server for
 * the beds of its département and the bordering ones (outside its branch, so never pulled),
 * and for the picture at a past instant; offline, the same questions are answered from what
 * its cache saw, and say so.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginClient, startServer, tempDir, waitSynced, type TestClient, type TestServer } from './harness';

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let samu: TestClient;
let pitie: TestClient;

beforeAll(async () => {
  tmp = tempDir('bed-picture');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  samu = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
  pitie = await loginClient(join(tmp.dir, 'pitie'), server.url, 'pitie');
  await waitSynced(samu);
  await waitSynced(pitie);
});
afterAll(async () => {
  for (const c of [samu, pitie]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

describe('beds.picture', () => {
  let before = '';
  let aroundOnline: Array<[string, string, number]> = [];

  it('gives a SAMU the units of the bordering départements, which its own pulls never bring', async () => {
    const own = await samu.call('beds.current', {});
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((u) => u.dep === '75')).toBe(true);
    const around = await samu.call('beds.picture', { deps: ['75', '92', '93', '94'] });
    expect(around.complete).toBe(true);
    expect(around.serverTime).not.toBeNull();
    const deps = new Set(around.units.map((u) => u.dep));
    expect(deps.has('75') && deps.has('92')).toBe(true);
    // Placed and named like the unit rows.
    expect(around.units.find((u) => u.dep === '92')).toMatchObject({ region: '11', establishmentName: expect.any(String) });
    aroundOnline = around.units.map((u) => [u.finess, u.unitId, u.available] as [string, string, number]).sort();
    const refused = await samu.raw('beds.picture', { deps: ['29'] });
    expect(refused).toEqual({ ok: false, error: { code: 'rejected', message: 'Le département 29 n’est ni dans votre périmètre ni voisin de celui-ci.' } });
    const bad = await samu.raw('beds.picture', { deps: ['ZZ'] });
    expect(bad.ok === false && bad.error.code).toBe('bad_args');
  });

  it('shows the past: a unit reported since is seen as it was before', async () => {
    const was = (await samu.call('beds.current', {})).find((u) => u.finess === '750100125' && u.unitId === 'REA_CHIR');
    expect(was).toBeDefined();
    before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await pitie.call('beds.report', { finess: '750100125', unitType: 'REA_CHIR', installed: was!.installed, staffed: was!.staffed, available: was!.available === 0 ? 1 : was!.available - 1 });
    await waitSynced(pitie);
    const then = await samu.call('beds.picture', { at: before });
    expect(then.complete).toBe(true);
    expect(then.units.find((u) => u.finess === '750100125' && u.unitId === 'REA_CHIR')?.available).toBe(was!.available);
    const now = await samu.call('beds.picture', {});
    expect(now.units.find((u) => u.finess === '750100125' && u.unitId === 'REA_CHIR')?.available).not.toBe(was!.available);
    // Far enough back, nothing had been reported.
    expect((await samu.call('beds.picture', { at: '2019-01-01T00:00:00+01:00' })).units).toEqual([]);
  });

  it('offline, answers from what the cache saw, and says it is partial', async () => {
    await server.close();
    const around = await samu.call('beds.picture', { deps: ['75', '92', '93', '94'] });
    expect(around.complete).toBe(false);
    expect(around.serverTime).toBeNull();
    // The neighbours seen online are still there; the Pitié shows its latest figures.
    const ninetyTwo = aroundOnline.filter(([f]) => !f.startsWith('75'));
    expect(around.units.filter((u) => u.dep !== '75').map((u) => [u.finess, u.unitId, u.available]).sort()).toEqual(ninetyTwo);
    const then = await samu.call('beds.picture', { at: before });
    expect(then.complete).toBe(false);
    expect(then.units.find((u) => u.finess === '750100125' && u.unitId === 'REA_CHIR')).toBeDefined();
  });
});
