/**
 * Beds at national scale (issue 3): every FINESS establishment of the referential × 8 unit
 * types (~18,000 units) with 90 days of daily reports (~1.6 million) on the server.
 *
 * 1. A national client's first sync of the current picture (target < 3 s). Baseline: a bare
 *    SQLite read of the same current rows on the server's file.
 * 2. Server ingest through the register feed, 1,000 reports per request (target 1,000/s).
 *    Baseline: the same bodies POSTed to a bare Node HTTP server that parses and discards.
 * 3. The Lits board in the web host, Chromium: grid and dashboard rendered (target < 1.5 s).
 *    Baseline: the same page's event log (main courante) after login.
 * 4. 100 unit reports per second arriving live for 60 s while the dashboard is shown: the
 *    longest frame, frames over 100 ms and long tasks. Baseline: the same page idle.
 *
 * The history is written straight through the server's own write path (the bed board's
 * transaction slice over the engine's change writer: unit_reports, unit_current,
 * change_log) to keep set-up in seconds; it bypasses only the mutator's checks, which the
 * figures below do not measure.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadTerritories } from '../common/territory';
import { unitEntity } from '../common/domain/beds/entities';
import { bedsHttp } from '../common/domain/beds/protocol';
import { sqliteBedsTx } from '../sync-server/src/beds/sqliteTx';
import { ChangeWriter } from '../sync-server/src/store/changeWriter';
import { fmt, REPO_ROOT, startTs, type Child } from './support/processes';
import { pageNow, shownAt, SHOWN_WATCH } from './support/pageTiming';
import { call, openServices } from './support/services';
import type { UnitReport } from '../common/domain/beds/model';
import type { FeedResult } from '../common/domain/beds/protocol';
import { UNIT_TYPES } from '../common/domain/beds/unitTypes';
import type { UnitView } from '../common/domain/beds/views';

const DAYS = Number(process.env.BENCH_BEDS_DAYS ?? 90);
const TYPES_PER_ESTABLISHMENT = 8;
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 60);
const LIVE_RATE = 100;
const INGEST_REQUESTS = Number(process.env.BENCH_INGEST_REQUESTS ?? 15);
const FEED_KEY = `bench-${randomUUID()}`;
/**
 * Measurement knobs for the Lits grid alone (unset: the full benchmark). `BENCH_BEDS_GRID_ONLY=1`
 * stops after step 3a (no ingest, no catch-up, no live step). `BENCH_BEDS_RENDERERS=dirA,dirB`
 * (prebuilt `out/renderer` folders, or checkouts of other commits built with `electron-vite
 * build`, whose web host then serves their `out/renderer`; no build then) measures step 3a
 * with each in turn, `BENCH_BEDS_GRID_RUNS` rounds (default 1), each on a web host started
 * afresh as in the full run: paired figures of two versions under the same load.
 */
const GRID_ONLY = process.env.BENCH_BEDS_GRID_ONLY === '1';
const RENDERERS = (process.env.BENCH_BEDS_RENDERERS ?? '').split(',').filter(Boolean);
const GRID_RUNS = Number(process.env.BENCH_BEDS_GRID_RUNS ?? 1);
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BedsBenchResult {
  units: number;
  reports: number;
  seedS: number;
  firstSyncMs: number;
  firstSyncBaselineMs: number;
  ingestPerS: number;
  ingestBaselinePerS: number;
  /** `beds.current` in the main process on the synced cache: every unit's view. */
  currentViewsMs: number;
  /** On the caught-up workstation. */
  gridMs: number;
  dashboardMs: number;
  uiBaselineMs: number;
  /** While the workstation pulls the feed step's reports. */
  gridCatchingUpMs: number;
  dashboardCatchingUpMs: number;
  uiBaselineCatchingUpMs: number;
  live: { reports: number; maxFrameMs: number; framesOver100: number; longTasks: number; longestTaskMs: number };
  idle: { maxFrameMs: number; framesOver100: number; longTasks: number };
}

const territories = loadTerritories((f) => readFileSync(join(REPO_ROOT, 'resources', 'referential', f), 'utf8'));
const establishments = territories.establishmentsIn('FR');

function figures(seed: number) {
  const installed = 6 + (seed % 25);
  const staffed = installed - (seed % 3);
  const available = seed % 5 === 0 ? 0 : seed % Math.max(1, Math.floor(staffed / 3));
  return { installed, staffed, available };
}

/** Writes DAYS daily reports per unit through the server store's own write path. */
function seedHistory(dbPath: string): { units: number; reports: number } {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // set-up only; the server reopens the file with its own settings
  const writer = new ChangeWriter(db, [unitEntity], (t) => {
    const p = territories.path(t);
    if (!p) throw new Error(`unknown territory ${t}`);
    return p;
  });
  const tx = sqliteBedsTx(db, writer);
  const types = UNIT_TYPES.slice(0, TYPES_PER_ESTABLISHMENT);
  const start = Date.now() - DAYS * 86_400_000;
  let reports = 0;
  for (let day = 0; day < DAYS; day++) {
    db.transaction(() => {
      writer.begin(new Date().toISOString());
      for (let e = 0; e < establishments.length; e++) {
        const est = establishments[e];
        for (let t = 0; t < types.length; t++) {
          writer.startMutation();
          const f = figures(e * 31 + t * 7 + day);
          const report: UnitReport = {
            id: randomUUID(),
            finess: est.finess,
            unitId: types[t].code,
            unitName: null,
            unitType: types[t].code,
            ...f,
            covidPos: null,
            covidNeg: null,
            extra24h: null,
            extra72h: null,
            comment: '',
            source: 'feed',
            reportedBy: 'Banc d’essai',
            reportedRole: 'national',
            // Spread over the day so freshness varies; the last day is recent.
            at: new Date(start + day * 86_400_000 + ((e * 13 + t) % 1440) * 60_000).toISOString(),
            atKnown: true,
            surge: null,
            assignment: null,
            temporary: false,
            ror: null,
            version: 0,
          };
          tx.insertReport(report);
          reports++;
        }
      }
    })();
  }
  db.close();
  return { units: establishments.length * types.length, reports };
}

async function postFeed(baseUrl: string, body: string): Promise<number> {
  const res = await fetch(baseUrl + bedsHttp.feedUnitReports, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `ApiKey ${FEED_KEY}` },
    body,
  });
  if (!res.ok) throw new Error(`feed: HTTP ${res.status} ${await res.text()}`);
  const { results } = (await res.json()) as FeedResult;
  const rejected = results.find((r) => r.status === 'rejected');
  if (rejected && rejected.status === 'rejected') throw new Error(`feed line rejected: ${rejected.reason}`);
  return results.length;
}

/** A body of `n` plausible reports for Île-de-France units (the demo feed key is bound to R:11). */
function feedBody(n: number, round: number): string {
  const idf = establishments.filter((e) => territories.path(`E:${e.finess}`)?.startsWith('/FR/R:11/'));
  const reports = Array.from({ length: n }, (_, i) => {
    const est = idf[(round * n + i) % idf.length];
    const type = UNIT_TYPES[i % TYPES_PER_ESTABLISHMENT];
    return { finess: est.finess, unitType: type.code, ...figures(round + i), at: new Date().toISOString() };
  });
  return JSON.stringify({ reports });
}

async function bareIngest(bodies: string[]): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reports: unknown[] };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ results: parsed.reports.map((_, index) => ({ index, status: 'applied', version: index })) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t0 = performance.now();
  let n = 0;
  for (const body of bodies) {
    const res = await fetch(url + bedsHttp.feedUnitReports, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    n += ((await res.json()) as FeedResult).results.length;
  }
  const s = (performance.now() - t0) / 1000;
  await new Promise((r) => server.close(r));
  return n / s;
}

const FRAME_PROBE = `(() => {
  const w = window;
  w.__frames = { max: 0, over100: 0, longTasks: 0, longest: 0 };
  let last = performance.now();
  const tick = (t) => { const d = t - last; last = t; if (d > w.__frames.max) w.__frames.max = d; if (d > 100) w.__frames.over100++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => { for (const e of list.getEntries()) { w.__frames.longTasks++; if (e.duration > w.__frames.longest) w.__frames.longest = e.duration; } }).observe({ entryTypes: ['longtask'] });
})()`;

export async function runBeds(): Promise<BedsBenchResult> {
  // The web host serves out/renderer: build it from the sources measured, never an old build.
  const build = RENDERERS.length ? { status: 0 } : spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: REPO_ROOT, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('electron-vite build failed: the renderer the benchmark measures could not be built');
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-beds-'));
  const dbPath = join(dir, 'server.sqlite');
  const serverArgs = ['--port', '0', '--host', '127.0.0.1', '--db', dbPath, '--demo'];
  const env = { VIGIE_DEMO_FEED_KEY: FEED_KEY };
  let server: Child | undefined;
  let webHost: Child | undefined;
  const browser = await chromium.launch({ executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    // Create and migrate the database with the demo users, then write the history offline.
    server = await startTs('sync-server/src/cli.ts', serverArgs, 'VIGIE_SYNC_SERVER_READY', 60_000, env);
    await server.stop();
    const ts = performance.now();
    const { units, reports } = seedHistory(dbPath);
    const seedS = (performance.now() - ts) / 1000;
    server = await startTs('sync-server/src/cli.ts', serverArgs, 'VIGIE_SYNC_SERVER_READY', 120_000, env);

    // 1. First sync of the current picture by a new national workstation.
    const clientDir = join(dir, 'national');
    const services = openServices(clientDir, server.url);
    const t1 = performance.now();
    await call(services, 'session.login', { username: 'national', password: 'demo-vigie' });
    let current: UnitView[] = [];
    while (performance.now() - t1 < 120_000) {
      current = await call<UnitView[]>(services, 'beds.current', {});
      if (current.length >= units) break;
      // Polling builds every view: keep it rare so it does not slow the sync it measures.
      await new Promise((r) => setTimeout(r, 200));
    }
    const firstSyncMs = performance.now() - t1;
    if (current.length < units) throw new Error(`only ${current.length} of ${units} units reached the national cache`);
    // What the grid waits for from the main process: every unit's view, built from the cache.
    const tv = performance.now();
    await call<UnitView[]>(services, 'beds.current', {});
    const currentViewsMs = performance.now() - tv;
    await services.close();
    const tb = performance.now();
    const bare = new Database(dbPath, { readonly: true });
    const rows = bare.prepare('SELECT l.payload FROM unit_current c JOIN change_log l ON l.version = c.version').all() as Array<{ payload: string }>;
    for (const r of rows) JSON.parse(r.payload);
    bare.close();
    const firstSyncBaselineMs = performance.now() - tb;

    // 3a. The Lits board in the web host on the caught-up workstation (same data dir: the
    // session resumes, the cache holds the whole picture): the product goal's figure.
    if (RENDERERS.length) {
      await compareRenderers(browser, server.url, clientDir);
      return skippedAfterGrid({ units, reports, seedS, firstSyncMs, firstSyncBaselineMs, currentViewsMs, gridMs: NaN, dashboardMs: NaN, uiBaselineMs: NaN });
    }
    webHost = await startTs('main/webhost/cli.ts', ['--server', server.url, '--data', clientDir, '--port', '0'], 'VIGIE_WEB_HOST_READY', 60_000);
    const synced = await openBoard(browser, webHost.url, process.env.BENCH_BEDS_PROFILE, process.env.BENCH_BEDS_TRACE);
    await synced.page.close();
    // Stopped during the ingest, as before 3a existed, so the ingest figure stays comparable.
    await webHost.stop();
    if (GRID_ONLY) return skippedAfterGrid({ units, reports, seedS, firstSyncMs, firstSyncBaselineMs, currentViewsMs, gridMs: synced.gridMs, dashboardMs: synced.dashboardMs, uiBaselineMs: synced.uiBaselineMs });

    // 2. Register feed ingest.
    const bodies = Array.from({ length: INGEST_REQUESTS }, (_, i) => feedBody(1000, i));
    const ti = performance.now();
    let applied = 0;
    for (const b of bodies) applied += await postFeed(server.url, b);
    const ingestPerS = applied / ((performance.now() - ti) / 1000);
    const ingestBaselinePerS = await bareIngest(bodies);

    // 3b. The same board opened again while the workstation catches up on those reports.
    webHost = await startTs('main/webhost/cli.ts', ['--server', server.url, '--data', clientDir, '--port', '0'], 'VIGIE_WEB_HOST_READY', 60_000);
    const { page, gridMs, dashboardMs, uiBaselineMs } = await openBoard(browser, webHost.url);

    // 4. Idle, then 100 reports/s for LIVE_SECONDS.
    await page.evaluate(FRAME_PROBE);
    await new Promise((r) => setTimeout(r, 5000));
    const idleFrames = (await page.evaluate('window.__frames')) as { max: number; over100: number; longTasks: number };
    await page.evaluate(FRAME_PROBE);
    let live = 0;
    const end = Date.now() + LIVE_SECONDS * 1000;
    for (let round = 1000; Date.now() < end; round++) {
      const tick = Date.now();
      live += await postFeed(server.url, feedBody(LIVE_RATE / 10, round));
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tick))));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const liveFrames = (await page.evaluate('window.__frames')) as { max: number; over100: number; longTasks: number; longest: number };
    return {
      units,
      reports,
      seedS,
      firstSyncMs,
      firstSyncBaselineMs,
      currentViewsMs,
      ingestPerS,
      ingestBaselinePerS,
      gridMs: synced.gridMs,
      dashboardMs: synced.dashboardMs,
      uiBaselineMs: synced.uiBaselineMs,
      gridCatchingUpMs: gridMs,
      dashboardCatchingUpMs: dashboardMs,
      uiBaselineCatchingUpMs: uiBaselineMs,
      live: { reports: live, maxFrameMs: liveFrames.max, framesOver100: liveFrames.over100, longTasks: liveFrames.longTasks, longestTaskMs: liveFrames.longest },
      idle: { maxFrameMs: idleFrames.max, framesOver100: idleFrames.over100, longTasks: idleFrames.longTasks },
    };
  } finally {
    await browser.close();
    await webHost?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type GridFigures = Pick<BedsBenchResult, 'units' | 'reports' | 'seedS' | 'firstSyncMs' | 'firstSyncBaselineMs' | 'currentViewsMs' | 'gridMs' | 'dashboardMs' | 'uiBaselineMs'>;

/** A result that stops after step 3a (the measurement knobs): the later figures are NaN. */
function skippedAfterGrid(r: GridFigures): BedsBenchResult {
  const none = { maxFrameMs: NaN, framesOver100: NaN, longTasks: NaN };
  return {
    ...r,
    ingestPerS: NaN,
    ingestBaselinePerS: NaN,
    gridCatchingUpMs: NaN,
    dashboardCatchingUpMs: NaN,
    uiBaselineCatchingUpMs: NaN,
    live: { reports: 0, ...none, longestTaskMs: NaN },
    idle: none,
  };
}

/**
 * Step 3a with each renderer of BENCH_BEDS_RENDERERS in turn, GRID_RUNS rounds, each on a
 * web host started afresh over the same caught-up cache; prints every figure and the medians.
 */
async function compareRenderers(browser: Browser, serverUrl: string, clientDir: string): Promise<void> {
  const grid: number[][] = RENDERERS.map(() => []);
  const base: number[][] = RENDERERS.map(() => []);
  const profile = process.env.BENCH_BEDS_PROFILE;
  const trace = process.env.BENCH_BEDS_TRACE;
  for (let round = 0; round < GRID_RUNS; round++) {
    for (let i = 0; i < RENDERERS.length; i++) {
      // A checkout runs its own web host (main process code) over its own build.
      const checkout = existsSync(join(RENDERERS[i], 'main', 'webhost', 'cli.ts'));
      const entry = checkout ? relative(REPO_ROOT, join(RENDERERS[i], 'main', 'webhost', 'cli.ts')) : 'main/webhost/cli.ts';
      const rendererDir = checkout ? join(RENDERERS[i], 'out', 'renderer') : RENDERERS[i];
      const host = await startTs(entry, ['--server', serverUrl, '--data', clientDir, '--port', '0', '--renderer', rendererDir], 'VIGIE_WEB_HOST_READY', 60_000);
      try {
        const r = await openBoard(browser, host.url, profile ? `${profile}.r${i}.${round}.cpuprofile` : undefined, trace ? `${trace}.r${i}.${round}.json` : undefined);
        await r.page.close();
        grid[i].push(r.gridMs);
        base[i].push(r.uiBaselineMs);
        console.log(`round ${round + 1} ${RENDERERS[i]}: grid ${fmt(r.gridMs)}, event log after login ${fmt(r.uiBaselineMs)}`);
      } finally {
        await host.stop();
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (let i = 0; i < RENDERERS.length; i++) console.log(`${RENDERERS[i]}: grid median ${fmt(median(grid[i]))} (${grid[i].map((x) => x.toFixed(0)).join(', ')}), event log median ${fmt(median(base[i]))}`);
}

/** Opens the web host in a new page: event log after login (baseline), then the Lits grid, then the dashboard. */
async function openBoard(browser: Browser, url: string, profileTo?: string, traceTo?: string): Promise<{ page: Page; gridMs: number; dashboardMs: number; uiBaselineMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' });
  await page.addInitScript({ content: SHOWN_WATCH });
  await page.goto(url);
  const tu = await pageNow(page);
  const uiBaselineMs = Math.max(0, (await shownAt(page, '[data-testid="event-list"]')) - tu);
  // BENCH_BEDS_PROFILE=<file.cpuprofile>: the renderer's CPU profile from the click to the grid
  // (open it in Chromium's DevTools, Performance panel), to see where the grid's time goes.
  const cdp = profileTo ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  // BENCH_BEDS_TRACE=<file.json>: a Chromium performance trace of the same span (style, layout,
  // paint and scripts on one timeline; open it in DevTools' Performance panel).
  if (traceTo) await browser.startTracing(page, { path: traceTo, screenshots: false });
  const tg = await pageNow(page);
  await page.locator('[data-testid="nav-beds"]').click();
  await page.locator('[data-testid="beds-tab-grid"]').click();
  const gridMs = (await shownAt(page, '[data-testid="beds-grid"] .ag-row')) - tg;
  if (traceTo) await browser.stopTracing();
  if (cdp && profileTo) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(profileTo, JSON.stringify(profile));
    await cdp.detach();
  }
  const td = await pageNow(page);
  await page.locator('[data-testid="beds-tab-dashboard"]').click();
  const dashboardMs = (await shownAt(page, '[data-testid="dashboard-table"] td')) - td;
  return { page, gridMs, dashboardMs, uiBaselineMs };
}

export function printBeds(r: BedsBenchResult): void {
  console.log(`\n## Beds at national scale: ${r.units.toLocaleString('en')} units, ${r.reports.toLocaleString('en')} reports over ${DAYS} days (seeded in ${r.seedS.toFixed(0)} s)`);
  console.log(`national first sync of the current picture : ${(r.firstSyncMs / 1000).toFixed(2)} s (target < 3 s); bare SQLite read of the same rows ${fmt(r.firstSyncBaselineMs)}; ratio ×${(r.firstSyncMs / r.firstSyncBaselineMs).toFixed(1)}`);
  console.log(`main process, every unit's view (beds.current): ${fmt(r.currentViewsMs)}`);
  console.log(`register feed ingest                       : ${r.ingestPerS.toFixed(0)} reports/s (target ≥ 1,000/s); bare HTTP parse-and-discard ${r.ingestBaselinePerS.toFixed(0)}/s; ratio ×${(r.ingestBaselinePerS / r.ingestPerS).toFixed(1)} slower`);
  console.log(`web host, Lits grid rendered               : ${fmt(r.gridMs)} (target < 1.5 s, product goal < 0.8 s); baseline: event log after login ${fmt(r.uiBaselineMs)}; ratio ×${(r.gridMs / r.uiBaselineMs).toFixed(1)}`);
  console.log(`web host, dashboard rendered               : ${fmt(r.dashboardMs)} (target < 1.5 s)`);
  console.log(`the same while catching up 15,000 reports  : grid ${fmt(r.gridCatchingUpMs)}, dashboard ${fmt(r.dashboardCatchingUpMs)}; event log after login ${fmt(r.uiBaselineCatchingUpMs)}`);
  console.log(`live ${LIVE_RATE} reports/s for ${LIVE_SECONDS} s (${r.live.reports} applied) : longest frame ${fmt(r.live.maxFrameMs)}, ${r.live.framesOver100} frames > 100 ms, ${r.live.longTasks} long tasks (longest ${fmt(r.live.longestTaskMs)})`);
  console.log(`same page idle (5 s)                       : longest frame ${fmt(r.idle.maxFrameMs)}, ${r.idle.framesOver100} frames > 100 ms, ${r.idle.longTasks} long tasks`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runBeds().then(printBeds, (e) => {
    console.error(e);
    process.exit(1);
  });
}
