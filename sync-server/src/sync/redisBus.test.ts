/**
 * `--redis` (issue 11) on one node: the url is checked in French, and a node whose Redis is
 * unreachable still serves and still pokes its own sockets (the cross-node cases are in
 * tests/integration/cluster.test.ts, with real processes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { syncWire, type Poke } from '../../../common/protocol';
import { openEvent, postMessage } from '../testing/fixtures';
import { freePort } from '../testing/processes';
import { startTestServer, type TestServer } from '../testing/server';
import { checkRedisUrl } from './redisBus';

describe('checkRedisUrl', () => {
  it('accepts redis:// and rediss:// urls and refuses anything else in French', () => {
    expect(checkRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(checkRedisUrl('rediss://vigie:secret@cache.example:6380/2')).toBe('rediss://vigie:secret@cache.example:6380/2');
    for (const bad of ['127.0.0.1:6379', 'http://127.0.0.1:6379', 'redis://', '']) expect(() => checkRedisUrl(bad)).toThrow(fr.cluster.badRedisUrl(bad));
  });
});

describe('a node whose Redis is unreachable', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('serves logins and pushes, and pokes its own sockets at once', { timeout: 60_000 }, async () => {
    // Nothing listens there: node-redis keeps retrying in the background.
    server = await startTestServer({ redis: `redis://127.0.0.1:${await freePort()}` });
    expect(server.app.redis?.connected()).toBe(false);
    await server.user('national', 'national');
    await server.user('samu75', 'samu:75');
    const nat = await server.socket((await server.login('national')).token, 'client-national-01');
    const samu = await server.socket((await server.login('samu75')).token, 'client-samu75-01');
    expect(await nat.emitWithAck(syncWire.push, { clientId: 'client-national-01', mutations: [openEvent('client-national-01', 1)] })).toEqual({
      data: { results: [{ mutationId: 1, status: 'applied', version: 1 }] },
    });
    const poke = new Promise<Poke>((resolve) => nat.once(syncWire.poke, resolve));
    await samu.emitWithAck(syncWire.push, { clientId: 'client-samu75-01', mutations: [postMessage('client-samu75-01', 1, 'D:75', { body: 'sans Redis' })] });
    // Without the fallback to this node's sockets, the poke would wait for Redis.
    const got = await Promise.race([poke, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    expect(got?.version).toBe(2);
  });
});
