/**
 * ConsoleApi: the one contract between the renderer and the main-process services, composed
 * from the console shell's calls (`common/app/api.ts`) and each board's (`common/boards.ts`).
 *
 * Every call is declared once, with the zod schema that main uses to validate its arguments
 * and the type of its answer. The Electron preload and the web-host bridge both expose
 * exactly `ConsoleApi`; main (or the web host) dispatches on the same table. No channel or
 * call name is spelled anywhere else.
 */
import type { z } from 'zod';
import { appCalls, appEvents } from './app/api';
import { boards, type Board, type BoardParts, type EntityName } from './boards';
import type { EventsOf, PayloadsOf } from './engine/board';
import { returns, type CallReply, type Returns } from './engine/calls';
import { mergeDisjoint, noOverlap, type Overlap, type UnionToIntersection } from './engine/registry';

noOverlap<Overlap<[typeof appCalls, ...BoardParts<'calls'>]>>();

/** Every call of the contract, by name. */
export const consoleCalls = mergeDisjoint('ConsoleApi call', appCalls, ...boards.map((b) => b.calls)) as typeof appCalls &
  UnionToIntersection<Board['calls']>;

export type CallName = keyof typeof consoleCalls;
export type CallArgs<K extends CallName> = z.input<(typeof consoleCalls)[K]['args']>;
export type CallResult<K extends CallName> = (typeof consoleCalls)[K]['result'] extends Returns<infer R> ? R : never;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(consoleCalls, name);
}

/** What a `data.changed` names: an entity whose rows changed, or the refused operations. */
export type ChangedData = EntityName | 'rejected';

const dataEvents = {
  /** Local data changed (server rows arrived or a local write): views re-query (live views: with their `*.changes` call). */
  'data.changed': returns<{ entities: ChangedData[] }>(),
} as const;

/** Events main pushes to the renderer. */
export type ConsoleEvents = PayloadsOf<typeof appEvents> & PayloadsOf<typeof dataEvents> & UnionToIntersection<EventsOf<Board>>;
export type EventName = keyof ConsoleEvents;
export const EVENT_NAMES = Object.keys(
  mergeDisjoint('ConsoleApi event', appEvents, dataEvents, ...boards.map((b): Record<string, unknown> => b.events ?? {})),
) as EventName[];

/** The whole surface the renderer sees as `window.vigie`. */
export interface ConsoleApi {
  call<K extends CallName>(name: K, args: CallArgs<K>): Promise<CallReply<CallResult<K>>>;
  on<E extends EventName>(event: E, listener: (payload: ConsoleEvents[E]) => void): () => void;
}
