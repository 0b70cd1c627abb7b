#!/usr/bin/env node
// npm start: the desktop app with a local demo sync server.
//  1. Electron's binary: present, or fetched once (node node_modules/electron/install.js);
//     if it cannot be, one French line pointing to `npm run start:web`, exit 1.
//  2. better-sqlite3-multiple-ciphers (the encrypted cache) for Electron in .native/
//     (node_modules' Node build is left alone).
//  3. electron-vite build.
//  4. The demo TLS certificate (.vigie-data/tls/, self-signed, made once with openssl), the
//     sync server CLI with --demo on .vigie-data/server.sqlite over HTTPS, then Electron with
//     VIGIE_SERVER_URL and the certificate's pin in VIGIE_SERVER_CERT_SHA256; the server is
//     stopped (by PID) when Electron exits.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureElectronSqlite } from './native.mjs';
import { REPO_ROOT, bin, ensureDemoCertificate, loadFr, run, startDemoSyncServer, stopChild } from './launch-lib.mjs';

const SERVER_PORT = Number(process.env.VIGIE_SYNC_PORT ?? 4100);
const fr = await loadFr();
const requireHere = createRequire(import.meta.url);

/** The Electron executable, or null when its binary is not installed. */
function electronBinary() {
  try {
    // The electron package exports the path of its binary (and throws when it is missing).
    delete requireHere.cache[requireHere.resolve('electron')];
    const path = requireHere('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

let electronPath = electronBinary();
if (!electronPath) {
  await run(process.execPath, [join(REPO_ROOT, 'node_modules', 'electron', 'install.js')], { stdio: 'ignore' });
  electronPath = electronBinary();
}
if (!electronPath) {
  console.error(fr.launcher.electronMissing);
  process.exit(1);
}

try {
  ensureElectronSqlite();
} catch (err) {
  console.error(fr.launcher.nativeFailed(err instanceof Error ? err.message : String(err)));
  process.exit(1);
}

console.log(fr.launcher.building);
if ((await run(bin('electron-vite'), ['build'])) !== 0) process.exit(1);

let certificate;
try {
  certificate = ensureDemoCertificate(fr);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
console.log(fr.launcher.serverStarting);
const server = await startDemoSyncServer(SERVER_PORT, certificate);

const electron = spawn(electronPath, ['.'], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: { ...process.env, VIGIE_SERVER_URL: server.value, VIGIE_SERVER_CERT_SHA256: certificate.fingerprint },
});
const stopAll = async () => {
  await stopChild(electron);
  await stopChild(server.child);
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(143)));
server.child.on('exit', (code) => {
  if (electron.exitCode === null) console.error(fr.launcher.childFailed(fr.launcher.syncServerName, String(code)));
});
electron.on('exit', (code) => {
  void stopChild(server.child).then(() => process.exit(code ?? 0));
});
