import { ui } from '../../../common/i18n/ui.fr';
import { formatClock } from '../eventlog/format';
import { useSync } from '../stores/sync';
import type { SyncState } from '../../../common/app/api';

const stateText: Record<SyncState, string> = {
  online: ui.sync.online,
  offline: ui.sync.offline,
  syncing: ui.sync.syncing,
};

/** Always on screen: connection state, pending and refused operations, last sync. */
export function StatusBar() {
  const status = useSync((s) => s.status);
  const rejectedCount = useSync((s) => s.rejected.length);
  const state = status?.state ?? null;
  const pending = status?.pending ?? 0;

  return (
    <footer className="statusbar" aria-label={ui.sync.statusLabel}>
      <span className={`sync-state sync-${state ?? 'unknown'}`} data-testid="sync-state" data-state={state ?? 'unknown'} role="status">
        <span className="sync-dot" aria-hidden="true" />
        {state ? stateText[state] : ui.sync.unknown}
      </span>
      <span className={`sync-pending${pending > 0 ? ' has-pending' : ''}`} data-testid="sync-pending" title={ui.sync.pendingTitle}>
        {ui.sync.pending(pending)}
      </span>
      {rejectedCount > 0 && <span className="sync-rejected">{ui.sync.rejected(rejectedCount)}</span>}
      <span className="sync-last" data-testid="sync-last">
        {status?.lastSyncAt ? ui.sync.lastSync(formatClock(status.lastSyncAt)) : ui.sync.neverSynced}
      </span>
      {/* Why it is offline, or, online, a notice the user must read (the server was restored and the data reloaded). */}
      {status?.detail && (
        <span className="sync-detail" data-testid="sync-detail" title={status.detail}>
          {status.detail}
        </span>
      )}
      <span className="statusbar-spacer" />
      {status?.serverUrl && <span className="sync-server">{ui.sync.server(status.serverUrl)}</span>}
    </footer>
  );
}
