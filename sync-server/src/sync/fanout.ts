/** Pokes: live delivery of new changes to the sockets whose scope includes them. */
import { roomsForChange } from '../scope';
import type { ScopedChange } from '../store/types';
import type { PokeSink } from './syncService';
import type { Change, Poke } from '../../../common/protocol';

/**
 * Sends each run of consecutive changes of one scope path once, to all the rooms that may see
 * that path, in version order. A path met again after another path's change starts a new
 * poke: grouping it with its first run would send a socket in both rooms a later version
 * before an earlier one, and a row carried once per branch in an older state after a newer
 * one (found by the convergence test, issue 11).
 */
export function fanOut(changes: readonly ScopedChange[], sink: PokeSink): void {
  let path: string | null = null;
  let run: Change[] = [];
  const send = () => {
    if (path !== null && run.length > 0) sink(roomsForChange(path), { version: run[run.length - 1].version, changes: run } satisfies Poke);
  };
  for (const { scopePath, change } of changes) {
    if (scopePath !== path) {
      send();
      path = scopePath;
      run = [];
    }
    run.push(change);
  }
  send();
}
