/**
 * Connects the events main pushes to the stores, for the time a user is signed in.
 */
import { api } from '../api';
import { useEventLog } from '../stores/eventlog';
import { useSession } from '../stores/session';
import { useSync } from '../stores/sync';
import { useUi } from '../stores/ui';

/** Subscribes to every pushed event and loads the first data. Returns the unsubscribe. */
export function connectPushedEvents(): () => void {
  const offs = [
    api.on('sync.status', (status) => useSync.getState().setStatus(status)),
    api.on('data.changed', ({ entities }) => {
      useEventLog.getState().onDataChanged(entities);
      if (entities.includes('rejected')) void useSync.getState().refreshRejected();
    }),
    api.on('message.urgent', (notice) => useUi.getState().pushUrgent(notice)),
    api.on('mutation.rejected', (r) => useSync.getState().addRejected(r)),
  ];
  void useSync.getState().refreshStatus();
  void useSync.getState().refreshRejected();
  void useEventLog.getState().loadEvents();
  return () => {
    for (const off of offs) off();
  };
}

/** Logs out and forgets everything the previous user saw. */
export async function logoutAndForget(): Promise<void> {
  await useSession.getState().logout();
  if (useSession.getState().phase !== 'anonymous') return;
  useEventLog.getState().reset();
  useSync.getState().reset();
  useUi.getState().reset();
}
