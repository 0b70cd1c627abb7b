/** Loads the bundled referential for tests (the real files, not a fixture). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTerritories, type Territories } from '../../common/territory';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REFERENTIAL_DIR = join(REPO_ROOT, 'resources', 'referential');

let cached: Territories | undefined;
export function testTerritories(): Territories {
  cached ??= loadTerritories((f) => readFileSync(join(REFERENTIAL_DIR, f), 'utf8'));
  return cached;
}
