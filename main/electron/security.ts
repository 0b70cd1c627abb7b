/**
 * Hardening that applies to every web contents the app creates: no new windows, no
 * navigation away from the app, no webviews, and no permission but notifications.
 */
import { app, session, type WebContents } from 'electron';

export function hardenApp(isTrustedUrl: (url: string) => boolean): void {
  app.enableSandbox();
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** Call once the app is ready (sessions exist only then). */
export function restrictPermissions(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'));
  s.setPermissionCheckHandler((_wc, permission) => permission === 'notifications');
}
