/**
 * Real child processes for end-to-end tests: started with Node and tsx's loader in the same
 * process (so the PID we hold is the server itself, and killing it really stops it), ready
 * when their one stdout line appears, stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../../sync-server/src/testing/processes';

export interface StartedProcess {
  name: string;
  pid: number;
  /** What followed the ready prefix on the ready line (a URL). */
  readyValue: string;
  /** Everything the process printed so far (stdout and stderr), for failure reports. */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Sends `signal` to the PID and waits for the exit; escalates to SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** A TypeScript entry file, run through tsx. */
  script: string;
  args: string[];
  readyPrefix: string;
  cwd: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export async function startProcess(opts: StartOptions): Promise<StartedProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', opts.script, ...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${opts.name}: spawn failed`);
  const pid = child.pid;
  let log = '';
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });

  const readyValue = await new Promise<string>((resolve, reject) => {
    let stdoutBuf = '';
    const timer = setTimeout(() => {
      reject(new Error(`${opts.name}: no "${opts.readyPrefix}" line within ${opts.timeoutMs ?? 60_000} ms\n${log}`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      log += chunk;
      stdoutBuf += chunk;
      const line = stdoutBuf.split('\n').find((l) => l.startsWith(`${opts.readyPrefix} `));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(opts.readyPrefix.length + 1).trim());
      }
    });
    child.stderr?.on('data', (chunk: string) => {
      log += chunk;
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name}: exited (${how}) before it was ready\n${log}`));
    });
  });

  let stopping: Promise<void> | null = null;
  return {
    name: opts.name,
    pid,
    readyValue,
    output: () => log,
    exited,
    stop(signal = 'SIGTERM', graceMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        try {
          process.kill(pid, signal);
        } catch {
          return; // already gone
        }
        const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs));
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            return;
          }
          await exited;
        }
      })();
      return stopping;
    },
  };
}

/** A TCP port free on the loopback interface right now (the server tests' helper). */
export { freePort };
