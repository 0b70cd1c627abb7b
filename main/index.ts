/**
 * Electron main process entry: wiring only. The services (store, sync, ConsoleApi) know
 * nothing of Electron; the files in ./electron/ know nothing of the domain.
 */
import { app, BrowserWindow, dialog, session } from 'electron';
import { fr } from '../common/i18n/fr';
import { registerIpc } from './electron/ipc';
import { desktopCacheKey } from './electron/cacheKey';
import { installMenu } from './electron/menu';
import { notificationsAllowed, notifyTransfer, notifyUrgent } from './electron/notifications';
import { DEFAULT_SERVER_URL, desktopPaths, syncServerConfig } from './electron/paths';
import { APP_ENTRY, APP_ORIGIN, registerAppScheme, serveAppScheme } from './electron/protocol';
import { isAppUrl } from './electron/policy';
import { safeStorageBox } from './electron/secretBox';
import { hardenApp, restrictPermissions } from './electron/security';
import { electronUpdaterAdapter } from './electron/updater';
import { installTray } from './electron/tray';
import { createMainWindow } from './electron/window';
import { PolicyError, readWorkstationPolicy, type ProxyDecision } from './policy';
import { createConsoleServices, type ConsoleServices } from './services';
import { UpdateController } from './updates/controller';
import { resolveUpdateFeed } from './updates/feed';

// The update channel and folder come from the administrator's policy (main/policy); until
// it says, updates are off.

// electron-vite's dev server, when used; otherwise our own scheme.
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const entryUrl = devUrl ?? APP_ENTRY;
const trustedOrigin = devUrl ? new URL(devUrl).origin : APP_ORIGIN;
const isTrustedUrl = (url: string): boolean => isAppUrl(url, trustedOrigin);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let services: ConsoleServices | null = null;
  let removeTray: (() => void) | null = null;
  const getWindow = (): BrowserWindow | null => mainWindow;
  const showWindow = (): void => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  registerAppScheme();
  hardenApp(isTrustedUrl);
  // The UI is French whatever the workstation's system language: date and number inputs
  // (the as-of picker, the transfer forms) then read jj/mm/aaaa, not a US mm/dd/yyyy.
  app.commandLine.appendSwitch('lang', 'fr-FR');

  // One instance per user: a second launch focuses the first window, then quits.
  app.on('second-instance', showWindow);

  app
    .whenReady()
    .then(async () => {
      // The administrator policy first: a broken file stops here with its French message
      // (a managed workstation never runs unmanaged in silence; docs/policy.md).
      const policy = readWorkstationPolicy();
      await session.defaultSession.setProxy(electronProxy(policy.proxy()));
      const paths = desktopPaths();
      restrictPermissions();
      serveAppScheme(paths.rendererDir);
      installMenu({ services: () => services, window: getWindow });
      // Refuses to start (French reason in the error box) on a workstation without a real keystore,
      // unless the administrator's policy allows it.
      const cacheKey = desktopCacheKey(paths.dataDir, { allowBasicText: policy.allowBasicText() });
      const server = syncServerConfig();
      services = createConsoleServices({
        dataDir: paths.dataDir,
        cacheKey,
        // The policy's address (and its pin) wins, inside the services; then VIGIE_SERVER_URL (npm start,
        // with VIGIE_SERVER_CERT_SHA256); a development run falls back to the local demo server; a
        // packaged one opens on the first-run screen.
        serverUrl: server.url ?? (app.isPackaged ? null : DEFAULT_SERVER_URL),
        certFingerprint: server.certFingerprint,
        policy,
        // The policy's `system` proxy for the main process's own connections (login, sync): what
        // Chromium resolves for the url, PAC and WPAD included (main/sync/proxy.ts reads its answer).
        systemProxy: (url) => session.defaultSession.resolveProxy(url),
        resourcesDir: paths.resourcesDir,
        secretBox: safeStorageBox(),
        nativeBinding: paths.nativeBinding,
        appVersion: app.getVersion(),
        updates: (deps) => {
          // Only an installed build updates (electron-updater needs its app-update.yml).
          const updates = new UpdateController({ ...deps, updater: app.isPackaged ? electronUpdaterAdapter() : null, feed: resolveUpdateFeed({ channel: policy.updateChannel(), url: policy.updateUrl() }) });
          updates.start();
          return updates;
        },
      });
      registerIpc({ services, getWindow, isTrustedUrl });
      const started = services;
      started.on((event, payload) => {
        if (event !== 'message.urgent' && event !== 'transfer.notice') return;
        void notificationsAllowed(started).then((allowed) => {
          if (!allowed) return;
          if (event === 'message.urgent') notifyUrgent(payload as Parameters<typeof notifyUrgent>[0], getWindow);
          else notifyTransfer(payload as Parameters<typeof notifyTransfer>[0], getWindow);
        });
      });
      removeTray = installTray({ services: started, window: getWindow, show: showWindow });
      mainWindow = createMainWindow({ preload: paths.preload, url: entryUrl });
      mainWindow.on('closed', () => {
        mainWindow = null;
      });
    })
    .catch((err: unknown) => {
      // A policy error is already a whole French sentence for the person at the workstation.
      dialog.showErrorBox('Vigie', err instanceof PolicyError ? err.message : fr.shell.startFailed(err instanceof Error ? err.message : String(err)));
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());

  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting || !services) return;
    // Close the cache cleanly (WAL checkpoint) before the process goes.
    event.preventDefault();
    quitting = true;
    // No recount against services being closed.
    removeTray?.();
    void services.close().finally(() => app.quit());
  });
}

/** The policy's proxy as Electron's session takes it (the renderer's and Chromium's requests). */
function electronProxy(p: ProxyDecision): Electron.ProxyConfig {
  if (p.mode === 'fixed') return { mode: 'fixed_servers', proxyRules: p.url, proxyBypassRules: p.bypass.join(',') };
  return { mode: p.mode };
}
