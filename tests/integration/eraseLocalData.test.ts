/**
 * « Se déconnecter et effacer les données locales » through ConsoleApi (the calls the IPC and
 * the web host's bridge carry), on encrypted caches against a real sync server.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { createConsoleServices } from '../../main/services';
import { CACHE_KEY_FILE, fileProtector, keyFileSource } from '../../main/store/cipherKey';
import { isClearDatabase } from '../../main/store/cipher';
import { DEMO_PASSWORD, FAST_SYNC, startServer, tempDir, TestClient, waitSynced } from './harness';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function encryptedClient(dataDir: string, serverUrl: string): TestClient {
  const c = new TestClient(createConsoleServices({ dataDir, serverUrl, syncTuning: FAST_SYNC, log: () => undefined, cacheKey: keyFileSource(dataDir, fileProtector) }), dataDir);
  cleanup.push(() => c.close());
  return c;
}

const cacheFiles = (dataDir: string): string[] => (existsSync(join(dataDir, 'caches')) ? readdirSync(join(dataDir, 'caches')).filter((f) => f.endsWith('.sqlite')) : []);

describe('erasing the local data', () => {
  it('warns of the pending mutations (refused with their count in French, nothing removed), then removes caches, key and session', async () => {
    const tmp = tempDir('erase');
    cleanup.push(tmp.cleanup);
    const server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
    cleanup.push(() => server.close());
    const dir = join(tmp.dir, 'samu75');
    const samu = encryptedClient(dir, server.url);
    await samu.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    await waitSynced(samu);
    const [cache] = cacheFiles(dir);
    expect(cache).toBeDefined();
    expect(isClearDatabase(join(dir, 'caches', cache))).toBe(false);
    expect(await samu.call('session.localData', {})).toEqual({ pending: 0 });

    // The server goes away: what is written now stays pending.
    await server.close();
    await samu.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: 'Écrit hors ligne' });
    await samu.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: 'Encore hors ligne' });
    expect(await samu.call('session.localData', {})).toEqual({ pending: 2 });

    // The user was warned of fewer than there are: nothing is erased.
    const refused = await samu.raw('session.eraseLocalData', { pendingSeen: 1 });
    expect(refused).toEqual({ ok: false, error: { code: 'rejected', message: '2 opérations n’ont pas encore été envoyées au serveur : confirmez à nouveau pour les effacer quand même.' } });
    expect(await samu.call('session.current', {})).not.toBeNull();
    expect(cacheFiles(dir)).toEqual([cache]);
    expect(existsSync(join(dir, CACHE_KEY_FILE))).toBe(true);
    expect((await samu.call('sync.status', {})).pending).toBe(2);

    const bad = await samu.raw('session.eraseLocalData', { pendingSeen: -1 });
    expect(bad.ok).toBe(false);
    expect(cacheFiles(dir)).toEqual([cache]);

    // Confirmed with the count shown: the session ends and nothing is left on disk.
    expect(await samu.call('session.eraseLocalData', { pendingSeen: 2 })).toBeNull();
    expect(await samu.call('session.current', {})).toBeNull();
    expect(existsSync(join(dir, 'caches'))).toBe(false);
    expect(existsSync(join(dir, CACHE_KEY_FILE))).toBe(false);
    expect(existsSync(join(dir, 'session.json'))).toBe(false);
    expect(await samu.call('sync.status', {})).toMatchObject({ state: 'offline', pending: 0, detail: 'Données locales effacées : reconnectez-vous pour recharger les données du serveur.' });
    expect(samu.eventsOf('data.changed').some((d) => d.entities.includes('rejected'))).toBe(true);
    // A restart finds no session to resume.
    await samu.close();
    const again = encryptedClient(dir, server.url);
    expect(await again.call('session.current', {})).toBeNull();
  }, 60_000);

  it('counts the pending mutations of every user’s cache on the workstation, and a new login after erasing starts a new key', async () => {
    const tmp = tempDir('erase-all');
    cleanup.push(tmp.cleanup);
    const server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
    cleanup.push(() => server.close());
    const dir = join(tmp.dir, 'shared-workstation');
    const c = encryptedClient(dir, server.url);
    await c.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    await waitSynced(c);
    // samu75 leaves a pending mutation behind by logging out while the server is down.
    await server.close();
    await c.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: 'Laissé en attente' });
    await c.call('session.logout', {});
    const back = await startServer({ dbPath: server.dbPath, port: server.port, seed: false });
    cleanup.push(() => back.close());
    await c.call('session.login', { username: 'ars-idf', password: DEMO_PASSWORD });
    expect(cacheFiles(dir)).toHaveLength(2);
    expect(await c.call('session.localData', {})).toEqual({ pending: 1 });
    const refused = await c.raw('session.eraseLocalData', { pendingSeen: 0 });
    expect(refused.ok ? null : refused.error.message).toBe('1 opération n’a pas encore été envoyée au serveur : confirmez à nouveau pour les effacer quand même.');
    expect(await c.call('session.eraseLocalData', { pendingSeen: 1 })).toBeNull();
    expect(cacheFiles(dir)).toEqual([]);

    await c.call('session.login', { username: 'ars-idf', password: DEMO_PASSWORD });
    await waitSynced(c);
    expect(existsSync(join(dir, CACHE_KEY_FILE))).toBe(true);
    expect(cacheFiles(dir)).toHaveLength(1);
  }, 60_000);

  it('a cache whose key is lost is refused in French at login, left untouched, and can still be erased without a session', async () => {
    const tmp = tempDir('erase-lost-key');
    cleanup.push(tmp.cleanup);
    const server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
    cleanup.push(() => server.close());
    const dir = join(tmp.dir, 'samu75');
    const first = encryptedClient(dir, server.url);
    await first.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    await waitSynced(first);
    await first.close();
    const [cache] = cacheFiles(dir);
    const file = join(dir, 'caches', cache);
    const before = readFileSync(file);
    // The key is lost (keyring reset, data folder copied to another workstation…).
    rmSync(join(dir, CACHE_KEY_FILE));
    rmSync(join(dir, 'session.json'));

    const c = encryptedClient(dir, server.url);
    const login = await c.raw('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    expect(login.ok).toBe(false);
    expect(login.ok ? '' : login.error.message).toMatch(/^Les données locales de ce poste ne peuvent pas être ouvertes avec sa clé .* Rien n’a été modifié\./);
    expect(readFileSync(file).equals(before)).toBe(true);

    // Nobody is signed in: the count skips the unreadable cache, and erasing clears the way.
    expect(await c.call('session.localData', {})).toEqual({ pending: 0 });
    expect(await c.call('session.eraseLocalData', { pendingSeen: 0 })).toBeNull();
    expect(cacheFiles(dir)).toEqual([]);
    await c.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    await waitSynced(c);
    expect(cacheFiles(dir)).toHaveLength(1);
  }, 60_000);
});
