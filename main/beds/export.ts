/**
 * Exports of the current bed picture. Pure (no SQLite, no I/O): the handler gives the units
 * in scope, these functions give the file's text.
 *
 * - CSV for French spreadsheet users: UTF-8 with a BOM (so Excel reads the accents), `;`
 *   separators, decimal commas, one row per unit, with each figure's age and whether it is
 *   stale.
 * - EDXL-HAVE (OASIS Hospital AVailability Exchange): one `<Hospital>` per establishment,
 *   its `<Organization>` (FINESS as the organisation id, name, location), one `<BedCapacity>`
 *   per HAVE bed type summing its units (AdultICU, PediatricICU, NeonatalICU, Burn), the
 *   French unit types HAVE has no type for as `<BedCapacity>` with their `vigie:` extension
 *   name, and `<LastUpdateTime>` the OLDEST report inside: a total is never fresher than its
 *   stalest part.
 */
import { fr } from '../../common/i18n/fr';
import { isEarlier, isStale } from '../../common/domain/beds/totals';
import { UNIT_TYPES, unitType } from '../../common/domain/beds/unitTypes';
import type { UnitView } from '../../common/domain/beds/views';

export const HAVE_NAMESPACE = 'urn:oasis:names:tc:emergency:EDXL:HAVE:1.0';
export const GML_NAMESPACE = 'http://www.opengis.net/gml';
export const XNL_NAMESPACE = 'urn:oasis:names:tc:ciq:xnl:3';
/** HAVE's value for the count of vacant beds ready to receive a patient. */
export const HAVE_VACANT = 'Vacant/Available';

export interface CsvExportOptions {
  now: number;
  staleAfterHours: number;
  /** The region's name from its code (the referential's). */
  regionName(code: string): string;
}

const BOM = '\ufeff';

/** Quotes a field when it holds the separator, a quote or a line break. */
function csvField(v: string): string {
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Free text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the
 * start) gets a leading apostrophe: an export must not become code on the reader's machine.
 */
function csvText(v: string): string {
  return csvField(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
}

const count = (n: number | null): string => (n === null ? '' : String(n));

/** `2020-03-24 15:05` in Paris time: what a French spreadsheet reads as a date. */
export function parisTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
}

/** Hours since `at`, one decimal, decimal comma. */
export function ageHours(at: string, now: number): string {
  const h = Math.max(0, (now - Date.parse(at)) / 3_600_000);
  return (Math.round(h * 10) / 10).toFixed(1).replace('.', ',');
}

/** Sorts units as the grid groups them: region, département, establishment, unit type (referential order), unit. */
function byPlace(a: UnitView, b: UnitView): number {
  const order = (code: string) => UNIT_TYPES.findIndex((u) => u.code === code);
  return (
    a.region.localeCompare(b.region) ||
    a.dep.localeCompare(b.dep) ||
    a.establishmentName.localeCompare(b.establishmentName, 'fr') ||
    a.finess.localeCompare(b.finess) ||
    order(a.unitType) - order(b.unitType) ||
    a.unitId.localeCompare(b.unitId, 'fr')
  );
}

/** The current picture as CSV (UTF-8 with BOM, `;`, CRLF line ends as Excel writes them). */
export function unitsToCsv(units: readonly UnitView[], opts: CsvExportOptions): string {
  const lines = [fr.bedExport.csvHeader.map(csvField).join(';')];
  for (const u of [...units].sort(byPlace)) {
    const stale = isStale(u.at, opts.now, opts.staleAfterHours);
    lines.push(
      [
        csvText(opts.regionName(u.region)),
        csvText(u.dep),
        csvText(u.finess),
        csvText(u.establishmentName),
        csvText(unitType(u.unitType)?.label ?? u.unitType),
        csvText(u.unitName ?? ''),
        csvText(u.unitId),
        count(u.installed),
        count(u.staffed),
        count(u.available),
        count(u.surge),
        count(u.covidPos),
        count(u.covidNeg),
        count(u.extra24h),
        count(u.extra72h),
        csvText(parisTime(u.at)),
        u.atKnown ? fr.bedExport.yes : fr.bedExport.no,
        ageHours(u.at, opts.now),
        stale ? fr.bedExport.yes : fr.bedExport.no,
        csvText(u.assignment ? (fr.bedExport.assignment[u.assignment] ?? u.assignment) : ''),
        u.temporary ? fr.bedExport.yes : fr.bedExport.no,
      ].join(';'),
    );
  }
  return BOM + lines.join('\r\n') + '\r\n';
}

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The HAVE bed type of a Vigie unit type, or its `vigie:` extension name. */
export function haveBedType(code: string): string {
  const def = unitType(code);
  if (!def) return `vigie:${code}`;
  return 'type' in def.have ? def.have.type : def.have.extension;
}

interface Capacity {
  available: number;
  baseline: number;
  extra24h: number | null;
  extra72h: number | null;
  oldestAt: string;
}

/** Sums where every unit gave the figure; absent (null) as soon as one did not. */
function addOptional(total: number | null, n: number | null, first: boolean): number | null {
  if (first) return n;
  return total === null || n === null ? null : total + n;
}

/**
 * The current picture as an EDXL-HAVE `HospitalStatus` document. `generatedAt` is only used
 * in a comment; every timestamp the consumer reads comes from the reports.
 */
export function unitsToHave(units: readonly UnitView[], generatedAt: string): string {
  const hospitals = new Map<string, UnitView[]>();
  for (const u of [...units].sort(byPlace)) {
    const list = hospitals.get(u.finess);
    if (list) list.push(u);
    else hospitals.set(u.finess, [u]);
  }
  // Bed types in a stable order: HAVE's own first, then the extensions, as in the referential.
  const typeOrder = [...new Set(UNIT_TYPES.map((u) => haveBedType(u.code)))];
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<!-- Vigie — lits de soins critiques, ${xmlEscape(generatedAt).replace(/--/g, '- -')} -->`);
  out.push(`<HospitalStatus xmlns="${HAVE_NAMESPACE}" xmlns:gml="${GML_NAMESPACE}" xmlns:xnl="${XNL_NAMESPACE}">`);
  for (const [finess, list] of hospitals) {
    const first = list[0];
    const byType = new Map<string, Capacity>();
    let oldest = first.at;
    for (const u of list) {
      if (isEarlier(u.at, oldest)) oldest = u.at;
      const type = haveBedType(u.unitType);
      const c = byType.get(type);
      if (!c) {
        byType.set(type, {
          available: u.available,
          baseline: u.staffed,
          extra24h: addOptional(null, u.extra24h, true),
          extra72h: addOptional(null, u.extra72h, true),
          oldestAt: u.at,
        });
      } else {
        c.available += u.available;
        c.baseline += u.staffed;
        c.extra24h = addOptional(c.extra24h, u.extra24h, false);
        c.extra72h = addOptional(c.extra72h, u.extra72h, false);
        if (isEarlier(u.at, c.oldestAt)) c.oldestAt = u.at;
      }
    }
    out.push('  <Hospital>');
    out.push('    <Organization>');
    out.push('      <OrganizationInformation>');
    out.push(`        <xnl:OrganisationName xnl:ID="${xmlEscape(finess)}" xnl:IDType="FINESS">`);
    out.push(`          <xnl:NameElement>${xmlEscape(first.establishmentName)}</xnl:NameElement>`);
    out.push('        </xnl:OrganisationName>');
    out.push('      </OrganizationInformation>');
    if (first.lat !== null && first.lon !== null) {
      out.push('      <OrganizationGeoLocation>');
      out.push(`        <gml:Point><gml:pos>${first.lat} ${first.lon}</gml:pos></gml:Point>`);
      out.push('      </OrganizationGeoLocation>');
    }
    out.push('    </Organization>');
    out.push('    <HospitalBedCapacityStatus>');
    for (const type of typeOrder) {
      const c = byType.get(type);
      if (!c) continue;
      out.push('      <BedCapacity>');
      out.push(`        <BedType>${xmlEscape(type)}</BedType>`);
      out.push('        <Capacity>');
      out.push(`          <CapacityStatus>${HAVE_VACANT}</CapacityStatus>`);
      out.push(`          <AvailableCount>${c.available}</AvailableCount>`);
      out.push(`          <BaselineCount>${c.baseline}</BaselineCount>`);
      if (c.extra24h !== null) out.push(`          <AdditionalCapacityCount24Hr>${c.extra24h}</AdditionalCapacityCount24Hr>`);
      if (c.extra72h !== null) out.push(`          <AdditionalCapacityCount72Hr>${c.extra72h}</AdditionalCapacityCount72Hr>`);
      out.push('        </Capacity>');
      out.push('      </BedCapacity>');
    }
    out.push('    </HospitalBedCapacityStatus>');
    out.push(`    <LastUpdateTime>${xmlEscape(oldest)}</LastUpdateTime>`);
    out.push('  </Hospital>');
  }
  out.push('</HospitalStatus>');
  return out.join('\n') + '\n';
}

/** `lits-soins-critiques-R-11-2020-03-24-1505.csv` */
export function exportFileName(scope: string, now: number, ext: string): string {
  const stamp = parisTime(new Date(now).toISOString()).replace(/[ :]/g, '-').replace(/-(\d\d)-(\d\d)$/, '-$1$2');
  return `${fr.bedExport.fileBase}-${scope.replace(/[^A-Za-z0-9]+/g, '-')}-${stamp}.${ext}`;
}
