/**
 * Helpers shared by the main-process tests: the bundled referential, temp dirs, actors.
 * Node only; imported by tests, never by production code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../common/domain/mutation';
import { loadTerritories, parseRole, roleTerritory, type Territories } from '../../common/territory';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REFERENTIAL_DIR = join(REPO_ROOT, 'resources', 'referential');

let cached: Territories | null = null;
export function testTerritories(): Territories {
  cached ??= loadTerritories((f) => readFileSync(join(REFERENTIAL_DIR, f), 'utf8'));
  return cached;
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `vigie-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function actorFor(userId: string, roleText: string, displayName = userId): Actor {
  const role = parseRole(roleText);
  if (!role) throw new Error(`bad role ${roleText}`);
  const territory = roleTerritory(role);
  const territoryPath = testTerritories().path(territory);
  if (!territoryPath) throw new Error(`unknown territory ${territory}`);
  return { userId, displayName, roleText, role, territory, territoryPath };
}
