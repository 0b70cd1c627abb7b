/**
 * A board's declaration in `common/`: what every process derives its part of the registry
 * from. One per board, in `common/domain/<board>/index.ts`, listed once in `common/boards.ts`.
 */
import type { CallMap, Returns } from './calls';
import type { EntityDef } from './entity';
import type { MutatorMap } from './mutation';

export interface BoardDef<
  N extends string = string,
  E extends readonly EntityDef[] = readonly EntityDef[],
  M extends MutatorMap = MutatorMap,
  C extends CallMap = CallMap,
  V extends EventMap = EventMap,
  S extends object = object,
> {
  /** The board's folder name in every process (`eventlog`, `beds`, …) and its transaction slice's name. */
  readonly name: N;
  /** The rows it syncs. */
  readonly entities: E;
  /** Its mutators, named `<thing>.<verb>`; names are unique across boards. */
  readonly mutators: M;
  /** Its ConsoleApi calls, named `<board or thing>.<verb>`. */
  readonly calls: C;
  /** The events main pushes to the renderer for this board: name → payload type (`returns<P>()`). */
  readonly events?: V;
  /** Phantom: the Socket.IO events it adds to the sync protocol (name → handler signature). */
  readonly socket?: Returns<S>;
}

export function defineBoard<
  N extends string,
  E extends readonly EntityDef[],
  M extends MutatorMap,
  C extends CallMap,
  V extends EventMap = Record<never, never>,
  S extends object = Record<never, never>,
>(def: BoardDef<N, E, M, C, V, S>): BoardDef<N, E, M, C, V, S> {
  return def;
}

export type EntitiesOf<B> = B extends BoardDef<string, infer E> ? E[number] : never;
/** Pushed events by name: the payload type each `returns<P>()` carries. */
export type EventMap = Readonly<Record<string, Returns<unknown>>>;
export type PayloadsOf<V extends EventMap> = { [K in keyof V]: V[K] extends Returns<infer P> ? P : never };
export type EventsOf<B> = B extends BoardDef<string, readonly EntityDef[], MutatorMap, CallMap, infer V> ? PayloadsOf<V> : never;
export type SocketOf<B> = B extends BoardDef<string, readonly EntityDef[], MutatorMap, CallMap, EventMap, infer S> ? S : never;
