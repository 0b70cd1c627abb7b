/**
 * Desktop notifications for urgent messages from other users and transfer notices. Shown
 * only when this workstation allows them (`app.notifications`: the user's choice, unless the
 * policy silences them on a shared screen or forces them on).
 */
import { Notification, type BrowserWindow } from 'electron';
import { fr } from '../../common/i18n/fr';
import type { ConsoleEvents } from '../../common/api';
import type { ConsoleServices } from '../services';

/** Whether a notification may be shown now (asked each time: the user may switch them off meanwhile). */
export async function notificationsAllowed(services: ConsoleServices): Promise<boolean> {
  const reply = await services.dispatch('app.notifications', {});
  return reply.ok && (reply.data as { enabled: boolean }).enabled;
}

const BODY_MAX = 240;

/** A transfer reaching this workstation's side: an incoming request, an acceptance, a refusal; a proposal left unanswered, a hold lapsed (the clock). */
export function notifyTransfer(notice: ConsoleEvents['transfer.notice'], getWindow: () => BrowserWindow | null): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title: fr.transfers.notice.title, body: notice.text, urgency: notice.kind === 'accepted' ? 'normal' : 'critical' });
  n.on('click', () => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  n.show();
}

export function notifyUrgent(notice: ConsoleEvents['message.urgent'], getWindow: () => BrowserWindow | null): void {
  if (!Notification.isSupported()) return;
  const body = notice.body.length > BODY_MAX ? `${notice.body.slice(0, BODY_MAX - 1)}…` : notice.body;
  const n = new Notification({
    title: fr.shell.urgentTitle(notice.authorPost),
    body: fr.shell.urgentBody(notice.authorName, body),
    urgency: 'critical',
  });
  n.on('click', () => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  n.show();
}
