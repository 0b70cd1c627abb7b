/**
 * The stock chart of a région and of France (issue 9), with real processes: the sync server
 * holding the 700 establishments × 5 molecules × 90 days of `stocksBoard` (315,000 lines, the
 * demo's on top), a national workstation (the main-process services) asking for the chart.
 *
 * Measured: `stocks.chart` (one `stocks:series` answer aggregated on the server, both
 * projections added by main). Baseline: what the chart did before, in the same run — one
 * `stocks.history` per establishment of the place, six at a time, then the same series and
 * projections computed from the lines on the workstation. Median of 3 after a warm-up.
 * Not part of `npm run bench`'s default list: `npx tsx bench/stocksChart.ts`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../common/domain/stocks/forecast';
import type { StockLine } from '../common/domain/stocks/model';
import { chartForecasts, parisDayOf, stockSeries } from '../common/domain/stocks/series';
import { loadTerritories } from '../common/territory';
import { REPO_ROOT, startTs, type Child } from './support/processes';
import { call, openServices, waitForStatus } from './support/services';
import { stocksCase } from './stocks';
import { seedHistory } from './stocksBoard';

const RUNS = 3;
const CONCURRENCY = 6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const territories = loadTerritories((f) => readFileSync(join(REPO_ROOT, 'resources', 'referential', f), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-stockchart-'));
  const dbPath = join(dir, 'server.sqlite');
  const serverArgs = ['--port', '0', '--host', '127.0.0.1', '--db', dbPath, '--demo'];
  const finesses = stocksCase().establishments.map((e) => e.finess);
  let server: Child | undefined;
  try {
    server = await startTs('sync-server/src/cli.ts', serverArgs, 'VIGIE_SYNC_SERVER_READY', 60_000);
    await server.stop();
    const lines = seedHistory(dbPath, finesses);
    server = await startTs('sync-server/src/cli.ts', serverArgs, 'VIGIE_SYNC_SERVER_READY', 120_000);
    const services = openServices(join(dir, 'national'), server.url);
    await call(services, 'session.login', { username: 'national', password: 'demo-vigie' });
    // Online and caught up: the asks below measure the chart, not the first sync.
    await waitForStatus(services, (s) => s.state === 'online' && s.lastSyncAt !== null && s.pending === 0, 300_000);
    // Every establishment with stock lines, by région (the bench's and the demo's).
    const regionOf = (f: string) => territories.departement(territories.establishment(f)?.dep ?? '')?.region ?? '';
    const all = [...new Set([...finesses])];
    const byRegion = new Map<string, string[]>();
    for (const f of all) byRegion.set(regionOf(f), [...(byRegion.get(regionOf(f)) ?? []), f]);
    const [region, regionFinesses] = [...byRegion.entries()].sort((a, b) => b[1].length - a[1].length)[0];
    const molecule = 'propofol';

    async function before(place: readonly string[]): Promise<number> {
      const t0 = performance.now();
      const got: StockLine[] = [];
      let next = 0;
      async function worker() {
        while (next < place.length) {
          const finess = place[next++];
          got.push(...(await call<StockLine[]>(services, 'stocks.history', { finess, molecule, days: 90 })));
        }
      }
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const to = parisDayOf(new Date().toISOString());
      const s = stockSeries(got, addDays(to, -89), to);
      chartForecasts({ ...s, covidOccupied: s.days.map(() => null), establishments: 0 });
      return performance.now() - t0;
    }
    async function after(place: string): Promise<number> {
      const t0 = performance.now();
      await call(services, 'stocks.chart', { place, molecule, days: 90 });
      return performance.now() - t0;
    }
    const measure = async (f: () => Promise<number>) => {
      await f();
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) ms.push(await f());
      return median(ms);
    };
    const regionBefore = await measure(() => before(regionFinesses));
    const regionAfter = await measure(() => after(`R:${region}`));
    const franceBefore = await measure(() => before(all));
    const franceAfter = await measure(() => after('FR'));
    console.log(`\n## Stock chart of a place: ${finesses.length} establishments × 5 molecules × 90 days = ${lines.toLocaleString('en')} lines (+ demo)`);
    console.log(`Région ${region} (${regionFinesses.length} establishments of the bench): one history per establishment ${regionBefore.toFixed(0)} ms → stocks.chart ${regionAfter.toFixed(0)} ms (×${(regionBefore / regionAfter).toFixed(1)})`);
    console.log(`France (${all.length} establishments of the bench): one history per establishment ${franceBefore.toFixed(0)} ms → stocks.chart ${franceAfter.toFixed(0)} ms (×${(franceBefore / franceAfter).toFixed(1)})`);
    await services.close();
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
