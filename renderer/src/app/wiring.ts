/**
 * Connects the events main pushes to the stores (the app's and each board's of
 * `renderer/src/boards.ts`), for the time a user is signed in.
 */
import { ui } from '../../../common/i18n/ui.fr';
import { api } from '../api';
import { onSignedOut } from './call';
import { rendererBoards } from '../boards';
import { useSession } from '../stores/session';
import { useSync } from '../stores/sync';
import { urgentStorageKey, useUi } from '../stores/ui';
import { useTransfers } from '../transfers/store';

/** Subscribes to every pushed event and loads the first data. Returns the unsubscribe. */
export function connectPushedEvents(): () => void {
  const offs = [
    api.on('sync.status', (status) => useSync.getState().setStatus(status)),
    api.on('data.changed', ({ entities }) => {
      for (const b of rendererBoards) b.store.getState().onDataChanged(entities);
      if (entities.includes('rejected')) void useSync.getState().refreshRejected();
    }),
    api.on('message.urgent', (notice) => useUi.getState().pushUrgent(notice)),
    api.on('transfer.notice', (notice) => useTransfers.getState().pushNotice(notice)),
    api.on('mutation.rejected', (r) => useSync.getState().addRejected(r)),
  ];
  onSignedOut(() => {
    useSession.getState().signedOut(ui.login.sessionEnded);
    forgetUserData();
  });
  const session = useSession.getState().session;
  if (session) useUi.getState().restoreUrgent(urgentStorageKey(session.serverUrl, session.user.id));
  void useSync.getState().refreshStatus();
  void useSync.getState().refreshRejected();
  // In the registry's order, one after the other: the main courante (what a user sees first)
  // is not slowed by the boards that load ahead of being opened.
  void (async () => {
    for (const b of rendererBoards) if (b.firstLoad) await b.firstLoad().catch(() => undefined);
  })();
  return () => {
    onSignedOut(null);
    for (const off of offs) off();
  };
}

/** Forgets what the previous user saw (their session is over). */
export function forgetUserData(): void {
  for (const b of rendererBoards) b.store.getState().reset();
  useSync.getState().reset();
  useUi.getState().reset();
}

/** Logs out and forgets everything the previous user saw. */
export async function logoutAndForget(): Promise<void> {
  await useSession.getState().logout();
  if (useSession.getState().phase !== 'anonymous') return;
  forgetUserData();
}

/** « Se déconnecter partout », then forgets everything this user saw here. */
export async function logoutEverywhereAndForget(): Promise<void> {
  await useSession.getState().logoutEverywhere();
  if (useSession.getState().phase !== 'anonymous') return;
  forgetUserData();
}
