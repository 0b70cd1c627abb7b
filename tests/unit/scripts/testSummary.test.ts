import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// The closing line of `npm test` is what CI reads; the failures named above it are what a person
// reads in the log's tail. The script runs for real over reporter files written here.
const script = resolve(__dirname, '../../../scripts/test-summary.mjs');
let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function run(files: Record<string, unknown>, env: Record<string, string> = {}) {
  dir = mkdtempSync(join(tmpdir(), 'vigie-summary-'));
  mkdirSync(join(dir, 'test-results'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'test-results', name), JSON.stringify(body));
  const r = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, lines: r.stdout.trim().split('\n') };
}

const vitest = (cwd: string, failures: number) => ({
  numPassedTests: 3,
  numFailedTests: failures,
  numPendingTests: 1,
  testResults: [
    {
      name: `${cwd}/tests/a.test.ts`,
      status: failures ? 'failed' : 'passed',
      assertionResults: [
        { status: 'passed', fullName: 'a works' },
        ...Array.from({ length: failures }, (_, i) => ({
          status: 'failed',
          fullName: `a breaks ${i}`,
          failureMessages: [`\u001b[31mAssertionError: expected ${i}\u001b[39m\n    at stack`],
        })),
      ],
    },
  ],
});
const playwright = (unexpected: number) => ({
  stats: { expected: 2, unexpected, skipped: 0, flaky: 0 },
  suites: [
    {
      suites: [
        {
          specs: [
            {
              file: 'beds.spec.ts',
              line: 12,
              title: 'the map turns green',
              tests: Array.from({ length: unexpected }, () => ({ status: 'unexpected', results: [{ error: { message: 'Timeout 5000ms' } }] })),
            },
          ],
        },
      ],
    },
  ],
});

describe('scripts/test-summary.mjs', () => {
  it('ends with the counts of both reporters and exits 0 when nothing failed', () => {
    const r = run({ 'vitest.json': vitest('/x', 0), 'playwright.json': playwright(0) });
    expect(r.lines.at(-1)).toBe('5 passed, 0 failed, 1 skipped');
    expect(r.lines.some((l) => l.startsWith('Échecs'))).toBe(false);
    expect(r.status).toBe(0);
  });

  it('names every failed test, without colour codes, just above the closing line', () => {
    const r = run({ 'vitest.json': vitest('/x', 2), 'playwright.json': playwright(1) });
    expect(r.lines.at(-1)).toBe('5 passed, 3 failed, 1 skipped');
    expect(r.lines).toContain('Échecs (3) :');
    expect(r.lines.some((l) => l.includes('a breaks 1 — AssertionError: expected 1') && !l.includes('\u001b'))).toBe(true);
    expect(r.lines.some((l) => l.includes('playwright: beds.spec.ts:12 › the map turns green — Timeout 5000ms'))).toBe(true);
    expect(r.status).toBe(1);
  });

  it('names the PostgreSQL pass failures and the reasons counted outside the reporters', () => {
    const pg = vitest('/x', 1);
    pg.testResults.push({ name: '/x/tests/broken.test.ts', status: 'failed', assertionResults: [], message: 'Cannot find module' } as never);
    const r = run(
      { 'vitest.json': vitest('/x', 0), 'playwright.json': playwright(0), 'vitest-postgres.json': pg },
      { VIGIE_EXTRA_FAILURES: '3', VIGIE_EXTRA_NOTES: 'typecheck: le contrôle de types a échoué' },
    );
    expect(r.lines).toContain('typecheck: le contrôle de types a échoué');
    expect(r.lines.some((l) => l.startsWith('  vitest (PostgreSQL): ') && l.includes('a breaks 0'))).toBe(true);
    expect(r.lines.some((l) => l.includes('broken.test.ts failed to run: Cannot find module'))).toBe(true);
    expect(r.lines.at(-1)).toBe('5 passed, 3 failed, 1 skipped');
    expect(r.status).toBe(1);
  });

  it('counts a missing report as a failure rather than a pass', () => {
    const r = run({ 'playwright.json': playwright(0) });
    expect(r.lines).toContain('vitest: no results (test-results/vitest.json missing)');
    expect(r.lines.at(-1)).toBe('2 passed, 1 failed');
    expect(r.status).toBe(1);
  });
});
