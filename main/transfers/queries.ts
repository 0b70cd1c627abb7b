/** The transfers board's reads over the cache (`store.boards.transfers`). */
import { DEFAULT_TRANSFER_SETTINGS, TransferSettingsSchema, type TransferSettings } from '../../common/domain/transfers/api';
import type { BedHold, Operation, Transfer, TransferSummary } from '../../common/domain/transfers/model';
import type { LocalStore } from '../store/localStore';
import { visibleData } from '../store/visibleRows';
import { visibleSummaries } from './tx';

const META_TRANSFER_SETTINGS = 'transfer_settings';
/** One meta row per clock notice told on this workstation (`transfer_notice:<event key>`), so a restart tells nothing twice. */
const META_NOTICE_PREFIX = 'transfer_notice:';

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

  /** This workstation's transfer delays (defaults until changed, and for a value this release no longer accepts). */
  transferSettings(): TransferSettings {
    const raw = this.engine.getMeta(META_TRANSFER_SETTINGS);
    if (raw === null) return { ...DEFAULT_TRANSFER_SETTINGS };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { ...DEFAULT_TRANSFER_SETTINGS };
    }
    const result = TransferSettingsSchema.safeParse(parsed);
    return result.success ? result.data : { ...DEFAULT_TRANSFER_SETTINGS };
  }

  setTransferSettings(settings: TransferSettings): TransferSettings {
    this.engine.setMeta(META_TRANSFER_SETTINGS, JSON.stringify(TransferSettingsSchema.parse(settings)));
    return this.transferSettings();
  }

  /** True when the clock notice of `key` was already told on this workstation. */
  noticeTold(key: string): boolean {
    return this.engine.getMeta(META_NOTICE_PREFIX + key) !== null;
  }

  /** Records that the clock notice of `key` was told, at `at`. */
  markNoticeTold(key: string, at: string): void {
    this.engine.setMeta(META_NOTICE_PREFIX + key, at);
  }
}
