/**
 * `beds:picture`: the units' figures of some départements at an instant. Scoped from the
 * session, never from the payload: without `deps`, the user's own branch; with `deps`, each
 * must be inside the user's territory or border a département inside it (a SAMU looks for
 * beds in its département and the neighbouring ones, which are outside its branch). Reading
 * below département level (an establishment, a field post) gives no neighbours.
 */
import { z } from 'zod';
import { PictureRequestSchema, type PictureResult } from '../../../common/domain/beds/protocol';
import { describeZodError, type Actor } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import { isWithin, type Territories } from '../../../common/territory';
import type { Reply } from '../../../common/protocol';
import type { BedsStore } from './store';

const frenchIssues = z.locales.fr().localeError;
/** A past picture may be asked up to this far ahead of the server's clock (clock skew). */
const AHEAD_MS = 10 * 60_000;

/** The scope paths a request reads, or a refusal a person can act on. */
export function picturePaths(territories: Territories, actor: Actor, deps: readonly string[] | undefined): { paths: string[] } | { error: { code: 'bad_request' | 'forbidden'; message: string } } {
  if (!deps) return { paths: [actor.territoryPath] };
  const own = territories
    .departementList()
    .filter((d) => isWithin(territories.path(`D:${d.code}`) ?? '', actor.territoryPath))
    .map((d) => d.code);
  const allowed = new Set(own);
  for (const d of own) for (const n of territories.neighboursOf(d)) allowed.add(n);
  const paths: string[] = [];
  for (const dep of new Set(deps)) {
    const path = territories.path(`D:${dep}`);
    if (!path) return { error: { code: 'bad_request', message: fr.bedPicture.unknownDep(dep) } };
    if (!allowed.has(dep)) return { error: { code: 'forbidden', message: fr.bedPicture.depOutOfScope(dep) } };
    paths.push(path);
  }
  return { paths };
}

export async function bedPicture(store: BedsStore, territories: Territories, actor: Actor, raw: unknown, now: () => Date): Promise<Reply<PictureResult>> {
  const parsed = PictureRequestSchema.safeParse(raw ?? {}, { error: frenchIssues });
  if (!parsed.success) return { error: { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) } };
  const { deps, at } = parsed.data;
  const serverTime = now();
  if (at && Date.parse(at) > serverTime.getTime() + AHEAD_MS) return { error: { code: 'bad_request', message: fr.bedPicture.future(at) } };
  const scope = picturePaths(territories, actor, deps);
  if ('error' in scope) return scope;
  const reports = await store.picture(scope.paths, at);
  return { data: { reports, serverTime: serverTime.toISOString() } };
}
