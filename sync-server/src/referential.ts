/** Loads the bundled territory referential for the server process. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadTerritories, type Territories } from '../../common/territory';

/** `resources/referential` at the repository root, found from this file (works under tsx and vitest). */
export const DEFAULT_REFERENTIAL_DIR = fileURLToPath(new URL('../../resources/referential/', import.meta.url));

export function loadServerTerritories(dir: string = DEFAULT_REFERENTIAL_DIR): Territories {
  return loadTerritories((fileName) => readFileSync(join(dir, fileName), 'utf8'));
}
