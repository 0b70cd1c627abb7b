/** Turns a stored user into the identities the sync layer uses: the wire `SessionUser` and the mutators' `Actor`. */
import type { Actor } from '../../../common/engine/mutation';
import { parseRole, roleTerritory, type Territories } from '../../../common/territory';
import type { UserRecord } from '../store/types';
import type { SessionUser } from '../../../common/protocol';

export interface Identity {
  user: SessionUser;
  actor: Actor;
}

/** Null when the stored role no longer parses or its territory left the referential. */
export function identityOf(record: UserRecord, territories: Territories): Identity | null {
  const role = parseRole(record.role);
  if (!role) return null;
  const territory = roleTerritory(role);
  const info = territories.info(territory);
  const path = territories.path(territory);
  if (!info || !path) return null;
  return {
    user: {
      id: record.id,
      username: record.username,
      displayName: record.displayName,
      role: record.role,
      territory,
      territoryLabel: info.label,
    },
    actor: {
      userId: record.id,
      displayName: record.displayName,
      roleText: record.role,
      role,
      territory,
      territoryPath: path,
    },
  };
}
