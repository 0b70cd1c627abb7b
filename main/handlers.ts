/**
 * The one table of ConsoleApi handlers. Each feature registers its own calls; a name is
 * registered once (a duplicate is a programming error, refused at start-up) and every call
 * of the contract must have a handler. `dispatch` is the single door from the renderer:
 * it refuses unknown names, validates arguments with the contract's schema, and never
 * throws (the bridge carries `CallReply` values, not exceptions).
 */
import type { z } from 'zod';
import type { MutationName } from '../common/boards';
import type { ApiErrorCode, CallReply, MutationReceipt } from '../common/engine/calls';
import { describeZodError } from '../common/engine/mutation';
import { fr } from '../common/i18n/fr';
import type { ServiceContext } from './context';
import { consoleCalls, isCallName, type CallName, type CallResult, type ChangedData } from '../common/api';

export type HandlerArgs<K extends CallName> = z.output<(typeof consoleCalls)[K]['args']>;
export type Handler<K extends CallName> = (args: HandlerArgs<K>) => CallResult<K> | Promise<CallResult<K>>;

/** An expected failure with a French message for the user. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type AnyHandler = (args: unknown) => unknown;

export class HandlerTable {
  private readonly handlers = new Map<CallName, AnyHandler>();

  constructor(
    private readonly log: (line: string) => void = () => undefined,
    /** Told of every call that succeeded, after it did (the audit trail's export reports: `main/admin/exports.ts`). */
    private readonly afterCall: (name: CallName, args: unknown) => void = () => undefined,
  ) {}

  register<K extends CallName>(name: K, handler: Handler<K>): void {
    if (this.handlers.has(name)) throw new Error(`ConsoleApi handler registered twice: ${name}`);
    // Arguments reach the handler only after parsing with consoleCalls[name].args.
    this.handlers.set(name, handler as AnyHandler);
  }

  /** Throws when a call of the contract has no handler: caught at start-up, not at click time. */
  assertComplete(): void {
    const missing = (Object.keys(consoleCalls) as CallName[]).filter((n) => !this.handlers.has(n));
    if (missing.length > 0) throw new Error(`ConsoleApi calls without a handler: ${missing.join(', ')}`);
  }

  async dispatch(name: unknown, args: unknown): Promise<CallReply<unknown>> {
    if (!isCallName(name)) {
      const message = typeof name === 'string' ? fr.api.unknownCall(name.slice(0, 80)) : fr.api.unnamedCall;
      return { ok: false, error: { code: 'unknown_call', message } };
    }
    const handler = this.handlers.get(name);
    if (!handler) return { ok: false, error: { code: 'unknown_call', message: fr.api.unknownCall(name) } };
    const parsed = consoleCalls[name].args.safeParse(args === undefined ? {} : args);
    if (!parsed.success) return { ok: false, error: { code: 'bad_args', message: fr.api.badArgs(describeZodError(parsed.error)) } };
    try {
      const data = await handler(parsed.data);
      this.afterCall(name, parsed.data);
      return { ok: true, data };
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
      this.log(`call ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return { ok: false, error: { code: 'internal', message: fr.api.internal } };
    }
  }
}

/**
 * Runs a mutation on the user's cache and queues it (shown at once, pending); a local
 * rejection is answered with its French reason and code `rejected`, and nothing is queued.
 * Tells the views which data changed and wakes the sync client.
 */
export function queueMutation(ctx: ServiceContext, name: MutationName, args: Record<string, unknown>, changed: ChangedData[], id?: string): MutationReceipt {
  const s = ctx.session.requireActive();
  const result = s.store.mutate(name, args, s.actor);
  if (!result.ok) throw new ApiError('rejected', result.reason);
  ctx.emit('data.changed', { entities: changed });
  ctx.emit('sync.status', s.sync.status());
  s.sync.requestPush();
  return id === undefined ? { mutationId: result.mutationId } : { mutationId: result.mutationId, id };
}
