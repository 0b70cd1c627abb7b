/**
 * The register feed in the national ROR's own shape: a FHIR R4 Bundle of `Location`
 * resources carrying `ror-location-supported-capacity` extensions (one extension = one count
 * for a status, a temporality and its qualifiers), with the `Organization` that holds the
 * establishment's FINESS and the `HealthcareService` that says what kind of unit it is.
 *
 * This file only reads: each Location entry becomes one line of the JSON feed
 * (`FeedReportSchema`), or a reason in French; `FeedService` then applies the lines, so the
 * FHIR feed keeps every guarantee of the JSON one. docs/protocol.md §14 is the contract.
 *
 * Parsing is deliberately lenient where the ROR's own guide drifts between versions: codes
 * are matched on their TRE or JDV system (or a coding without system), and a coded value may
 * come as `valueCodeableConcept`, `valueCoding` or `valueCode`.
 */
import { z } from 'zod';
import { FeedReportSchema, MAX_FEED_REPORTS, type FeedRequest } from '../../../common/domain/beds/protocol';
import type { RorDetail } from '../../../common/domain/beds/model';
import { resolveUnitLabel, unitType } from '../../../common/domain/beds/unitTypes';
import { describeZodError } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';

export type FeedReport = FeedRequest['reports'][number];

/** FHIR's OperationOutcome issue types used in the answers (a subset of the R4 value set). */
export type IssueType = 'invalid' | 'processing' | 'not-supported' | 'informational' | 'business-rule' | 'duplicate' | 'login' | 'too-long' | 'exception';

/** What one Bundle entry becomes. */
export type EntryPlan =
  /** A Location read as a unit report; `notes` are records read but not counted (warnings). */
  | { kind: 'report'; report: FeedReport; notes: string[] }
  /** An Organization or a HealthcareService: read to resolve the Locations, nothing stored. */
  | { kind: 'context'; resourceType: string }
  /** `400`: not a readable Location; `422`: a Location that cannot be a Vigie unit report. */
  | { kind: 'refused'; status: 400 | 422; code: IssueType; reason: string };

export type BundlePlan = { ok: true; entries: EntryPlan[] } | { ok: false; reason: string; code: IssueType };

/** Bundle types accepted; a `transaction` is taken entry by entry like a `batch` (see protocol.md §14). */
export const FHIR_BUNDLE_TYPES = ['batch', 'transaction', 'collection'] as const;
/** Entries in one Bundle: Locations (at most `MAX_FEED_REPORTS`) and their context. */
export const MAX_FHIR_ENTRIES = 3 * MAX_FEED_REPORTS;

const CAPACITY_URL = /ror-(?:location-)?supported-capacity$/;

// ---------------------------------------------------------------------------------------
// Shapes: only what the mapping reads; everything else a ROR resource carries passes.

const Coding = z.looseObject({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const CodeableConcept = z.looseObject({ coding: z.array(Coding).optional(), text: z.string().optional() });
const Identifier = z.looseObject({ system: z.string().optional(), value: z.string().optional(), type: CodeableConcept.optional() });
const Reference = z.looseObject({ reference: z.string().optional(), identifier: Identifier.optional() });
/** A capacity's sub-extension: values are checked by the mapping itself, with its own French reasons. */
const SubExtension = z.looseObject({
  url: z.string(),
  valueCodeableConcept: CodeableConcept.optional(),
  valueCoding: Coding.optional(),
  valueCode: z.string().optional(),
  valueInteger: z.unknown().optional(),
  valueDateTime: z.unknown().optional(),
});
const Extension = z.looseObject({ url: z.string(), extension: z.array(z.unknown()).optional() });

const LocationSchema = z.looseObject({
  resourceType: z.literal('Location'),
  id: z.string().optional(),
  identifier: z.array(Identifier).optional(),
  name: z.string().optional(),
  alias: z.array(z.string()).optional(),
  managingOrganization: Reference.optional(),
  extension: z.array(Extension).optional(),
});
type Location = z.infer<typeof LocationSchema>;

const OrganizationSchema = z.looseObject({
  resourceType: z.literal('Organization'),
  id: z.string().optional(),
  identifier: z.array(Identifier).optional(),
  partOf: Reference.optional(),
  name: z.string().optional(),
});
type Organization = z.infer<typeof OrganizationSchema>;

const HealthcareServiceSchema = z.looseObject({
  resourceType: z.literal('HealthcareService'),
  id: z.string().optional(),
  name: z.string().optional(),
  specialty: z.array(CodeableConcept).optional(),
  type: z.array(CodeableConcept).optional(),
  location: z.array(Reference).optional(),
});
type HealthcareService = z.infer<typeof HealthcareServiceSchema>;

const Entry = z.looseObject({
  fullUrl: z.string().optional(),
  resource: z.unknown().optional(),
  request: z.looseObject({ method: z.string().optional(), url: z.string().optional() }).optional(),
});
const BundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.enum(FHIR_BUNDLE_TYPES),
  entry: z.array(Entry).optional(),
});

/** zod's French messages: the diagnostics are read by the register's operators. */
const frenchIssues = z.locales.fr().localeError;

// ---------------------------------------------------------------------------------------
// Codes. Each coded field is bound to a ROR value set (JDV_Jxxx) over a code system (TRE_Rxxx).

interface CodeTable {
  field: string;
  tre: string;
  jdv: string;
}
const TABLES = {
  capacityType: { field: 'capacityType', tre: 'R329', jdv: 'J187' },
  capacityStatus: { field: 'capacityStatus', tre: 'R330', jdv: 'J188' },
  temporalityCapacity: { field: 'temporalityCapacity', tre: 'R331', jdv: 'J189' },
  genderCapacityAvailable: { field: 'genderCapacityAvailable', tre: 'R332', jdv: 'J190' },
  capacityClosingType: { field: 'capacityClosingType', tre: 'R333', jdv: 'J191' },
  additionalBedType: { field: 'additionalBedType', tre: 'R334', jdv: 'J192' },
  capacitySourceType: { field: 'capacitySourceType', tre: 'R335', jdv: 'J193' },
  crisisType: { field: 'crisisType', tre: 'R336', jdv: 'J194' },
  temporaryAssignement: { field: 'temporaryAssignement', tre: 'R337', jdv: 'J195' },
} satisfies Record<string, CodeTable>;

const tableName = (t: CodeTable) => `TRE_${t.tre}`;

/** A coding of this table: its system names the TRE or the JDV (any URL form), or it has no system. */
function inTable(system: string | undefined, t: CodeTable): boolean {
  if (!system) return true;
  return new RegExp(`(?:TRE[_-]${t.tre}|JDV[_-]${t.jdv})(?![0-9])`, 'i').test(system);
}

function codeOf(ext: z.infer<typeof SubExtension>, t: CodeTable): string | undefined {
  if (ext.valueCode !== undefined) return ext.valueCode.trim();
  const codings = ext.valueCodeableConcept?.coding ?? (ext.valueCoding ? [ext.valueCoding] : []);
  return codings.find((c) => c.code !== undefined && inTable(c.system, t))?.code?.trim();
}

const STATUS = { installed: '01', available: '02', occupied: '03', reserved: '04', closed: '05', additional: '06' } as const;
/** Statuses of TRE_R330 outside the exchange value set JDV_J188 (07 Opérationnel, 08 Installé constaté, 09 Autorisé): read, not counted. */
const STATUS_OUTSIDE_EXCHANGE = new Set(['07', '08', '09']);
const CURRENT = '01';
/** `02` Disponible at these temporalities (TRE_R331) is the forecast: +1 h, +24 h, +48 h, +7 days. */
const FORECAST: Record<string, keyof NonNullable<RorDetail['forecast']>> = { '02': 'h1', '03': 'h24', '04': 'h48', '05': 'd7' };
const CRISIS: Record<string, NonNullable<RorDetail['crisisType']>> = { '01': 'pmie1', '02': 'sse' };
const SOURCES: Record<string, NonNullable<RorDetail['sourceType']>> = { '01': 'manual', '02': 'bedManagement', '03': 'gam', '04': 'dpi' };
const BEDS = '01';

/**
 * Operational activities (TRE_R211, HealthcareService.specialty) the ROR guide's own pages cite
 * for critical care; any other specialty is resolved from its display or text, as a label.
 */
const ACTIVITIES: Record<string, string> = { '356': 'SI_USINV', '391': 'USC_PED' };

// ---------------------------------------------------------------------------------------

/** One capacity record of a Location, its codes read and checked. */
interface CapacityRecord {
  pos: number;
  capacityType?: string;
  status: string;
  temporality: string;
  count: number;
  assignment?: string;
  gender?: string;
  closing?: string;
  additional?: string;
  crisis?: string;
  source?: string;
  /** `capacityUpdateDate` as sent, and as an instant. */
  updated?: { text: string; ms: number };
}

class Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Checks the envelope; the body is any parsed JSON. */
export function planBundle(body: unknown): BundlePlan {
  const rt = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { resourceType?: unknown }).resourceType : undefined;
  if (rt !== 'Bundle') return { ok: false, code: 'invalid', reason: fr.fhirFeed.notBundle(typeof rt === 'string' ? `« ${rt.slice(0, 40)} »` : 'absent') };
  const type = (body as { type?: unknown }).type;
  if (!FHIR_BUNDLE_TYPES.includes(type as (typeof FHIR_BUNDLE_TYPES)[number])) {
    return { ok: false, code: 'invalid', reason: fr.fhirFeed.bundleType(typeof type === 'string' ? `« ${type.slice(0, 40)} »` : 'absent') };
  }
  const entries = (body as { entry?: unknown }).entry;
  if (Array.isArray(entries) && entries.length > MAX_FHIR_ENTRIES) {
    return { ok: false, code: 'too-long', reason: fr.fhirFeed.tooManyEntries(entries.length, MAX_FHIR_ENTRIES) };
  }
  const parsed = BundleSchema.safeParse(body, { error: frenchIssues });
  if (!parsed.success) return { ok: false, code: 'invalid', reason: fr.fhirFeed.badBundle(describeZodError(parsed.error)) };
  const bundle = parsed.data.entry ?? [];

  // The context every Location may point to: by `Type/id` and by fullUrl.
  const byRef = new Map<string, { fullUrl?: string; resource: Organization | HealthcareService | Location }>();
  const services: Array<{ fullUrl?: string; resource: HealthcareService }> = [];
  const read: Array<{ fullUrl?: string; resource: Organization | HealthcareService | Location } | EntryPlan> = bundle.map((e) => {
    const method = e.request?.method?.toUpperCase();
    if (method !== undefined && method !== 'POST' && method !== 'PUT') {
      return { kind: 'refused', status: 400, code: 'not-supported', reason: fr.fhirFeed.badMethod(method.slice(0, 20)) };
    }
    if (typeof e.resource !== 'object' || e.resource === null) return { kind: 'refused', status: 400, code: 'invalid', reason: fr.fhirFeed.noResource };
    const type = (e.resource as { resourceType?: unknown }).resourceType;
    const schema = type === 'Location' ? LocationSchema : type === 'Organization' ? OrganizationSchema : type === 'HealthcareService' ? HealthcareServiceSchema : null;
    if (!schema) {
      return { kind: 'refused', status: 400, code: 'not-supported', reason: fr.fhirFeed.unsupportedResource(typeof type === 'string' ? type.slice(0, 40) : 'sans resourceType') };
    }
    const r = schema.safeParse(e.resource, { error: frenchIssues });
    if (!r.success) return { kind: 'refused', status: 400, code: 'invalid', reason: fr.fhirFeed.badResource(String(type), describeZodError(r.error)) };
    const item = { fullUrl: e.fullUrl, resource: r.data };
    if (r.data.id) byRef.set(`${r.data.resourceType}/${r.data.id}`, item);
    if (e.fullUrl) byRef.set(e.fullUrl, item);
    if (r.data.resourceType === 'HealthcareService') services.push({ fullUrl: e.fullUrl, resource: r.data });
    return item;
  });

  // Every entry that says it is a Location counts, readable or not.
  const locations = bundle.filter((e) => (e.resource as { resourceType?: unknown } | undefined)?.resourceType === 'Location').length;
  if (locations > MAX_FEED_REPORTS) return { ok: false, code: 'too-long', reason: fr.fhirFeed.tooManyLocations(locations, MAX_FEED_REPORTS) };
  if (locations === 0) return { ok: false, code: 'invalid', reason: fr.fhirFeed.noLocation };

  const lookup = (ref: string | undefined) => (ref ? (byRef.get(ref) ?? byRef.get(relativeRef(ref))) : undefined);
  return {
    ok: true,
    entries: read.map((r): EntryPlan => {
      if ('kind' in r) return r;
      if (r.resource.resourceType !== 'Location') return { kind: 'context', resourceType: r.resource.resourceType };
      const location = r.resource;
      // The offers (HealthcareService) that take place in this Location.
      const own = services.filter((s) => (s.resource.location ?? []).some((ref) => lookup(ref.reference)?.resource === location)).map((s) => s.resource);
      try {
        return mapLocation(location, own, lookup);
      } catch (err) {
        if (err instanceof Refusal) return { kind: 'refused', status: 422, code: 'processing', reason: err.reason };
        throw err;
      }
    }),
  };
}

/** `https://ror.example/fhir/Organization/EG-1/_history/2` → `Organization/EG-1`. */
function relativeRef(ref: string): string {
  const m = /([A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
  return m ? m[1] : ref;
}

type Lookup = (ref: string | undefined) => { resource: Organization | HealthcareService | Location } | undefined;

/** One Location → one feed line (throws `Refusal` with the reason). */
function mapLocation(location: Location, services: HealthcareService[], lookup: Lookup): EntryPlan {
  const finess = finessOf(location, lookup);
  const unitId = unitIdOf(location);
  const unitTypeText = unitTypeOf(location, services);
  const notes: string[] = [];
  const records = capacityRecords(location, notes);

  const current = (status: string) => records.filter((r) => r.status === status && r.temporality === CURRENT);
  const sum = (rs: CapacityRecord[]) => rs.reduce((n, r) => n + r.count, 0);
  const installedRecords = current(STATUS.installed);
  const availableRecords = current(STATUS.available);
  if (!installedRecords.length) throw new Refusal(fr.fhirFeed.noInstalled);
  if (!availableRecords.length) throw new Refusal(fr.fhirFeed.noAvailable);

  const occupied = current(STATUS.occupied);
  const covidPos = occupied.filter((r) => r.assignment === '02');
  const covidNeg = occupied.filter((r) => r.assignment === '03');
  // `01` Aucune, and a record without assignment (the profile requires one; a sender may omit it).
  const plainOccupied = occupied.filter((r) => r.assignment !== '02' && r.assignment !== '03');
  const reserved = current(STATUS.reserved);
  const closed = current(STATUS.closed);
  const additional = current(STATUS.additional);
  const mobilised = additional.filter((r) => r.additional === '01');

  const ror: RorDetail = {};
  if (reserved.length) ror.reserved = sum(reserved);
  if (plainOccupied.length) ror.occupied = sum(plainOccupied);
  if (closed.length) {
    ror.closed = sum(closed);
    ror.closedReactivable = sum(closed.filter((r) => r.closing === '01'));
  }
  const staffable = additional.filter((r) => r.additional === '03');
  const unstaffed = additional.filter((r) => r.additional === '02');
  if (staffable.length) ror.surgeStaffable = sum(staffable);
  if (unstaffed.length) ror.surgeUnstaffed = sum(unstaffed);
  // The plan that triggered the surge beds; else whatever plan a record names.
  const crisis = [...additional, ...records].find((r) => r.crisis !== undefined && CRISIS[r.crisis])?.crisis;
  if (crisis) ror.crisisType = CRISIS[crisis];
  // Where the headline figures come from: the current available beds' source, else the installed ones', else any.
  const source = [...availableRecords, ...installedRecords, ...records].find((r) => r.source !== undefined && SOURCES[r.source])?.source;
  if (source) ror.sourceType = SOURCES[source];
  const forecast: NonNullable<RorDetail['forecast']> = {};
  for (const r of records) {
    const horizon = r.status === STATUS.available ? FORECAST[r.temporality] : undefined;
    if (horizon) forecast[horizon] = (forecast[horizon] ?? 0) + r.count;
  }
  if (Object.keys(forecast).length) ror.forecast = forecast;

  const available = sum(availableRecords);
  const occupiedAll = sum(occupied);
  // Observation time: the latest update of any of the Location's records.
  const latest = records.reduce<CapacityRecord['updated']>((best, r) => (r.updated && (!best || r.updated.ms > best.ms) ? r.updated : best), undefined);
  const report: FeedReport = {
    finess,
    unitType: unitTypeText,
    unitId,
    installed: sum(installedRecords),
    // The open beds with staff, as the ROR counts them: free, occupied (any assignment) and reserved.
    staffed: available + occupiedAll + sum(reserved),
    available,
    covidPos: covidPos.length ? sum(covidPos) : null,
    covidNeg: covidNeg.length ? sum(covidNeg) : null,
    surge: mobilised.length ? sum(mobilised) : null,
    ror: Object.keys(ror).length ? ror : null,
  };
  if (location.name?.trim()) report.unitName = location.name.trim().slice(0, 120);
  if (latest) report.at = latest.text;
  const checked = FeedReportSchema.safeParse(report, { error: frenchIssues });
  if (!checked.success) throw new Refusal(fr.fhirFeed.badIdentity(describeZodError(checked.error)));
  return { kind: 'report', report: checked.data, notes };
}

const FINESS = /^[0-9][0-9AB][0-9]{7}$/;
const isFinessIdentifier = (i: z.infer<typeof Identifier>) =>
  (i.system !== undefined && /^https?:\/\/finess\.esante\.gouv\.fr\/?$/i.test(i.system.trim())) ||
  (i.type?.coding ?? []).some((c) => c.code === '1' && (!c.system || /TRE[_-]G07(?![0-9])/i.test(c.system)));

/** The establishment's FINESS: on the managing Organization, or up its `partOf` chain (an internal organisation belongs to its EG). */
function finessOf(location: Location, lookup: Lookup): string {
  const ref = location.managingOrganization;
  if (!ref || (!ref.reference && !ref.identifier)) throw new Refusal(fr.fhirFeed.noManagingOrganization);
  if (ref.identifier && isFinessIdentifier(ref.identifier) && ref.identifier.value) return checkFiness(ref.identifier.value);
  const start = ref.reference ?? '';
  let org = lookup(ref.reference)?.resource;
  if (!org || org.resourceType !== 'Organization') throw new Refusal(fr.fhirFeed.organizationNotFound(start.slice(0, 120)));
  const seen = new Set<Organization>();
  while (org && org.resourceType === 'Organization' && !seen.has(org) && seen.size < 8) {
    seen.add(org);
    const id = (org.identifier ?? []).find((i) => isFinessIdentifier(i) && i.value);
    if (id?.value) return checkFiness(id.value);
    org = lookup(org.partOf?.reference)?.resource;
  }
  throw new Refusal(fr.fhirFeed.noFiness(start.slice(0, 120)));
}

function checkFiness(value: string): string {
  const v = value.trim();
  if (!FINESS.test(v)) throw new Refusal(fr.fhirFeed.badFiness(v.slice(0, 20)));
  return v;
}

/** The ROR's identifier of the lieu (type `25`), else the provider's own (`26`), else the resource id. */
function unitIdOf(location: Location): string {
  const ofType = (code: string) =>
    (location.identifier ?? []).find((i) => i.value?.trim() && (i.type?.coding ?? []).some((c) => c.code === code && (!c.system || /TRE[_-]R354(?![0-9])/i.test(c.system))))?.value?.trim();
  const id = ofType('25') ?? ofType('26') ?? location.id?.trim();
  if (!id) throw new Refusal(fr.fhirFeed.noUnitId);
  return id;
}

/**
 * The unit's type, as text `FeedService` resolves again (a label keeps its COVID or
 * temporary marks): an offer's specialty (a known activity code, else its display or text),
 * the offer's type or name, then the Location's name and aliases.
 */
function unitTypeOf(location: Location, services: HealthcareService[]): string {
  const candidates: string[] = [];
  for (const s of services) {
    for (const cc of s.specialty ?? []) {
      for (const c of cc.coding ?? []) {
        const code = c.code !== undefined && (!c.system || /TRE[_-]R211|JDV[_-]J17(?![0-9])/i.test(c.system)) ? ACTIVITIES[c.code] : undefined;
        if (code && unitType(code)) candidates.push(code);
        if (c.display) candidates.push(c.display);
      }
      if (cc.text) candidates.push(cc.text);
    }
    for (const cc of s.type ?? []) {
      for (const c of cc.coding ?? []) if (c.display) candidates.push(c.display);
      if (cc.text) candidates.push(cc.text);
    }
    if (s.name) candidates.push(s.name);
  }
  if (location.name) candidates.push(location.name);
  candidates.push(...(location.alias ?? []));
  const found = candidates.find((c) => c.trim() && c.length <= 120 && resolveUnitLabel(c));
  if (!found) throw new Refusal(fr.fhirFeed.unknownUnitType((location.name ?? location.id ?? '?').slice(0, 120)));
  return found.trim();
}

function capacityRecords(location: Location, notes: string[]): CapacityRecord[] {
  const raw = (location.extension ?? []).filter((e) => CAPACITY_URL.test(e.url));
  if (!raw.length) throw new Refusal(fr.fhirFeed.noCapacity);
  const records: CapacityRecord[] = [];
  const keys = new Map<string, number>();
  raw.forEach((ext, i) => {
    const pos = i + 1;
    const subs = z.array(SubExtension).safeParse(ext.extension ?? [], { error: frenchIssues });
    if (!subs.success) throw new Refusal(fr.fhirFeed.badResource(`Capacité n° ${pos}`, describeZodError(subs.error)));
    const sub = (name: string) => subs.data.find((s) => s.url === name);
    const code = (t: CodeTable, name: string = t.field) => {
      const s = sub(name);
      return s ? codeOf(s, t) : undefined;
    };
    const required = (t: CodeTable, allowed: readonly string[]) => {
      const c = code(t);
      if (c === undefined || !allowed.includes(c)) throw new Refusal(fr.fhirFeed.badCode(pos, t.field, tableName(t)));
      return c;
    };

    const capacityType = code(TABLES.capacityType);
    const statusCode = code(TABLES.capacityStatus);
    if (statusCode !== undefined && STATUS_OUTSIDE_EXCHANGE.has(statusCode)) {
      notes.push(fr.fhirFeed.statusIgnored(pos, statusCode));
      return;
    }
    const status = required(TABLES.capacityStatus, Object.values(STATUS));
    const temporality = required(TABLES.temporalityCapacity, ['01', '02', '03', '04', '05']);
    const nb = sub('nbCapacity')?.valueInteger;
    if (typeof nb !== 'number' || !Number.isInteger(nb) || nb < 0) throw new Refusal(fr.fhirFeed.badCount(pos, shown(nb)));
    const dateValue = sub('capacityUpdateDate')?.valueDateTime;
    let updated: CapacityRecord['updated'];
    if (dateValue !== undefined) {
      if (typeof dateValue !== 'string' || !z.iso.datetime({ offset: true }).safeParse(dateValue).success) throw new Refusal(fr.fhirFeed.badUpdateDate(pos, shown(dateValue)));
      updated = { text: dateValue, ms: Date.parse(dateValue) };
    }
    const record: CapacityRecord = {
      pos,
      capacityType,
      status,
      temporality,
      count: nb,
      assignment: code(TABLES.temporaryAssignement) ?? code(TABLES.temporaryAssignement, 'temporaryAssignment'),
      gender: code(TABLES.genderCapacityAvailable),
      closing: code(TABLES.capacityClosingType),
      additional: status === STATUS.additional ? required(TABLES.additionalBedType, ['01', '02', '03']) : code(TABLES.additionalBedType),
      crisis: code(TABLES.crisisType),
      source: code(TABLES.capacitySourceType),
      updated,
    };
    if (capacityType !== undefined && capacityType !== BEDS) {
      notes.push(fr.fhirFeed.notBeds(pos, capacityType));
      return;
    }
    if (temporality !== CURRENT && status !== STATUS.available) {
      notes.push(fr.fhirFeed.forecastIgnored(pos));
      return;
    }
    // Several records of one status add up (one per gender, per plan…); the same record twice would count twice.
    const key = [status, temporality, record.assignment, record.gender, record.closing, record.additional, record.crisis].join('|');
    const first = keys.get(key);
    if (first !== undefined) throw new Refusal(fr.fhirFeed.duplicateRecord(pos, first));
    keys.set(key, pos);
    records.push(record);
  });
  return records;
}

/** A sent value, quoted and short, for a reason. */
function shown(v: unknown): string {
  if (v === undefined) return 'absent';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return `« ${(text ?? String(v)).slice(0, 40)} »`;
}
