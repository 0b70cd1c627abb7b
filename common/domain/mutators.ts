/**
 * The registry of every mutator, and the one entry point both processes use to run one.
 * A mutation name is only ever spelled here (as a key) and at call sites typed against it.
 */
import { fr } from '../i18n/fr';
import { bedMutators } from './beds';
import { eventLogMutators } from './eventLog';
import { describeZodError, MutationRejected, type DomainTx, type MutationContext } from './mutation';

export const mutators = {
  ...eventLogMutators,
  ...bedMutators,
} as const;

export type MutationName = keyof typeof mutators;
export const MUTATION_NAMES = Object.keys(mutators) as MutationName[];

export function isMutationName(name: string): name is MutationName {
  return Object.prototype.hasOwnProperty.call(mutators, name);
}

/**
 * Validates `args` against the mutator's schema and runs it. Throws `MutationRejected`
 * (with a French reason) for bad arguments, an unknown name, or a broken domain rule.
 * The caller owns the transaction.
 */
export function runMutator(tx: DomainTx, name: string, args: unknown, ctx: MutationContext): void {
  if (!isMutationName(name)) throw new MutationRejected(fr.reject.unknownMutation(name));
  const def = mutators[name];
  const parsed = def.args.safeParse(args);
  if (!parsed.success) throw new MutationRejected(fr.reject.invalidArgs(describeZodError(parsed.error)));
  // Each entry's run() matches its own schema; the union of entries needs this widening.
  (def.run as (tx: DomainTx, a: unknown, c: MutationContext) => void)(tx, parsed.data, ctx);
}
