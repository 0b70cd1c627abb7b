/** Loads the bundled medicines referential for the server process (once per directory). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEDICINES_FILE, productsFromCsv, type Products } from '../../../common/domain/stocks/products';

/** `resources/medicines` at the repository root, found from this file (tsx and vitest). */
export const DEFAULT_MEDICINES_DIR = fileURLToPath(new URL('../../../resources/medicines/', import.meta.url));

const loaded = new Map<string, Products>();

export function loadServerProducts(dir: string = DEFAULT_MEDICINES_DIR): Products {
  let p = loaded.get(dir);
  if (!p) {
    p = productsFromCsv(readFileSync(join(dir, MEDICINES_FILE), 'utf8'));
    loaded.set(dir, p);
  }
  return p;
}
