/**
 * Child processes for the test harnesses (`redis.ts`, `haproxy.ts`, `cluster.ts`): a free
 * loopback port, waiting for a port or a line of output, stopping by PID. Not a test file.
 */
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The last few kilobytes a child wrote on stdout and stderr, for error messages. */
export function captureOutput(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Resolves when 127.0.0.1:`port` accepts a connection; rejects if `child` exits first or after `timeoutMs`. */
export async function waitForPort(child: ChildProcess, port: number, label: string, timeoutMs = 30_000): Promise<void> {
  const output = captureOutput(child);
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (exited(child)) throw new Error(`${label} exited (${child.exitCode ?? child.signalCode}): ${output()}`);
    if (await tryConnect(port)) return;
    if (Date.now() > until) throw new Error(`${label} did not open its port within ${timeoutMs} ms: ${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves the first match of `pattern` in the child's stdout; rejects if it exits first or after `timeoutMs`. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, label: string, timeoutMs = 60_000): Promise<RegExpExecArray> {
  const output = captureOutput(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    const done = (fn: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      fn();
    };
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = pattern.exec(stdout);
      if (m) done(() => resolve(m));
    };
    const onExit = () => done(() => reject(new Error(`${label} exited (${child.exitCode ?? child.signalCode}): ${output()}`)));
    const timer = setTimeout(() => done(() => reject(new Error(`${label} not ready within ${timeoutMs} ms: ${output()}`))), timeoutMs);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    if (exited(child)) onExit();
  });
}

/** Sends `signal` to the child by PID and resolves once it has exited (SIGKILL after `killAfterMs`). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 10_000): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  sendSignal(child.pid ?? 0, signal);
  const timer = setTimeout(() => sendSignal(child.pid ?? 0, 'SIGKILL'), killAfterMs);
  await gone;
  clearTimeout(timer);
}

export function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    if (pid > 0) process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}
