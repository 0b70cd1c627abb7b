/**
 * The composer's choice of a consigne's distribution list: which lists fit the territory the
 * consigne is addressed to, the default one, and how a kept list or a refused mutation's
 * list comes back as a choice. Pure.
 */
import type { Referential, TerritoryOption } from '../../../common/app/api';
import type { AckListKind } from '../../../common/domain/eventlog/ackList';
import type { AckListRequest } from '../../../common/domain/eventlog/api';
import type { AckList } from '../../../common/domain/eventlog/ackList';

/** The lists a consigne to `territory` may use, broadest first (a list only names posts that receive the consigne). */
export function listKindsFor(territory: string): AckListKind[] {
  if (territory === 'FR') return ['ars', 'samu', 'critical-care', 'custom'];
  if (territory.startsWith('R:')) return ['samu', 'critical-care', 'custom'];
  if (territory.startsWith('D:')) return ['critical-care', 'custom'];
  return ['custom'];
}

/** The list a consigne gets until its author picks another: the level below, as lists name it. */
export function defaultListFor(territory: string): AckListRequest {
  if (territory === 'FR') return { kind: 'ars' };
  if (territory.startsWith('R:')) return { kind: 'samu', region: territory.slice(2) };
  if (territory.startsWith('D:')) return { kind: 'critical-care', dep: territory.slice(2) };
  return { kind: 'custom', members: [] };
}

/** The regions whose SAMU a consigne to `territory` may ask (its own region, or any for a national one). */
export function regionChoices(territory: string, referential: Referential | null): TerritoryOption[] {
  if (!referential) return [];
  if (territory === 'FR') return referential.regions;
  return referential.regions.filter((r) => r.key === territory);
}

/** The départements whose establishments a consigne to `territory` may ask. */
export function departementChoices(territory: string, referential: Referential | null): TerritoryOption[] {
  if (!referential) return [];
  const deps = referential.departements;
  if (territory === 'FR') return deps.map(({ key, label }) => ({ key, label }));
  if (territory.startsWith('R:')) return deps.filter((d) => `R:${d.region}` === territory).map(({ key, label }) => ({ key, label }));
  return deps.filter((d) => d.key === territory).map(({ key, label }) => ({ key, label }));
}

/**
 * The request for a list of `kind` for a consigne to `territory`, keeping what the current
 * request already says where it still fits (the custom posts picked so far, the region or
 * département chosen).
 */
export function requestOfKind(kind: AckListKind, territory: string, current: AckListRequest, referential: Referential | null): AckListRequest {
  switch (kind) {
    case 'ars':
      return { kind: 'ars' };
    case 'samu': {
      const keep = current.kind === 'samu' && regionChoices(territory, referential).some((r) => r.key === `R:${current.region}`);
      if (keep) return current;
      const first = territory.startsWith('R:') ? territory.slice(2) : (regionChoices(territory, referential)[0]?.key.slice(2) ?? '11');
      return { kind: 'samu', region: first };
    }
    case 'critical-care': {
      const keep = current.kind === 'critical-care' && departementChoices(territory, referential).some((d) => d.key === `D:${current.dep}`);
      if (keep) return current;
      const first = territory.startsWith('D:') ? territory.slice(2) : (departementChoices(territory, referential)[0]?.key.slice(2) ?? '75');
      return { kind: 'critical-care', dep: first };
    }
    case 'custom':
      return { kind: 'custom', members: current.kind === 'custom' ? current.members : [] };
  }
}

/** A kept list (a consigne's, for its new version) as a choice: named lists are resolved again when sent. */
export function requestFromList(list: AckList | null): AckListRequest | null {
  if (!list) return null;
  switch (list.kind) {
    case 'ars':
      return { kind: 'ars' };
    case 'samu':
      return list.of ? { kind: 'samu', region: list.of.slice(2) } : null;
    case 'critical-care':
      return list.of ? { kind: 'critical-care', dep: list.of.slice(2) } : null;
    case 'custom':
      return { kind: 'custom', members: [...list.members] };
  }
}

/** A refused `message.post`'s list argument (the mutator's shape) as a choice, or null. */
export function requestFromArgs(raw: unknown): AckListRequest | null {
  if (!raw || typeof raw !== 'object') return null;
  const a = raw as { kind?: unknown; region?: unknown; dep?: unknown; members?: unknown };
  const members = Array.isArray(a.members) ? a.members.filter((m): m is string => typeof m === 'string') : [];
  switch (a.kind) {
    case 'ars':
      return { kind: 'ars' };
    case 'samu':
      return typeof a.region === 'string' ? { kind: 'samu', region: a.region } : null;
    case 'critical-care':
      return typeof a.dep === 'string' ? { kind: 'critical-care', dep: a.dep } : null;
    case 'custom':
      return { kind: 'custom', members };
    default:
      return null;
  }
}
