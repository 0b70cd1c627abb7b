/**
 * The command line on the PostgreSQL store: `--db postgres://…` is taken as a url (not a
 * file path), the store is migrated on first use, and the url's password never reaches the
 * messages. Skips, with the reason, where PostgreSQL is absent.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../app';
import { territories } from '../../testing/fixtures';
import { stopTestPostgres, storeUnavailable, testDb } from '../../testing/stores';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(ROOT, 'sync-server/src/cli.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

afterAll(stopTestPostgres);

const why = storeUnavailable('postgres');
if (why) console.warn(`CLI on PostgreSQL skipped: ${why}`);

describe.skipIf(why !== null)('the command line with --db postgres://', () => {
  it('gives a new epoch to a PostgreSQL database and never prints the url\'s password', async () => {
    const { db } = await testDb('postgres');
    const withPassword = new URL(db);
    withPassword.password = 'secret-pw';
    const out = await run(['--db', withPassword.toString(), '--new-epoch']);
    expect(out.stderr).not.toContain('secret-pw');
    expect(out.code).toBe(0);
    const epoch = out.stdout.trim();
    expect(epoch).toMatch(/^[0-9a-f-]{36}$/);
    const store = openStore(db, territories());
    try {
      expect(await store.epoch()).toBe(epoch);
    } finally {
      await store.close();
    }
  }, 60_000);
});
