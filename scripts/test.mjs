#!/usr/bin/env node
// npm test: every test, real processes. Typecheck, unit + integration (vitest), then the renderer is
// built and the end-to-end tests run in Debian's Chromium (Playwright). Ends with the line
// "N passed, N failed" computed from both reporters' JSON.
//   --unit-only   vitest only        --e2e-only   build + Playwright only
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const runUnit = !args.has('--e2e-only');
const runE2e = !args.has('--unit-only');
const bin = (name) => `node_modules/.bin/${name}`;
const run = (cmd, cmdArgs, env = {}) =>
  spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

mkdirSync('test-results', { recursive: true });
rmSync('test-results/vitest.json', { force: true });
rmSync('test-results/playwright.json', { force: true });
let extraFailures = 0;

if (runUnit) {
  // Strict TypeScript on every side is part of the suite: a type error fails the run.
  if (run('npm', ['run', '--silent', 'typecheck']) !== 0) {
    console.error('Le contrôle de types TypeScript a échoué.');
    extraFailures++;
  }
  run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
}

if (runE2e) {
  const chromium = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(`Chromium introuvable (${chromium}) : installez le paquet Debian « chromium » (voir .ci/run).`);
    extraFailures++;
  } else if (run(bin('electron-vite'), ['build']) !== 0) {
    console.error('La construction du renderer a échoué : tests de bout en bout non lancés.');
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
    VIGIE_EXPECT_VITEST: runUnit ? '1' : '0',
    VIGIE_EXPECT_PLAYWRIGHT: runE2e && extraFailures === 0 ? '1' : '0',
  },
});
process.exit(summary.status ?? 1);
