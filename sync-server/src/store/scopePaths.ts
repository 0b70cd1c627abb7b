import type { Territories } from '../../../common/territory';

/**
 * Territory key → scope path, cached: `Territories.scopePath` allocates and the change
 * writers call this for every row they log (both stores). Throws on an unknown key.
 */
export function cachedScopePaths(territories: Territories): (key: string) => string {
  const cache = new Map<string, string>();
  return (key) => {
    let p = cache.get(key);
    if (p === undefined) {
      const resolved = territories.scopePath(key);
      if (!resolved) throw new Error(`unknown territory ${key}`);
      p = resolved;
      cache.set(key, p);
    }
    return p;
  };
}
