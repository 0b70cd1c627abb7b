/** Loads the bundled medicines referential for the main process (once per directory). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEDICINES_FILE, productsFromCsv, type Products } from '../../common/domain/stocks/products';

/** `resources/medicines` seen from this file (sources, or the bundle in `out/main/`), from the packaged app, or from the working directory. */
function medicinesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const packaged = typeof process.resourcesPath === 'string' ? [join(process.resourcesPath, 'resources')] : [];
  const candidates = [resolve(here, '..', 'resources'), resolve(here, '..', '..', 'resources'), ...packaged, resolve(process.cwd(), 'resources')].map((r) =>
    join(r, 'medicines'),
  );
  return candidates.find((c) => existsSync(join(c, MEDICINES_FILE))) ?? candidates[0];
}

let loaded: Products | null = null;

export function loadMainProducts(): Products {
  loaded ??= productsFromCsv(readFileSync(join(medicinesDir(), MEDICINES_FILE), 'utf8'));
  return loaded;
}
