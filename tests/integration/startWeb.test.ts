/**
 * `npm run start:web` as a person tries offline work with it: the launcher (its real script,
 * real children) keeps the workstation served when the sync server dies, says so, and starts
 * the server again on Entrée; Ctrl-C (SIGTERM here) stops what it started. The sync server
 * speaks HTTPS with the self-signed certificate the launcher made once in the data folder.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fr } from '../../common/i18n/fr';
import { openServerTransport } from '../../main/sync/transport';
import { tempDir } from './harness';

const REPO = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

let launcher: ChildProcessWithoutNullStreams | null = null;
const tmp = tempDir('start-web');
afterAll(() => {
  if (launcher && launcher.exitCode === null) launcher.kill('SIGKILL');
  tmp.cleanup();
});

it('keeps serving the workstation when the sync server stops, says so, and starts it again on Entrée', { timeout: 180_000 }, async () => {
  const [syncPort, webPort] = [await freePort(), await freePort()];
  launcher = spawn(process.execPath, [join(REPO, 'scripts', 'start-web.mjs')], {
    cwd: REPO,
    env: { ...process.env, VIGIE_DATA_DIR: tmp.dir, VIGIE_SYNC_PORT: String(syncPort), VIGIE_WEB_PORT: String(webPort) },
  });
  let out = '';
  launcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
  launcher.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const until = async (what: string | RegExp, ms = 120_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (typeof what === 'string' ? out.includes(what) : what.test(out)) return;
      if (launcher?.exitCode !== null) throw new Error(`launcher exited (${launcher?.exitCode}):\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`waited for « ${String(what)} »:\n${out}`);
  };

  await until(/Vigie est prête : ouvrez (\S+)/);
  const url = /Vigie est prête : ouvrez (\S+)/.exec(out)?.[1] ?? '';
  expect((await fetch(url)).status).toBe(200);
  // The certificate made once for the demo: key readable by its owner only, fingerprint told.
  const certFile = join(tmp.dir, 'tls', 'server.crt');
  const fingerprint = new X509Certificate(readFileSync(certFile)).fingerprint256;
  expect(out).toContain(fr.launcher.certificateCreated(certFile, fingerprint));
  expect(statSync(join(tmp.dir, 'tls', 'server.key')).mode & 0o777).toBe(0o600);
  const sync = openServerTransport({ url: `https://127.0.0.1:${syncPort}`, certFingerprint: fingerprint });
  const health = () => sync.request('/api/health', { method: 'GET', timeoutMs: 5_000 }).then((r) => r.status);
  expect(await health()).toBe(200);

  // The sync server dies (its own PID, found by its command line).
  const pid = Number(execFileSync('pgrep', ['-f', '--', `sync-server/src/cli.ts --port ${syncPort}`]).toString().trim().split('\n')[0]);
  expect(pid).toBeGreaterThan(0);
  process.kill(pid, 'SIGKILL');
  await until(fr.launcher.serverGone.slice(0, 30));
  // The workstation is still served: offline work can be tried.
  expect((await fetch(url)).status).toBe(200);
  await expect(health()).rejects.toThrow();

  // Entrée: the same server again, same port and database.
  launcher.stdin.write('\n');
  await until(fr.launcher.serverBack);
  expect(await health()).toBe(200);
  expect((await fetch(url)).status).toBe(200);

  // Stopping the launcher stops both children.
  const exited = new Promise<number | null>((r) => launcher?.once('exit', (code) => r(code)));
  launcher.kill('SIGTERM');
  expect(await exited).toBe(0);
  await expect(fetch(url)).rejects.toThrow();
  await expect(health()).rejects.toThrow();
});
