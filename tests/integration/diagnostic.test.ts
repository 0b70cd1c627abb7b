/**
 * The workstation's log and « Exporter un diagnostic », against a real sync server and a real
 * cache: the log file (real, in the data dir) names the user, the client id and the version on
 * every line and holds no token, password, summary or message body; the diagnostic has every
 * section support needs and none of the cache's rows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { createMainLog } from '../../main/log';
import { DEMO_PASSWORD, loginClient, rawClient, startServer, tempDir, waitSynced, type TestClient, type TestServer } from './harness';

const PITIE = '750100125';
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const patient = { ageBand: '61-75', sex: 'F', need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: true, weightClass: null } as const;
const SUMMARY = 'Patiente 67 ans, SDRA sévère, allergie pénicilline, fille joignable';
const BODY = 'Mme Lefèvre (chambre 12) transférée, famille prévenue par le cadre';

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let samu: TestClient;
let token = '';
let transferId = '';
let messageId = '';

function logText(dataDir: string): string {
  const dir = join(dataDir, 'logs');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}

beforeAll(async () => {
  tmp = tempDir('diagnostic');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  samu = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
  await waitSynced(samu);
  // Rows with clinical and personal content in the cache.
  transferId = (await samu.call('transfers.create', { patient, originFiness: PITIE, urgency: 'immediate', summary: SUMMARY })).id as string;
  messageId = (await samu.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: BODY })).id as string;
  await waitSynced(samu);
  // A real session token, of the same form as the workstation's own.
  const other = await rawClient(server.url, 'samu75', 'poste-diagnostic-2');
  other.socket.close();
  token = other.token;
  // Every way the services could be handed a secret or written content.
  const logger = samu.services.log.logger;
  logger.warn({ token, password: DEMO_PASSWORD, summary: SUMMARY, body: BODY }, 'push refusé');
  logger.error({ err: new Error(`refus pour ${token} : {"summary":"${SUMMARY}"}`) }, 'échec de la synchronisation');
  logger.warn(`Authorization: Bearer ${token} password=${DEMO_PASSWORD} {"body":"${BODY}"}`);
  logger.info({ mutation: { name: 'transfers.create', args: { summary: SUMMARY, comment: BODY } } }, 'mutation en file');
  // A refused call is logged by name and code, never with its arguments.
  expect((await samu.raw('session.login', { username: 'samu75', password: `${DEMO_PASSWORD}-faux-${token}` })).ok).toBe(false);
}, 60_000);

afterAll(async () => {
  await samu?.close();
  await server?.close();
  tmp?.cleanup();
});

describe('the workstation log', () => {
  it('holds neither the token, the password, the summary nor the message body', async () => {
    await samu.services.log.flush();
    const text = logText(samu.dataDir);
    expect(text).toContain('push refusé');
    for (const [what, value] of Object.entries({ token, password: DEMO_PASSWORD, summary: SUMMARY, body: BODY })) expect(text, what).not.toContain(value);
  });

  it('names the user id, username, client id and version on the lines written while signed in, never the display name', async () => {
    await samu.services.log.flush();
    const lines = logText(samu.dataDir)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const session = await samu.call('session.current', {});
    const refused = lines.find((l) => l.msg === 'push refusé');
    expect(refused).toMatchObject({ service: 'vigie-poste', version: PACKAGE_VERSION, userId: session?.user.id, username: 'samu75' });
    expect(typeof refused?.clientId).toBe('string');
    expect(String(refused?.clientId).length).toBeGreaterThan(7);
    expect(lines.find((l) => l.msg === 'Connexion.')).toMatchObject({ call: 'session.login', username: 'samu75' });
    expect(lines.every((l) => l.version === PACKAGE_VERSION)).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(session?.user.displayName ?? '—');
  });
});

describe('« Exporter un diagnostic »', () => {
  it('has versions, system, data dir size, policy, session, sync state, last errors and log lines, and none of the cache rows', async () => {
    const file = await samu.call('app.diagnostic', {});
    expect(file.fileName).toMatch(/^vigie-diagnostic-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.json$/);
    const d = JSON.parse(file.content) as Record<string, unknown> & {
      versions: Record<string, unknown>;
      session: Record<string, unknown>;
      sync: Record<string, unknown>;
      dataDir: { bytes: number; files: number };
      lastErrors: string[];
      log: { lines: string[] };
    };
    expect(d.format).toBe('vigie-diagnostic/1');
    expect(d.versions).toMatchObject({ vigie: PACKAGE_VERSION, node: process.versions.node });
    expect(d.system).toMatchObject({ platform: process.platform, arch: process.arch });
    expect(d.dataDir.bytes).toBeGreaterThan(0);
    expect(d.dataDir.files).toBeGreaterThan(1);
    expect(d.policy).toBe('aucune politique');
    expect(d.session).toMatchObject({ username: 'samu75', role: 'samu:75' });
    expect(d.session).not.toHaveProperty('token');
    // Connected: idle or in the middle of a pull that a poke or a board's clock started.
    expect(['online', 'syncing']).toContain(d.sync.state);
    expect(d.sync).toMatchObject({ serverUrl: server.url, pending: 0, rejected: 0 });
    expect(d.sync.cursor).toEqual(expect.any(Number));
    expect(d.sync.cursor as number).toBeGreaterThan(0);
    expect(d.sync.epoch).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // The last errors are the warnings and errors among the log lines, already masked.
    expect(d.lastErrors.some((l) => l.includes('échec de la synchronisation'))).toBe(true);
    expect(d.lastErrors.every((l) => ['warn', 'error', 'fatal'].includes((JSON.parse(l) as { level: string }).level))).toBe(true);
    expect(d.log.lines.length).toBeGreaterThan(5);
    expect(d.log.lines.length).toBeLessThanOrEqual(200);
    expect(d.session.clientId).toBe((JSON.parse(d.log.lines.find((l) => l.includes('push refusé')) ?? '{}') as { clientId?: string }).clientId);
    // Nothing of the cache: neither the rows' ids nor what they hold; no secret.
    for (const [what, value] of Object.entries({ transferId, messageId, token, password: DEMO_PASSWORD, summary: SUMMARY, body: BODY }))
      expect(file.content, what).not.toContain(value);
    expect(file.content).not.toContain('Lefèvre');
    expect(file.content).not.toContain('SDRA');
  });

  it('works signed out too: no session, the sync state says offline', async () => {
    const dir = join(tmp.dir, 'nobody');
    const { openClient } = await import('./harness');
    const c = openClient(dir, server.url);
    try {
      const d = JSON.parse((await c.call('app.diagnostic', {})).content) as { session: unknown; sync: { state: string; cursor: unknown }; policy: string };
      expect(d.session).toBeNull();
      expect(d.sync).toMatchObject({ state: 'offline', cursor: null });
      expect(d.policy).toBe('aucune politique');
    } finally {
      await c.close();
    }
  });
});

describe('the workstation log file', () => {
  it('rotates past its size, keeps the configured number of old files, and reads its last lines across them', async () => {
    const dir = join(tmp.dir, 'rotation');
    const log = createMainLog({ dataDir: dir, version: '9.9.9', context: () => ({ userId: 'u-1', username: 'samu75', clientId: 'poste-rot-1' }), rotation: { size: '4K', keep: 2 } });
    try {
      for (let i = 0; i < 150; i++) {
        log.logger.info({ i }, 'une ligne de journal assez longue pour remplir vite le fichier');
        if (i % 10 === 0) await log.flush();
      }
      await log.flush();
      await new Promise((r) => setTimeout(r, 100));
      expect(readdirSync(join(dir, 'logs')).filter((f) => f.endsWith('.log')).sort()).toEqual(['vigie.1.log', 'vigie.2.log', 'vigie.log']);
      // ~20 lines a file: the last 30 span the current file and at least one rotated one.
      const tail = await log.tail(30);
      expect(tail).toHaveLength(30);
      expect(tail.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(Array.from({ length: 30 }, (_, k) => 120 + k));
      const last = JSON.parse(tail[29]) as Record<string, unknown>;
      expect(last).toMatchObject({ i: 149, version: '9.9.9', userId: 'u-1', username: 'samu75', clientId: 'poste-rot-1' });
    } finally {
      await log.close();
    }
  });
});
