/**
 * Electron main process entry: wiring only. The services (store, sync, ConsoleApi) know
 * nothing of Electron; the files in ./electron/ know nothing of the domain.
 */
import { app, BrowserWindow, dialog } from 'electron';
import { fr } from '../common/i18n/fr';
import { registerIpc } from './electron/ipc';
import { desktopCacheKey } from './electron/cacheKey';
import { installMenu } from './electron/menu';
import { notifyTransfer, notifyUrgent } from './electron/notifications';
import { desktopPaths, syncServerConfig } from './electron/paths';
import { APP_ENTRY, APP_ORIGIN, registerAppScheme, serveAppScheme } from './electron/protocol';
import { isAppUrl } from './electron/policy';
import { safeStorageBox } from './electron/secretBox';
import { hardenApp, restrictPermissions } from './electron/security';
import { electronUpdaterAdapter } from './electron/updater';
import { createMainWindow } from './electron/window';
import { createConsoleServices, type ConsoleServices } from './services';
import { UpdateController } from './updates/controller';
import { resolveUpdateFeed, type UpdateFeedInput } from './updates/feed';

// The update channel and folder come from the administrator's policy (main/policy); until
// it says, updates are off.
const updateFeed: UpdateFeedInput = {};

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
  const getWindow = (): BrowserWindow | null => mainWindow;

  registerAppScheme();
  hardenApp(isTrustedUrl);
  // The UI is French whatever the workstation's system language: date and number inputs
  // (the as-of picker, the transfer forms) then read jj/mm/aaaa, not a US mm/dd/yyyy.
  app.commandLine.appendSwitch('lang', 'fr-FR');

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app
    .whenReady()
    .then(() => {
      const paths = desktopPaths();
      restrictPermissions();
      serveAppScheme(paths.rendererDir);
      installMenu({ services: () => services, window: getWindow });
      // Refuses to start (French reason in the error box) on a workstation without a real keystore.
      // allowBasicText: the administrator's policy (issue 12) will provide it; until then, refused.
      const cacheKey = desktopCacheKey(paths.dataDir, { allowBasicText: false });
      const server = syncServerConfig();
      services = createConsoleServices({
        dataDir: paths.dataDir,
        cacheKey,
        serverUrl: server.url,
        certFingerprint: server.certFingerprint,
        resourcesDir: paths.resourcesDir,
        secretBox: safeStorageBox(),
        nativeBinding: paths.nativeBinding,
        appVersion: app.getVersion(),
        updates: (deps) => {
          // Only an installed build updates (electron-updater needs its app-update.yml).
          const updates = new UpdateController({ ...deps, updater: app.isPackaged ? electronUpdaterAdapter() : null, feed: resolveUpdateFeed(updateFeed) });
          updates.start();
          return updates;
        },
      });
      registerIpc({ services, getWindow, isTrustedUrl });
      services.on((event, payload) => {
        if (event === 'message.urgent') notifyUrgent(payload as Parameters<typeof notifyUrgent>[0], getWindow);
        if (event === 'transfer.notice') notifyTransfer(payload as Parameters<typeof notifyTransfer>[0], getWindow);
      });
      mainWindow = createMainWindow({ preload: paths.preload, url: entryUrl });
      mainWindow.on('closed', () => {
        mainWindow = null;
      });
    })
    .catch((err: unknown) => {
      dialog.showErrorBox('Vigie', fr.shell.startFailed(err instanceof Error ? err.message : String(err)));
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());

  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting || !services) return;
    // Close the cache cleanly (WAL checkpoint) before the process goes.
    event.preventDefault();
    quitting = true;
    void services.close().finally(() => app.quit());
  });
}
