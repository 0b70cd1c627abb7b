/** Loads the bundled territory referential for the server process. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTerritories, type Territories } from '../../common/territory';

/** `resources/referential` at the repository root, found from this file (works under tsx and vitest). */
export const DEFAULT_REFERENTIAL_DIR = fileURLToPath(new URL('../../resources/referential/', import.meta.url));

const loaded = new Map<string, Territories>();

/**
 * Parses the three CSV files once per directory and process (~50 ms): `Territories` is
 * immutable, so tests and tools that create many apps share one instance.
 */
export function loadServerTerritories(dir: string = DEFAULT_REFERENTIAL_DIR): Territories {
  let t = loaded.get(dir);
  if (!t) {
    t = loadTerritories((fileName) => readFileSync(join(dir, fileName), 'utf8'));
    loaded.set(dir, t);
  }
  return t;
}
