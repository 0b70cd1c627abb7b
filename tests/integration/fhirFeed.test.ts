/**
 * The register feed in the ROR's FHIR shape across real processes: a real sync server on
 * 127.0.0.1 (demo data), a real feed key, Bundles posted over HTTP, and what a real
 * socket.io client of the raw protocol then pulls.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedKey } from '../../sync-server/src/beds/feedKeys';
import type { BatchResponse } from '../../sync-server/src/beds/fhirRoute';
import { bundle, capacity, exampleBundle, location, organization, service } from '../../sync-server/src/testing/rorFhir';
import { rawClient, startServer, tempDir, type RawSocket, type TestServer } from './harness';
import { bedsHttp } from '../../common/domain/beds/protocol';
import type { UnitReport } from '../../common/domain/beds/model';
import { syncWire } from '../../common/protocol';

const PITIE = '750100125';

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let feedKey: string;
let samu: RawSocket;
let bretagne: RawSocket;

beforeAll(async () => {
  tmp = tempDir('fhir');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  feedKey = (await createFeedKey(server.app.store.boards.beds, server.app.territories, { label: 'ROR Île-de-France', territory: 'R:11' })).key;
  samu = (await rawClient(server.url, 'samu75', 'raw-samu75-fhir-01')).socket;
  bretagne = (await rawClient(server.url, 'ars-bretagne', 'raw-bzh-fhir-01')).socket;
});
afterAll(async () => {
  samu?.close();
  bretagne?.close();
  await server?.close();
  tmp?.cleanup();
});

async function post(body: unknown): Promise<BatchResponse> {
  const res = await fetch(new URL(bedsHttp.feedFhir, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', authorization: `ApiKey ${feedKey}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as BatchResponse;
}

/** Pulls from `cursor` until nothing more waits: the unit rows received, by `finess:unitId`, and the new cursor. */
async function pullUnits(socket: RawSocket, cursor: number): Promise<{ units: Map<string, UnitReport>; cursor: number }> {
  const units = new Map<string, UnitReport>();
  for (;;) {
    const reply = await socket.timeout(5_000).emitWithAck(syncWire.pull, { cursor });
    if (!('data' in reply)) throw new Error(`pull refused: ${JSON.stringify(reply)}`);
    for (const c of reply.data.changes) if (c.entity === 'unit') units.set(`${c.data.finess}:${c.data.unitId}`, c.data);
    cursor = reply.data.cursor;
    if (!reply.data.more) return { units, cursor };
  }
}

async function history(unitType: string, unitId: string): Promise<UnitReport[]> {
  const reply = await samu.timeout(5_000).emitWithAck('beds:history', { finess: PITIE, unitType, unitId });
  if (!('data' in reply)) throw new Error(`history refused: ${JSON.stringify(reply)}`);
  return reply.data.reports;
}

/** The surgical continuous-care unit of the example alone, with other figures and time. */
const uscAlone = (updated: string, available: number) =>
  bundle([
    organization('eg-pitie', PITIE),
    location({
      id: 'ror-location-exemple-1',
      rorId: '24/1073',
      name: 'UNITE DE SURVEILLANCE CONTINUE CHIR',
      org: 'Organization/eg-pitie',
      capacities: [capacity({ status: '01', nb: 15, updated }), capacity({ status: '02', nb: available, updated })],
    }),
    service('hs-usc-chir', 'Location/ror-location-exemple-1', { name: 'Unité de Surveillance Continue (USC) chirurgie' }),
  ]);

const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const observed = seconds(Date.now() - 2 * 3_600_000);
const USC = `${PITIE}:24/1073`;
const ICU = `${PITIE}:11/2046`;

describe('a ROR FHIR Bundle posted to the register feed', () => {
  let cursor = 0;

  it('becomes the units a raw client pulls: figures, surge, ROR detail, observation time, source feed', async () => {
    const answer = await post(exampleBundle({ finess: PITIE, updated: observed }));
    expect(answer.entry.map((e) => e.response.status)).toEqual(['200 OK', '201 Created', '200 OK', '201 Created', '200 OK']);

    const pulled = await pullUnits(samu, 0);
    cursor = pulled.cursor;
    expect(pulled.units.get(USC)).toMatchObject({
      unitType: 'USC_CHIR',
      unitName: 'UNITE DE SURVEILLANCE CONTINUE CHIR',
      installed: 15,
      staffed: 3,
      available: 3,
      covidPos: null,
      covidNeg: null,
      surge: 2,
      ror: { closed: 2, closedReactivable: 2, surgeStaffable: 4, crisisType: 'sse', sourceType: 'bedManagement', forecast: { h24: 5 } },
      at: observed,
      atKnown: true,
      source: 'feed',
      reportedBy: 'ROR Île-de-France',
      reportedRole: 'ars:11',
    });
    expect(pulled.units.get(ICU)).toMatchObject({
      unitType: 'REA_MED',
      unitName: 'REA MED B',
      installed: 20,
      staffed: 20,
      available: 2,
      covidPos: 12,
      covidNeg: 4,
      surge: null,
      ror: { reserved: 1, occupied: 1, sourceType: 'gam', forecast: { h1: 0, d7: 4 } },
      at: observed,
      atKnown: true,
      source: 'feed',
    });
    // The etag of each applied entry is the version of the row clients receive.
    expect([answer.entry[1].response.etag, answer.entry[3].response.etag]).toEqual([`W/"${pulled.units.get(USC)?.version}"`, `W/"${pulled.units.get(ICU)?.version}"`]);
    // Outside the key's scope as ever: Bretagne never receives a Paris unit.
    const bzh = await pullUnits(bretagne, 0);
    expect([...bzh.units.keys()].filter((k) => k.startsWith(PITIE))).toEqual([]);
  });

  it('resent as is, applies its lines again: same figures and time, one more report in each history', async () => {
    const answer = await post(exampleBundle({ finess: PITIE, updated: observed }));
    expect(answer.entry.map((e) => e.response.status)).toEqual(['200 OK', '201 Created', '200 OK', '201 Created', '200 OK']);
    const pulled = await pullUnits(samu, cursor);
    cursor = pulled.cursor;
    expect([...pulled.units.keys()].sort()).toEqual([ICU, USC]);
    expect(pulled.units.get(USC)).toMatchObject({ available: 3, surge: 2, at: observed, atKnown: true });
    expect(pulled.units.get(ICU)).toMatchObject({ available: 2, covidPos: 12, at: observed });
    expect((await history('USC_CHIR', '24/1073')).map((r) => [r.available, r.at])).toEqual([
      [3, observed],
      [3, observed],
    ]);
  });

  it('with older capacityUpdateDates, goes to the history only; a later one with a jump replaces the figures without confirmation', async () => {
    const earlier = seconds(Date.parse(observed) - 6 * 3_600_000);
    const late = await post(uscAlone(earlier, 9));
    expect(late.entry.map((e) => e.response.status)).toEqual(['200 OK', '201 Created', '200 OK']);
    // Nothing for clients: the unit's current figures are still the newer ones.
    const after = await pullUnits(samu, cursor);
    expect(after.units.get(USC)).toBeUndefined();
    expect((await pullUnits(samu, 0)).units.get(USC)).toMatchObject({ available: 3, at: observed });
    expect((await history('USC_CHIR', '24/1073')).map((r) => [r.available, r.at])).toEqual([
      [3, observed],
      [3, observed],
      [9, earlier],
    ]);

    // +9 free beds at a later observation: a register has nobody to confirm a jump.
    const later = seconds(Date.parse(observed) + 3_600_000);
    expect((await post(uscAlone(later, 12))).entry[1].response.status).toBe('201 Created');
    const current = (await pullUnits(samu, after.cursor)).units.get(USC);
    expect(current).toMatchObject({ installed: 15, staffed: 12, available: 12, surge: null, ror: { sourceType: 'bedManagement' }, at: later, source: 'feed' });
  });
});
