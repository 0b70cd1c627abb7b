/**
 * Scope arithmetic on territory path strings (`/FR/R:11/D:75/`). A row with path P is
 * visible to a user with path U iff one is a prefix of the other, or P is U's private path
 * (`/~D:75/` for `/FR/R:11/D:75/`, see `privateScope` in `common/territory.ts`): a root of
 * its own that no branch covers, so only the users of that very territory see it. The
 * helpers here turn that rule into the finite lists that SQL conditions and Socket.IO room
 * names need.
 */
import { privatePathOf, sameBranch } from '../../common/territory';

export { privatePathOf };

/** The whole visibility rule on paths (what the pull SQL and the rooms implement). */
export function visibleTo(rowPath: string, userPath: string): boolean {
  return sameBranch(rowPath, userPath) || rowPath === privatePathOf(userPath);
}

const ancestorsCache = new Map<string, readonly string[]>();

/**
 * `/FR/R:11/D:75/` → `['/FR/', '/FR/R:11/', '/FR/R:11/D:75/']`, broadest first.
 * Memoised: there are a few thousand distinct paths and this runs on every poke and pull.
 */
export function ancestorsOrSelf(path: string): readonly string[] {
  const hit = ancestorsCache.get(path);
  if (hit) return hit;
  const out: string[] = [];
  let i = path.indexOf('/', 1);
  while (i >= 0) {
    out.push(path.slice(0, i + 1));
    i = path.indexOf('/', i + 1);
  }
  const frozen = Object.freeze(out);
  // The set of paths is bounded by the referential, but guard against unbounded growth anyway.
  if (ancestorsCache.size > 50_000) ancestorsCache.clear();
  ancestorsCache.set(path, frozen);
  return frozen;
}

/** The room a socket joins for its own path: changes scoped to a path above it are sent here. */
export function atRoom(path: string): string {
  return `at:${path}`;
}

/** The rooms under a path: every socket whose own path is `path` or below it joins `under:<path>`. */
export function underRoom(path: string): string {
  return `under:${path}`;
}

/**
 * The rooms a socket whose own path is `path` joins: its branch's, and the `at:` room of its
 * private path (no socket's own path is private, so no one else is there).
 */
export function roomsForSocket(path: string, privatePath: string | null = privatePathOf(path)): string[] {
  return [atRoom(path), ...ancestorsOrSelf(path).map(underRoom), ...(privatePath ? [atRoom(privatePath)] : [])];
}

/**
 * The rooms a change scoped to `path` must reach: the sockets at each ancestor-or-self of it
 * (they see their subtree) and every socket at or below it (they see their ancestors).
 * Emitting to all of them in one `io.to(rooms)` call delivers each socket one copy.
 */
export function roomsForChange(path: string): string[] {
  return [...ancestorsOrSelf(path).map(atRoom), underRoom(path)];
}
