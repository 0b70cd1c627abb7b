/**
 * The transfers board's transaction slice. Reads see everything the process holds for this
 * user (on a workstation: the server's rows with pending ones on top). Writes carry `version: 0`.
 */
import type { BedHold, Operation, Transfer, TransferSummary } from './model';

export interface TransfersTx {
  getTransfer(id: string): Transfer | undefined;
  putTransfer(t: Transfer): void;
  /** The clinical summary, where this process holds it (a workstation only if its user is a party). */
  getSummary(transferId: string): TransferSummary | undefined;
  putSummary(s: TransferSummary): void;
  getHold(id: string): BedHold | undefined;
  /** Every hold ever placed on a unit (the rule counts those that still take a bed). */
  holdsOn(finess: string, unitId: string): BedHold[];
  putHold(h: BedHold): void;
  getOperation(id: string): Operation | undefined;
  putOperation(o: Operation): void;
}
