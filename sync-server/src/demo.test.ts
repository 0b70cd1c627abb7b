import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../common/i18n/fr';
import { DEMO_BED_REPORTERS, nationalDemoUnits } from './beds/demo';
import { figureErrors } from '../../common/domain/beds/rules';
import { unitType } from '../../common/domain/beds/unitTypes';
import { createUser, DEMO_PASSWORD, DEMO_USERS, seedDemo, seedClientId } from './demo';
import { DEMO_IDS } from './eventlog/demo';
import { startTestServer, type TestServer } from './testing/server';
import { bedsHttp } from '../../common/domain/beds/protocol';
import { isStale } from '../../common/domain/beds/totals';
import { type Change, syncWire, syncHttp } from '../../common/protocol';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Every current unit report a demo user pulls. */
async function unitsSeenBy(s: TestServer, username: string) {
  const { token } = await s.login(username, DEMO_PASSWORD);
  const socket = await s.socket(token, `client-${username}-8`);
  const all: Change[] = [];
  let cursor = 0;
  for (let more = true; more; ) {
    const r = await socket.emitWithAck(syncWire.pull, { cursor, limit: 5000 });
    if (!('data' in r)) throw new Error(r.error.message);
    all.push(...r.data.changes);
    ({ cursor, more } = r.data);
  }
  socket.close();
  return all.flatMap((c) => (c.entity === 'unit' ? [c.data] : []));
}

describe('demo seeding', () => {
  it('creates the seven demo users, an event and its messages through the mutation path, once', async () => {
    server = await startTestServer();
    await seedDemo(server.app, {});
    const version = await server.app.store.latestVersion();
    expect(version).toBeGreaterThanOrEqual(6);
    await seedDemo(server.app, {});
    expect(await server.app.store.latestVersion()).toBe(version);
    expect(await server.app.store.boards.eventlog.countEvents()).toBe(1);
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
      const r = await s.emitWithAck(syncWire.pull, { cursor: 0 });
      s.close();
      if (!('data' in r)) throw new Error(r.error.message);
      return r.data.changes;
    };
    const bzh = await pullAs('ars-bretagne');
    // The stocks board's rows and the consigne of its demo allocation round have their own test (stocks/demo.test.ts).
    const stocksBoard = new Set(['unit', 'stockLine', 'allocationRound', 'allocationLine', 'redeployment']);
    const ids = (cs: Change[]) => {
      const roundMessages = new Set(cs.flatMap((c) => (c.entity === 'allocationRound' ? [c.data.messageId] : [])));
      return cs.flatMap((c) =>
        stocksBoard.has(c.entity) || (c.entity === 'message' && roundMessages.has(c.data.id))
          ? []
          : c.entity === 'ack'
            ? [`ack:${c.data.territory}`]
            : c.entity === 'transferSummary'
              ? [c.data.transferId]
              : [c.data.id],
      );
    };
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

describe('demo bed reports', () => {
  it('give each establishment\'s units a first report by its own account, some stale, each seen by its branch only', async () => {
    server = await startTestServer();
    await seedDemo(server.app, {});
    const units = await server.app.store.boards.beds.countUnits();
    expect(units).toBeGreaterThan(30);
    await seedDemo(server.app, {});
    expect(await server.app.store.boards.beds.countUnits()).toBe(units);

    const pullUnits = async (username: string) => {
      const { token } = await server!.login(username, DEMO_PASSWORD);
      const s = await server!.socket(token, `client-${username}-9`);
      const all: Change[] = [];
      let cursor = 0;
      for (let more = true; more; ) {
        const r = await s.emitWithAck(syncWire.pull, { cursor, limit: 5000 });
        if (!('data' in r)) throw new Error(r.error.message);
        all.push(...r.data.changes);
        ({ cursor, more } = r.data);
      }
      s.close();
      return all.flatMap((c) => (c.entity === 'unit' ? [c.data] : []));
    };
    const national = await pullUnits('national');
    expect(national).toHaveLength(units);
    // The establishments' own accounts report for their 18 establishments; the national
    // complement covers every département (its own test below).
    const own = national.filter((u) => u.source === 'app');
    expect(new Set(own.map((u) => u.finess)).size).toBe(DEMO_BED_REPORTERS.length + 1);
    const ownDeps = new Set(own.map((u) => server!.app.territories.establishment(u.finess)?.dep));
    expect([...ownDeps].sort()).toEqual(['29', '35', '75', '77', '78', '91', '92', '93', '94', '95']);
    const pitie = national.filter((u) => u.finess === '750100125');
    expect(pitie.length).toBeGreaterThanOrEqual(3);
    expect(pitie.every((u) => u.reportedRole === 'establishment:750100125' && u.source === 'app')).toBe(true);
    // Tight: a few units full, and a few past the 24 h stale delay.
    expect(national.filter((u) => u.available === 0).length).toBeGreaterThanOrEqual(3);
    const stale = national.filter((u) => isStale(u.at, Date.now(), 24));
    expect(stale.length).toBeGreaterThanOrEqual(3);
    expect(stale.length).toBeLessThan(units / 2);

    const bzh = await pullUnits('ars-bretagne');
    expect(new Set(bzh.map((u) => server!.app.territories.establishment(u.finess)?.dep))).toEqual(new Set(['22', '29', '35', '56']));
    expect((await pullUnits('pitie')).map((u) => u.finess)).toEqual(pitie.map(() => '750100125'));
  });

  it('cover every département of the referential with plausible units, the same at every seeding', async () => {
    server = await startTestServer();
    const t = server.app.territories;
    // Pure and seeded: two computations give the same units and figures.
    const units = nationalDemoUnits(t);
    expect(nationalDemoUnits(t)).toEqual(units);
    for (const u of units) expect(figureErrors({ ...u, extra24h: null, extra72h: null, ror: null }), `${u.finess} ${u.unitType}`).toEqual([]);
    // National orders of magnitude of spring 2020: about 5,000 réanimation beds installed.
    const rea = units.filter((u) => unitType(u.unitType)?.group === 'reanimation');
    const installed = rea.reduce((n, u) => n + u.installed, 0);
    expect(installed).toBeGreaterThan(4_000);
    expect(installed).toBeLessThan(6_000);
    // Surge beds and COVID+ units only in the régions hit first.
    const regionOf = (finess: string) => t.departement(t.establishment(finess)?.dep ?? '')?.region;
    expect(rea.filter((u) => (u.surge ?? 0) > 0).every((u) => ['11', '44'].includes(regionOf(u.finess) ?? ''))).toBe(true);
    expect(units.some((u) => u.assignment === 'covid+' && regionOf(u.finess) === '44')).toBe(true);
    // The hand-made establishments' départements get nothing more (their figures are the tests').
    const handMade = new Set(DEMO_BED_REPORTERS.map((u) => t.establishment(u.role.slice('establishment:'.length))?.dep));
    expect(units.filter((u) => handMade.has(t.establishment(u.finess)?.dep))).toEqual([]);

    await seedDemo(server.app, {});
    const seeded = await unitsSeenBy(server, 'national');
    const deps = new Set(seeded.map((r) => t.establishment(r.finess)?.dep));
    expect(t.departementList().filter((d) => !deps.has(d.code)).map((d) => d.code)).toEqual([]);
    // Every seeded report passes the domain's plausibility rules.
    for (const r of seeded) expect(figureErrors(r), `${r.finess} ${r.unitId}`).toEqual([]);
    expect(seeded.filter((r) => r.source === 'import')).toHaveLength(units.length);
    // The figures a second seeding (another database) gives are the same.
    const figures = (list: typeof seeded) => list.map((r) => [r.finess, r.unitId, r.installed, r.staffed, r.available, r.covidPos, r.covidNeg, r.surge].join('|')).sort();
    const other = await startTestServer();
    try {
      await seedDemo(other.app, {});
      expect(figures(await unitsSeenBy(other, 'national'))).toEqual(figures(seeded));
    } finally {
      await other.stop();
    }
  });

  it('adds the demo feed key only when one is given, bound to Île-de-France', async () => {
    server = await startTestServer();
    await seedDemo(server.app, {});
    const key = 'cle-de-demonstration-du-flux-0001';
    const post = (k: string, finess: string) =>
      fetch(`${server!.url}${bedsHttp.feedUnitReports}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `ApiKey ${k}` },
        body: JSON.stringify({ reports: [{ finess, unitType: 'USINV', installed: 14, staffed: 12, available: 2 }] }),
      });
    expect((await post(key, '750100125')).status).toBe(401);
    await seedDemo(server.app, { feedKey: key });
    await seedDemo(server.app, { feedKey: key });
    const ok = await post(key, '750100125');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ results: [{ index: 0, status: 'applied' }] });
    const out = await post(key, '290004324');
    expect(await out.json()).toMatchObject({ results: [{ index: 0, status: 'rejected', reason: expect.stringContaining('hors du territoire de la clé') }] });
  });
});

describe('createUser', () => {
  it('refuses bad input with French messages and creates nothing', async () => {
    server = await startTestServer();
    const { store, territories } = server.app;
    const base = { username: 'jdupont', password: 'une phrase assez longue', displayName: 'Jeanne Dupont', role: 'samu:75' };
    await expect(createUser(store, territories, { ...base, role: 'samu:7' })).rejects.toThrow(fr.server.badRole('samu:7'));
    await expect(createUser(store, territories, { ...base, role: 'establishment:999999999' })).rejects.toThrow(
      fr.server.unknownTerritory('establishment:999999999'),
    );
    await expect(createUser(store, territories, { ...base, username: 'a b' })).rejects.toThrow(fr.server.badUsername);
    await expect(createUser(store, territories, { ...base, password: 'court' })).rejects.toThrow(fr.server.passwordTooShort(12, 12, 16));
    await expect(createUser(store, territories, { ...base, role: 'ars:11', password: 'lapins du lundi' })).rejects.toThrow(fr.server.passwordTooShort(16, 12, 16));
    await expect(createUser(store, territories, { ...base, password: 'jdupont-urgences' })).rejects.toThrow(fr.server.passwordHasUsername);
    await expect(createUser(store, territories, { ...base, password: 'demo-vigie' })).rejects.toThrow(fr.server.passwordTooShort(12, 12, 16));
    await expect(createUser(store, territories, { ...base, password: 'demo-vigie-du-samu' })).rejects.toThrow(fr.server.passwordIsDemo);
    await expect(createUser(store, territories, { ...base, displayName: '  ' })).rejects.toThrow(fr.server.badDisplayName);
    expect(await store.findUserByUsername('jdupont')).toBeUndefined();
    const made = await createUser(store, territories, base);
    expect(made.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(createUser(store, territories, { ...base, username: 'JDUPONT' })).rejects.toThrow(fr.server.userExists('JDUPONT'));
  });

  it('accepts the public demo password only when seeding the demo, explicitly', async () => {
    server = await startTestServer();
    const { store, territories } = server.app;
    const demo = { username: 'demo-x', password: DEMO_PASSWORD, displayName: 'Démo', role: 'samu:75' };
    await expect(createUser(store, territories, demo)).rejects.toThrow(fr.server.passwordTooShort(12, 12, 16));
    await expect(createUser(store, territories, demo, { passwordPolicy: 'enforced' })).rejects.toThrow(fr.server.passwordTooShort(12, 12, 16));
    expect(await createUser(store, territories, demo, { passwordPolicy: 'demo-seeding' })).toMatchObject({ username: 'demo-x' });
  });
});
