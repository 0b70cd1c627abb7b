/**
 * Distribution lists of consignes on the workstation: what the composer's choice resolves
 * to here (the critical-care list from the bed picture this cache holds), the default list
 * of a territory, a preview with the mutator's own verdict, and the posts a custom list may
 * name. The mutator checks the resolved list again, here and on the server.
 */
import type { AckCandidate, AckListPreview, AckListRequest } from '../../common/domain/eventlog/api';
import { ackListLabel, checkAckList, defaultAckListKind, resolveAckList, type AckListArgs } from '../../common/domain/eventlog/ackList';
import { MutationRejected, VIA_SYNC, type Actor } from '../../common/engine/mutation';
import { fr } from '../../common/i18n/fr';
import type { Territories, TerritoryKey } from '../../common/territory';
import type { VigieStore } from '../boards';
import { normaliseSearch } from './rows';

/** At most this many candidates per answer: the picker narrows with the text typed. */
const MAX_CANDIDATES = 60;

/**
 * The establishments of a département with critical care: those with at least one unit in
 * the bed board as this cache holds it (FINESS says nothing of critical care). Sorted by
 * name, as territory keys.
 */
export function criticalCareEstablishments(store: VigieStore, territories: Territories, dep: string): TerritoryKey[] {
  const finess = new Set<string>();
  for (const u of store.boards.beds.listUnits()) if (territories.establishment(u.finess)?.dep === dep) finess.add(u.finess);
  return [...finess]
    .map((f) => `E:${f}`)
    .sort((a, b) => territories.label(a).localeCompare(territories.label(b), 'fr'));
}

/** The list a consigne addressed to `territory` gets when its author picks none: the level below, as lists name it. */
export function defaultAckListRequest(territory: TerritoryKey, territories: Territories): AckListRequest | null {
  const info = territories.info(territory);
  if (!info) return null;
  switch (defaultAckListKind(territory)) {
    case 'ars':
      return { kind: 'ars' };
    case 'samu':
      return { kind: 'samu', region: territory.slice(2) };
    default:
      return info.kind === 'departement' ? { kind: 'critical-care', dep: territory.slice(2) } : null;
  }
}

/** The mutator's argument for a request: the critical-care list resolved here. Throws a French reason when it cannot be. */
export function ackListArgs(request: AckListRequest, store: VigieStore, territories: Territories): AckListArgs {
  switch (request.kind) {
    case 'ars':
      return { kind: 'ars' };
    case 'samu':
      if (!territories.region(request.region)) throw new MutationRejected(fr.reject.territoryUnknown(`R:${request.region}`));
      return { kind: 'samu', region: request.region };
    case 'critical-care': {
      const d = territories.departement(request.dep);
      if (!d) throw new MutationRejected(fr.reject.territoryUnknown(`D:${request.dep}`));
      const members = criticalCareEstablishments(store, territories, request.dep);
      if (members.length === 0) throw new MutationRejected(fr.ackList.noCriticalCare(`${d.name} (${d.code})`));
      return { kind: 'critical-care', dep: request.dep, members };
    }
    case 'custom':
      return { kind: 'custom', members: [...request.members] };
  }
}

/** What `request` names for a consigne to `territory` by `actor`, and the mutator's objection, if any. */
export function previewAckList(
  request: AckListRequest,
  territory: TerritoryKey,
  actor: Actor,
  store: VigieStore,
  territories: Territories,
): AckListPreview {
  const label = ackListLabel({ kind: request.kind, of: ofRequest(request) }, territories);
  let args: AckListArgs;
  try {
    args = ackListArgs(request, store, territories);
  } catch (err) {
    if (err instanceof MutationRejected) return { label, members: [], problem: err.message };
    throw err;
  }
  const list = resolveAckList(args, territories);
  const members = list.members.map((key) => ({ key, label: territories.label(key) }));
  const path = territories.path(territory);
  if (!path) return { label, members, problem: fr.reject.territoryUnknown(territory) };
  try {
    const withCare = new Set(store.boards.beds.listUnits().map((u) => u.finess));
    checkAckList(list, territory, path, { actor, at: new Date().toISOString(), territories, via: VIA_SYNC }, (f) => withCare.has(f));
    return { label, members, problem: null };
  } catch (err) {
    if (err instanceof MutationRejected) return { label, members, problem: err.message };
    throw err;
  }
}

function ofRequest(r: AckListRequest): TerritoryKey | null {
  switch (r.kind) {
    case 'ars':
      return 'FR';
    case 'samu':
      return `R:${r.region}`;
    case 'critical-care':
      return `D:${r.dep}`;
    case 'custom':
      return null;
  }
}

/**
 * The posts a custom list may name for a consigne to `territory`: the regions, départements
 * and establishments at or below it (never the author's own post), those matching `text`
 * (name, city, code; accents and case ignored). Without text, a national or regional
 * consigne offers its ARS and SAMU (establishments are found by typing), a local one its
 * establishments.
 */
export function ackCandidates(territory: TerritoryKey, text: string, actor: Actor, store: VigieStore, territories: Territories): AckCandidate[] {
  const info = territories.info(territory);
  if (!info || (info.kind !== 'country' && info.kind !== 'region' && info.kind !== 'departement')) return [];
  const needle = normaliseSearch(text.trim());
  const withCare = new Set(store.boards.beds.listUnits().map((u) => u.finess));
  const out: AckCandidate[] = [];
  const consider = (c: AckCandidate, haystack: string) => {
    if (c.key === actor.territory) return;
    if (needle && !normaliseSearch(haystack).includes(needle)) return;
    out.push(c);
  };
  const regions = info.kind === 'country' ? territories.regionList() : [];
  for (const r of regions) consider({ key: `R:${r.code}`, label: territories.label(`R:${r.code}`), kind: 'region', detail: '' }, `${r.name} ${r.code}`);
  const deps =
    info.kind === 'country'
      ? territories.departementList()
      : info.kind === 'region'
        ? territories.departementList().filter((d) => `R:${d.region}` === territory)
        : [];
  for (const d of deps) {
    consider({ key: `D:${d.code}`, label: territories.label(`D:${d.code}`), kind: 'departement', detail: '' }, `${d.name} ${d.code} samu`);
  }
  if (needle || info.kind === 'departement') {
    for (const e of territories.establishmentsIn(territory)) {
      const care = withCare.has(e.finess);
      consider(
        { key: `E:${e.finess}`, label: e.shortName, kind: 'establishment', detail: care ? fr.ackList.candidateWithCare(e.city) : e.city },
        `${e.shortName} ${e.name} ${e.city} ${e.finess}`,
      );
    }
  }
  // Establishments with critical care first (the usual addressees), then by name.
  const rank = (c: AckCandidate) => (c.kind === 'establishment' ? (withCare.has(c.key.slice(2)) ? 2 : 3) : c.kind === 'region' ? 0 : 1);
  out.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label, 'fr'));
  return out.slice(0, MAX_CANDIDATES);
}
