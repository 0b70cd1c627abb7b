/**
 * The update's state machine, pure (no Electron, no timers): the controller feeds it what
 * electron-updater reports and what the outbox holds, and shows `updateStatus(state)`.
 *
 *   idle → checking → downloading → downloaded ─┬─ pending > 0 → « waiting » (no offer, says why)
 *                   ↘ idle (nothing new)         └─ pending = 0 → « ready » (offer the restart)
 *   ready + restart asked (and still pending = 0) → restarting
 *
 * Invariant: `restarting` is reached only from a downloaded update with an empty outbox
 * (pending and in-flight mutations = 0); a mutation written meanwhile puts `ready` back to
 * `waiting`. A failure after the download keeps the downloaded update.
 */
import type { UpdateState, UpdateStatus } from '../../common/app/api';

export type UpdatePhase = 'disabled' | 'idle' | 'checking' | 'downloading' | 'downloaded' | 'restarting' | 'error';

export interface UpdateMachineState {
  readonly phase: UpdatePhase;
  readonly channel: string;
  readonly version: string | null;
  readonly percent: number | null;
  /** Mutations of the outbox not yet confirmed by the server (pending + in flight). */
  readonly pending: number;
  readonly detail: string | null;
}

export type UpdateEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; detail: string }
  | { type: 'outbox'; pending: number }
  | { type: 'restart' };

export function initialUpdateState(opts: { channel: string; disabled?: string | null; pending?: number }): UpdateMachineState {
  return {
    phase: opts.disabled ? 'disabled' : 'idle',
    channel: opts.channel,
    version: null,
    percent: null,
    pending: Math.max(0, opts.pending ?? 0),
    detail: opts.disabled ?? null,
  };
}

/** Whether the restart may happen now: a downloaded update and nothing left to send. */
export function canRestart(s: UpdateMachineState): boolean {
  return s.phase === 'downloaded' && s.pending === 0;
}

export function updateReducer(s: UpdateMachineState, e: UpdateEvent): UpdateMachineState {
  // The outbox is tracked in every phase, so the offer is right the moment a download ends.
  if (e.type === 'outbox') return { ...s, pending: Math.max(0, Math.trunc(e.pending)) };
  // Off stays off; a restart under way is not undone by late events.
  if (s.phase === 'disabled' || s.phase === 'restarting') return s;
  switch (e.type) {
    case 'checking':
      // A downloaded update waits for its restart: a later check does not hide it.
      return s.phase === 'downloaded' ? s : { ...s, phase: 'checking', percent: null, detail: null };
    case 'available':
      return s.phase === 'downloaded' ? s : { ...s, phase: 'downloading', version: e.version, percent: 0, detail: null };
    case 'not-available':
      return s.phase === 'downloaded' ? s : { ...s, phase: 'idle', version: null, percent: null, detail: null };
    case 'progress':
      return s.phase === 'downloading' || s.phase === 'checking'
        ? { ...s, phase: 'downloading', percent: Math.min(100, Math.max(0, Math.round(e.percent))) }
        : s;
    case 'downloaded':
      return { ...s, phase: 'downloaded', version: e.version, percent: 100, detail: null };
    case 'error':
      return s.phase === 'downloaded' ? s : { ...s, phase: 'error', percent: null, detail: e.detail };
    case 'restart':
      return canRestart(s) ? { ...s, phase: 'restarting' } : s;
  }
}

/** What the renderer sees: a downloaded update is `waiting` or `ready` by the outbox. */
export function updateStatus(s: UpdateMachineState): UpdateStatus {
  const state: UpdateState = s.phase === 'downloaded' ? (s.pending === 0 ? 'ready' : 'waiting') : s.phase;
  return { state, version: s.version, percent: s.percent, pending: s.pending, channel: s.channel, detail: s.detail };
}
