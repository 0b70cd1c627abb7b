/**
 * A sync server restored from an older backup: a workstation whose cache outlived the
 * restore rebuilds it (server rows dropped, cursor 0, outbox kept) and ends with exactly the
 * server's picture, and a mutation written offline reaches the restored server exactly once,
 * even when the server forgot mutations of this workstation it had acknowledged. Real server
 * processes over the same SQLite file (replaced by its backup), the real `--new-epoch`
 * command, real workstation caches.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { mainBoards } from '../../main/boards';
import { fr } from '../../common/i18n/fr';
import { syncWire } from '../../common/protocol';
import { loginClient, openClient, rawClient, serverDb, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const post = async (c: TestClient, territory: string, body: string): Promise<string> => {
  const receipt = await c.call('messages.post', { eventId: DEMO_IDS.event, territory, kind: 'information', priority: 'info', body });
  if (!receipt.id) throw new Error('no message id');
  return receipt.id;
};
const bodies = async (c: TestClient): Promise<string[]> => (await c.call('messages.list', { eventId: DEMO_IDS.event })).map((m) => m.body);

/** A consistent copy of the server's database while it runs (SQLite's online backup), as an operator's nightly backup. */
async function backup(dbPath: string, to: string): Promise<void> {
  const src = new Database(dbPath, { readonly: true });
  try {
    await src.backup(to);
  } finally {
    src.close();
  }
}

/** The operator's restore: the server stopped, its file (and WAL) replaced by the backup. */
function restore(from: string, dbPath: string): void {
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  copyFileSync(from, dbPath);
}

/** Runs the real command line: `--new-epoch` on the restored file. */
function newEpoch(dbPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['sync-server/src/cli.ts', '--db', dbPath, '--new-epoch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`--new-epoch exited ${code}: ${err}`))));
  });
}

/** Every row version a user may see, by entity, as a raw protocol client pulling from 0 gets them. */
async function serverPicture(url: string, username: string): Promise<Record<string, number[]>> {
  const { socket } = await rawClient(url, username, `check-${username}-picture`);
  const picture: Record<string, number[]> = {};
  try {
    let cursor = 0;
    for (let more = true; more; ) {
      const r = await socket.emitWithAck(syncWire.pull, { cursor, limit: 5_000 });
      if ('error' in r) throw new Error(r.error.message);
      for (const c of r.data.changes) (picture[c.entity] ??= []).push(c.version);
      cursor = r.data.cursor;
      more = r.data.more;
    }
  } finally {
    socket.close();
  }
  for (const list of Object.values(picture)) list.sort((a, b) => a - b);
  return picture;
}

/** The workstation's pull cursor, read from its cache file. */
function cacheCursor(dataDir: string): number {
  const files = readdirSync(join(dataDir, 'caches')).filter((f) => f.endsWith('.sqlite'));
  const db = new Database(join(dataDir, 'caches', files[0]), { readonly: true });
  try {
    return Number((db.prepare(`SELECT value FROM meta WHERE key = 'cursor'`).get() as { value: string } | undefined)?.value ?? 0);
  } finally {
    db.close();
  }
}

/** Waits until the workstation has pulled up to the server's head (a poke shows rows before the cursor moves). */
async function pulledToHead(dataDir: string, server: TestServer): Promise<number> {
  const head = await server.app.store.latestVersion();
  await waitFor(() => cacheCursor(dataDir) >= head, 'the workstation to pull up to the head');
  return head;
}

/** Every server row version the workstation's cache holds, by entity (each registered cache entity's table). */
function cachePicture(dataDir: string): Record<string, number[]> {
  const files = readdirSync(join(dataDir, 'caches')).filter((f) => f.endsWith('.sqlite'));
  expect(files).toHaveLength(1);
  const db = new Database(join(dataDir, 'caches', files[0]), { readonly: true });
  const picture: Record<string, number[]> = {};
  try {
    for (const e of mainBoards.flatMap((b) => b.entities)) {
      const versions = (db.prepare(`SELECT version FROM ${e.table} ORDER BY version`).all() as Array<{ version: number }>).map((r) => r.version);
      if (versions.length > 0) picture[e.entity.name] = versions;
    }
    const overlay = mainBoards.flatMap((b) => b.entities).reduce((n, e) => n + (db.prepare(`SELECT count(*) AS n FROM ${e.overlay}`).get() as { n: number }).n, 0);
    expect(overlay).toBe(0);
  } finally {
    db.close();
  }
  return picture;
}

describe('a server restored from an older backup', () => {
  it('with --new-epoch: the workstation rebuilds, ends with exactly the server’s picture, and its offline write is applied once though the server forgot its earlier ones', async () => {
    const tmp = tempDir('restore-epoch');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    let server: TestServer = await startServer({ dbPath });
    cleanup.push(() => server.close());
    const port = server.port;
    const samuDir = join(tmp.dir, 'samu75');
    let samu = await loginClient(samuDir, server.url, 'samu75');
    cleanup.push(() => samu.close());
    let ars = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf');
    await waitSynced(samu);
    await waitSynced(ars);
    await post(samu, 'D:75', 'SAMU avant la sauvegarde');
    await waitSynced(samu);
    await waitSynced(ars);

    const saved = join(tmp.dir, 'backup.sqlite');
    await backup(dbPath, saved);

    // After the backup, both write: the server acknowledges, then the restore loses it all.
    await post(samu, 'D:75', 'SAMU après la sauvegarde');
    await post(samu, 'D:75', 'SAMU après la sauvegarde, bis');
    const lostArs = 'ARS après la sauvegarde';
    await post(ars, 'R:11', lostArs);
    await waitSynced(ars);
    await waitSynced(samu);
    await waitFor(async () => (await bodies(samu)).includes(lostArs), 'the SAMU to see the ARS message');
    await pulledToHead(samuDir, server);
    await ars.close();
    await samu.close();
    await server.close();

    restore(saved, dbPath);
    const epoch = await newEpoch(dbPath);

    // The restored server runs a while (elsewhere) and goes past the SAMU's old cursor: a
    // cursor test alone would not see the restore, the epoch does.
    server = await startServer({ dbPath, seed: false });
    ars = await loginClient(join(tmp.dir, 'ars-idf-2'), server.url, 'ars-idf');
    await waitSynced(ars);
    const afterRestore: string[] = [];
    for (let i = 0; i < 8; i++) afterRestore.push(await post(ars, 'R:11', `ARS après la restauration ${i}`));
    await waitSynced(ars);
    await ars.close();
    await server.close();

    // The SAMU restarts without a server and writes offline.
    samu = openClient(samuDir, `http://127.0.0.1:${port}`);
    const offline = await post(samu, 'D:75', 'SAMU hors ligne après la restauration');

    server = await startServer({ dbPath, port, seed: false });
    expect(await server.app.store.epoch()).toBe(epoch);
    await waitSynced(samu, 30_000);
    await waitFor(async () => (await bodies(samu)).includes('ARS après la restauration 7'), 'the SAMU to see what was written after the restore');

    const status = await samu.call('sync.status', {});
    expect(status.detail).toBe(fr.sync.rebuilt);
    const sees = await bodies(samu);
    expect(sees).not.toContain(lostArs);
    expect(sees).toContain('SAMU avant la sauvegarde');
    expect(sees).toContain('SAMU hors ligne après la restauration');
    const db = serverDb(dbPath);
    try {
      expect(db.changeCount(offline)).toBe(1);
      for (const id of afterRestore) expect(db.changeCount(id)).toBe(1);
    } finally {
      db.close();
    }
    expect(cachePicture(samuDir)).toEqual(await serverPicture(server.url, 'samu75'));
  }, 120_000);

  it('without --new-epoch: a cursor beyond the restored head rebuilds too, and the offline write is applied once', async () => {
    const tmp = tempDir('restore-cursor');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    let server: TestServer = await startServer({ dbPath });
    cleanup.push(() => server.close());
    const port = server.port;
    const samuDir = join(tmp.dir, 'samu75');
    let samu = await loginClient(samuDir, server.url, 'samu75');
    cleanup.push(() => samu.close());
    let ars = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf');
    await waitSynced(samu);
    await waitSynced(ars);
    await post(samu, 'D:75', 'SAMU avant la sauvegarde');
    await waitSynced(samu);
    await waitSynced(ars);
    const saved = join(tmp.dir, 'backup.sqlite');
    await backup(dbPath, saved);
    const epochBefore = await server.app.store.epoch();

    // Only the ARS writes after the backup: the SAMU's ledger is intact, its cursor moves past the backup's head.
    const lost: string[] = [];
    for (let i = 0; i < 3; i++) {
      lost.push(`ARS après la sauvegarde ${i}`);
      await post(ars, 'R:11', lost[i]);
    }
    await waitSynced(ars);
    await waitFor(async () => (await bodies(samu)).includes(lost[2]), 'the SAMU to see the ARS messages');
    await waitSynced(samu);
    const oldCursor = await pulledToHead(samuDir, server);
    await ars.close();
    await samu.close();
    await server.close();

    restore(saved, dbPath);
    samu = openClient(samuDir, `http://127.0.0.1:${port}`);
    const offline = await post(samu, 'D:75', 'SAMU hors ligne après la restauration');
    server = await startServer({ dbPath, port, seed: false });
    expect(await server.app.store.epoch()).toBe(epochBefore);
    expect(await server.app.store.latestVersion()).toBeLessThan(oldCursor);
    await waitSynced(samu, 30_000);
    expect((await samu.call('sync.status', {})).detail).toBe(fr.sync.rebuilt);
    expect(await bodies(samu)).not.toEqual(expect.arrayContaining([lost[0]]));

    // Written after the rebuild, with versions the SAMU's old cursor had passed: it sees them.
    ars = await loginClient(join(tmp.dir, 'ars-idf-2'), server.url, 'ars-idf');
    cleanup.push(() => ars.close());
    await waitSynced(ars);
    await post(ars, 'R:11', 'ARS après la restauration');
    await waitSynced(ars);
    await waitFor(async () => (await bodies(samu)).includes('ARS après la restauration'), 'the SAMU to see what was written after the restore');
    await waitSynced(samu);
    const sees = await bodies(samu);
    for (const b of lost) expect(sees).not.toContain(b);
    const db = serverDb(dbPath);
    try {
      expect(db.changeCount(offline)).toBe(1);
    } finally {
      db.close();
    }
    expect(cachePicture(samuDir)).toEqual(await serverPicture(server.url, 'samu75'));
  }, 120_000);

  it('a pull answered from another epoch is not applied: the connected workstation rebuilds and pulls again from 0', async () => {
    const tmp = tempDir('restore-live');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    const server = await startServer({ dbPath });
    cleanup.push(() => server.close());
    const samuDir = join(tmp.dir, 'samu75');
    const samu = await loginClient(samuDir, server.url, 'samu75');
    cleanup.push(() => samu.close());
    const ars = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf');
    cleanup.push(() => ars.close());
    await waitSynced(samu);
    await waitSynced(ars);
    expect((await samu.call('sync.status', {})).detail).toBeNull();

    // The epoch changes under a live connection (no new hello): the next pull says so.
    await server.app.store.newEpoch();
    await post(ars, 'R:11', 'ARS après le changement d’époque');
    await waitFor(async () => (await samu.call('sync.status', {})).detail === fr.sync.rebuilt, 'the SAMU to rebuild');
    await waitSynced(samu);
    await waitFor(async () => (await bodies(samu)).includes('ARS après le changement d’époque'), 'the SAMU to see the new message');
    expect(cachePicture(samuDir)).toEqual(await serverPicture(server.url, 'samu75'));
  }, 60_000);
});
