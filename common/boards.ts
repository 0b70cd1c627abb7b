/**
 * The registry of boards: the one list every process derives its part from. Adding a board
 * is one line here (and one in each process's own registry: `main/boards.ts`,
 * `sync-server/src/boards.ts`, `renderer/src/boards.ts`); see docs/design.md, "Adding a
 * board".
 *
 * Mutation, call and event names are unique across boards (mutations and calls checked at
 * compile time too, with `noOverlap`), and so are entity names: a duplicate throws at load
 * (`mergeDisjoint`, `uniqueNames`).
 */
import type { EntitiesOf } from './engine/board';
import { runMutatorOf, type MutationContext, type SliceSource } from './engine/mutation';
import { mergeDisjoint, noOverlap, uniqueNames, type Overlap } from './engine/registry';
import { eventLogBoard } from './domain/eventlog';
import { bedsBoard } from './domain/beds';
import { transfersBoard } from './domain/transfers';
import { stocksBoard } from './domain/stocks';

export const boards = [eventLogBoard, bedsBoard, transfersBoard, stocksBoard] as const;

export type Board = (typeof boards)[number];
export type BoardName = Board['name'];

/** The boards' own declarations of one kind, as a tuple (for the compile-time uniqueness checks). */
type PartsOf<T extends readonly Board[], K extends 'mutators' | 'calls'> = { [I in keyof T]: T[I] extends Board ? T[I][K] : never };
export type BoardParts<K extends 'mutators' | 'calls'> = PartsOf<typeof boards, K>;

noOverlap<Overlap<BoardParts<'mutators'>>>();

/** Every mutator, by name. A mutation name is only ever spelled in its board and at call sites typed against this. */
export const mutators = mergeDisjoint('mutation', ...boards.map((b) => b.mutators));
export type MutationName = keyof typeof mutators;
export const MUTATION_NAMES = Object.keys(mutators) as MutationName[];

export function isMutationName(name: string): name is MutationName {
  return Object.prototype.hasOwnProperty.call(mutators, name);
}

/** Every synced entity, by board order. */
export const entities = uniqueNames(
  'entity',
  boards.flatMap((b) => [...b.entities]),
) as ReadonlyArray<EntitiesOf<Board>>;
export type Entity = EntitiesOf<Board>;
export type EntityName = Entity['name'];
export const ENTITY_NAMES: readonly EntityName[] = entities.map((e) => e.name);

/**
 * Validates `args` and runs the named mutator against the slices it declares, taken from
 * `source` (the process's transaction). The caller owns the transaction.
 */
export function runMutator(source: SliceSource, name: string, args: unknown, ctx: MutationContext): void {
  runMutatorOf(mutators, source, name, args, ctx);
}
