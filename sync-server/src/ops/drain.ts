/**
 * Graceful drain (SIGTERM): the node says it is not ready, accepts no new socket, lets the
 * requests under way finish and be acknowledged, then closes its sockets so clients reconnect
 * (through the load balancer, to another node). Nothing acknowledged is lost if it is killed
 * anyway: a push is acknowledged only after its commit, and a client re-pushes what was not
 * acknowledged (answered from the exactly-once ledger when it had committed).
 *
 * `Drain` only keeps the state: whether the node drains, and the socket requests under way
 * (from the packet's arrival to its acknowledgement, `track`). `app.ts` wires it.
 */

/** Default of `--drain-seconds`: how long SIGTERM waits for requests under way before closing. */
export const DEFAULT_DRAIN_SECONDS = 10;
/** Most `--drain-seconds` accepted (an hour: a stop must not hang a host's shutdown forever). */
export const MAX_DRAIN_SECONDS = 3600;

export class Drain {
  private draining = false;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  /** True once `start()` was called: `/ready` answers 503, new sockets are refused. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Socket requests received and not yet acknowledged. */
  get pending(): number {
    return this.inFlight;
  }

  start(): void {
    this.draining = true;
  }

  /**
   * One request under way: call the returned function once, when it is acknowledged (or
   * abandoned). Extra calls are ignored, so a double acknowledgement cannot skew the count.
   */
  track(): () => void {
    this.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      if (this.inFlight === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    };
  }

  /**
   * Resolves true when no request is under way (at once if none is), false when `timeoutMs`
   * passes first. Resolves from a macrotask, after the acknowledgement that ended the last
   * request was handed to its socket.
   */
  waitIdle(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (idle: boolean) => {
        clearTimeout(timer);
        // After the microtasks of the acknowledgement: the packet is in the socket's buffer.
        setImmediate(() => resolve(idle));
      };
      const onIdle = () => finish(true);
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== onIdle);
        finish(false);
      }, Math.max(0, timeoutMs));
      if (this.inFlight === 0) finish(true);
      else this.idleWaiters.push(onIdle);
    });
  }
}
