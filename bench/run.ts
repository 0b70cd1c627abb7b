/**
 * npm run bench: every benchmark in turn, figures and ratios against baselines measured in
 * the same run. Not a test: it never fails on a timing. Results also go to
 * bench/results/latest.json. `npm run bench -- fanout` runs one. `scale` (10,000 workstations,
 * `bench/scale.ts`) is in the full run only when PostgreSQL, Redis and HAProxy are installed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { printBeds, runBeds } from './beds';
import { printBootstrap, runBootstrap } from './bootstrap';
import { printEventLog, runEventLog } from './eventlog';
import { printCatchup, runCatchup } from './catchup';
import { printFanout, runFanout } from './fanout';
import { runScaleBench, scaleDefaultSkip } from './scale';
import { printStocks, runStocks } from './stocks';
import { printStocksBoard, runStocksBoard } from './stocksBoard';
import { printTransfers, runTransfers } from './transfers';
import { REPO_ROOT } from './support/processes';

const all = {
  fanout: async () => {
    const r = await runFanout();
    printFanout(r);
    return r;
  },
  catchup: async () => {
    const r = await runCatchup();
    printCatchup(r);
    return r;
  },
  bootstrap: async () => {
    const r = await runBootstrap();
    printBootstrap(r);
    return r;
  },
  eventlog: async () => {
    const r = await runEventLog();
    printEventLog(r);
    return r;
  },
  beds: async () => {
    const r = await runBeds();
    printBeds(r);
    return r;
  },
  transfers: async () => {
    const r = await runTransfers();
    printTransfers(r);
    return r;
  },
  stocks: async () => {
    const r = runStocks();
    printStocks(r);
    return r;
  },
  stocksBoard: async () => {
    const r = await runStocksBoard();
    printStocksBoard(r);
    return r;
  },
  scale: () => runScaleBench(),
};

async function main() {
  const wanted = process.argv.slice(2).filter((a) => a in all) as Array<keyof typeof all>;
  let names = wanted.length ? wanted : (Object.keys(all) as Array<keyof typeof all>);
  // The scale bench needs PostgreSQL, Redis and HAProxy: left out of the full run when one is missing.
  const scaleSkip = wanted.length ? null : scaleDefaultSkip();
  if (scaleSkip) names = names.filter((n) => n !== 'scale');
  console.log(`Vigie benchmarks — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
  const results: Record<string, unknown> = {};
  if (scaleSkip) {
    console.log(`\n## scale: skipped — ${scaleSkip}`);
    results.scale = { skipped: scaleSkip };
  }
  for (const name of names) {
    try {
      results[name] = await all[name]();
    } catch (e) {
      console.error(`\n## ${name}: FAILED — ${e instanceof Error ? e.stack : String(e)}`);
      results[name] = { error: String(e) };
      process.exitCode = 1;
    }
  }
  const out = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
}

void main();
