import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';
import { storeRows } from '../testing/stores';
import { MAX_FEED_BODY_BYTES } from '../http/json';
import { createFeedKey, feedClientId, type CreatedFeedKey } from './feedKeys';
import { MAX_FEED_REPORTS, type FeedResult, bedsHttp } from '../../../common/domain/beds/protocol';
import { syncHttp, syncWire, type Poke } from '../../../common/protocol';

const PITIE = '750100125';
const BICHAT = '750100232';
const BREST = '290000058';

let server: TestServer;
let idfKey: CreatedFeedKey;
beforeEach(async () => {
  server = await startTestServer();
  idfKey = await createFeedKey(server.app.store.boards.beds, server.app.territories, { label: 'ROR Île-de-France', territory: 'R:11' });
});
afterEach(() => server.stop());

/** What the server's store holds, read directly (either store). */
const stored = (sql: string) => storeRows<Record<string, unknown>>(server.app.store, sql);
const count = async (table: string) => Number((await stored(`SELECT count(*) AS n FROM ${table}`))[0].n);

function feed(body: unknown, key: string | null = idfKey.key, raw?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = `ApiKey ${key}`;
  return fetch(`${server.url}${bedsHttp.feedUnitReports}`, { method: 'POST', headers, body: raw ?? JSON.stringify(body) });
}

async function connectAs(username: string, role: string): Promise<ClientSocket> {
  await server.user(username, role);
  const { token } = await server.login(username);
  return server.socket(token, `client-${username}-01`);
}

function collect(socket: ClientSocket): Poke[] {
  const list: Poke[] = [];
  socket.on(syncWire.poke, (p) => list.push(p));
  return list;
}

const line = (finess: string, unitType: string, extra: Record<string, unknown> = {}) => ({
  finess,
  unitType,
  installed: 20,
  staffed: 18,
  available: 2,
  ...extra,
});

describe('register feed', () => {
  it('applies a good key\'s reports through unit.report and pokes sockets in scope only', async () => {
    const ars = await connectAs('ars-idf', 'ars:11');
    const samu = await connectAs('samu75', 'samu:75');
    const bzh = await connectAs('ars-bretagne', 'ars:53');
    const other = await connectAs('bichat', `establishment:${BICHAT}`);
    const [arsPokes, samuPokes, bzhPokes, otherPokes] = [ars, samu, bzh, other].map(collect);
    const arrived = new Promise<Poke>((resolve) => samu.once(syncWire.poke, resolve));

    const res = await feed({
      reports: [
        line(PITIE, 'Réanimations médicales', { covidPos: 10, covidNeg: 6, comment: 'Extraction ROR 14 h', at: '2020-03-24T14:00:00+01:00' }),
        line(PITIE, 'USIC', { available: 0, extra24h: 2, extra72h: 4 }),
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as FeedResult;
    expect(body).toEqual({
      results: [
        { index: 0, status: 'applied', version: 1 },
        { index: 1, status: 'applied', version: 2 },
      ],
    });
    const poke = await arrived;
    expect(poke.changes.map((c) => (c.entity === 'unit' ? [c.data.unitType, c.data.source, c.data.reportedBy, c.data.reportedRole] : []))).toEqual([
      ['REA_MED', 'feed', 'ROR Île-de-France', 'ars:11'],
      ['SI_USIC', 'feed', 'ROR Île-de-France', 'ars:11'],
    ]);
    const first = poke.changes[0];
    expect(first.entity === 'unit' && [first.data.at, first.data.covidPos, first.data.comment]).toEqual([
      '2020-03-24T14:00:00+01:00',
      10,
      'Extraction ROR 14 h',
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(arsPokes.map((p) => p.version)).toEqual([2]);
    expect(samuPokes.map((p) => p.version)).toEqual([2]);
    expect(bzhPokes).toEqual([]);
    expect(otherPokes).toEqual([]);
    // Exactly-once bookkeeping: the key's own client id, numbered line by line.
    expect(await server.app.store.lastMutationId(feedClientId(idfKey))).toBe(2);
    // A pull gives the units once each.
    const pulled = await samu.emitWithAck(syncWire.pull, { cursor: 0 });
    expect('data' in pulled && pulled.data.changes.map((c) => c.version)).toEqual([1, 2]);
  });

  it('refuses a missing, wrong or disabled key with 401 in French, and writes nothing', async () => {
    const good = { reports: [line(PITIE, 'REA_MED')] };
    for (const key of [null, 'x'.repeat(43), `${idfKey.key}x`]) {
      const res = await feed(good, key);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: fr.feed.badKey } });
    }
    const bearer = await fetch(`${server.url}${bedsHttp.feedUnitReports}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${idfKey.key}` },
      body: JSON.stringify(good),
    });
    expect(bearer.status).toBe(401);
    expect(await server.app.store.boards.beds.disableFeedKey(idfKey.id)).toBe(true);
    expect((await feed(good)).status).toBe(401);
    expect(await count('change_log')).toBe(0);
  });

  it('rejects a line outside the key\'s territory with its reason and applies the others', async () => {
    const res = await feed({ reports: [line(PITIE, 'REA_MED'), line(BREST, 'REA_MED'), line(BICHAT, 'REA_CHIR')] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      results: [
        { index: 0, status: 'applied', version: 1 },
        { index: 1, status: 'rejected', reason: fr.feed.outOfTerritory(server.app.territories.label(`E:${BREST}`)) },
        { index: 2, status: 'applied', version: 2 },
      ],
    });
    expect(fr.feed.outOfTerritory('x')).toContain('hors du territoire de la clé');
    expect(await count('unit_current')).toBe(2);
  });

  it('rejects implausible lines, unknown unit types and establishments per line', async () => {
    const res = await feed({
      reports: [
        line(PITIE, 'REA_MED', { available: 19 }),
        line(PITIE, 'REA_CHIR', { installed: 400, staffed: 10, available: 1 }),
        line(PITIE, 'Réanimation des licornes'),
        line('123', 'REA_MED'),
        line(PITIE, 'Unité de Surveillance Continue (USC) médecine et chirurgie (polyvalente)'),
        line(PITIE, 'REA_MED', { at: new Date(Date.now() + 3_600_000).toISOString() }),
      ],
    });
    const { results } = (await res.json()) as FeedResult;
    expect(results[0]).toEqual({ index: 0, status: 'rejected', reason: fr.beds.availableOverStaffed(19, 18) });
    expect(results[1]).toMatchObject({ index: 1, status: 'rejected' });
    expect(results[1].status === 'rejected' && results[1].reason).toMatch(/^Données invalides : installed : plus de 300 lits/);
    expect(results[2]).toEqual({ index: 2, status: 'rejected', reason: fr.beds.unknownUnitType('Réanimation des licornes') });
    expect(results[3]).toEqual({ index: 3, status: 'rejected', reason: fr.beds.unknownEstablishment('123') });
    expect(results[4]).toEqual({ index: 4, status: 'applied', version: 1 });
    // A register's clock ahead: its line and the server's time, in a register's terms (not a workstation's).
    expect(results[5]).toEqual({ index: 5, status: 'rejected', reason: expect.stringMatching(/^Ligne 6 : heure d’observation \S+ postérieure à l’heure du serveur \(\S+\) — vérifiez l’horloge du registre\.$/) });
    expect(await count('unit_reports')).toBe(1);
  });

  it('keeps two units of one type apart by their unit id, and refuses the same unit twice in one request for the later line', async () => {
    const res = await feed({
      reports: [
        line(PITIE, 'REA_MED', { unitId: '94/666', unitName: 'Babinski', available: 3, at: '2020-03-24T08:00:00+01:00' }),
        line(PITIE, 'REA_MED', { unitId: '94/667', unitName: 'Gosset', available: 5, at: '2020-03-24T08:00:00+01:00' }),
        line(PITIE, 'Réanimations médicales', { unitId: '94/666', available: 9, at: '2020-03-24T09:00:00+01:00' }),
        line(PITIE, 'REA_CHIR', { available: 1 }),
        line(PITIE, 'REA_CHIR', { available: 2 }),
      ],
    });
    const { results } = (await res.json()) as FeedResult;
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected', 'applied', 'rejected']);
    expect(results[2]).toMatchObject({ reason: 'Ligne 3 : même unité que la ligne 1 de cette requête — une unité une fois par requête ; envoyez ses chiffres suivants dans une autre requête.' });
    expect(results[4]).toMatchObject({ reason: expect.stringMatching(/^Ligne 5 : même unité que la ligne 4 /) });
    const current = await stored(`SELECT c.unit_id, r.unit_name, r.available, r.at_known FROM unit_current c JOIN unit_reports r ON r.id = c.report_id ORDER BY c.unit_id`);
    expect(current).toEqual([
      { unit_id: '94/666', unit_name: 'Babinski', available: 3, at_known: 1 },
      { unit_id: '94/667', unit_name: 'Gosset', available: 5, at_known: 1 },
      // No time from the register: dated at reception, marked unknown.
      { unit_id: 'REA_CHIR', unit_name: null, available: 1, at_known: 0 },
    ]);
  });

  it('takes the 2020 labels with their marks and surge beds: a COVID+ and a COVID− réanimation are two units, staffed beyond installed is surge', async () => {
    const res = await feed({
      reports: [
        line(PITIE, 'Réanimation COVID19 +', { installed: 20, staffed: 34, available: 1 }),
        line(PITIE, 'Réanimation COVID19 -', { installed: 12, staffed: 12, available: 3, surge: 0, ror: { reserved: 2, forecast: { h24: 4 } } }),
        line(PITIE, 'SSPI transformée en réanimation', { installed: 0, staffed: 10, available: 2, surge: 10, ror: { crisisType: 'sse' } }),
        line(BICHAT, 'REA_MED', { installed: 10, staffed: 20, available: 2, surge: 4 }),
      ],
    });
    const { results } = (await res.json()) as FeedResult;
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'rejected']);
    expect(results[3]).toMatchObject({ reason: 'Lits armés (20) supérieurs aux lits ouverts (10 installés + 4 de renfort).' });
    const rows = await stored(`SELECT unit_id, unit_type, unit_name, assignment, temporary, surge, ror FROM unit_reports ORDER BY version`);
    expect(rows).toEqual([
      { unit_id: 'REA_MEDCHIR COVID+', unit_type: 'REA_MEDCHIR', unit_name: 'Réanimation COVID19 +', assignment: 'covid+', temporary: 0, surge: 14, ror: null },
      {
        unit_id: 'REA_MEDCHIR COVID-',
        unit_type: 'REA_MEDCHIR',
        unit_name: 'Réanimation COVID19 -',
        assignment: 'covid-',
        temporary: 0,
        surge: 0,
        ror: JSON.stringify({ reserved: 2, forecast: { h24: 4 } }),
      },
      { unit_id: 'REA_MEDCHIR TEMP', unit_type: 'REA_MEDCHIR', unit_name: 'SSPI transformée en réanimation', assignment: null, temporary: 1, surge: 10, ror: JSON.stringify({ crisisType: 'sse' }) },
    ]);
  });

  it('a late batch of old figures goes into the history and never replaces newer ones', async () => {
    const send = async (available: number, at: string) => ((await (await feed({ reports: [line(PITIE, 'REA_MED', { available, at })] })).json()) as FeedResult).results[0];
    expect(await send(4, '2020-03-24T14:00:00+01:00')).toMatchObject({ status: 'applied' });
    // The 8 h figures arrive after the 14 h ones: applied (kept), not current.
    expect(await send(9, '2020-03-24T08:00:00+01:00')).toMatchObject({ status: 'applied' });
    expect(await send(6, '2020-03-24T11:00:00+01:00')).toMatchObject({ status: 'applied' });
    const current = await stored(`SELECT r.available FROM unit_current c JOIN unit_reports r ON r.id = c.report_id`);
    expect(current).toEqual([{ available: 4 }]);
    const history = await server.app.store.boards.beds.unitHistory(PITIE, 'REA_MED', undefined, 10);
    expect(history.map((r) => [r.available, r.at])).toEqual([
      [4, '2020-03-24T14:00:00+01:00'],
      [6, '2020-03-24T11:00:00+01:00'],
      [9, '2020-03-24T08:00:00+01:00'],
    ]);
    // A client pulling from scratch gets the current figures only.
    const samu = await connectAs('samu75', 'samu:75');
    const pulled = await samu.emitWithAck(syncWire.pull, { cursor: 0 });
    expect('data' in pulled && pulled.data.changes.map((c) => c.entity === 'unit' && c.data.available)).toEqual([4]);
  });

  it('refuses a malformed body whole with 400 and French details, writing nothing', async () => {
    const bad = await feed({ reports: [line(PITIE, 'REA_MED'), line(PITIE, 'REA_CHIR', { installed: '12' })] });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('bad_request');
    expect(error.message).toBe('Requête invalide : reports.1.installed : Entrée invalide : nombre attendu, chaîne de caractères reçu');
    const extra = await feed({ reports: [line(PITIE, 'REA_MED', { lits: 3 })] });
    expect(extra.status).toBe(400);
    expect((await feed({ reports: [] })).status).toBe(400);
    const tooMany = await feed({ reports: Array.from({ length: MAX_FEED_REPORTS + 1 }, () => line(PITIE, 'REA_MED')) });
    expect(tooMany.status).toBe(400);
    const json = await feed(null, idfKey.key, '{"reports": [');
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: { code: 'bad_request', message: fr.server.badJson } });
    expect((await count('change_log')) + (await count('unit_reports'))).toBe(0);
    expect(await server.app.store.lastMutationId(feedClientId(idfKey))).toBe(0);
  });

  it('accepts 2,000 reports in one body and refuses a body over 1 MiB with a French 413', async () => {
    // 340 establishments × 6 types: every line a distinct unit (a unit twice in one request is refused).
    const finessList = server.app.territories.establishmentsIn('R:11').map((e) => e.finess).slice(0, 340);
    expect(finessList).toHaveLength(340);
    const types = ['REA_MED', 'REA_CHIR', 'REA_MEDCHIR', 'SI_USIC', 'USC_POLY', 'USC_MED'];
    const reports = Array.from({ length: MAX_FEED_REPORTS }, (_, i) =>
      line(finessList[Math.floor(i / types.length) % finessList.length], types[i % types.length], { comment: 'Relevé automatique du registre' }),
    );
    const body = JSON.stringify({ reports });
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_FEED_BODY_BYTES);
    const ok = await feed(null, idfKey.key, body);
    expect(ok.status).toBe(200);
    const { results } = (await ok.json()) as FeedResult;
    expect(results.filter((r) => r.status === 'applied')).toHaveLength(MAX_FEED_REPORTS);
    const big = await feed(null, idfKey.key, JSON.stringify({ reports: [line(PITIE, 'REA_MED', { comment: 'x'.repeat(MAX_FEED_BODY_BYTES) })] }));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: { code: 'too_large', message: fr.protocol.tooLarge(MAX_FEED_BODY_BYTES) } });
  });

  it('applies a 1,000-line request exactly once but for its bad lines, each named with its reason', async () => {
    const finessList = server.app.territories.establishmentsIn('R:11').map((e) => e.finess).slice(0, 167);
    const types = ['REA_MED', 'REA_CHIR', 'REA_MEDCHIR', 'SI_USIC', 'USC_POLY', 'USC_MED'];
    // Establishments interleaved: a line's neighbours are other establishments' units.
    const reports: Array<Record<string, unknown>> = Array.from({ length: 1_000 }, (_, i) =>
      line(finessList[i % finessList.length], types[Math.floor(i / finessList.length)], { available: i % 7 }),
    );
    reports[500] = { ...reports[500], available: 30 }; // refused by the mutator: more available than staffed
    reports[700] = line(BREST, 'REA_MED'); // refused before the store: outside the key's territory
    reports[900] = { ...reports[3] }; // refused before the store: the unit of line 4 again
    const res = await feed({ reports });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as FeedResult;
    expect(results.map((r) => r.index)).toEqual(reports.map((_, i) => i));
    expect(results[500]).toEqual({ index: 500, status: 'rejected', reason: fr.beds.availableOverStaffed(30, 18) });
    expect(results[700]).toEqual({ index: 700, status: 'rejected', reason: fr.feed.outOfTerritory(server.app.territories.label(`E:${BREST}`)) });
    expect(results[900]).toEqual({ index: 900, status: 'rejected', reason: fr.feed.duplicateUnit(901, 4) });
    const applied = results.filter((r) => r.status === 'applied');
    expect(applied).toHaveLength(997);
    // Each applied line once: its own version, its own history row, its unit's current row, one change-log row.
    const versions = applied.map((r) => (r.status === 'applied' ? r.version : 0));
    expect(new Set(versions).size).toBe(997);
    expect(await count('unit_reports')).toBe(997);
    expect(await count('unit_current')).toBe(997);
    const logged = (await stored(`SELECT version FROM change_log WHERE entity = 'unit'`)).map((r) => Number(r.version));
    expect(logged.sort((a, b) => a - b)).toEqual([...versions].sort((a, b) => a - b));
    const rows = await stored(`SELECT r.finess, r.unit_id AS "unitId", r.available, r.version FROM unit_reports r`);
    const byVersion = new Map(rows.map((r) => [Number(r.version), [r.finess, r.unitId, Number(r.available)]]));
    results.forEach((r, i) => {
      if (r.status === 'applied') expect(byVersion.get(r.version)).toEqual([reports[i].finess, reports[i].unitType, reports[i].available]);
    });
    // The ledger: every line that reached the store (the refused implausible one included), numbered once.
    expect(await server.app.store.lastMutationId(feedClientId(idfKey))).toBe(998);
    const ledger = await stored(`SELECT status, count(*) AS n FROM mutation_results WHERE client_id = '${feedClientId(idfKey)}' GROUP BY status ORDER BY status`);
    expect(ledger.map((r) => [r.status, Number(r.n)])).toEqual([
      ['applied', 997],
      ['rejected', 1],
    ]);
  });

  it('pokes once per establishment of a request, whatever the order of its lines', async () => {
    const ars = await connectAs('ars-idf', 'ars:11');
    const pokes = collect(ars);
    const res = await feed({ reports: [line(BICHAT, 'REA_MED'), line(PITIE, 'REA_MED'), line(BICHAT, 'SI_USIC'), line(PITIE, 'SI_USIC')] });
    const { results } = (await res.json()) as FeedResult;
    // Applied by establishment (Pitié's path sorts first), each line answered with its own version.
    expect(results).toEqual([
      { index: 0, status: 'applied', version: 3 },
      { index: 1, status: 'applied', version: 1 },
      { index: 2, status: 'applied', version: 4 },
      { index: 3, status: 'applied', version: 2 },
    ]);
    for (let i = 0; i < 200 && pokes.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 50));
    expect(pokes.map((p) => p.changes.map((c) => (c.entity === 'unit' ? [c.version, c.data.finess, c.data.unitType] : [])))).toEqual([
      [
        [1, PITIE, 'REA_MED'],
        [2, PITIE, 'SI_USIC'],
      ],
      [
        [3, BICHAT, 'REA_MED'],
        [4, BICHAT, 'SI_USIC'],
      ],
    ]);
  });

  it('numbers concurrent requests of one key inside the transaction: none is taken for a replay', async () => {
    const send = (available: number) => feed({ reports: [line(PITIE, 'REA_MED', { available })] });
    const answers = await Promise.all([send(1), send(2), send(3), send(2)]);
    const versions = await Promise.all(answers.map(async (r) => ((await r.json()) as FeedResult).results[0]));
    expect(versions.every((r) => r.status === 'applied')).toBe(true);
    expect(await count('unit_reports')).toBe(4);
    expect(await server.app.store.lastMutationId(feedClientId(idfKey))).toBe(4);
  });
});

describe('a feed key’s ledger', () => {
  it('cannot be taken by a workstation before the key’s first use: the handshake refuses the reserved client id, and the feed keeps working', async () => {
    await server.user('squatter', 'samu:75');
    const { token } = await server.login('squatter');
    await expect(server.socket(token, feedClientId(idfKey))).rejects.toMatchObject({
      message: fr.server.clientIdReserved,
      data: { code: 'forbidden' },
    });
    // Any feed-prefixed id is refused, a key's or not.
    await expect(server.socket(token, 'feed-not-a-key-at-all')).rejects.toMatchObject({ data: { code: 'forbidden' } });
    const res = await feed({ reports: [line(PITIE, 'REA_MED')] });
    expect(((await res.json()) as FeedResult).results).toEqual([{ index: 0, status: 'applied', version: expect.any(Number) }]);
    expect(await server.app.store.lastMutationId(feedClientId(idfKey))).toBe(1);
  });
});

describe('feed keys', () => {
  it('are bound to France or a region only, and store only the key\'s hash', async () => {
    const { territories } = server.app;
    const store = server.app.store.boards.beds;
    await expect(createFeedKey(store, territories, { label: 'SAMU 75', territory: 'D:75' })).rejects.toThrow(fr.feed.badTerritory('D:75'));
    await expect(createFeedKey(store, territories, { label: 'X', territory: 'R:99' })).rejects.toThrow(fr.feed.badTerritory('R:99'));
    await expect(createFeedKey(store, territories, { label: ' ', territory: 'FR' })).rejects.toThrow(fr.feed.badLabel);
    const national = await createFeedKey(store, territories, { label: 'Registre national', territory: 'FR' });
    expect(national).toMatchObject({ role: 'national', territory: 'FR', disabled: false });
    expect(national.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await stored('SELECT * FROM feed_keys'))).not.toContain(national.key);
    // The key's account never logs in.
    const account = await server.app.store.getUser(national.userId);
    expect(account?.disabled).toBe(true);
    const login = await fetch(`${server.url}${syncHttp.login}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: account?.username, password: 'n-importe-quoi' }),
    });
    expect(login.status).toBe(401);
    // A national key reaches Brittany.
    const res = await feed({ reports: [line(BREST, 'REA_MEDCHIR')] }, national.key);
    expect(((await res.json()) as FeedResult).results[0].status).toBe('applied');
  });
});
