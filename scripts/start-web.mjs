#!/usr/bin/env node
// npm run start:web: the same app in a browser. Builds the renderer, starts the demo sync
// server (HTTPS, with the self-signed certificate of .vigie-data/tls/, made once) and the web
// host on 127.0.0.1 (pinning that certificate), prints the address to open and the demo logins.
// Ctrl-C stops both children (by PID).
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import {
  DATA_DIR,
  REPO_ROOT,
  WEB_HOST_READY,
  bin,
  ensureDemoCertificate,
  loadFr,
  run,
  startDemoSyncServer,
  startWithReadyLine,
  stopChild,
} from './launch-lib.mjs';

const SERVER_PORT = Number(process.env.VIGIE_SYNC_PORT ?? 4100);
const WEB_PORT = Number(process.env.VIGIE_WEB_PORT ?? 4180);
const fr = await loadFr();
const { DEMO_USERS, DEMO_PASSWORD } = await tsImport(join(REPO_ROOT, 'sync-server', 'src', 'demo.ts'), import.meta.url);

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
let web;
try {
  web = await startWithReadyLine(
    process.execPath,
    [
      '--import',
      'tsx',
      'main/webhost/cli.ts',
      '--server',
      server.value,
      '--server-cert-sha256',
      certificate.fingerprint,
      '--data',
      join(DATA_DIR, 'web-client'),
      '--port',
      String(WEB_PORT),
      '--renderer',
      join(REPO_ROOT, 'out', 'renderer'),
    ],
    { marker: WEB_HOST_READY, label: 'web host' },
  );
} catch (err) {
  console.error(String(err instanceof Error ? err.message : err));
  await stopChild(server.child);
  process.exit(1);
}

console.log(fr.launcher.webReady(web.value));
console.log(fr.launcher.demoLogins(DEMO_USERS.map((u) => u.username).join(', '), DEMO_PASSWORD));
console.log(fr.launcher.stopHint);

let stopping = false;
let server_ = server;
const stopAll = async (code) => {
  if (stopping) return;
  stopping = true;
  await stopChild(web.child);
  await stopChild(server_.child);
  process.exit(code);
};
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

// The web host is the workstation: without it there is nothing to show, so everything stops.
web.child.on('exit', (code) => {
  if (stopping) return;
  console.error(fr.launcher.childFailed(fr.launcher.webHostName, String(code)));
  void stopAll(1);
});

// The sync server is the network: when it stops, the workstation keeps serving and works
// offline (messages wait in its outbox); Entrée starts it again on the same port and
// database, and the web host reconnects by itself.
let restarting = false;
const watchServer = (child) =>
  child.on('exit', (code) => {
    if (stopping) return;
    console.error(fr.launcher.childFailed(fr.launcher.syncServerName, String(code)));
    console.error(fr.launcher.serverGone);
  });
watchServer(server.child);
process.stdin.on('data', async () => {
  if (stopping || restarting || (server_.child.exitCode === null && server_.child.signalCode === null)) return;
  restarting = true;
  try {
    console.log(fr.launcher.serverStarting);
    server_ = await startDemoSyncServer(SERVER_PORT, certificate);
    watchServer(server_.child);
    console.log(fr.launcher.serverBack);
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    console.error(fr.launcher.serverGone);
  } finally {
    restarting = false;
  }
});
