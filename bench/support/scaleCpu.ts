/**
 * CPU time of processes and of everything they started (tsx runs the real Node process as a
 * child; PostgreSQL runs a backend per connection), read from /proc: what tells which
 * process limits the scale bench. Linux only; elsewhere every figure is NaN.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`, 100 on Linux). */
const TICKS = 100;

interface ProcStat {
  ppid: number;
  ticks: number;
}

function readAll(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // utime + stime, plus cutime + cstime: the time of children that exited and were reaped
      // (a PostgreSQL backend whose connection closed) moves to its parent, so a tree's sum never goes back.
      out.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** CPU seconds of `pid` and all its descendants, now. */
function treeSeconds(all: Map<number, ProcStat>, pid: number): number {
  const children = new Map<number, number[]>();
  for (const [p, s] of all) {
    const list = children.get(s.ppid);
    if (list) list.push(p);
    else children.set(s.ppid, [p]);
  }
  let ticks = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop() as number;
    ticks += all.get(p)?.ticks ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return ticks / TICKS;
}

/** Resident memory of `pid` and its descendants now, MiB (NaN off Linux). */
function treeRssMiB(all: Map<number, ProcStat>, pid: number): number {
  if (!all.size) return NaN;
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) for (const [p, s] of all) if (s.ppid === pids[i]) pids.push(p);
  let pages = 0;
  for (const p of pids) {
    try {
      pages += Number(readFileSync(`/proc/${p}/statm`, 'utf8').split(' ')[1]);
    } catch {
      /* gone */
    }
  }
  return (pages * 4096) / 2 ** 20;
}

/** Resident memory of each named process tree now, MiB. */
export function memoryOf(named: Record<string, number>): Record<string, number> {
  const all = readAll();
  return Object.fromEntries(Object.entries(named).map(([k, pid]) => [k, treeRssMiB(all, pid)]));
}

/** Starts measuring named process trees; `stop()` gives each one's CPU share (1 = one core) over the interval. */
export function cpuMeter(named: Record<string, number>): { stop(): Record<string, number> } {
  const first = readAll();
  const t0 = performance.now();
  const before = Object.fromEntries(Object.entries(named).map(([k, pid]) => [k, treeSeconds(first, pid)]));
  return {
    stop() {
      const last = readAll();
      const wall = (performance.now() - t0) / 1000;
      return Object.fromEntries(Object.entries(named).map(([k, pid]) => [k, first.size ? (treeSeconds(last, pid) - before[k]) / wall : NaN]));
    },
  };
}
