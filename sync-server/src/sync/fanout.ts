/** Pokes: live delivery of new changes to the sockets whose scope includes them. */
import { roomsForChange } from '../scope';
import type { ScopedChange } from '../store/types';
import type { PokeSink } from './syncService';
import type { Change, Poke } from '../../../common/protocol';

/**
 * Groups changes by scope path (order of first appearance, versions ascending inside a group)
 * and sends each group once to all the rooms that may see that path.
 */
export function fanOut(changes: readonly ScopedChange[], sink: PokeSink): void {
  const groups = new Map<string, Change[]>();
  for (const { scopePath, change } of changes) {
    const list = groups.get(scopePath);
    if (list) list.push(change);
    else groups.set(scopePath, [change]);
  }
  for (const [path, list] of groups) {
    const poke: Poke = { version: list[list.length - 1].version, changes: list };
    sink(roomsForChange(path), poke);
  }
}
