/**
 * The mutation model shared by the client cache and the sync server.
 *
 * A mutator is defined once and runs twice: optimistically on the client's cache and
 * authoritatively on the server, each time against a `DomainTx` that the process implements
 * over its own SQL. A mutator either writes through the tx or throws `MutationRejected`
 * with a reason a person can read; it never half-applies (callers wrap it in a transaction).
 */
import { z } from 'zod';
import type { Role, Territories, TerritoryKey } from '../territory';
import type { UnitReport } from './beds';
import type { Ack, CrisisEvent, Message } from './eventLog';

export class MutationRejected extends Error {
  constructor(message: string) {
    super(message);
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
}

/**
 * What a mutator may read and write. Reads see everything the process holds for this user
 * (on the client: the server's rows with pending mutations on top). Writes carry
 * `version: 0`; the store stamps the real version.
 */
export interface DomainTx {
  getEvent(id: string): CrisisEvent | undefined;
  getMessage(id: string): Message | undefined;
  /** True when a consigne that replaces `messageId` exists. */
  isReplaced(messageId: string): boolean;
  getAck(messageId: string, territory: TerritoryKey): Ack | undefined;
  putEvent(event: CrisisEvent): void;
  insertMessage(message: Message): void;
  putAck(ack: Ack): void;
  /** The current figures of a unit: its latest report in server order (pending ones on top, on the client). */
  getCurrentReport(finess: string, unitType: string): UnitReport | undefined;
  getReport(id: string): UnitReport | undefined;
  /** Appends a report to the unit's history; it becomes the unit's current figures. */
  insertReport(report: UnitReport): void;
}

export interface MutatorDef<S extends z.ZodType> {
  args: S;
  run(tx: DomainTx, args: z.infer<S>, ctx: MutationContext): void;
}

export function defineMutator<S extends z.ZodType>(
  args: S,
  run: (tx: DomainTx, args: z.infer<S>, ctx: MutationContext) => void,
): MutatorDef<S> {
  return { args, run };
}

/** Formats a zod error as one French line naming the fields at fault. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')} : ${i.message}` : i.message))
    .join(' ; ');
}
