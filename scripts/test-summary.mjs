#!/usr/bin/env node
// Prints the closing line "N passed, N failed[, N skipped]" from the real reporters' JSON
// (vitest and Playwright) and exits non-zero when anything failed or nothing ran.
import { existsSync, readFileSync } from 'node:fs';

const files = { vitest: 'test-results/vitest.json', playwright: 'test-results/playwright.json' };
const postgresFile = 'test-results/vitest-postgres.json';
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

/** Every failed test of a vitest JSON report, by file and full name, with its first error line. */
function vitestFailures(report, label, withBrokenFiles) {
  const out = [];
  for (const r of report.testResults ?? []) {
    if (withBrokenFiles && r.status === 'failed' && (r.assertionResults ?? []).length === 0) {
      out.push(`${label}: ${relative(r.name)} failed to run: ${String(r.message ?? '').split('\n')[0].slice(0, 200)}`);
    }
    for (const a of r.assertionResults ?? []) {
      if (a.status !== 'failed') continue;
      const why = plain((a.failureMessages ?? [])[0]).split('\n')[0].slice(0, 200);
      out.push(`${label}: ${relative(r.name)} › ${a.fullName ?? a.title} — ${why}`);
    }
  }
  return out;
}
/** Every failed Playwright test, walking its suites. */
function playwrightFailures(report) {
  const out = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const last = (t.results ?? []).at(-1);
        const why = plain(last?.error?.message).split('\n')[0].slice(0, 200);
        out.push(`playwright: ${spec.file}:${spec.line} › ${spec.title} — ${why}`);
      }
    }
    for (const s of suite.suites ?? []) walk(s);
  };
  for (const s of report.suites ?? []) walk(s);
  return out;
}
// Reporters colour their messages; a CI log shows the codes as text.
const plain = (text) => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
const relative = (name) => String(name ?? '').replace(process.cwd() + '/', '');

// The failures are named just above the closing line, where a CI log's tail shows them.
const failures = [];
if (existsSync(files.vitest)) failures.push(...vitestFailures(JSON.parse(readFileSync(files.vitest, 'utf8')), 'vitest', false));
if (existsSync(postgresFile)) failures.push(...vitestFailures(JSON.parse(readFileSync(postgresFile, 'utf8')), 'vitest (PostgreSQL)', true));
if (existsSync(files.playwright)) failures.push(...playwrightFailures(JSON.parse(readFileSync(files.playwright, 'utf8'))));
if (failures.length > 0) console.log(`Échecs (${failures.length}) :`);
for (const f of failures) console.log(`  ${f}`);
for (const n of String(process.env.VIGIE_EXTRA_NOTES ?? '').split('\n').filter(Boolean)) notes.push(n);
for (const n of notes) console.log(n);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
