/**
 * The PostgreSQL store's backup and restore as docs/operations.md tells the operator: a
 * `pg_dump -Fc` while the server runs, more writes (acknowledged, then lost by the restore),
 * the server stopped, the database dropped and recreated, `pg_restore`, the real
 * `--new-epoch --db postgres://…`, the server started again. A workstation whose cache
 * outlived the restore rebuilds it (nothing of what the restore lost stays on screen) and
 * loses nothing of its outbox: its offline write reaches the restored server exactly once.
 * The SQLite counterpart is serverRestore.test.ts.
 *
 * Starts its own PostgreSQL 15 (Debian's binaries, pg_dump and pg_restore beside them);
 * skips with the reason printed when they are absent.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { openEvent, postMessage } from '../../sync-server/src/testing/fixtures';
import { createUser } from '../../sync-server/src/users/createUser';
import { fr } from '../../common/i18n/fr';
import { PG_BIN, postgresUnavailable, startPostgres, type PostgresCluster } from '../../sync-server/src/testing/postgres';
import { DEMO_PASSWORD, loginClient, openClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

const unavailable = postgresUnavailable() ?? (existsSync(join(PG_BIN, 'pg_dump')) && existsSync(join(PG_BIN, 'pg_restore')) ? null : `pg_dump ou pg_restore absent de ${PG_BIN}`);
if (unavailable) console.log(`pgRestore.test.ts ignoré : ${unavailable}`);

let cluster: PostgresCluster | undefined;
let cleanup: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  if (!unavailable) cluster = await startPostgres();
}, 60_000);
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});
afterAll(async () => {
  await cluster?.stop();
});

/** Runs a command to its end; rejects with its stderr when it fails. `tool`: a PostgreSQL binary or the CLI. */
function exec(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

const post = async (c: TestClient, body: string): Promise<string> => {
  const receipt = await c.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body });
  if (!receipt.id) throw new Error('no message id');
  return receipt.id;
};
const bodies = async (c: TestClient): Promise<string[]> => (await c.call('messages.list', { eventId: DEMO_IDS.event })).map((m) => m.body);

/** Runs `fn` on a connection to `url`. */
async function withDb<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe.skipIf(unavailable !== null)('a PostgreSQL server store restored from pg_dump', () => {
  it('pg_dump, writes, drop and pg_restore, --new-epoch: the workstation rebuilds and its offline write is applied exactly once', async () => {
    if (!cluster) throw new Error('no PostgreSQL');
    const tmp = tempDir('pg-restore');
    cleanup.push(tmp.cleanup);
    const db = await cluster.createDatabase('restore');
    const dbName = new URL(db).pathname.slice(1);

    // Two accounts and one event, not the whole demo: seeding every board through PostgreSQL
    // takes minutes on a loaded machine.
    let server: TestServer = await startServer({ dbPath: db, seed: false });
    cleanup.push(() => server.close());
    const user = (username: string, role: string) =>
      createUser(server.app.store, server.app.territories, { username, role, displayName: username, password: DEMO_PASSWORD }, { passwordPolicy: 'demo-seeding' });
    await user('samu75', 'samu:75');
    const ars = await user('ars-idf', 'ars:11');
    const opened = await server.app.pushAs(ars.id, { clientId: 'ars-idf-restore-seed', mutations: [openEvent('ars-idf-restore-seed', 1, 'R:11', DEMO_IDS.event)] });
    expect('data' in opened && opened.data.results[0].status).toBe('applied');
    const port = server.port;
    const samuDir = join(tmp.dir, 'samu75');
    let samu = await loginClient(samuDir, server.url, 'samu75');
    cleanup.push(() => samu.close());
    await waitSynced(samu);
    await post(samu, 'SAMU avant la sauvegarde');
    await waitSynced(samu);

    // The operator's nightly backup, server running: custom format, consistent snapshot.
    const dump = join(tmp.dir, 'vigie.dump');
    await exec(join(PG_BIN, 'pg_dump'), ['--format=custom', `--file=${dump}`, `--dbname=${db}`]);

    // Acknowledged after the backup, the restore loses both. The ARS's is gone for good; the
    // SAMU's own may come back, pushed again from its outbox (docs/protocol.md §6), once.
    const lost = 'SAMU après la sauvegarde';
    await post(samu, lost);
    const lostArs = 'ARS après la sauvegarde';
    const pushed = await server.app.pushAs(ars.id, { clientId: 'ars-idf-restore', mutations: [postMessage('ars-idf-restore', 1, 'R:11', { eventId: DEMO_IDS.event, body: lostArs })] });
    expect('data' in pushed && pushed.data.results[0].status).toBe('applied');
    await waitSynced(samu);
    await waitFor(async () => (await bodies(samu)).includes(lost) && (await bodies(samu)).includes(lostArs), 'the SAMU to see both messages');
    await samu.close();
    await server.close();

    // Restore: the server stopped, the database recreated empty, the dump loaded, a new epoch.
    await withDb(cluster.url, async (c) => {
      await c.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${dbName}`);
    });
    await exec(join(PG_BIN, 'pg_restore'), ['--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${db}`, dump]);
    const epoch = await exec(join('node_modules', '.bin', 'tsx'), ['sync-server/src/cli.ts', '--db', db, '--new-epoch']);
    expect(epoch).toMatch(/^\S+$/);

    // The workstation restarts without a server and writes offline: its outbox holds it.
    samu = openClient(samuDir, `http://127.0.0.1:${port}`);
    const offline = await post(samu, 'SAMU hors ligne après la restauration');

    server = await startServer({ dbPath: db, port, seed: false });
    expect(await server.app.store.epoch()).toBe(epoch);
    await waitSynced(samu, 60_000);
    await waitFor(async () => (await bodies(samu)).includes('SAMU hors ligne après la restauration') && (await samu.call('sync.status', {})).detail === fr.sync.rebuilt, 'the SAMU to rebuild and push its outbox', 60_000);

    const sees = await bodies(samu);
    expect(sees).toContain('SAMU avant la sauvegarde');
    expect(sees).not.toContain(lostArs);
    expect(sees.filter((b) => b === lost).length).toBeLessThanOrEqual(1);
    expect(sees.filter((b) => b === 'SAMU hors ligne après la restauration')).toHaveLength(1);
    expect((await samu.call('sync.status', {})).pending).toBe(0);
    // Exactly once on the server, and what it holds is what the workstation shows.
    await withDb(db, async (c) => {
      const n = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM change_log WHERE entity_id = $1', [offline]);
      expect(n.rows[0].n).toBe(1);
      const rows = await c.query<{ body: string }>(`SELECT body FROM messages WHERE event_id = $1 AND territory IN ('D:75', 'R:11')`, [DEMO_IDS.event]);
      const onServer = rows.rows.map((r) => r.body);
      expect(onServer).not.toContain(lostArs);
      expect(onServer.filter((b) => b === lost).length).toBe(sees.filter((b) => b === lost).length);
      for (const b of onServer) expect(sees).toContain(b);
    });
  }, 240_000);
});
