#!/usr/bin/env node
// npm test: every test, real processes. Typecheck, unit + integration (vitest), then the renderer is
// built and the end-to-end tests run in Debian's Chromium (Playwright). Ends with the line
// "N passed, N failed" computed from both reporters' JSON.
//   --unit-only   vitest only        --e2e-only   build + Playwright only
//   --postgres-only   the server suites on PostgreSQL only
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
/**
 * The PostgreSQL pass runs every server suite and every integration suite again with
 * `VIGIE_TEST_STORE=postgres` (the test servers and the integration harness then open a
 * PostgreSQL database: `sync-server/src/testing/stores.ts`, `tests/integration/harness.ts`),
 * except the files below, which test SQLite itself whatever the pass (docs/design.md,
 * "PostgreSQL store"); each with its reason.
 */
const POSTGRES_SUITES = ['sync-server/src', 'tests/integration'];
const POSTGRES_EXCLUDED = [
  // The SQLite schema's own steps (PostgreSQL's are `store/pg/migrations`, tested by `store/pg/pgStore.test.ts`).
  'sync-server/src/**/migrations/**',
  // The SQLite store, its change writer and migration runner; `store/pg/*.test.ts` runs the contract on both stores in the main pass.
  'sync-server/src/store/**',
  // The bed board's SQLite store part opened directly.
  'sync-server/src/beds/store.test.ts',
  // The CLI over SQLite files (backup, --verify-audit, tampering with the file); its PostgreSQL side: `store/pg/cli.test.ts`.
  'sync-server/src/cli.test.ts',
  // The packaged server restarted over its SQLite file, read with better-sqlite3 between runs.
  'tests/integration/operationRestart.test.ts',
  // A SQLite backup and restore of the server's file (PostgreSQL's: pg_dump, docs/operations.md).
  'tests/integration/serverRestore.test.ts',
  // A release-0.1.0 SQLite server file upgraded in place.
  'tests/integration/upgrade.test.ts',
  // No server store in them: the packaged build, the protocol document, the web host start-up, TLS.
  'tests/integration/packaging.test.ts',
  'tests/integration/protocolDoc.test.ts',
  'tests/integration/startWeb.test.ts',
  'tests/integration/tls.test.ts',
  // They start their own PostgreSQL (and Redis, HAProxy) whatever the pass, and run in the main pass already.
  'tests/integration/cluster.test.ts',
  'tests/integration/faults.test.ts',
  'tests/integration/opsDrain.test.ts',
  'tests/integration/pgRestore.test.ts',
  'sync-server/src/auth/rateLimitRedis.test.ts',
  'sync-server/src/sync/redisBus.test.ts',
  'sync-server/src/testing/**',
  // The SQLite file's online copy (`--backup`; PostgreSQL's is pg_dump).
  'sync-server/src/ops/backup.test.ts',
  // Its PostgreSQL run is the two-node variant in the same file (VIGIE_CONVERGENCE_CLUSTER=1).
  'tests/integration/convergence.test.ts',
];
const postgresOnly = args.has('--postgres-only');
const runUnit = !args.has('--e2e-only') && !postgresOnly;
const runE2e = !args.has('--unit-only') && !postgresOnly;
const bin = (name) => `node_modules/.bin/${name}`;
const run = (cmd, cmdArgs, env = {}) =>
  spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

mkdirSync('test-results', { recursive: true });
rmSync('test-results/vitest.json', { force: true });
rmSync('test-results/playwright.json', { force: true });
rmSync('test-results/vitest-postgres.json', { force: true });
let extraFailures = 0;
/** Why a failure counted outside the reporters (typecheck, build, a missing browser): repeated above the closing line. */
const extraNotes = [];

if (runUnit) {
  // Strict TypeScript on every side is part of the suite: a type error fails the run.
  if (run('npm', ['run', '--silent', 'typecheck']) !== 0) {
    console.error('Le contrôle de types TypeScript a échoué.');
    extraNotes.push('typecheck: le contrôle de types TypeScript a échoué (npm run typecheck)');
    extraFailures++;
  }
  run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
  extraFailures += postgresPass();
}
if (postgresOnly) extraFailures += postgresPass();

/**
 * The server suites again on the PostgreSQL store (VIGIE_TEST_STORE=postgres: one cluster for
 * the pass, a new database per test). Its failures count in the closing line; its passes are
 * printed on a line of their own. Skipped, with the reason, where PostgreSQL is absent.
 */
function postgresPass() {
  const pgBin = process.env.VIGIE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  if (!existsSync(`${pgBin}/initdb`)) {
    console.error(`PostgreSQL 15 introuvable (${pgBin}) : passe PostgreSQL non lancée (paquet Debian « postgresql », voir .ci/run).`);
    return 0;
  }
  const out = 'test-results/vitest-postgres.json';
  rmSync(out, { force: true });
  const excluded = POSTGRES_EXCLUDED.flatMap((glob) => ['--exclude', glob]);
  // Longer budgets than the main pass: a PostgreSQL round trip is a network one, and the demo is seeded once per cluster.
  const budgets = ['--testTimeout=300000', '--hookTimeout=300000'];
  run(bin('vitest'), ['run', ...POSTGRES_SUITES, ...excluded, ...budgets, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], { VIGIE_TEST_STORE: 'postgres', VIGIE_TEST_PG_DEMO: '1' });
  if (!existsSync(out)) {
    console.error('Passe PostgreSQL : aucun résultat.');
    extraNotes.push('vitest (PostgreSQL): aucun résultat');
    return 1;
  }
  const v = JSON.parse(readFileSync(out, 'utf8'));
  const failed = (v.numFailedTests ?? 0) + (v.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
  console.log(`Passe PostgreSQL : ${v.numPassedTests ?? 0} passed, ${failed} failed`);
  return failed;
}

if (runE2e) {
  const chromium = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(`Chromium introuvable (${chromium}) : installez le paquet Debian « chromium » (voir .ci/run).`);
    extraNotes.push(`playwright: Chromium introuvable (${chromium})`);
    extraFailures++;
  } else if (run(bin('electron-vite'), ['build']) !== 0) {
    console.error('La construction du renderer a échoué : tests de bout en bout non lancés.');
    extraNotes.push('build: electron-vite build a échoué, tests de bout en bout non lancés');
    extraFailures++;
  } else {
    run(bin('playwright'), ['test']);
  }
}

const summary = spawnSync(process.execPath, ['scripts/test-summary.mjs'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    VIGIE_EXTRA_FAILURES: String(extraFailures),
    VIGIE_EXTRA_NOTES: extraNotes.join('\n'),
    VIGIE_EXPECT_VITEST: runUnit ? '1' : '0',
    VIGIE_EXPECT_PLAYWRIGHT: runE2e && extraFailures === 0 ? '1' : '0',
  },
});
process.exit(summary.status ?? 1);
