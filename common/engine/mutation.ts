/**
 * The mutation model shared by the client cache and the sync server, knowing no board.
 *
 * A mutator is defined once and runs twice: optimistically on the client's cache and
 * authoritatively on the server. It sees only the transaction *slices* it declares (each
 * board defines the reads and writes of its own slice; each process implements them over its
 * own SQL). A mutator either writes through its slices or throws `MutationRejected` with a
 * reason a person can read; it never half-applies (callers wrap it in a transaction).
 */
import '../zodFr';
import { z } from 'zod';
import { fr } from '../i18n/fr';
import type { Role, Territories, TerritoryKey } from '../territory';

export class MutationRejected extends Error {
  constructor(message: string) {
    // A reason may quote the input (an unknown name, a field's path). A NUL character in it
    // would be refused by PostgreSQL's text columns, which store the reason for replays, and
    // reads as nothing to a person: shown as U+FFFD on every store, so both answer alike.
    super(message.replaceAll('\u0000', '\uFFFD'));
    this.name = 'MutationRejected';
  }
}

/** Who runs a mutation, as the server authenticated them. */
export interface Actor {
  userId: string;
  displayName: string;
  /** The role string, e.g. `samu:75`. */
  roleText: string;
  role: Role;
  territory: TerritoryKey;
  /** `/FR/R:11/D:75/` */
  territoryPath: string;
}

export interface MutationContext {
  actor: Actor;
  /** When the author made the change (the mutation's `at`, the author's clock). */
  at: string;
  territories: Territories;
  /**
   * The path the mutation came by, as the server knows it, never from its payload:
   * `sync` for a client's push (and a client's own run of it), or the name a board's server
   * route gives the mutations it makes (the bed board's register feed: `feed`).
   */
  via: string;
}

/** A client's push (the usual path). */
export const VIA_SYNC = 'sync';

/** The slices a mutator may use, by slice name (a board's name). */
export type Slices = Record<string, object>;

export interface MutatorDef<T extends Slices = Slices, S extends z.ZodType = z.ZodType> {
  /** The slice names `run` receives; nothing else is reachable from its `tx`. */
  slices: readonly (keyof T & string)[];
  args: S;
  run(tx: T, args: z.output<S>, ctx: MutationContext): void;
}

/**
 * A definer of mutators that use the slices of `T`, e.g.
 * `const define = mutatorsUsing<{ beds: BedsTx }>('beds')`. The slice list is typed from `T`
 * and given once, so the runtime list and the compile-time one cannot drift.
 */
export function mutatorsUsing<T extends Slices>(...slices: Array<keyof T & string>) {
  return <S extends z.ZodType>(args: S, run: (tx: T, args: z.output<S>, ctx: MutationContext) => void): MutatorDef<T, S> => ({
    slices,
    args,
    run,
  });
}

/** A process's transaction: the slice of each board, asked for by name. */
export type SliceSource = (slice: string) => object;

export type MutatorMap = Readonly<Record<string, MutatorDef<never, z.ZodType>>>;

/**
 * Validates `args` against the mutator's schema and runs it against the slices it declares.
 * Throws `MutationRejected` (with a French reason) for bad arguments, an unknown name, or a
 * broken domain rule. The caller owns the transaction.
 */
export function runMutatorOf(mutators: MutatorMap, source: SliceSource, name: string, args: unknown, ctx: MutationContext): void {
  if (!Object.prototype.hasOwnProperty.call(mutators, name)) throw new MutationRejected(fr.reject.unknownMutation(name));
  const def = mutators[name] as unknown as MutatorDef;
  const parsed = def.args.safeParse(args);
  if (!parsed.success) throw new MutationRejected(fr.reject.invalidArgs(describeZodError(parsed.error)));
  const tx: Slices = {};
  for (const s of def.slices) tx[s] = source(s);
  def.run(tx, parsed.data, ctx);
}

/** Longest text of one issue: an unknown key or a path is the sender's and can be 16 KB long. */
const MAX_ISSUE_CHARS = 300;

/** Formats a zod error as one French line naming the fields at fault. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const text = i.path.length ? `${i.path.join('.')} : ${i.message}` : i.message;
      const chars = [...text];
      return chars.length > MAX_ISSUE_CHARS ? `${chars.slice(0, MAX_ISSUE_CHARS - 1).join('')}…` : text;
    })
    .join(' ; ');
}
