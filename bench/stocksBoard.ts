/**
 * The stocks board at national scale (issue 9), with real processes: the 700 establishments of
 * `stocksCase` × the 5 molecules (one presentation each) × 90 days of daily counts on the
 * server (315,000 lines, the demo's on top).
 *
 * 1. The national grid in the web host, Chromium, on the caught-up workstation: from the click
 *    on « Stocks » to the first grid row (target < 0.5 s). Baseline: the same page's event log
 *    (main courante) after login. Measured again after step 2, while the workstation pushes
 *    the import's 700 reports (printed beside it).
 * 2. A 10,000-line PUI CSV export (700 establishments × 15 presentations, one count date)
 *    imported by the national cell through the ConsoleApi the UI uses: `stocks.importCommit`
 *    reads, validates, dry-runs and queues every report in one transaction (target < 2 s).
 *    Baseline: `stocks.importPreview` on the same file (the same reading and checks, nothing queued).
 *
 * The history is written straight through the server's own write path (the stocks board's
 * transaction slice over the engine's change writer) to keep set-up in seconds; it bypasses
 * only the mutator's checks, which the figures below do not measure.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser } from 'playwright-core';
import { loadTerritories } from '../common/territory';
import { stockLineEntity } from '../common/domain/stocks/entities';
import type { StocksBoardView } from '../common/domain/stocks/api';
import { MOLECULES, productsFromCsv, MEDICINES_FILE } from '../common/domain/stocks/products';
import { sqliteStocksTx } from '../sync-server/src/stocks/sqliteTx';
import { ChangeWriter } from '../sync-server/src/store/changeWriter';
import { REPO_ROOT, startTs, type Child } from './support/processes';
import { pageNow, shownAt, SHOWN_WATCH } from './support/pageTiming';
import { call, openServices } from './support/services';
import { createConsoleServices } from '../main/services';
import { fileProtector, keyFileSource } from '../main/store/cipherKey';
import { stocksCase } from './stocks';

const DAYS = Number(process.env.BENCH_STOCKS_DAYS ?? 90);
const CSV_LINES = 10_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface StocksBoardBenchResult {
  establishments: number;
  lines: number;
  seedS: number;
  firstSyncMs: number;
  gridMs: number;
  uiBaselineMs: number;
  /** The same grid while the workstation pushes the import's reports. */
  gridPushingMs: number;
  csv: { lines: number; imported: number; reports: number; commitMs: number; previewMs: number };
}

const territories = loadTerritories((f) => readFileSync(join(REPO_ROOT, 'resources', 'referential', f), 'utf8'));
const products = productsFromCsv(readFileSync(join(REPO_ROOT, 'resources', 'medicines', MEDICINES_FILE), 'utf8'));

export function seedHistory(dbPath: string, finesses: readonly string[]): number {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // set-up only; the server reopens the file with its own settings
  const writer = new ChangeWriter(db, [stockLineEntity], (t) => {
    const p = territories.path(t);
    if (!p) throw new Error(`unknown territory ${t}`);
    return p;
  });
  const tx = sqliteStocksTx(db, writer);
  const presentations = MOLECULES.map((m) => products.of(m.code)[0]);
  const start = Date.now() - DAYS * 86_400_000;
  let lines = 0;
  for (let day = 0; day < DAYS; day++) {
    db.transaction(() => {
      writer.begin(new Date().toISOString());
      finesses.forEach((finess, e) => {
        writer.startMutation();
        presentations.forEach((p, k) => {
          const use = 5 + ((e * 7 + k * 3) % 40);
          tx.insertLine({
            id: randomUUID(),
            finess,
            cip13: p.cip13,
            molecule: p.molecule,
            onHand: 50 + ((e * 13 + k * 17 + day * 5) % 900),
            used7d: use * 7,
            dailyUse: null,
            daysOut: 0,
            delivered: day % 3 === 0 ? 100 : 0,
            comment: '',
            source: 'pui',
            reportedBy: 'Banc d’essai',
            reportedRole: 'pui',
            at: new Date(start + day * 86_400_000 + ((e * 11 + k) % 600) * 60_000).toISOString(),
            version: 0,
          });
          lines++;
        });
      });
    })();
  }
  db.close();
  return lines;
}

/** 10,000 lines: each establishment × 15 presentations (3 per molecule), counted an hour ago. */
function importCsv(finesses: readonly string[]): string {
  const cips = MOLECULES.flatMap((m) => products.of(m.code).slice(0, 3).map((p) => p.cip13));
  const when = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' })
    .format(new Date(Date.now() - 3_600_000))
    .replace(',', '');
  const lines = ['FINESS;CIP13;Quantité en stock;Consommation 7j;Date inventaire'];
  for (let i = 0; lines.length <= CSV_LINES; i++) {
    const finess = finesses[i % finesses.length];
    const cip = cips[Math.floor(i / finesses.length) % cips.length];
    lines.push(`${finess};${cip};${100 + (i % 900)};${(i % 50) * 7};${when}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

function median(list: Array<{ gridMs: number; uiBaselineMs: number }>): { gridMs: number; uiBaselineMs: number } {
  const pick = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { gridMs: pick(list.map((o) => o.gridMs)), uiBaselineMs: pick(list.map((o) => o.uiBaselineMs)) };
}

let gridRunsMs: number[] = [];

export async function runStocksBoard(): Promise<StocksBoardBenchResult> {
  // The web host serves out/renderer: build it from the sources measured, never an old build.
  const build = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: REPO_ROOT, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('electron-vite build failed: the renderer the benchmark measures could not be built');
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-stocks-'));
  const dbPath = join(dir, 'server.sqlite');
  const serverArgs = ['--port', '0', '--host', '127.0.0.1', '--db', dbPath, '--demo'];
  const finesses = stocksCase().establishments.map((e) => e.finess);
  let server: Child | undefined;
  let webHost: Child | undefined;
  const browser = await chromium.launch({ executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    // Create and migrate the database with the demo, then write the history offline.
    server = await startTs('sync-server/src/cli.ts', serverArgs, 'VIGIE_SYNC_SERVER_READY', 60_000);
    await server.stop();
    const ts = performance.now();
    const lines = seedHistory(dbPath, finesses);
    const seedS = (performance.now() - ts) / 1000;
    server = await startTs('sync-server/src/cli.ts', serverArgs, 'VIGIE_SYNC_SERVER_READY', 120_000);

    // A national workstation catches up (current lines only).
    const clientDir = join(dir, 'national');
    const services = openServices(clientDir, server.url);
    const t1 = performance.now();
    await call(services, 'session.login', { username: 'national', password: 'demo-vigie' });
    let board: StocksBoardView | null = null;
    while (performance.now() - t1 < 120_000) {
      board = await call<StocksBoardView>(services, 'stocks.board', {});
      if (finesses.every((f) => board?.rows.some((r) => r.finess === f && r.molecules.propofol))) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const firstSyncMs = performance.now() - t1;
    if (!board || board.rows.length < finesses.length) throw new Error(`only ${board?.rows.length ?? 0} establishments reached the national cache`);

    // Main's share of the grid: `stocks.board` on the caught-up cache, and its size on the wire.
    const boardTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const tb = performance.now();
      board = await call<StocksBoardView>(services, 'stocks.board', {});
      boardTimes.push(performance.now() - tb);
    }
    console.log(`stocks.board in main: ${boardTimes.map((ms) => ms.toFixed(0)).join(', ')} ms; ${(JSON.stringify(board).length / 1024).toFixed(0)} KiB of JSON`);
    await services.close();

    // 1. The national grid in the web host on the caught-up workstation (same data dir: the
    // session resumes): the target's figure.
    webHost = await startTs('main/webhost/cli.ts', ['--server', server.url, '--data', clientDir, '--port', '0'], 'VIGIE_WEB_HOST_READY', 60_000);
    // BENCH_STOCKS_GRID_RUNS=<n>: open the grid n times (fresh page each) and keep the median.
    const runs = Math.max(1, Number(process.env.BENCH_STOCKS_GRID_RUNS ?? 1));
    // BENCH_STOCKS_COMPARE=<dir>: before the figure, pair an older version with this one,
    // alternately on the same data and the same load, and print both medians and their ratio:
    // on a shared machine only paired figures compare. <dir> is either a built renderer (served
    // by this main) or an older source tree, built (`electron-vite build`, node_modules linked):
    // its own web host (main) then serves its own out/renderer.
    const compareDir = process.env.BENCH_STOCKS_COMPARE;
    const compareTree = compareDir !== undefined && existsSync(join(compareDir, 'main', 'webhost', 'cli.ts'));
    if (compareDir) {
      await webHost.stop();
      const pairs: Record<'before' | 'after', Array<{ gridMs: number; uiBaselineMs: number }>> = { before: [], after: [] };
      for (let i = 0; i < runs; i++) {
        for (const which of i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
          const before = which === 'before';
          const renderer = before ? (compareTree ? join(compareDir, 'out', 'renderer') : compareDir) : join(REPO_ROOT, 'out', 'renderer');
          const entry = before && compareTree ? relative(REPO_ROOT, join(compareDir, 'main', 'webhost', 'cli.ts')) : 'main/webhost/cli.ts';
          webHost = await startTs(entry, ['--server', server.url, '--data', clientDir, '--port', '0', '--renderer', renderer], 'VIGIE_WEB_HOST_READY', 60_000);
          // A fresh web host's first page is a cold main (JIT, cache pages): one page opened and
          // not counted, so that both sides are measured warm, as the figure below is.
          await openGrid(browser, webHost.url);
          pairs[which].push(await openGrid(browser, webHost.url));
          await webHost.stop();
        }
      }
      const b = median(pairs.before);
      const a = median(pairs.after);
      const list = (xs: Array<{ gridMs: number }>) => xs.map((o) => o.gridMs.toFixed(0)).join(', ');
      console.log(`Paired grid runs: before ${list(pairs.before)} ms (median ${b.gridMs.toFixed(0)}, event log ${b.uiBaselineMs.toFixed(0)}); after ${list(pairs.after)} ms (median ${a.gridMs.toFixed(0)}, event log ${a.uiBaselineMs.toFixed(0)}); after ÷ before ×${(a.gridMs / b.gridMs).toFixed(2)}`);
      webHost = await startTs('main/webhost/cli.ts', ['--server', server.url, '--data', clientDir, '--port', '0'], 'VIGIE_WEB_HOST_READY', 60_000);
    }
    const opened: Array<{ gridMs: number; uiBaselineMs: number }> = [];
    for (let i = 0; i < runs; i++) opened.push(await openGrid(browser, webHost.url, i === runs - 1 ? process.env.BENCH_STOCKS_PROFILE : undefined));
    const synced = median(opened);
    gridRunsMs = opened.map((o) => o.gridMs);
    // Printed now: the import below must not take the grid's figure down with it.
    console.log(`National grid (web host), caught-up workstation: ${gridRunsMs.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${synced.gridMs.toFixed(0)} ms); event log after login ${synced.uiBaselineMs.toFixed(0)} ms`);
    await webHost.stop();

    // 2. The 10,000-line import, through the ConsoleApi (preview first: the baseline).
    // The web host encrypted the cache with the key file it keeps beside it: open it with that key.
    const importer = createConsoleServices({ dataDir: clientDir, serverUrl: server.url, cacheKey: keyFileSource(clientDir, fileProtector) });
    const csv = importCsv(finesses);
    const contentBase64 = Buffer.from(csv, 'latin1').toString('base64');
    const tp = performance.now();
    const preview = await call<{ valid: number; errors: unknown[]; fileErrors: string[] }>(importer, 'stocks.importPreview', { fileName: 'bench.csv', contentBase64 });
    const previewMs = performance.now() - tp;
    if (preview.fileErrors.length || preview.errors.length) throw new Error(`the bench file has errors: ${JSON.stringify(preview).slice(0, 500)}`);
    const tc = performance.now();
    const done = await call<{ imported: number; reports: number }>(importer, 'stocks.importCommit', { fileName: 'bench.csv', contentBase64, validOnly: false });
    const commitMs = performance.now() - tc;
    await importer.close();

    // 3. The same grid opened while the workstation pushes those reports to the server.
    webHost = await startTs('main/webhost/cli.ts', ['--server', server.url, '--data', clientDir, '--port', '0'], 'VIGIE_WEB_HOST_READY', 60_000);
    const pushing = await openGrid(browser, webHost.url);
    const gridMs = synced.gridMs;
    const uiBaselineMs = synced.uiBaselineMs;
    const gridPushingMs = pushing.gridMs;
    return { establishments: finesses.length, lines, seedS, firstSyncMs, gridMs, uiBaselineMs, gridPushingMs, csv: { lines: CSV_LINES, imported: done.imported, reports: done.reports, commitMs, previewMs } };
  } finally {
    await browser.close();
    await webHost?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens the web host: the event log after login (baseline), then « Stocks » to its grid's first row. */
async function openGrid(browser: Browser, url: string, profileTo?: string): Promise<{ gridMs: number; uiBaselineMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' });
  try {
    await page.addInitScript({ content: SHOWN_WATCH });
    await page.goto(url);
    const tu = await pageNow(page);
    const uiBaselineMs = Math.max(0, (await shownAt(page, '[data-testid="event-list"]')) - tu);
    // BENCH_STOCKS_PROFILE=<file.cpuprofile>: the renderer's CPU profile from the click to the
    // first row (open it in Chromium's DevTools), to see where the grid's time goes.
    const cdp = profileTo ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const tg = await pageNow(page);
    await page.locator('[data-testid="nav-stocks"]').click();
    const gridMs = (await shownAt(page, '[data-testid="stocks-grid"] .ag-row')) - tg;
    if (cdp && profileTo) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileTo, JSON.stringify(profile));
      await cdp.detach();
    }
    return { gridMs, uiBaselineMs };
  } finally {
    await page.close();
  }
}

export function printStocksBoard(r: StocksBoardBenchResult): void {
  console.log(`\n## Stocks board at national scale: ${r.establishments} establishments × 5 molecules × ${DAYS} days = ${r.lines.toLocaleString('en')} lines (seeded in ${r.seedS.toFixed(0)} s)`);
  console.log(`National first sync      : ${r.firstSyncMs.toFixed(0)} ms`);
  console.log(`National grid (web host) : ${r.gridMs.toFixed(0)} ms from the click to the first row, caught-up workstation (target < 500 ms); event log after login (baseline) ${r.uiBaselineMs.toFixed(0)} ms`);
  if (gridRunsMs.length > 1) console.log(`  median of ${gridRunsMs.length} page loads: ${gridRunsMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  console.log(`  the same while pushing the import's reports: ${r.gridPushingMs.toFixed(0)} ms`);
  console.log(`PUI CSV import           : ${r.csv.lines} lines → ${r.csv.imported} imported in ${r.csv.reports} reports: validated and applied ${r.csv.commitMs.toFixed(0)} ms (target < 2,000 ms); validated only (preview, baseline) ${r.csv.previewMs.toFixed(0)} ms`);
}
