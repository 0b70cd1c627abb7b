/**
 * Who must acknowledge a consigne: a distribution list the author chose when posting it,
 * resolved to concrete posts (territory keys) at posting time and kept with the message.
 * Runs anywhere.
 *
 * Lists: the ARS of every region (a national consigne), the SAMU of a region, the
 * establishments with critical care of a département (those with at least one unit in the
 * bed board: FINESS says nothing of critical care, see `resources/referential/PROVENANCE.md`;
 * the author's workstation draws it from the bed picture it holds, the server checks every
 * member is an establishment of that département), or posts picked one by one.
 *
 * Whatever the list, every member must be a post that exists (a region, a département or an
 * establishment of the referential) and that receives the consigne (its territory at or
 * below the consigne's), and not the author's own post: the mutator checks it on the client
 * and again on the server, so no client can stretch a list beyond the author's reach.
 * A consigne written before lists existed has none (`ackList: null`): the level just below
 * its territory is then expected, as before (`Territories.expectedAcknowledgers`).
 */
import { z } from 'zod';
import { fr } from '../../i18n/fr';
import { MutationRejected, type MutationContext } from '../../engine/mutation';
import { isWithin, type Territories, type TerritoryKey } from '../../territory';

/** A list names at most this many posts (2,277 establishments in France: a list is a choice, not the whole referential). */
export const ACK_LIST_MAX = 500;

export const AckListKind = z.enum(['ars', 'samu', 'critical-care', 'custom']);
export type AckListKind = z.infer<typeof AckListKind>;

const RegionCode = z.string().regex(/^\d{2}$/, 'code de région attendu (2 chiffres)');
const DepCode = z.string().regex(/^(2A|2B|97[1-6]|\d{2})$/, 'code de département attendu');
const PostKey = z.string().min(2).max(60);
const Members = z
  .array(PostKey)
  .min(1, 'la liste ne contient aucun poste')
  .max(ACK_LIST_MAX, `la liste dépasse ${ACK_LIST_MAX} postes`);

/**
 * The list as `message.post` receives it. The ARS and SAMU lists are resolved from the
 * referential by the mutator itself; the critical-care list carries the establishments the
 * author's workstation found (the server does not hold the author's bed picture at posting
 * time), the custom list the posts the author picked.
 */
export const AckListArgs = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ars') }),
  z.strictObject({ kind: z.literal('samu'), region: RegionCode }),
  z.strictObject({ kind: z.literal('critical-care'), dep: DepCode, members: Members }),
  z.strictObject({ kind: z.literal('custom'), members: Members }),
]);
export type AckListArgs = z.infer<typeof AckListArgs>;

/** The list a consigne keeps: what was chosen and the posts it resolved to when posted. */
export interface AckList {
  kind: AckListKind;
  /** What the list was drawn from: `FR` (ars), `R:<region>` (samu), `D:<dep>` (critical-care), null (custom). */
  of: TerritoryKey | null;
  /** The posts expected to acknowledge, in the order chosen (resolved lists: the referential's). */
  members: TerritoryKey[];
}

/** The posts a list argument names, and what it was drawn from (nothing checked yet). */
export function resolveAckList(args: AckListArgs, territories: Territories): AckList {
  switch (args.kind) {
    case 'ars':
      return { kind: 'ars', of: 'FR', members: territories.regionList().map((r) => `R:${r.code}`) };
    case 'samu':
      return { kind: 'samu', of: `R:${args.region}`, members: territories.departementList().filter((d) => d.region === args.region).map((d) => `D:${d.code}`) };
    case 'critical-care':
      return { kind: 'critical-care', of: `D:${args.dep}`, members: [...args.members] };
    case 'custom':
      return { kind: 'custom', of: null, members: [...args.members] };
  }
}

/**
 * Refuses a list that names a post that does not exist, one that would not receive a
 * consigne addressed to `messageTerritory` (`messagePath`), the author's own post, a post
 * twice, or (critical care) something other than an establishment of the département with
 * at least one unit in the bed board as the checking process holds it (`hasCriticalCare`:
 * the server's own bed data, never the payload's word).
 */
export function checkAckList(
  list: AckList,
  messageTerritory: TerritoryKey,
  messagePath: string,
  ctx: MutationContext,
  hasCriticalCare: (finess: string) => boolean,
): void {
  const t = ctx.territories;
  if (list.of !== null && !t.info(list.of)) throw new MutationRejected(fr.reject.territoryUnknown(list.of));
  if (list.members.length === 0) throw new MutationRejected(fr.ackList.empty(ackListLabel(list, t)));
  const seen = new Set<string>();
  for (const key of list.members) {
    const info = t.info(key);
    if (!info || (info.kind !== 'region' && info.kind !== 'departement' && info.kind !== 'establishment')) {
      throw new MutationRejected(fr.ackList.notAPost(key));
    }
    if (seen.has(key)) throw new MutationRejected(fr.ackList.twice(info.label));
    seen.add(key);
    if (key === ctx.actor.territory) throw new MutationRejected(fr.ackList.ownPost);
    if (list.kind === 'critical-care' && (info.kind !== 'establishment' || info.path[2] !== list.of)) {
      const d = t.departement((list.of ?? '').slice(2));
      throw new MutationRejected(fr.ackList.notInDepartement(info.label, d ? `${d.name} (${d.code})` : (list.of ?? '')));
    }
    if (list.kind === 'critical-care' && !hasCriticalCare(key.slice(2))) throw new MutationRejected(fr.ackList.noCareUnit(info.label));
    if (!isWithin(`/${info.path.join('/')}/`, messagePath)) {
      throw new MutationRejected(fr.ackList.outOfReach(info.label, t.label(messageTerritory)));
    }
  }
}

/** The list's name for people: « SAMU de la région Île-de-France », « Liste personnalisée ». */
export function ackListLabel(list: Pick<AckList, 'kind' | 'of'>, territories: Territories): string {
  switch (list.kind) {
    case 'ars':
      return fr.ackList.ars;
    case 'samu': {
      const r = list.of ? territories.region(list.of.slice(2)) : undefined;
      return fr.ackList.samu(r?.name ?? list.of ?? '');
    }
    case 'critical-care': {
      const d = list.of ? territories.departement(list.of.slice(2)) : undefined;
      return fr.ackList.criticalCare(d ? `${d.name} (${d.code})` : (list.of ?? ''));
    }
    case 'custom':
      return fr.ackList.custom;
  }
}

/**
 * The posts expected to acknowledge a consigne: its list, or for a consigne written before
 * lists (none kept) the level just below its territory.
 */
export function expectedAcknowledgersOf(m: { territory: TerritoryKey; ackList: AckList | null }, territories: Territories): TerritoryKey[] {
  return m.ackList ? m.ackList.members : territories.expectedAcknowledgers(m.territory);
}

/** The default list for a consigne addressed to `territory`: the level below, as lists name it. */
export function defaultAckListKind(territory: TerritoryKey): AckListKind {
  if (territory === 'FR') return 'ars';
  if (territory.startsWith('R:')) return 'samu';
  return 'critical-care';
}

/** Reads a kept list back from its JSON column (null, or a value our own stores wrote with `JSON.stringify`). */
export function parseAckList(json: string | null): AckList | null {
  return json === null ? null : (JSON.parse(json) as AckList | null);
}
