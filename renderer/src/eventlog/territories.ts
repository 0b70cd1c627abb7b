import type { Referential, TerritoryOption } from '../../../common/app/api';
/**
 * Which of the user's postable territories fit inside a crisis event. A message must be
 * addressed to the event's territory or one below it (the `message.post` mutator rejects
 * the rest), so the composer only offers those. Pure.
 */

/**
 * True when territory `key` is `container` or lies below it (regions and départements only).
 * Without the referential a département cannot be placed in its region: then false, and the
 * server stays the judge.
 */
export function isInside(key: string, container: string, referential: Referential | null): boolean {
  if (key === container || container === 'FR') return true;
  if (container.startsWith('R:') && key.startsWith('D:')) {
    const dep = referential?.departements.find((d) => d.key === key);
    return dep !== undefined && `R:${dep.region}` === container;
  }
  return false;
}

/**
 * The postable territories that fit in the event, in the order given (broadest first). Without
 * the referential we cannot place départements in regions: we then offer everything and let
 * the server decide, rather than hide a legitimate choice.
 */
export function postableInEvent(
  postable: readonly TerritoryOption[],
  eventTerritory: string,
  referential: Referential | null,
): TerritoryOption[] {
  if (!referential) return [...postable];
  return postable.filter((t) => isInside(t.key, eventTerritory, referential));
}

/**
 * The territories worth offering in the message filter: those inside the event and on the
 * user's own branch (the only ones whose messages the user can hold), broadest first.
 * `homeDepartement` places establishment and field-post users, whose own key is below the
 * départements the referential lists.
 */
export function filterTerritoryOptions(
  userTerritory: string,
  homeDepartement: string | null,
  eventTerritory: string,
  referential: Referential | null,
  countryLabel: string,
): TerritoryOption[] {
  if (!referential) return [];
  const all: TerritoryOption[] = [
    { key: 'FR', label: countryLabel },
    ...referential.regions,
    ...referential.departements.map(({ key, label }) => ({ key, label })),
  ];
  const regionOf = (depKey: string) => {
    const d = referential.departements.find((x) => x.key === depKey);
    return d ? `R:${d.region}` : null;
  };
  let onBranch: (key: string) => boolean;
  if (userTerritory === 'FR') onBranch = () => true;
  else if (userTerritory.startsWith('R:')) onBranch = (k) => k === 'FR' || k === userTerritory || regionOf(k) === userTerritory;
  else {
    const dep = userTerritory.startsWith('D:') ? userTerritory : homeDepartement;
    const region = dep ? regionOf(dep) : null;
    onBranch = (k) => k === 'FR' || k === dep || k === region;
  }
  return all.filter((t) => onBranch(t.key) && isInside(t.key, eventTerritory, referential));
}
