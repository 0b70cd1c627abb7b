/**
 * Which départements a user's bed views cover, from the role and the referential: an ARS
 * its region's, a SAMU or a field post its own, an establishment the one its units are in,
 * the national cell the region it picked. Pure.
 */
import { parseRole, type Role } from '../../../common/territory';
import type { Referential } from '../../../common/app/api';
import type { UnitView } from '../../../common/domain/beds/views';

/** Département codes of a region, in the referential's order (sorted by code). */
export function depsOfRegion(referential: Referential | null, region: string): string[] {
  if (!referential) return [];
  return referential.departements
    .filter((d) => d.region === region)
    .map((d) => d.key.slice(2))
    .sort();
}

export function roleOf(roleText: string | undefined): Role | null {
  return roleText ? parseRole(roleText) : null;
}

/** True for users who declare beds (the quick form); everyone else reads. */
export function isEstablishment(role: Role | null): role is { kind: 'establishment'; finess: string } {
  return role?.kind === 'establishment';
}

/** True for users who may import a ROR extract (crisis cells). */
export function canImport(role: Role | null): boolean {
  return role?.kind === 'ars' || role?.kind === 'national';
}

/** The region a user's dashboard shows by default. */
export function defaultRegion(role: Role | null, referential: Referential | null, units: readonly UnitView[]): string | null {
  switch (role?.kind) {
    case 'ars':
      return role.region;
    case 'samu':
    case 'field': {
      const dep = role.kind === 'samu' ? role.dep : role.post.slice(0, role.post.indexOf('-'));
      return referential?.departements.find((d) => d.key === `D:${dep}`)?.region ?? null;
    }
    default: {
      // The region with the most units (the crisis is where the beds are reported), else Île-de-France.
      const counts = new Map<string, number>();
      for (const u of units) counts.set(u.region, (counts.get(u.region) ?? 0) + 1);
      const busiest = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
      return busiest ?? referential?.departements.find((d) => d.key === 'D:75')?.region ?? null;
    }
  }
}

/** The départements in the dashboard's columns. */
export function dashboardDeps(role: Role | null, referential: Referential | null, units: readonly UnitView[], region: string | null): string[] {
  switch (role?.kind) {
    case 'samu':
      return [role.dep];
    case 'field':
      return [role.post.slice(0, role.post.indexOf('-'))];
    case 'establishment':
      return [...new Set(units.filter((u) => u.finess === role.finess).map((u) => u.dep))];
    case 'ars':
      return depsOfRegion(referential, role.region);
    default:
      return region ? depsOfRegion(referential, region) : [];
  }
}

/**
 * "75 — Paris": the referential labels territories by who acts there ("SAMU 75 — Paris",
 * "ARS Île-de-France"); the bed board names the place itself.
 */
export function depName(referential: Referential | null, dep: string): string {
  const label = referential?.departements.find((d) => d.key === `D:${dep}`)?.label;
  if (!label) return dep;
  const i = label.indexOf(' — ');
  return i >= 0 ? `${dep} — ${label.slice(i + 3)}` : label;
}

/** The département's name alone ("Paris"). */
export function depShortName(referential: Referential | null, dep: string): string {
  const full = depName(referential, dep);
  return full.startsWith(`${dep} — `) ? full.slice(dep.length + 3) : full;
}

/** "Île-de-France". */
export function regionName(referential: Referential | null, region: string): string {
  const label = referential?.regions.find((r) => r.key === `R:${region}`)?.label;
  if (!label) return region;
  return label.replace(/^ARS\s+/, '');
}
