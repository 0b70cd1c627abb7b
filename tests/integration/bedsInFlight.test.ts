/**
 * Latest-report-wins in server order, across real processes: two workstations of the same
 * establishment report the same unit while the server is down (neither saw the other's
 * report), then the server comes back. Whatever order the pushes arrive in, every client ends
 * on the report the server applied last; both stay in the history.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loginClient, serverDb, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';
import type { UnitView } from '../../common/domain/beds/views';

const PITIE = '750100125';
// The demo seeds Pitié's other units and leaves its réanimation médicale to its users.

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const unitOf = async (c: TestClient): Promise<UnitView | undefined> =>
  (await c.call('beds.current', {})).find((u) => u.finess === PITIE && u.unitType === 'REA_MED');

describe('two reports in flight for the same unit', () => {
  it('resolve on every client to the one the server applied last', async () => {
    const tmp = tempDir('beds-inflight');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    let server: TestServer = await startServer({ dbPath });
    cleanup.push(() => server.close());
    const port = server.port;
    const desk = await loginClient(join(tmp.dir, 'pitie-accueil'), server.url, 'pitie');
    const icu = await loginClient(join(tmp.dir, 'pitie-rea'), server.url, 'pitie');
    const ars = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf');
    for (const c of [desk, icu, ars]) cleanup.push(() => c.close());
    for (const c of [desk, icu, ars]) await waitSynced(c);

    const base = { finess: PITIE, unitType: 'REA_MED', installed: 20, staffed: 18 };
    const first = await desk.call('beds.report', { ...base, available: 4 });
    await waitSynced(desk);
    for (const c of [icu, ars]) await waitFor(async () => (await unitOf(c))?.id === first.id, 'the first report everywhere');
    await waitSynced(icu);

    await server.close();
    const fromDesk = await desk.call('beds.report', { ...base, available: 6, comment: 'accueil' });
    const fromIcu = await icu.call('beds.report', { ...base, available: 7, comment: 'réanimation' });
    expect(await unitOf(desk)).toMatchObject({ id: fromDesk.id, pending: true });
    expect(await unitOf(icu)).toMatchObject({ id: fromIcu.id, pending: true });

    // Offline, the history comes from the cache and says it may be incomplete.
    const offlineHistory = await waitFor(async () => {
      const h = await icu.call('beds.history', { finess: PITIE, unitType: 'REA_MED' });
      return h.complete ? null : h;
    }, 'an offline history answer');
    expect(offlineHistory.reports.map((r) => r.id)).toEqual([first.id]);

    server = await startServer({ dbPath, port, seed: false });
    for (const c of [desk, icu, ars]) await waitSynced(c, 30_000);

    const db = serverDb(dbPath);
    let winner: string;
    try {
      const current = db.currentUnit(PITIE, 'REA_MED');
      expect([fromDesk.id, fromIcu.id]).toContain(current?.id);
      winner = current?.id ?? '';
      expect(db.unitReportCount(PITIE, 'REA_MED')).toBe(3);
    } finally {
      db.close();
    }
    for (const c of [desk, icu, ars]) {
      const seen = await waitFor(async () => {
        const u = await unitOf(c);
        return u?.id === winner && !u.pending ? u : null;
      }, 'every client to settle on the server’s last report');
      expect(seen.available).toBe(winner === fromDesk.id ? 6 : 7);
    }

    // Online again: the history is complete and keeps both reports of the outage, newest first.
    const history = await ars.call('beds.history', { finess: PITIE, unitType: 'REA_MED' });
    expect(history.complete).toBe(true);
    expect(history.reports.map((r) => r.id).sort()).toEqual([first.id, fromDesk.id, fromIcu.id].sort());
    expect(history.reports[0].id).toBe(winner);
  }, 90_000);
});
