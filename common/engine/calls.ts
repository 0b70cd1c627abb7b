/**
 * The building blocks of ConsoleApi, the one contract between the renderer and the
 * main-process services. Each board declares its calls with these (a zod schema that main
 * validates the arguments with, and the type of the answer); `common/api.ts` composes them.
 */
import { z } from 'zod';

/** The only two IPC channels (Electron) / socket events (web host). */
export const ipcChannels = { call: 'vigie:call', event: 'vigie:event' } as const;

/** The web host's Socket.IO path carrying the same two channels to a browser. */
export const WEB_BRIDGE_PATH = '/bridge';

declare const resultBrand: unique symbol;
/** Phantom marker carrying a call's result type. */
export interface Returns<T> {
  readonly [resultBrand]?: T;
}
export const returns = <T>(): Returns<T> => ({});

export interface CallDef<S extends z.ZodType = z.ZodType, R = unknown> {
  args: S;
  result: Returns<R>;
}
export const call = <S extends z.ZodType, R>(args: S, result: Returns<R>): CallDef<S, R> => ({ args, result });

export const NoArgs = z.strictObject({});
export const Uuid = z.string().uuid('identifiant invalide');

export type CallMap = Readonly<Record<string, CallDef>>;

/** Answer of a call that queued a local mutation. */
export interface MutationReceipt {
  mutationId: number;
  /** The id of the created row, where the call creates one. */
  id?: string;
}

export type ApiErrorCode = 'bad_args' | 'unknown_call' | 'not_logged_in' | 'rejected' | 'unreachable' | 'auth' | 'internal';

/** What crosses the bridge: never a thrown error (Electron would mangle it). */
export type CallReply<T> = { ok: true; data: T } | { ok: false; error: { code: ApiErrorCode; message: string } };
