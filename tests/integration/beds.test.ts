/**
 * The bed board across real processes: a real sync server (createApp on port 0, demo
 * accounts) and real clients (the main-process services, each with its own SQLite cache),
 * talking through the ConsoleApi dispatch the UI uses.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedKey } from '../../sync-server/src/beds/feedKeys';
import {
  FAST_SYNC,
  loginClient,
  rawClient,
  serverDb,
  startServer,
  tempDir,
  waitFor,
  waitSynced,
  type TestClient,
  type TestServer,
} from './harness';
import { type FeedResult, bedsHttp } from '../../common/domain/beds/protocol';
import type { UnitView } from '../../common/domain/beds/views';
import { decodeUnitChanges } from '../../common/domain/beds/wire';
import { syncHttp, syncWire, type PushResult, type Reply } from '../../common/protocol';

const PITIE = '750100125';
const SAINT_JOSEPH = '750000523';
const CURIE = '920000460';
const QUIMPER = '290000025';

/** A poke, not a pull, must bring a live change: these clients pull only a minute after one. */
const POKE_ONLY = { ...FAST_SYNC, pokePullDelayMs: 60_000 };

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let pitie: TestClient;
let arsIdf: TestClient;
let national: TestClient;
let arsBretagne: TestClient;

beforeAll(async () => {
  tmp = tempDir('beds');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  pitie = await loginClient(join(tmp.dir, 'pitie'), server.url, 'pitie');
  arsIdf = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf', POKE_ONLY);
  national = await loginClient(join(tmp.dir, 'national'), server.url, 'national', POKE_ONLY);
  arsBretagne = await loginClient(join(tmp.dir, 'ars-bretagne'), server.url, 'ars-bretagne');
  for (const c of [pitie, arsIdf, national, arsBretagne]) await waitSynced(c);
});
afterAll(async () => {
  for (const c of [pitie, arsIdf, national, arsBretagne]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

const unitOf = async (c: TestClient, finess: string, unitType: string): Promise<UnitView | undefined> =>
  (await c.call('beds.current', {})).find((u) => u.finess === finess && u.unitType === unitType);

describe('an establishment’s report', () => {
  it('reaches ARS Île-de-France and the national cell live, and never ARS Bretagne', async () => {
    const receipt = await pitie.call('beds.report', {
      finess: PITIE,
      unitType: 'REA_MED',
      installed: 40,
      staffed: 36,
      available: 6,
      covidPos: 24,
      covidNeg: 6,
      comment: 'Deux sorties prévues à 14 h',
    });
    // The author sees it at once, pending until the server confirms.
    expect(await unitOf(pitie, PITIE, 'REA_MED')).toMatchObject({ id: receipt.id, available: 6, pending: true, source: 'app' });

    for (const c of [arsIdf, national]) {
      const seen = await waitFor(() => unitOf(c, PITIE, 'REA_MED'), 'the report to arrive by poke');
      expect(seen).toMatchObject({
        id: receipt.id,
        available: 6,
        staffed: 36,
        installed: 40,
        pending: false,
        reportedBy: 'Dr Nadia Benali',
        establishmentName: 'HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE',
        dep: '75',
        region: '11',
      });
      expect(c.eventsOf('data.changed').some((e) => e.entities.includes('unit'))).toBe(true);
    }
    await waitSynced(pitie);
    expect(await unitOf(pitie, PITIE, 'REA_MED')).toMatchObject({ id: receipt.id, pending: false });

    // Bretagne: a later change it may see (a Quimper report by a Bretagne register) arrives
    // and its cursor passes the Pitié report: "not received" is then a fact, not a race.
    const bzhKey = await createFeedKey(server.app.store.boards.beds, server.app.territories, { label: 'ROR Bretagne', territory: 'R:53' });
    const res = await fetch(new URL(bedsHttp.feedUnitReports, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `ApiKey ${bzhKey.key}` },
      body: JSON.stringify({ reports: [{ finess: QUIMPER, unitType: 'REA_MED', installed: 12, staffed: 12, available: 3 }] }),
    });
    expect(((await res.json()) as FeedResult).results[0].status).toBe('applied');
    await waitFor(() => unitOf(arsBretagne, QUIMPER, 'REA_MED'), 'Bretagne to receive the Quimper report');
    await waitSynced(arsBretagne);
    const bretagne = await arsBretagne.call('beds.current', {});
    expect(bretagne.map((u) => u.finess)).toContain(QUIMPER);
    expect(bretagne.every((u) => u.region === '53')).toBe(true);
  });

  it('its history is served to ARS Île-de-France, cached, and refused to ARS Bretagne', async () => {
    const history = await arsIdf.call('beds.history', { finess: PITIE, unitType: 'REA_MED', days: 7 });
    expect(history.complete).toBe(true);
    expect(history.reports.map((r) => r.available)).toEqual([6]);
    const refused = await arsBretagne.raw('beds.history', { finess: PITIE, unitType: 'REA_MED' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'Le territoire « Hôpital Pitié-Salpêtrière » est hors de votre périmètre.' },
    });
  });

  it('a national client reads only what changed since its counter: the one unit reported, placed and named', async () => {
    await waitSynced(national);
    const changes = async (since: number) => decodeUnitChanges(await national.call('beds.changes', { since }));
    const picture = await changes(0);
    expect(picture.full).toBe(true);
    expect(picture.units.length).toBeGreaterThan(0);
    expect(await changes(picture.cursor)).toEqual({ full: false, units: [], removed: [], cursor: picture.cursor });

    await pitie.call('beds.report', { finess: PITIE, unitType: 'USC_MED', installed: 12, staffed: 10, available: 5 });
    const delta = await waitFor(async () => {
      const d = await changes(picture.cursor);
      return d.units.length > 0 ? d : undefined;
    }, 'the national client to see the Pitié change');
    expect(delta).toMatchObject({ full: false, removed: [] });
    expect(delta.units).toEqual([
      expect.objectContaining({ finess: PITIE, unitType: 'USC_MED', available: 5, pending: false, establishmentName: 'HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE', region: '11' }),
    ]);
    expect(delta.cursor).toBeGreaterThan(picture.cursor);
  });

  it('for another establishment is refused locally, and by the server when forced over the raw protocol', async () => {
    const before = await pitie.call('sync.status', {});
    const local = await pitie.raw('beds.report', { finess: SAINT_JOSEPH, unitType: 'REA_MED', installed: 10, staffed: 10, available: 2 });
    expect(local).toEqual({ ok: false, error: { code: 'rejected', message: 'Vous ne pouvez déclarer que les unités de votre établissement.' } });
    expect((await pitie.call('sync.status', {})).pending).toBe(before.pending);
    expect(await unitOf(pitie, SAINT_JOSEPH, 'REA_MED')).toBeUndefined();

    const { socket } = await rawClient(server.url, 'pitie', 'raw-pitie-forcing-01');
    try {
      const args = { id: randomUUID(), finess: SAINT_JOSEPH, unitType: 'REA_MED', installed: 10, staffed: 10, available: 2 };
      const reply = (await socket.timeout(5_000).emitWithAck(syncWire.push, {
        clientId: 'raw-pitie-forcing-01',
        mutations: [{ clientId: 'raw-pitie-forcing-01', mutationId: 1, name: 'unit.report', args, at: new Date().toISOString() }],
      })) as Reply<PushResult>;
      expect(reply).toEqual({
        data: { results: [{ mutationId: 1, status: 'rejected', reason: 'Vous ne pouvez déclarer que les unités de votre établissement.' }] },
      });
    } finally {
      socket.disconnect();
    }
    const db = serverDb(server.dbPath);
    try {
      expect(db.unitReportCount(SAINT_JOSEPH)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('labelled a register feed over the raw protocol is stored as what it is, and its jump still needs confirming', async () => {
    const push = async (username: string, clientId: string, mutationId: number, args: Record<string, unknown>) => {
      const { socket } = await rawClient(server.url, username, clientId);
      try {
        return (await socket.timeout(5_000).emitWithAck(syncWire.push, {
          clientId,
          mutations: [{ clientId, mutationId, name: 'unit.report', args: { id: randomUUID(), ...args }, at: new Date().toISOString() }],
        })) as Reply<PushResult>;
      } finally {
        socket.disconnect();
      }
    };
    const figures = { finess: PITIE, unitType: 'USC_PED', installed: 20, staffed: 18 };
    const first = await push('pitie', 'raw-pitie-source-01', 1, { ...figures, available: 1, source: 'feed' });
    expect(first, JSON.stringify(first)).toMatchObject({ data: { results: [{ status: 'applied' }] } });
    // +15 beds "from a feed": refused as any establishment's unconfirmed jump.
    const jump = await push('pitie', 'raw-pitie-source-01', 2, { ...figures, available: 16, source: 'feed' });
    expect(jump).toMatchObject({ data: { results: [{ status: 'rejected', reason: expect.stringMatching(/confirmez/) }] } });
    // An ARS over the socket writes an extract import, whatever it calls it.
    expect(await push('ars-idf', 'raw-ars-source-01', 1, { ...figures, available: 2, source: 'feed' })).toMatchObject({ data: { results: [{ status: 'applied' }] } });
    const db = serverDb(server.dbPath);
    try {
      const sources = db.unitSources(PITIE, 'USC_PED');
      expect(sources).toEqual(['app', 'import']);
    } finally {
      db.close();
    }
  });

  it('with implausible figures or an unconfirmed jump is refused locally with the French reason the form shows', async () => {
    const over = await pitie.raw('beds.report', { finess: PITIE, unitType: 'REA_MED', installed: 40, staffed: 36, available: 37 });
    expect(over).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'Lits disponibles (37) supérieurs aux lits armés (36) : un lit vide n’est disponible que s’il est armé.' },
    });
    const jump = await pitie.raw('beds.report', { finess: PITIE, unitType: 'REA_MED', installed: 40, staffed: 36, available: 12 });
    expect(jump).toEqual({ ok: false, error: { code: 'rejected', message: 'Variation de 6 lits depuis le dernier relevé (plus de 4) : confirmez ces chiffres.' } });
    const confirmed = await pitie.call('beds.report', { finess: PITIE, unitType: 'REA_MED', installed: 40, staffed: 36, available: 12, confirmJump: true });
    await waitFor(async () => (await unitOf(national, PITIE, 'REA_MED'))?.id === confirmed.id, 'the confirmed report at national');
  });
});

describe('the register feed', () => {
  const report = { finess: PITIE, unitType: 'Réanimation médico-chirurgicale pédiatrique', installed: 16, staffed: 14, available: 3 };
  const send = (key: string) =>
    fetch(new URL(bedsHttp.feedUnitReports, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `ApiKey ${key}` },
      body: JSON.stringify({ reports: [report] }),
    });

  it('refuses a wrong key and an out-of-territory key, storing nothing; a good key’s report reaches clients live', async () => {
    const wrong = await send('cle-inconnue-0123456789abcdef');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'unauthenticated', message: expect.stringMatching(/^Clé d’API absente, invalide/) } });

    const bzh = await createFeedKey(server.app.store.boards.beds, server.app.territories, { label: 'ROR Bretagne (2)', territory: 'R:53' });
    const outside = await send(bzh.key);
    expect(outside.status).toBe(200);
    expect(await outside.json()).toEqual({
      results: [{ index: 0, status: 'rejected', reason: 'Établissement « Hôpital Pitié-Salpêtrière » hors du territoire de la clé.' }],
    });
    const db = serverDb(server.dbPath);
    try {
      expect(db.currentUnit(PITIE, 'REA_PED')).toBeUndefined();
    } finally {
      db.close();
    }

    const idf = await createFeedKey(server.app.store.boards.beds, server.app.territories, { label: 'ROR Île-de-France', territory: 'R:11' });
    const good = await send(idf.key);
    expect(((await good.json()) as FeedResult).results[0].status).toBe('applied');
    for (const c of [arsIdf, national, pitie]) {
      const seen = await waitFor(() => unitOf(c, PITIE, 'REA_PED'), 'the feed report to arrive');
      expect(seen).toMatchObject({ available: 3, source: 'feed', reportedBy: 'ROR Île-de-France', pending: false });
    }
    expect(await unitOf(arsBretagne, PITIE, 'REA_PED')).toBeUndefined();
  });
});

describe('a ROR extract imported by ARS Île-de-France', () => {
  const csv = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'latin1').toString('base64');
  const file = csv([
    'COD_ROR_EG;LIB_TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP',
    `${SAINT_JOSEPH};Réanimation médico-chirurgicale;24;22;5`,
    `${CURIE};USIC;12,5;12;3`, // half a bed
    `${CURIE};Unité de Surveillance Continue (USC) médecine;10;8;2`,
    `${QUIMPER};Réanimation néonatale;8;8;1`, // Bretagne: outside the ARS's territory
  ]);

  it('reports the bad lines and imports nothing; with validOnly it imports the rest, which reach the server and the national cell', async () => {
    const preview = await arsIdf.call('beds.importPreview', { fileName: 'ror-idf.csv', contentBase64: file });
    expect(preview).toMatchObject({ encoding: 'latin-1', separator: ';', lines: 4 });
    // The extract does not date its figures: they will be dated at the import, marked so.
    expect(preview.warnings).toEqual([{ line: 1, reason: expect.stringMatching(/^Pas de colonne d’heure d’observation/) }]);
    expect(preview.valid.map((v) => [v.line, v.finess, v.unitType])).toEqual([
      [2, SAINT_JOSEPH, 'REA_MEDCHIR'],
      [4, CURIE, 'USC_MED'],
    ]);
    expect(preview.errors).toEqual([
      { line: 3, reason: 'NBR_LIT_INS : « 12,5 » — nombre entier de lits attendu.' },
      { line: 5, reason: 'Le territoire « CHI de Cornouaille Quimper » est hors de votre périmètre.' },
    ]);

    const refused = await arsIdf.raw('beds.importCommit', { fileName: 'ror-idf.csv', contentBase64: file, validOnly: false, confirmJumps: false });
    expect(refused).toEqual({ ok: false, error: { code: 'rejected', message: expect.stringMatching(/^Le fichier contient 2 ligne\(s\) en erreur : rien n’est importé/) } });
    expect((await arsIdf.call('sync.status', {})).pending).toBe(0);
    expect(await unitOf(arsIdf, SAINT_JOSEPH, 'REA_MEDCHIR')).toBeUndefined();

    const done = await arsIdf.call('beds.importCommit', { fileName: 'ror-idf.csv', contentBase64: file, validOnly: true, confirmJumps: false });
    expect(done).toEqual({ imported: 2, skipped: 2 });
    await waitSynced(arsIdf);
    const db = serverDb(server.dbPath);
    try {
      expect(db.currentUnit(SAINT_JOSEPH, 'REA_MEDCHIR')).toMatchObject({ available: 5 });
      expect(db.currentUnit(CURIE, 'USC_MED')).toMatchObject({ available: 2 });
      expect(db.currentUnit(QUIMPER, 'REA_NEONAT')).toBeUndefined();
    } finally {
      db.close();
    }
    const atNational = await waitFor(() => unitOf(national, CURIE, 'USC_MED'), 'the imported report at national');
    expect(atNational).toMatchObject({ source: 'import', reportedBy: 'Sophie Lambert', available: 2, atKnown: false });
  });

  it('a jump of more than 4 beds needs confirmJumps', async () => {
    const observed = new Date().toISOString();
    const jump = csv(['FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP;DATE_MAJ', `${SAINT_JOSEPH};REA_MEDCHIR;24;22;15;${observed}`]);
    const preview = await arsIdf.call('beds.importPreview', { fileName: 'saut.csv', contentBase64: jump });
    expect(preview.warnings).toEqual([{ line: 2, reason: 'Variation de 10 lits depuis le dernier relevé (plus de 4) : confirmez ces chiffres.' }]);
    const refused = await arsIdf.raw('beds.importCommit', { fileName: 'saut.csv', contentBase64: jump, validOnly: false, confirmJumps: false });
    expect(refused.ok).toBe(false);
    expect(await arsIdf.call('beds.importCommit', { fileName: 'saut.csv', contentBase64: jump, validOnly: false, confirmJumps: true })).toEqual({
      imported: 1,
      skipped: 0,
    });
    await waitSynced(arsIdf);
    const db = serverDb(server.dbPath);
    try {
      expect(db.currentUnit(SAINT_JOSEPH, 'REA_MEDCHIR')).toMatchObject({ available: 15 });
    } finally {
      db.close();
    }
    // Dated by the extract's own column, and known to be.
    const atNational = await waitFor(async () => {
      const u = await unitOf(national, SAINT_JOSEPH, 'REA_MEDCHIR');
      return u?.available === 15 ? u : undefined;
    }, 'the dated report at national');
    expect(atNational).toMatchObject({ at: observed, atKnown: true });
  });
});

describe('exports and settings through the ConsoleApi', () => {
  it('export the picture in the user’s scope as CSV and EDXL-HAVE; settings are kept per workstation', async () => {
    const csv = await national.call('beds.export', { format: 'csv', territory: 'D:75' });
    expect(csv.mimeType).toBe('text/csv;charset=utf-8');
    expect(csv.fileName).toMatch(/^lits-soins-critiques-D-75-\d{4}-\d\d-\d\d-\d{4}\.csv$/);
    const rows = csv.content.split('\r\n').filter(Boolean);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.slice(1).every((r) => r.split(';')[1] === '75')).toBe(true);
    const xml = await national.call('beds.export', { format: 'edxl-have' });
    expect(xml.content).toContain('<HospitalStatus xmlns="urn:oasis:names:tc:emergency:EDXL:HAVE:1.0"');
    expect(xml.content).toContain(`xnl:ID="${QUIMPER}"`);

    // Colour thresholds count free beds (none free is red, few free per unit is orange).
    expect(await arsIdf.call('beds.settings', {})).toEqual({ staleAfterHours: 24, thresholds: { fewFree: 2 } });
    const saved = await arsIdf.call('beds.setSettings', { staleAfterHours: 12, thresholds: { fewFree: 3 } });
    expect(saved).toEqual({ staleAfterHours: 12, thresholds: { fewFree: 3 } });
    expect(await arsIdf.call('beds.settings', {})).toEqual(saved);
    const bad = await arsIdf.raw('beds.setSettings', { staleAfterHours: 12, thresholds: { fewFree: 2.5 } });
    expect(bad.ok === false && bad.error.code).toBe('bad_args');
    expect(bad.ok === false && bad.error.message).toContain('nombre entier de lits attendu');
    // An occupancy threshold of an older workstation is not a free-bed count: refused, not half-read.
    const old = await arsIdf.raw('beds.setSettings', { staleAfterHours: 12, thresholds: { orange: 0.6, red: 0.85 } });
    expect(old.ok === false && old.error.code).toBe('bad_args');
    expect(await arsIdf.call('beds.settings', {})).toEqual(saved);

    const ests = await national.call('referential.establishments', { territory: 'D:75' });
    expect(ests.find((e) => e.finess === PITIE)).toMatchObject({ name: 'HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE', dep: '75' });
    expect(ests.every((e) => e.dep === '75')).toBe(true);
  });
});
