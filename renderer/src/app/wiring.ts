/**
 * Connects the events main pushes to the stores, for the time a user is signed in.
 */
import { ui } from '../../../common/i18n/ui.fr';
import { api } from '../api';
import { onSignedOut } from './call';
import { useBeds } from '../stores/beds';
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
      useBeds.getState().onDataChanged(entities);
      if (entities.includes('rejected')) void useSync.getState().refreshRejected();
    }),
    api.on('message.urgent', (notice) => useUi.getState().pushUrgent(notice)),
    api.on('mutation.rejected', (r) => useSync.getState().addRejected(r)),
  ];
  onSignedOut(() => {
    useSession.getState().signedOut(ui.login.sessionEnded);
    forgetUserData();
  });
  void useSync.getState().refreshStatus();
  void useSync.getState().refreshRejected();
  void useEventLog.getState().loadEvents();
  return () => {
    onSignedOut(null);
    for (const off of offs) off();
  };
}

/** Forgets what the previous user saw (their session is over). */
function forgetUserData(): void {
  useEventLog.getState().reset();
  useBeds.getState().reset();
  useSync.getState().reset();
  useUi.getState().reset();
}

/** Logs out and forgets everything the previous user saw. */
export async function logoutAndForget(): Promise<void> {
  await useSession.getState().logout();
  if (useSession.getState().phase !== 'anonymous') return;
  forgetUserData();
}
