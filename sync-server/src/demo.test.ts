import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../common/i18n/fr';
import type { Change } from '../../common/protocol';
import { wire } from '../../common/protocol';
import { createUser, DEMO_IDS, DEMO_PASSWORD, DEMO_USERS, seedDemo, seedClientId } from './demo';
import { startTestServer, type TestServer } from './testing/server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('demo seeding', () => {
  it('creates the seven demo users, an event and its messages through the mutation path, once', async () => {
    server = await startTestServer();
    await seedDemo(server.app);
    const version = await server.app.store.latestVersion();
    expect(version).toBeGreaterThanOrEqual(6);
    await seedDemo(server.app);
    expect(await server.app.store.latestVersion()).toBe(version);
    expect(await server.app.store.countEvents()).toBe(1);
    expect(DEMO_USERS.map((u) => u.username)).toEqual(['national', 'ars-idf', 'ars-bretagne', 'samu75', 'samu29', 'pitie', 'pma75']);
    for (const u of DEMO_USERS) {
      const login = await server.login(u.username, DEMO_PASSWORD);
      expect(login.user.role).toBe(u.role);
    }
    expect(await server.app.store.lastMutationId(seedClientId('national'))).toBeGreaterThan(0);
  });

  it('gives each user only their branch of the seeded log', async () => {
    server = await startTestServer();
    await seedDemo(server.app);
    const pullAs = async (username: string): Promise<Change[]> => {
      const { token } = await server!.login(username, DEMO_PASSWORD);
      const s = await server!.socket(token, `client-${username}-9`);
      const r = await s.emitWithAck(wire.pull, { cursor: 0 });
      s.close();
      if (!('data' in r)) throw new Error(r.error.message);
      return r.data.changes;
    };
    const bzh = await pullAs('ars-bretagne');
    const ids = (cs: Change[]) => cs.map((c) => ('id' in c.data ? c.data.id : `ack:${c.data.territory}`));
    expect(ids(bzh)).toEqual([DEMO_IDS.event, DEMO_IDS.nationalConsigne, DEMO_IDS.bretagneConsigne, DEMO_IDS.samu29Information]);
    const samu75 = ids(await pullAs('samu75'));
    expect(samu75).toContain(DEMO_IDS.idfInformation);
    expect(samu75).toContain(DEMO_IDS.pitieUrgent);
    expect(samu75).toContain('ack:R:11');
    expect(samu75).not.toContain(DEMO_IDS.bretagneConsigne);
    const kinds = (await pullAs('national')).flatMap((c) => (c.entity === 'message' ? [`${c.data.level}/${c.data.kind}/${c.data.priority}`] : []));
    expect(kinds).toEqual(expect.arrayContaining(['national/consigne/important', 'regional/information/info', 'local/demande/important', 'local/information/urgent']));
  });
});

describe('createUser', () => {
  it('refuses bad input with French messages and creates nothing', async () => {
    server = await startTestServer();
    const { store, territories } = server.app;
    const base = { username: 'jdupont', password: 'assez-long', displayName: 'Jeanne Dupont', role: 'samu:75' };
    await expect(createUser(store, territories, { ...base, role: 'samu:7' })).rejects.toThrow(fr.server.badRole('samu:7'));
    await expect(createUser(store, territories, { ...base, role: 'establishment:999999999' })).rejects.toThrow(
      fr.server.unknownTerritory('establishment:999999999'),
    );
    await expect(createUser(store, territories, { ...base, username: 'a b' })).rejects.toThrow(fr.server.badUsername);
    await expect(createUser(store, territories, { ...base, password: 'court' })).rejects.toThrow(fr.server.weakPassword(8));
    await expect(createUser(store, territories, { ...base, displayName: '  ' })).rejects.toThrow(fr.server.badDisplayName);
    expect(await store.findUserByUsername('jdupont')).toBeUndefined();
    const made = await createUser(store, territories, base);
    expect(made.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(createUser(store, territories, { ...base, username: 'JDUPONT' })).rejects.toThrow(fr.server.userExists('JDUPONT'));
  });
});
