#!/usr/bin/env node
// Prints the closing line "N passed, N failed[, N skipped]" from the real reporters' JSON
// (vitest and Playwright) and exits non-zero when anything failed or nothing ran.
import { existsSync, readFileSync } from 'node:fs';

const files = { vitest: 'test-results/vitest.json', playwright: 'test-results/playwright.json' };
const extraFailures = Number(process.env.VIGIE_EXTRA_FAILURES ?? 0);
let passed = 0;
let failed = extraFailures;
let skipped = 0;
const notes = [];

if (existsSync(files.vitest)) {
  const v = JSON.parse(readFileSync(files.vitest, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  // A file that failed to load has no tests but must still count as a failure.
  const brokenFiles = (v.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0);
  failed += brokenFiles.length;
  for (const r of brokenFiles) notes.push(`vitest: ${r.name} failed to run: ${String(r.message ?? '').split('\n')[0]}`);
} else if (process.env.VIGIE_EXPECT_VITEST !== '0') {
  failed += 1;
  notes.push(`vitest: no results (${files.vitest} missing)`);
}

if (existsSync(files.playwright)) {
  const p = JSON.parse(readFileSync(files.playwright, 'utf8'));
  const s = p.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  for (const e of p.errors ?? []) {
    failed += 1;
    notes.push(`playwright: ${String(e.message ?? '').split('\n')[0]}`);
  }
} else if (process.env.VIGIE_EXPECT_PLAYWRIGHT !== '0') {
  failed += 1;
  notes.push(`playwright: no results (${files.playwright} missing)`);
}

for (const n of notes) console.log(n);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
