/**
 * `--backup`: the real command line copies a running server's SQLite database into a new
 * file that opens as a complete store; it never overwrites a file and sends PostgreSQL to
 * pg_dump (exit 2, a French line).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openServerStore } from '../app';
import { openEvent, tempDir, territories } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';

const ROOT = resolve(__dirname, '..', '..', '..');

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'sync-server', 'src', 'cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('exit', (code) => done({ code, out, err }));
  });
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('--backup', () => {
  it.skipIf(process.env.VIGIE_TEST_STORE === 'postgres')('copies the running server’s SQLite database into a new file that opens as the same store; refuses to overwrite and refuses PostgreSQL', async () => {
    const server: TestServer = await startTestServer();
    cleanups.push(() => server.stop());
    const t = tempDir();
    cleanups.push(t.cleanup);
    await server.user('samu75', 'samu:75');
    const user = await server.app.store.findUserByUsername('samu75');
    if (!user) throw new Error('no user');
    const pushed = await server.app.pushAs(user.id, { clientId: 'backup-client', mutations: [openEvent('backup-client', 1, 'D:75', randomUUID())] });
    expect('data' in pushed && pushed.data.results[0].status).toBe('applied');
    const head = await server.app.store.latestVersion();

    const to = join(t.dir, 'server-backup.sqlite');
    const made = await cli(['--db', server.db, '--backup', to]);
    expect(made.code).toBe(0);
    expect(made.out.trim()).toBe(to);
    expect(made.err).toMatch(/^Sauvegarde écrite dans .* pages\)\. Après une restauration, lancez --new-epoch\.\n$/);
    const copy = openServerStore(to, territories());
    try {
      expect(await copy.latestVersion()).toBe(head);
      expect(await copy.lastMutationId('backup-client')).toBe(1);
      expect(await copy.epoch()).toBe(await server.app.store.epoch());
    } finally {
      await copy.close();
    }

    const again = await cli(['--db', server.db, '--backup', to]);
    expect(again.code).toBe(2);
    expect(again.err).toBe(`${to} existe déjà : la sauvegarde ne remplace pas un fichier, choisissez un autre nom.\n`);
    const pg = await cli(['--db', 'postgres://vigie@127.0.0.1:1/vigie', '--backup', join(t.dir, 'pg.sqlite')]);
    expect(pg.code).toBe(2);
    expect(pg.err).toContain('pg_dump');
    expect(existsSync(join(t.dir, 'pg.sqlite'))).toBe(false);
  }, 90_000);
});
