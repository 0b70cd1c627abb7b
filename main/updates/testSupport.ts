/**
 * A stand-in for electron-updater in tests: electron-updater's `autoUpdater` cannot run
 * without the Electron binary and an installed app, so this plays its part (`report` sends
 * what it would emit) and records what the controller asks of it.
 */
import type { Updater, UpdaterReport } from './controller';

export class FakeUpdater implements Updater {
  configured: Array<{ url: string; channel: string }> = [];
  checks = 0;
  installs = 0;
  nextCheck: () => Promise<void> = async () => undefined;
  private listener: ((r: UpdaterReport) => void) | null = null;
  configure(feed: { url: string; channel: string }) {
    this.configured.push(feed);
  }
  onReport(listener: (r: UpdaterReport) => void) {
    this.listener = listener;
  }
  check() {
    this.checks++;
    return this.nextCheck();
  }
  install() {
    this.installs++;
  }
  report(r: UpdaterReport) {
    this.listener?.(r);
  }
}
