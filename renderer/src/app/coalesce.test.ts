import { describe, expect, it } from 'vitest';
import { createCoalescer, debounce } from './coalesce';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('coalesced refresh', () => {
  it('runs once more after the current run, however many requests came meanwhile', async () => {
    const gates: Array<ReturnType<typeof deferred>> = [];
    let runs = 0;
    const c = createCoalescer(async () => {
      runs += 1;
      const g = deferred();
      gates.push(g);
      await g.promise;
    });
    const first = c.run();
    const second = c.run();
    const third = c.run();
    expect(second).toBe(third);
    expect(runs).toBe(1);
    gates[0].resolve();
    await first;
    await Promise.resolve();
    await Promise.resolve();
    expect(runs).toBe(2);
    gates[1].resolve();
    await third;
    expect(runs).toBe(2);
  });

  it('keeps working after a failed run', async () => {
    let runs = 0;
    const c = createCoalescer(async () => {
      runs += 1;
      if (runs === 1) throw new Error('boom');
    });
    const failing = c.run();
    const next = c.run();
    await expect(failing).rejects.toThrow('boom');
    await next;
    expect(runs).toBe(2);
    await c.run();
    expect(runs).toBe(3);
  });
});

describe('debounce', () => {
  it('calls once with the last arguments after a pause, and can be cancelled', async () => {
    const calls: string[] = [];
    const d = debounce((s: string) => calls.push(s), 20);
    d('a');
    d('ab');
    expect(d.pending()).toBe(true);
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toEqual(['ab']);
    expect(d.pending()).toBe(false);
    d('abc');
    d.cancel();
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toEqual(['ab']);
  });
});
