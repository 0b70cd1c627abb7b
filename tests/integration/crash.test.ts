/**
 * A client killed with SIGKILL in the middle of writing keeps every write it had
 * acknowledged (outbox in SQLite, WAL, synchronous=FULL), and each reaches the server exactly
 * once when it is reachable.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { openLocalStore } from '../../main/boards';
import { loadTerritories } from '../../common/territory';
import { loginClient, openClient, serverDb, startServer, tempDir, waitFor, waitSynced, type TestServer } from './harness';

const territories = loadTerritories((f) => readFileSync(join('resources', 'referential', f), 'utf8'));

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** Runs the posting child until it printed at least `atLeast` ids, then SIGKILLs it. */
async function postThenKill(dataDir: string, serverUrl: string, atLeast: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/fixtures/postLoop.ts', dataDir, serverUrl, DEMO_IDS.event], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ids: string[] = [];
  let partial = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) if (l.startsWith('POSTED ')) ids.push(l.slice(7));
  });
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  await waitFor(() => ids.length >= atLeast || child.exitCode !== null, `${atLeast} posts from the child`, 60_000);
  if (child.exitCode !== null) throw new Error(`child ended early: ${stderr}`);
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  // Everything the child printed before dying is in `ids` (the pipe is drained on exit).
  await new Promise((r) => setTimeout(r, 50));
  return ids;
}

function outboxIds(dataDir: string): { pending: string[]; all: Map<string, string> } {
  const files = readdirSync(join(dataDir, 'caches')).filter((f) => f.endsWith('.sqlite'));
  expect(files).toHaveLength(1);
  const store = openLocalStore(join(dataDir, 'caches', files[0]), territories);
  try {
    const entries = store.outbox();
    const all = new Map(entries.map((e) => [(e.args as { id: string }).id, e.status]));
    return { pending: entries.filter((e) => e.status === 'pending').map((e) => (e.args as { id: string }).id), all };
  } finally {
    store.close();
  }
}

describe('a client killed with SIGKILL while writing', () => {
  it('offline: every acknowledged write is in the outbox after restart, and reaches the server exactly once', async () => {
    const tmp = tempDir('crash');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    let server: TestServer = await startServer({ dbPath });
    const port = server.port;
    const dataDir = join(tmp.dir, 'samu75');
    const first = await loginClient(dataDir, server.url, 'samu75');
    await waitSynced(first);
    await first.close();
    await server.close();

    const ids = await postThenKill(dataDir, server.url, 60);
    expect(ids.length).toBeGreaterThanOrEqual(60);
    const { pending } = outboxIds(dataDir);
    for (const id of ids) expect(pending).toContain(id);
    // Nothing beyond what was printed, except at most the one write in flight at the kill.
    expect(pending.length - ids.length).toBeLessThanOrEqual(1);

    server = await startServer({ dbPath, port, seed: false });
    cleanup.push(() => server.close());
    const again = openClient(dataDir, server.url);
    cleanup.push(() => again.close());
    await waitSynced(again, 30_000);
    const db = serverDb(dbPath);
    for (const id of pending) {
      expect(db.message(id)?.territory).toBe('D:75');
      expect(db.changeCount(id)).toBe(1);
    }
    db.close();
  }, 120_000);

  it('online: writes pushed or not when the process died all end up on the server exactly once', async () => {
    const tmp = tempDir('crash-online');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    const server = await startServer({ dbPath });
    cleanup.push(() => server.close());
    const dataDir = join(tmp.dir, 'samu75');
    const first = await loginClient(dataDir, server.url, 'samu75');
    await waitSynced(first);
    await first.close();

    const ids = await postThenKill(dataDir, server.url, 80);
    const db = serverDb(dbPath);
    const { all } = outboxIds(dataDir);
    // Each printed write is either still queued or already on the server.
    for (const id of ids) expect(all.has(id) || db.message(id) !== undefined).toBe(true);

    const again = openClient(dataDir, server.url);
    cleanup.push(() => again.close());
    await waitSynced(again, 30_000);
    for (const id of ids) expect(db.changeCount(id)).toBe(1);
    db.close();
  }, 120_000);
});
