/**
 * Runs the update state machine (./machine.ts) against an updater and the outbox. Knows
 * nothing of Electron: the desktop app passes electron-updater behind `Updater`
 * (main/electron/updater.ts), tests pass a fake (electron-updater's `autoUpdater` cannot
 * run without the Electron binary), the web host passes nothing (updates off).
 */
import type { UpdateStatus } from '../../common/app/api';
import { fr } from '../../common/i18n/fr';
import { ApiError } from '../handlers';
import { DEFAULT_CHECK_EVERY_MS, type UpdateFeed } from './feed';
import { canRestart, initialUpdateState, updateReducer, updateStatus, type UpdateEvent, type UpdateMachineState } from './machine';

/** What an updater reports: electron-updater's events, reduced to what the machine needs (an error's detail is its raw message). */
export type UpdaterReport = Extract<UpdateEvent, { type: 'checking' | 'available' | 'not-available' | 'progress' | 'downloaded' | 'error' }>;

/** The part of electron-updater the controller uses. */
export interface Updater {
  /** Points the updater at the feed; called once, before the first check. */
  configure(feed: { url: string; channel: string }): void;
  onReport(listener: (report: UpdaterReport) => void): void;
  /** Looks for an update and downloads it; failures also come as an `error` report. */
  check(): Promise<void>;
  /** Quits the app and installs the downloaded update, then starts the new version. */
  install(): void;
}

/** What the services expose as the `update.*` calls. */
export interface UpdateService {
  status(): UpdateStatus;
  /** Restarts into the downloaded update, or refuses (ApiError) while the outbox is not empty. */
  restart(): UpdateStatus;
  /** The outbox changed (a `sync.status` went out, with its count, or re-read when not given). */
  outboxChanged(pending?: number): void;
  stop(): void;
}

export interface UpdateControllerOptions {
  /** null: no updater in this build (not packaged); `disabledReason` says why. */
  updater: Updater | null;
  feed: UpdateFeed;
  /** Mutations not yet confirmed by the server, pending and in flight (the outbox's `pending` rows). */
  pendingCount(): number;
  /** Each status change, for the renderer (`update.status` event). */
  emit(status: UpdateStatus): void;
  /** Why there is no updater (default: not an installed build). */
  disabledReason?: string;
  /** Failures worth a line in the log. */
  onError?(detail: string): void;
  checkEveryMs?: number;
}

export class UpdateController implements UpdateService {
  private state: UpdateMachineState;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly opts: UpdateControllerOptions) {
    const disabled = !opts.updater ? (opts.disabledReason ?? fr.updates.notPackaged) : !opts.feed.enabled ? opts.feed.reason : null;
    this.state = initialUpdateState({ channel: opts.feed.channel, disabled, pending: this.readPending() });
    opts.updater?.onReport((report) => (report.type === 'error' ? this.fail(report.detail) : this.dispatch(report)));
  }

  /** Configures the updater, checks now and every `checkEveryMs`. Does nothing when updates are off. */
  start(): void {
    const { updater, feed } = this.opts;
    if (!updater || !feed.enabled || this.timer) return;
    updater.configure({ url: feed.url, channel: feed.channel });
    this.check();
    this.timer = setInterval(() => this.check(), this.opts.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS);
    this.timer.unref?.();
  }

  status(): UpdateStatus {
    return updateStatus(this.state);
  }

  outboxChanged(pending?: number): void {
    this.dispatch({ type: 'outbox', pending: pending ?? this.readPending() });
  }

  restart(): UpdateStatus {
    // Read the outbox now, not from the last event: a mutation may have been written since the offer.
    this.outboxChanged();
    if (this.state.phase !== 'downloaded') throw new ApiError('rejected', fr.updates.nothingToInstall);
    if (!canRestart(this.state)) throw new ApiError('rejected', fr.updates.outboxNotEmpty(this.state.pending));
    this.dispatch({ type: 'restart' });
    this.stop();
    // The status goes out before the app quits; the install itself quits (and the services close cleanly on will-quit).
    this.opts.updater?.install();
    return this.status();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const { updater } = this.opts;
    const phase = this.state.phase;
    // A downloaded update waits for its restart; one check at a time.
    if (!updater || phase === 'disabled' || phase === 'downloaded' || phase === 'restarting' || phase === 'checking' || phase === 'downloading') return;
    updater.check().catch((err: unknown) => this.fail(err instanceof Error ? err.message : String(err)));
  }

  /**
   * electron-updater both emits `error` and rejects the check: one failure, logged once.
   * Its message is technical (often English): the user reads it inside a French sentence.
   */
  private fail(raw: string): void {
    const detail = fr.updates.failed(raw.slice(0, 300));
    if (this.state.phase === 'error' && this.state.detail === detail) return;
    this.opts.onError?.(raw);
    this.dispatch({ type: 'error', detail });
  }

  private readPending(): number {
    try {
      return this.opts.pendingCount();
    } catch {
      // No readable outbox (closed cache): nothing is known to be in flight from this process.
      return 0;
    }
  }

  private dispatch(event: UpdateEvent): void {
    const before = this.state;
    this.state = updateReducer(before, event);
    if (this.state === before) return;
    const a = updateStatus(before);
    const b = updateStatus(this.state);
    // The outbox moves at every write: its count is news only while the banner shows it (waiting).
    const pendingShown = b.state === 'waiting' && a.pending !== b.pending;
    if (a.state !== b.state || a.version !== b.version || a.percent !== b.percent || a.detail !== b.detail || pendingShown) this.opts.emit(b);
  }
}
