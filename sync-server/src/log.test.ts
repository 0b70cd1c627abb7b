/**
 * The sync server's log: real files in a temp dir. Secrets and what people wrote never reach
 * the file, whichever way they are passed (a field, a nested field, an Error, the message
 * itself); every line names the service and its version; a socket's lines name its user and
 * client id; the file rotates.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newSessionToken } from './auth/tokens';
import { createServerLog, lineLogger, prettyLine, serverVersion } from './log';
import { tempDir } from './testing/fixtures';
import { startTestServer } from './testing/server';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function temp(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function entries(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What must never be written, in every form a careless call could pass it. */
function secrets() {
  const token = newSessionToken();
  return {
    token,
    password: 'Cheval-Agrafe-Correct-91',
    summary: 'Patiente 67 ans, SDRA sévère sous ECMO, allergie pénicilline',
    body: 'Mme Lefèvre évacuée vers Bichat, famille prévenue',
  };
}

async function writeEverywhere(log: ReturnType<typeof createServerLog>, s: ReturnType<typeof secrets>): Promise<void> {
  const { logger } = log;
  const line = lineLogger(logger);
  logger.info({ token: s.token, password: s.password, summary: s.summary, body: s.body }, 'connexion');
  logger.warn({ req: { headers: { authorization: `Bearer ${s.token}` } }, mutation: { args: { summary: s.summary, body: s.body } } }, 'push');
  logger.error({ err: new Error(`login failed for token ${s.token} with body {"summary":"${s.summary}"}`) }, 'échec');
  logger.info({ detail: { transfer: { clinicalSummary: s.summary, comment: s.body } } }, 'nested');
  logger.info(`session ${s.token} refused`);
  line(`push failed: Authorization: Bearer ${s.token} password=${s.password} {"body":"${s.body}","summary":"${s.summary}"}`, { userId: 'u-1', clientId: 'poste-1' });
  logger.child({ token: s.token }).info('child');
  await log.flush();
}

describe('the sync server log', () => {
  it('writes neither a token, a password, a clinical summary nor a message body, however they are passed', async () => {
    const dir = temp();
    const file = join(dir, 'logs', 'sync.log');
    const log = createServerLog({ file });
    cleanups.push(() => log.close());
    const s = secrets();
    await writeEverywhere(log, s);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(7);
    for (const [what, value] of Object.entries(s)) expect(text, what).not.toContain(value);
    // Still useful: the human text and the context survive.
    expect(text).toContain('push failed');
    expect(text).toContain('[masqué]');
  });

  it('puts the service and the package version on every line, and the user and client id when given', async () => {
    const dir = temp();
    const file = join(dir, 'sync.log');
    const log = createServerLog({ file });
    cleanups.push(() => log.close());
    lineLogger(log.logger)('socket request failed', { userId: 'u-42', clientId: 'poste-samu75-a' });
    log.logger.info('démarrage');
    await log.flush();
    expect(serverVersion()).toBe(PACKAGE_VERSION);
    const [first, second] = entries(file);
    expect(first).toMatchObject({ level: 'error', service: 'vigie-sync', version: PACKAGE_VERSION, userId: 'u-42', clientId: 'poste-samu75-a', msg: 'socket request failed' });
    expect(second).toMatchObject({ level: 'info', service: 'vigie-sync', version: PACKAGE_VERSION, msg: 'démarrage' });
    expect(typeof first.time).toBe('string');
  });

  it('rotates the file past its size and keeps only the configured number of old files', async () => {
    const dir = temp();
    const log = createServerLog({ file: join(dir, 'sync.log'), rotation: { size: '2K', keep: 2 } });
    cleanups.push(() => log.close());
    for (let i = 0; i < 200; i++) {
      log.logger.info({ i }, 'une ligne de journal assez longue pour remplir vite le fichier');
      if (i % 20 === 0) await log.flush();
    }
    await log.flush();
    await new Promise((r) => setTimeout(r, 100));
    const files = readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
    expect(files).toEqual(['sync.1.log', 'sync.2.log', 'sync.log']);
    expect(readFileSync(join(dir, 'sync.1.log'), 'utf8').length).toBeGreaterThan(1000);
  });

  it('prints one readable line per entry in pretty mode', () => {
    const json = JSON.stringify({ level: 'warn', time: '2026-11-30T02:10:11.000Z', msg: 'socket connected', userId: 'u-1', clientId: 'poste-1' });
    expect(prettyLine(json)).toBe('02:10:11 warn socket connected (u-1 poste-1)\n');
  });

  it('logs a login with its user id, a socket connection with its user id, client id and the version, and a push with a token and a summary leaves neither in the file', async () => {
    const dir = temp();
    const file = join(dir, 'sync.log');
    const log = createServerLog({ file });
    const server = await startTestServer({ logger: log.logger });
    cleanups.push(() => log.close());
    cleanups.push(() => server.stop());
    await server.user('samu75', 'samu:75');
    const { token, user } = await server.login('samu75');
    const socket = await server.socket(token, 'poste-log-test-1');
    // A push whose mutation carries a summary and the token in its args: refused or applied, never logged.
    const s = secrets();
    await socket
      .timeout(5_000)
      .emitWithAck('sync:push', { clientId: 'poste-log-test-1', mutations: [{ clientId: 'poste-log-test-1', mutationId: 1, name: 'messages.post', args: { body: s.body, summary: s.summary, token }, at: new Date().toISOString() }] })
      .catch(() => null);
    socket.close();
    await new Promise((r) => setTimeout(r, 200));
    await log.flush();
    const lines = entries(file);
    expect(lines.find((l) => l.msg === 'login')).toMatchObject({ level: 'info', version: PACKAGE_VERSION, userId: user.id });
    const connected = lines.find((l) => l.msg === 'socket connected');
    expect(connected).toMatchObject({ level: 'info', service: 'vigie-sync', version: PACKAGE_VERSION, userId: user.id, clientId: 'poste-log-test-1' });
    expect(lines.find((l) => String(l.msg).startsWith('socket disconnected'))).toMatchObject({ userId: user.id, clientId: 'poste-log-test-1' });
    const text = readFileSync(file, 'utf8');
    for (const value of [token, s.summary, s.body]) expect(text).not.toContain(value);
    expect(existsSync(file)).toBe(true);
  });
});
