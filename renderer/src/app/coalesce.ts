/**
 * Runs an async refresh at most once at a time. A request made while one is running is not
 * lost and not stacked: exactly one more run follows the current one, so the last state
 * always gets read, however many `data.changed` pushes arrive during a slow query.
 */
export interface Coalescer {
  /** Starts a run, or schedules one after the current run. Resolves when the data read is at least as fresh as the request. */
  run(): Promise<void>;
}

export function createCoalescer(task: () => Promise<void>): Coalescer {
  let running: Promise<void> | null = null;
  let again: Promise<void> | null = null;

  const start = (): Promise<void> => {
    running = (async () => {
      try {
        await task();
      } finally {
        running = null;
      }
    })();
    return running;
  };

  return {
    run() {
      if (!running) return start();
      if (!again) {
        const current = running;
        again = current
          .catch(() => undefined)
          .then(() => {
            again = null;
            return start();
          });
      }
      return again;
    },
  };
}

/** Calls `fn` once `ms` have passed without another call; `cancel` drops a pending call, `pending` tells if one waits. */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): ((...args: A) => void) & { cancel(): void; pending(): boolean } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const wrapped = (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
  wrapped.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  wrapped.pending = () => timer !== null;
  return wrapped;
}
