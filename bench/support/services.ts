/** Drives the real main-process services (the ones Electron and the web host run) from a benchmark. */
import { createConsoleServices, type ConsoleServices } from '../../main/services';
import type { ConsoleEvents } from '../../common/api';
import type { SyncStatus } from '../../common/app/api';

export async function call<T>(services: ConsoleServices, name: string, args: unknown): Promise<T> {
  const reply = await services.dispatch(name, args);
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`);
  return reply.data as T;
}

export function openServices(dataDir: string, serverUrl: string): ConsoleServices {
  return createConsoleServices({ dataDir, serverUrl });
}

/** Resolves with the first status pushed (or current) that satisfies `pred`. */
export function waitForStatus(services: ConsoleServices, pred: (s: SyncStatus) => boolean, timeoutMs: number): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (s: SyncStatus) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      off();
      resolve(s);
    };
    const timer = setTimeout(() => {
      done = true;
      clearInterval(poll);
      off();
      reject(new Error(`sync status condition not met after ${timeoutMs} ms`));
    }, timeoutMs);
    const off = services.on((event, payload) => {
      if (event === 'sync.status' && pred(payload as ConsoleEvents['sync.status'])) finish(payload as SyncStatus);
    });
    // Status events are the fast path; a slow poll covers a status reached before we listened.
    const poll = setInterval(() => {
      void call<SyncStatus>(services, 'sync.status', {}).then((s) => pred(s) && finish(s), () => undefined);
    }, 250);
  });
}
