/**
 * electron-updater behind the controller's `Updater` (main/updates/controller.ts): the
 * only file that touches it. The decisions (when to check, when a restart may happen) are
 * the controller's; this maps calls and events one to one.
 */
import electronUpdater from 'electron-updater';
import type { Updater } from '../updates/controller';

export function electronUpdaterAdapter(): Updater {
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoDownload = true;
  // A workstation quit with a downloaded update installs it: nothing is lost (the outbox is
  // on disk and resumes in the new version). The restart we offer waits for an empty outbox.
  autoUpdater.autoInstallOnAppQuit = true;
  // The controller logs what matters; electron-updater's own lines would carry URLs and paths.
  autoUpdater.logger = null;
  return {
    configure({ url, channel }) {
      autoUpdater.setFeedURL({ provider: 'generic', url, channel });
      autoUpdater.channel = channel;
      // Setting a channel turns downgrades on: an older signed build (with its old flaws)
      // must not be installable by publishing it on a channel.
      autoUpdater.allowDowngrade = false;
    },
    onReport(listener) {
      autoUpdater.on('checking-for-update', () => listener({ type: 'checking' }));
      autoUpdater.on('update-available', (info) => listener({ type: 'available', version: info.version }));
      autoUpdater.on('update-not-available', () => listener({ type: 'not-available' }));
      autoUpdater.on('download-progress', (p) => listener({ type: 'progress', percent: p.percent }));
      autoUpdater.on('update-downloaded', (info) => listener({ type: 'downloaded', version: info.version }));
      autoUpdater.on('error', (err) => listener({ type: 'error', detail: err.message }));
    },
    async check() {
      await autoUpdater.checkForUpdates();
    },
    install() {
      // Silent (no installer pages), then start the new version.
      autoUpdater.quitAndInstall(true, true);
    },
  };
}
