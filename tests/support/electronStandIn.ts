/**
 * A stand-in for the Electron binary, for packaging tests: the real one cannot be
 * downloaded on this machine. It carries what @electron/fuses and electron-builder look at
 * in a real binary — the fuse sentinel followed by a V1 fuse wire — and nothing else; it
 * cannot run.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** @electron/fuses' sentinel (its constants.js), which marks the fuse wire in Electron's binary. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Writes a stand-in binary whose wire has `fuses` fuses, all at Electron's shipping defaults ('1' on, '0' off). */
export function writeElectronStandIn(file: string, fuses = 9): void {
  // Electron 40's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on,
  // asar integrity off, only-asar off, V8 snapshot off, file:// privileges on, wasm traps on; then extras on.
  const defaults = '101100011'.padEnd(fuses, '1').slice(0, fuses);
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, fuses]), Buffer.from(defaults)]);
  writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 0x7f), wire, Buffer.alloc(4096, 0x7f)]));
  chmodSync(file, 0o755);
}

/** An unpacked "Electron distribution" for electron-builder's `electronDist` (Linux layout). */
export function writeLinuxElectronDist(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeElectronStandIn(join(dir, 'electron'));
}
