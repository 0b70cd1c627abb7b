/**
 * `/health`, `/ready`, `/metrics` and the drain on a real server (127.0.0.1, real socket.io
 * clients, the store of the run: SQLite or `VIGIE_TEST_STORE=postgres`). The drain of a real
 * process under SIGTERM, with a push in flight, is `tests/integration/opsDrain.test.ts`.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { syncWire } from '../../../common/protocol';
import { openEvent } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';
import { TEST_STORE } from '../testing/stores';
import { Drain } from './drain';
import { Readiness } from './health';

let servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.stop();
  servers = [];
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer(options);
  servers.push(s);
  return s;
}

const get = (url: string, path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers });

/** One sample's value in the Prometheus text, or null when the series is absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('/health and /ready', () => {
  it('/health answers 200 without the store; /ready answers 200 when the store and every probe answer, 503 with a French reason otherwise', async () => {
    let redis: 'up' | 'down' | 'hang' = 'up';
    const s = await server({
      readyChecks: [
        {
          name: 'Redis',
          probe: () => (redis === 'up' ? Promise.resolve() : redis === 'down' ? Promise.reject(new Error('connexion refusée')) : new Promise(() => undefined)),
        },
      ],
    });
    const health = await get(s.url, '/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await get(s.url, '/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });

    redis = 'down';
    const down = await get(s.url, '/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', reason: 'Redis : connexion refusée' });

    redis = 'hang';
    const hung = await get(s.url, '/ready');
    expect(hung.status).toBe(503);
    expect(((await hung.json()) as { reason: string }).reason).toBe('Redis : pas de réponse en 2000 ms.');
    // The process still lives.
    expect((await get(s.url, '/health')).status).toBe(200);

    // The store closed under the server: not ready, still alive (SQLite: closing twice is harmless).
    redis = 'up';
    if (TEST_STORE !== 'sqlite') return;
    expect((await get(s.url, '/ready')).status).toBe(200);
    await s.app.store.close();
    const noStore = await get(s.url, '/ready');
    expect(noStore.status).toBe(503);
    expect(((await noStore.json()) as { reason: string }).reason).toMatch(/^base de données : /);
    expect((await get(s.url, '/health')).status).toBe(200);
  }, 60_000);

  it('a draining node is not ready at once, whatever its probes say', async () => {
    const drain = new Drain();
    let probes = 0;
    const readiness = new Readiness([{ name: 'base de données', probe: async () => void probes++ }], drain);
    expect(await readiness.check()).toEqual({ ready: true });
    drain.start();
    expect(await readiness.check()).toEqual({ ready: false, reason: 'Nœud en cours d’arrêt : il ne prend plus de nouvelles connexions.' });
    expect(probes).toBe(1);
  });
});

describe('/metrics', () => {
  it('counts sockets by role, pushes, mutations by outcome (applied, rejected, duplicate), refusals by code, logins, store calls and the version', async () => {
    const s = await server();
    await s.user('samu75', 'samu:75');
    const before = await (await get(s.url, '/metrics')).text();
    expect(before).toMatch(/^vigie_build_info\{version="[^"]+"\} 1$/m);
    expect(sample(before, 'vigie_draining')).toBe(0);
    expect(before).not.toContain('vigie_connected_sockets{');

    const login = await s.login('samu75');
    const clientId = 'ops-metrics-client';
    const socket = await s.socket(login.token, clientId);
    const applied = openEvent(clientId, 1, 'D:75', randomUUID());
    const first = await socket.emitWithAck(syncWire.push, { clientId, mutations: [applied, openEvent(clientId, 2, 'D:29', randomUUID())] });
    expect('data' in first && first.data.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    // The first again (a lost acknowledgement): answered from the ledger.
    const again = await socket.emitWithAck(syncWire.push, { clientId, mutations: [applied] });
    expect('data' in again && again.data.results[0].status).toBe('applied');
    const gap = await socket.emitWithAck(syncWire.push, { clientId, mutations: [openEvent(clientId, 9, 'D:75', randomUUID())] });
    expect('error' in gap && gap.error.code).toBe('gap');
    await socket.emitWithAck(syncWire.pull, { cursor: 0 });
    const refused = await fetch(`${s.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'samu75', password: 'faux-mot-de-passe' }) });
    expect(refused.status).toBe(401);

    const text = await (await get(s.url, '/metrics')).text();
    expect(sample(text, 'vigie_connected_sockets{role="samu"}')).toBe(1);
    expect(sample(text, 'vigie_mutations_total{outcome="applied"}')).toBe(1);
    expect(sample(text, 'vigie_mutations_total{outcome="rejected"}')).toBe(1);
    expect(sample(text, 'vigie_mutations_total{outcome="duplicate"}')).toBe(1);
    expect(sample(text, 'vigie_pushes_total{result="ok"}')).toBe(2);
    expect(sample(text, 'vigie_pushes_total{result="gap"}')).toBe(1);
    expect(sample(text, 'vigie_socket_refusals_total{event="sync:push",code="gap"}')).toBe(1);
    expect(sample(text, 'vigie_socket_request_duration_seconds_count{event="sync:push"}')).toBe(3);
    expect(sample(text, 'vigie_socket_request_duration_seconds_count{event="sync:pull"}')).toBe(1);
    expect(sample(text, 'vigie_logins_total{step="password",outcome="success"}')).toBe(1);
    expect(sample(text, 'vigie_logins_total{step="password",outcome="refused"}')).toBe(1);
    expect(sample(text, 'vigie_changes_written_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'vigie_pokes_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'vigie_store_duration_seconds_count{operation="applyMutations"}')).toBe(3);
    expect(sample(text, 'vigie_store_duration_seconds_count{operation="pull"}')).toBe(1);
    // Bounded labels: no user, client or territory anywhere.
    expect(text).not.toContain(clientId);
    expect(text).not.toContain(login.user.id);
    expect(text).not.toContain('D:75');

    socket.close();
    await expect.poll(async () => sample(await (await get(s.url, '/metrics')).text(), 'vigie_connected_sockets{role="samu"}'), { timeout: 10_000 }).toBeNull();
  }, 60_000);

  it('is refused (403) to an address outside --metrics-allow, and to a request relayed by a proxy that is not trusted', async () => {
    const closed = await server({ metricsAllow: ['192.0.2.0/24'] });
    const refused = await get(closed.url, '/metrics');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('Les métriques ne sont servies qu’aux adresses de --metrics-allow.');
    expect((await get(closed.url, '/health')).status).toBe(200);

    const open = await server();
    expect((await get(open.url, '/metrics')).status).toBe(200);
    // A local load balancer relaying an outsider: loopback is not enough.
    expect((await get(open.url, '/metrics', { 'x-forwarded-for': '203.0.113.7' })).status).toBe(403);

    const behindProxy = await server({ trustedProxies: ['loopback'], metricsAllow: ['loopback', '10.1.0.0/16'] });
    expect((await get(behindProxy.url, '/metrics', { 'x-forwarded-for': '203.0.113.7' })).status).toBe(403);
    expect((await get(behindProxy.url, '/metrics', { 'x-forwarded-for': '10.1.2.3' })).status).toBe(200);
    expect((await get(behindProxy.url, '/metrics', { forwarded: 'for=10.1.2.3' })).status).toBe(403);
  }, 60_000);

  it('a bad --metrics-allow entry is refused in French, naming it', async () => {
    await expect(server({ metricsAllow: ['10.0.0.0/40'] })).rejects.toThrow('--metrics-allow : « 10.0.0.0/40 » n’est ni une adresse IP, ni un bloc CIDR, ni « loopback ».');
  });
});

describe('drain', () => {
  it('with nothing under way: disconnects the open sockets from the server side (the client reconnects elsewhere) and closes', async () => {
    const s = await server();
    await s.user('samu75', 'samu:75');
    const login = await s.login('samu75');
    const socket = await s.socket(login.token, 'ops-drain-client');
    const reason = new Promise<string>((resolve) => socket.once('disconnect', (r) => resolve(r)));
    const drained = s.app.drain(5_000);
    const stopped = await drained;
    expect(stopped).toEqual({ pending: 0, sockets: 1 });
    await s.app.close();
    // What the workstation's sync client answers by reconnecting (main/sync/syncClient.ts).
    expect(await reason).toBe('io server disconnect');
  }, 30_000);

  it('tracks a request until its acknowledgement and waits for it', async () => {
    const drain = new Drain();
    const done = drain.track();
    expect(drain.pending).toBe(1);
    expect(await drain.waitIdle(50)).toBe(false);
    const idle = drain.waitIdle(5_000);
    done();
    done();
    expect(await idle).toBe(true);
    expect(drain.pending).toBe(0);
  });
});
