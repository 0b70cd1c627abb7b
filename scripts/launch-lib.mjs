// Helpers shared by the launchers (npm start, npm run start:web): the French strings of
// common/i18n/fr.ts, child processes that print a ready line, stopping them by PID, and the
// demo server's self-signed certificate.
import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = (name) => join(REPO_ROOT, 'node_modules', '.bin', name);

/** The user-facing French strings, from the one place they live. */
export async function loadFr() {
  const mod = await tsImport(join(REPO_ROOT, 'common', 'i18n', 'fr.ts'), import.meta.url);
  return mod.fr;
}

/**
 * Starts a child that prints `<marker> <value>` on stdout once ready; resolves with the
 * child and the value. Rejects if the child exits first or nothing comes in time.
 */
export function startWithReadyLine(command, args, { marker, env = {}, timeoutMs = 60_000, label }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      stopChild(child);
      reject(new Error(`${label}: no ready line after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      if (done) return;
      buffer += chunk;
      const line = buffer.split('\n').find((l) => l.startsWith(`${marker} `));
      if (line) {
        done = true;
        clearTimeout(timer);
        resolve({ child, value: line.slice(marker.length + 1).trim() });
      }
    });
    child.on('exit', (code, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`${label} exited before it was ready (${code ?? signal})`));
    });
  });
}

/** Stops a child by its PID (SIGTERM, then SIGKILL after a grace period). */
export function stopChild(child, graceMs = 5_000) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** Runs a command to completion with inherited output; resolves with its exit code. */
export function run(command, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit', ...opts });
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export const SYNC_SERVER_READY = 'VIGIE_SYNC_SERVER_READY';
export const WEB_HOST_READY = 'VIGIE_WEB_HOST_READY';

/** Where the launchers keep their demo data: .vigie-data/, or VIGIE_DATA_DIR (tests). */
export const DATA_DIR = process.env.VIGIE_DATA_DIR ?? join(REPO_ROOT, '.vigie-data');

/** A certificate with less than this left is made again. */
const CERT_RENEW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The demo server's TLS certificate: self-signed for localhost, 127.0.0.1 and ::1, made once
 * in `<data folder>/tls/` (key 0600, folder 0700) and kept while it has more than 30 days
 * left, so the fingerprint a workstation pinned stays the same from run to run. Made by
 * Debian's `openssl` (node's crypto cannot write an X.509 certificate; the OpenSSL command is
 * on every server and developer machine, where an npm generator would be one more
 * dependency to trust). Returns the files and the SHA-256 fingerprint to pin.
 */
export function ensureDemoCertificate(fr, dir = join(DATA_DIR, 'tls')) {
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  const current = () => {
    try {
      const x509 = new X509Certificate(readFileSync(cert));
      if (!existsSync(key) || new Date(x509.validTo).getTime() - Date.now() < CERT_RENEW_MS) return null;
      return { cert, key, fingerprint: x509.fingerprint256 };
    } catch {
      return null;
    }
  };
  const kept = current();
  if (kept) return kept;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const [certTmp, keyTmp] = [`${cert}.tmp`, `${key}.tmp`];
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyTmp, '-out', certTmp, '-days', '825', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
        '-addext', 'keyUsage=critical,digitalSignature',
        '-addext', 'extendedKeyUsage=serverAuth',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    chmodSync(keyTmp, 0o600);
    renameSync(keyTmp, key);
    renameSync(certTmp, cert);
  } catch (err) {
    rmSync(certTmp, { force: true });
    rmSync(keyTmp, { force: true });
    const detail = err && typeof err === 'object' && 'code' in err && err.code === 'ENOENT' ? 'openssl introuvable' : String(err?.stderr ?? err?.message ?? err).trim().split('\n')[0];
    throw new Error(fr.launcher.certificateFailed(detail));
  }
  const made = current();
  if (!made) throw new Error(fr.launcher.certificateFailed(cert));
  console.log(fr.launcher.certificateCreated(cert, made.fingerprint));
  return made;
}

/**
 * Starts the demo sync server on the embedded SQLite store in the data folder, over HTTPS
 * with `certificate` (from `ensureDemoCertificate`); `value` is its `https://` url.
 */
export function startDemoSyncServer(port, certificate) {
  return startWithReadyLine(
    process.execPath,
    [
      '--import', 'tsx', 'sync-server/src/cli.ts', '--port', String(port), '--host', '127.0.0.1',
      '--db', join(DATA_DIR, 'server.sqlite'), '--demo', '--log-format', 'pretty',
      '--tls-cert', certificate.cert, '--tls-key', certificate.key,
    ],
    { marker: SYNC_SERVER_READY, label: 'sync server' },
  );
}
