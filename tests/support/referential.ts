/** Loads the bundled referential for tests (the real files, not a fixture). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTerritories, parseRole, roleTerritory, type Territories } from '../../common/territory';
import type { Actor } from '../../common/engine/mutation';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REFERENTIAL_DIR = join(REPO_ROOT, 'resources', 'referential');

let cached: Territories | undefined;
export function testTerritories(): Territories {
  cached ??= loadTerritories((f) => readFileSync(join(REFERENTIAL_DIR, f), 'utf8'));
  return cached;
}

/** An authenticated actor for a role, as the server would build it. */
export function actorFor(userId: string, roleText: string, displayName = userId): Actor {
  const role = parseRole(roleText);
  if (!role) throw new Error(`bad role ${roleText}`);
  const territory = roleTerritory(role);
  const territoryPath = testTerritories().path(territory);
  if (!territoryPath) throw new Error(`unknown territory ${territory}`);
  return { userId, displayName, roleText, role, territory, territoryPath };
}
