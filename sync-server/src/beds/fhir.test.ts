import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bedsHttp } from '../../../common/domain/beds/protocol';
import { fr } from '../../../common/i18n/fr';
import { atOffset, bundle, capacity, exampleBundle, location, organization, service } from '../testing/rorFhir';
import { startTestServer, type TestServer } from '../testing/server';
import { MAX_FEED_BODY_BYTES } from '../http/json';
import { planBundle, type EntryPlan } from './fhir';
import { createFeedKey, type CreatedFeedKey } from './feedKeys';
import type { BatchResponse } from './fhirRoute';

const PITIE = '750100125';
const AT = '2024-07-08T18:15:39Z';

/** The plan of a Bundle that must be readable as a whole. */
function entries(body: unknown): EntryPlan[] {
  const plan = planBundle(body);
  if (!plan.ok) throw new Error(`refused: ${plan.reason}`);
  return plan.entries;
}
/** The one Location of a Bundle made of an establishment and this Location. */
function only(loc: Record<string, unknown>, ...context: Array<Record<string, unknown>>): EntryPlan {
  return entries(bundle([organization('eg-pitie', PITIE), loc, ...context]))[1];
}
const refusal = (reason: string) => ({ kind: 'refused', status: 422, code: 'processing', reason });

/** A Location that maps, named by a ROR label, for the bad-input variations. */
const usc = (capacities: object[], extra: Partial<Parameters<typeof location>[0]> = {}) =>
  location({ id: 'usc', rorId: '24/1073', name: 'Unité de Surveillance Continue (USC) chirurgie', org: 'Organization/eg-pitie', capacities, ...extra });
const basic = [capacity({ status: '01', nb: 10, updated: AT }), capacity({ status: '02', nb: 2, updated: AT })];

describe('a ROR FHIR Bundle read as unit reports', () => {
  it('reads the guide’s example shape: two Locations of one establishment with surge, closed, forecast and COVID+ occupied beds; context entries store nothing', () => {
    const plan = entries(exampleBundle({ finess: PITIE, updated: AT }));
    expect(plan.map((e) => e.kind)).toEqual(['context', 'report', 'context', 'report', 'context']);
    expect(plan[0]).toEqual({ kind: 'context', resourceType: 'Organization' });
    expect(plan[2]).toEqual({ kind: 'context', resourceType: 'HealthcareService' });
    expect(plan[1]).toEqual({
      kind: 'report',
      notes: [],
      report: {
        finess: PITIE,
        // The HealthcareService that takes place in the Location names its kind.
        unitType: 'Unité de Surveillance Continue (USC) chirurgie',
        unitId: '24/1073',
        unitName: 'UNITE DE SURVEILLANCE CONTINUE CHIR',
        installed: 15,
        // Open beds with staff: 3 free, none occupied or reserved.
        staffed: 3,
        available: 3,
        covidPos: null,
        covidNeg: null,
        surge: 2,
        ror: { closed: 2, closedReactivable: 2, surgeStaffable: 4, crisisType: 'sse', sourceType: 'bedManagement', forecast: { h24: 5 } },
        at: AT,
      },
    });
    expect(plan[3]).toEqual({
      kind: 'report',
      notes: [],
      report: {
        finess: PITIE,
        unitType: 'Réanimations médicales',
        unitId: '11/2046',
        unitName: 'REA MED B',
        installed: 20,
        // 2 free (one per gender, summed) + 17 occupied (12 COVID+, 4 COVID−, 1 without assignment) + 1 reserved.
        staffed: 20,
        available: 2,
        covidPos: 12,
        covidNeg: 4,
        surge: null,
        ror: { reserved: 1, occupied: 1, sourceType: 'gam', forecast: { h1: 0, d7: 4 } },
        // The latest update as an instant: the installed record's 20:00:39+02:00 is earlier than 18:15:39Z.
        at: AT,
      },
    });
  });

  it('accepts transaction and collection Bundles alike, and a Location named by its alias or a 2020 label', () => {
    for (const type of ['transaction', 'collection']) {
      expect(entries(exampleBundle({ finess: PITIE, updated: AT, type })).filter((e) => e.kind === 'report')).toHaveLength(2);
    }
    const byAlias = only(usc(basic, { name: 'UNITE 3 EST', alias: ['U3E', 'Unité de Surveillance Continue (USC) chirurgie'] }));
    expect(byAlias).toMatchObject({ kind: 'report', report: { unitType: 'Unité de Surveillance Continue (USC) chirurgie', unitName: 'UNITE 3 EST' } });
    // The guide's own example: its name says the kind of unit (surveillance continue, chirurgie).
    expect(only(usc(basic, { name: 'UNITE DE SURVEILLANCE CONTINUE CHIR' }))).toMatchObject({ kind: 'report', report: { unitType: 'UNITE DE SURVEILLANCE CONTINUE CHIR' } });
    // The label keeps its marks for the feed to read (COVID+, one unit apart from the ordinary ICU).
    expect(only(usc(basic, { name: 'Réanimation COVID19 +' }))).toMatchObject({ kind: 'report', report: { unitType: 'Réanimation COVID19 +' } });
    // An operational activity code the guide cites (356: USINV).
    const usinv = only(
      usc(basic, { name: 'UNV' }),
      service('hs', 'Location/usc', { specialty: [{ coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle', code: '356' }] }] }),
    );
    expect(usinv).toMatchObject({ kind: 'report', report: { unitType: 'SI_USINV' } });
  });

  it('finds the FINESS up the partOf chain, and the unit id in identifier 25, else 26, else the resource id', () => {
    const oi = { resourceType: 'Organization', id: 'oi-pole', identifier: [{ system: 'https://oi.esante.gouv.fr', value: 'OI-1' }], partOf: { reference: 'Organization/eg-pitie' } };
    const viaOi = entries(bundle([organization('eg-pitie', PITIE), oi, usc(basic, { org: 'Organization/oi-pole' })]))[2];
    expect(viaOi).toMatchObject({ kind: 'report', report: { finess: PITIE, unitId: '24/1073' } });
    const noRor = usc(basic, { rorId: undefined });
    expect(only({ ...noRor, identifier: [{ type: { coding: [{ code: '26' }] }, value: 'SIH-USC-2' }] })).toMatchObject({ report: { unitId: 'SIH-USC-2' } });
    expect(only(noRor)).toMatchObject({ report: { unitId: 'usc' } });
  });

  it('refuses a Location whose establishment has no FINESS, or is not in the Bundle, with a French reason', () => {
    const plan = entries(bundle([organization('eg-pitie', null), usc(basic)]));
    expect(plan[1]).toEqual(refusal(fr.fhirFeed.noFiness('Organization/eg-pitie')));
    expect(entries(bundle([usc(basic)]))[0]).toEqual(refusal(fr.fhirFeed.organizationNotFound('Organization/eg-pitie')));
    expect(only(usc(basic, { org: undefined }))).toEqual(refusal(fr.fhirFeed.noManagingOrganization));
    expect(entries(bundle([organization('eg-pitie', '75010012'), usc(basic)]))[1]).toEqual(refusal(fr.fhirFeed.badFiness('75010012')));
  });

  it('refuses a Location whose kind of unit cannot be told', () => {
    // A name that says no kind of critical-care unit, and no offer that says more.
    const bare = location({ id: 'ror-location-exemple-1', rorId: '24/1073', name: 'HOPITAL DE JOUR', org: 'Organization/eg-pitie', capacities: basic });
    expect(only(bare)).toEqual(refusal(fr.fhirFeed.unknownUnitType('HOPITAL DE JOUR')));
    expect(fr.fhirFeed.unknownUnitType('x')).toMatch(/^Type d’unité introuvable pour la Location « x »/);
  });

  it('refuses a bad nbCapacity, date, code or repeated record, naming the capacity', () => {
    for (const nb of [-1, 2.5, '3', null]) {
      expect(only(usc([capacity({ status: '01', nb: 10 }), capacity({ status: '02', nb })]))).toEqual(refusal(fr.fhirFeed.badCount(2, `« ${String(nb)} »`)));
    }
    expect(only(usc([capacity({ status: '01', nb: 10, updated: '2024-07-08' }), capacity({ status: '02', nb: 1 })]))).toEqual(
      refusal(fr.fhirFeed.badUpdateDate(1, '« 2024-07-08 »')),
    );
    expect(only(usc([...basic, capacity({ status: '06', nb: 2 })]))).toEqual(refusal(fr.fhirFeed.badCode(3, 'additionalBedType', 'TRE_R334')));
    expect(only(usc([...basic, capacity({ status: '99', nb: 2 })]))).toEqual(refusal(fr.fhirFeed.badCode(3, 'capacityStatus', 'TRE_R330')));
    // A coding of another system is not a ROR status.
    const foreign = { url: 'https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-location-supported-capacity', extension: [{ url: 'capacityStatus', valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '01' }] } }] };
    expect(only(usc([...basic, foreign]))).toEqual(refusal(fr.fhirFeed.badCode(3, 'capacityStatus', 'TRE_R330')));
    expect(only(usc([...basic, capacity({ status: '02', nb: 2, updated: AT })]))).toEqual(refusal(fr.fhirFeed.duplicateRecord(3, 2)));
    expect(only(usc([capacity({ status: '02', nb: 2 })]))).toEqual(refusal(fr.fhirFeed.noInstalled));
    expect(only(usc([capacity({ status: '01', nb: 2 })]))).toEqual(refusal(fr.fhirFeed.noAvailable));
    expect(only(usc([]))).toEqual(refusal(fr.fhirFeed.noCapacity));
  });

  it('reads places, non-exchanged statuses and other forecasts without counting them, and says so', () => {
    const plan = only(usc([...basic, capacity({ status: '02', nb: 9, type: '02' }), capacity({ status: '07', nb: 8 }), capacity({ status: '04', temporality: '03', nb: 1 })]));
    expect(plan).toMatchObject({
      kind: 'report',
      report: { installed: 10, available: 2, staffed: 2, ror: { sourceType: 'bedManagement' } },
      notes: [fr.fhirFeed.notBeds(3, '02'), fr.fhirFeed.statusIgnored(4, '07'), fr.fhirFeed.forecastIgnored(5)],
    });
  });

  it('refuses what is not a Bundle of Locations: the body as a whole, or the entry', () => {
    expect(planBundle({ resourceType: 'Location' })).toEqual({ ok: false, code: 'invalid', reason: fr.fhirFeed.notBundle('« Location »') });
    expect(planBundle([1, 2])).toEqual({ ok: false, code: 'invalid', reason: fr.fhirFeed.notBundle('absent') });
    expect(planBundle({ resourceType: 'Bundle', type: 'searchset', entry: [] })).toEqual({ ok: false, code: 'invalid', reason: fr.fhirFeed.bundleType('« searchset »') });
    expect(planBundle(bundle([organization('eg-pitie', PITIE)]))).toEqual({ ok: false, code: 'invalid', reason: fr.fhirFeed.noLocation });
    const bad = planBundle({ resourceType: 'Bundle', type: 'batch', entry: 'tout' });
    expect(bad).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringMatching(/^Bundle illisible : entry : /) });

    const mixed = bundle([organization('eg-pitie', PITIE), { resourceType: 'Patient', id: 'p' }, usc(basic), { ...usc(basic, { id: 'other' }), extension: 'aucune' }]);
    (mixed.entry as Array<Record<string, unknown>>).push({ request: { method: 'DELETE', url: 'Location/usc' } }, { fullUrl: 'urn:uuid:1' });
    const plan = entries(mixed);
    expect(plan.map((e) => (e.kind === 'refused' ? [e.status, e.code] : e.kind))).toEqual([
      'context',
      [400, 'not-supported'],
      'report',
      [400, 'invalid'],
      [400, 'not-supported'],
      [400, 'invalid'],
    ]);
    expect(plan[1]).toMatchObject({ reason: fr.fhirFeed.unsupportedResource('Patient') });
    expect(plan[3]).toMatchObject({ reason: expect.stringMatching(/^Location illisible : extension : /) });
    expect(plan[4]).toMatchObject({ reason: fr.fhirFeed.badMethod('DELETE') });
    expect(plan[5]).toMatchObject({ reason: fr.fhirFeed.noResource });
    // Diagnostics are French, never zod's English.
    for (const e of plan) if (e.kind === 'refused') expect(e.reason).not.toMatch(/Invalid|expected|received/);
  });
});

describe('POST /api/feed/fhir', () => {
  let server: TestServer;
  let key: CreatedFeedKey;
  beforeEach(async () => {
    server = await startTestServer();
    key = await createFeedKey(server.app.store.boards.beds, server.app.territories, { label: 'ROR Île-de-France', territory: 'R:11' });
  });
  afterEach(() => server.stop());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${bedsHttp.feedFhir}`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', authorization: `ApiKey ${key.key}`, ...headers },
      body,
    });
  const outcome = (diagnostics: string, code: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] });

  it('answers a batch-response, one entry per request entry in order: 201 per report applied, 200 per context entry', async () => {
    const res = await post(JSON.stringify(exampleBundle({ finess: PITIE, updated: AT })));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    const body = (await res.json()) as BatchResponse;
    expect(body).toMatchObject({ resourceType: 'Bundle', type: 'batch-response' });
    expect(body.entry.map((e) => [e.response.status, e.response.etag])).toEqual([
      ['200 OK', undefined],
      ['201 Created', 'W/"1"'],
      ['200 OK', undefined],
      ['201 Created', 'W/"2"'],
      ['200 OK', undefined],
    ]);
    expect(body.entry[0].response.outcome?.issue).toEqual([
      { severity: 'information', code: 'informational', diagnostics: fr.fhirFeed.context('Organization'), expression: ['Bundle.entry[0]'] },
    ]);
  });

  it('names the Bundle entries in the feed’s own refusals: a unit twice, an update in the future', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const twice = bundle([
      organization('eg-pitie', PITIE),
      usc(basic),
      usc([capacity({ status: '01', nb: 10, updated: future }), capacity({ status: '02', nb: 2 })], { id: 'usc-bis', rorId: '24/1074' }),
      usc(basic, { id: 'usc-again' }),
    ]);
    const body = (await (await post(JSON.stringify(twice))).json()) as BatchResponse;
    expect(body.entry.map((e) => e.response.status)).toEqual(['200 OK', '201 Created', '422 Unprocessable Entity', '422 Unprocessable Entity']);
    expect(body.entry[2].response.outcome?.issue[0].diagnostics).toMatch(/^Entrée 3 : capacityUpdateDate \S+ postérieure à l’heure du serveur/);
    expect(body.entry[3].response.outcome).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'processing', diagnostics: fr.fhirFeed.duplicateEntry(4, 2), expression: ['Bundle.entry[3]'] }],
    });
    expect(atOffset(Date.parse(AT), 2)).toBe('2024-07-08T20:15:39+02:00');
  });

  it('refuses a body that is not a Bundle, not JSON, not FHIR JSON or not authorised with an OperationOutcome in French', async () => {
    const notBundle = await post(JSON.stringify({ resourceType: 'Location', id: 'x' }));
    expect(notBundle.status).toBe(400);
    expect(notBundle.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(await notBundle.json()).toEqual(outcome(fr.fhirFeed.notBundle('« Location »'), 'invalid'));
    const notJson = await post('{"resourceType": "Bundle", ');
    expect([notJson.status, await notJson.json()]).toEqual([400, outcome(fr.server.badJson, 'invalid')]);
    const xml = await post('<Bundle/>', { 'content-type': 'application/fhir+xml' });
    expect([xml.status, await xml.json()]).toEqual([415, outcome(fr.fhirFeed.contentType, 'not-supported')]);
    const noKey = await post(JSON.stringify(exampleBundle({ finess: PITIE, updated: AT })), { authorization: 'ApiKey nope' });
    expect([noKey.status, noKey.headers.get('www-authenticate'), await noKey.json()]).toEqual([401, 'ApiKey', outcome(fr.feed.badKey, 'login')]);
    const huge = await post(JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [], pad: 'x'.repeat(MAX_FEED_BODY_BYTES) }));
    expect([huge.status, await huge.json()]).toEqual([413, outcome(fr.protocol.tooLarge(MAX_FEED_BODY_BYTES), 'too-long')]);
    // Plain JSON is accepted too.
    expect((await post(JSON.stringify(exampleBundle({ finess: PITIE, updated: AT })), { 'content-type': 'application/json' })).status).toBe(200);
  });
});

