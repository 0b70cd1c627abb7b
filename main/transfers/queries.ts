/** The transfers board's reads over the cache (`store.boards.transfers`). */
import type { BedHold, Operation, Transfer, TransferSummary } from '../../common/domain/transfers/model';
import type { LocalStore } from '../store/localStore';
import { visibleData, visibleSummaries } from './tx';

export class TransfersQueries {
  constructor(private readonly engine: LocalStore) {}

  /** Every transfer this workstation holds, pending changes on top, newest first. */
  listTransfers(): Array<{ transfer: Transfer; pending: boolean }> {
    return visibleData<Transfer>(this.engine, 'transfers', '1 = 1', [])
      .map((r) => ({ transfer: r.row, pending: r.pending }))
      .sort((a, b) => b.transfer.createdAt.localeCompare(a.transfer.createdAt));
  }

  /** The clinical summaries this workstation holds (a party's only), by transfer id, pending text on top. */
  summaries(): Map<string, TransferSummary> {
    return new Map([...visibleSummaries(this.engine)].map(([id, r]) => [id, r.summary]));
  }

  /** Every mass evacuation this workstation holds, pending changes on top, newest first. */
  listOperations(): Array<{ operation: Operation; pending: boolean }> {
    return visibleData<Operation>(this.engine, 'operations', '1 = 1', [])
      .map((r) => ({ operation: r.row, pending: r.pending }))
      .sort((a, b) => b.operation.createdAt.localeCompare(a.operation.createdAt));
  }

  /** Every hold this workstation holds (those that take a bed are chosen by `holds.ts` at the reader's clock). */
  listHolds(): BedHold[] {
    return visibleData<BedHold>(this.engine, 'holds', '1 = 1', []).map((r) => r.row);
  }
}
