/**
 * Helpers for composing per-board declarations into one registry: names must be unique
 * across boards, checked at compile time (`Overlap` must be `never`) and again at load time
 * (a duplicate throws before anything runs).
 */

/** `A | B` → `A & B` (each board's map merged into one type). */
export type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

type KeysOf<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]] ? keyof H | KeysOf<R> : never;

/** The keys that appear in more than one of the maps (never when they are disjoint). */
export type Overlap<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? (keyof H & KeysOf<R>) | Overlap<R>
  : never;

/** Compiles only when `K` is `never`: `noOverlap<Overlap<[A, B]>>()`. */
export function noOverlap<K extends never>(): K | undefined {
  return undefined;
}

/** One map of every entry of `maps`; a key found twice throws, naming it and `what` it is. */
export function mergeDisjoint<T extends readonly Record<string, unknown>[]>(what: string, ...maps: T): UnionToIntersection<T[number]> {
  const out: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [key, value] of Object.entries(map)) {
      if (Object.prototype.hasOwnProperty.call(out, key)) throw new Error(`${what} declared twice: ${key}`);
      out[key] = value;
    }
  }
  return out as UnionToIntersection<T[number]>;
}

/** Refuses two entries with the same `name`. */
export function uniqueNames<T extends { name: string }>(what: string, items: readonly T[]): readonly T[] {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.name)) throw new Error(`${what} declared twice: ${item.name}`);
    seen.add(item.name);
  }
  return items;
}
