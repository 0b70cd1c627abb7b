import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, describe, expect, it } from 'vitest';
import { applyVigieFuses, packagedElectronBinary, VIGIE_FUSES } from '../../../scripts/packaging/fuses.mjs';
import { writeElectronStandIn } from '../../support/electronStandIn';
import { APP_ENTRY, APP_SCHEME } from '../../../main/electron/policy';

const REPO = join(import.meta.dirname, '..', '..', '..');
const ON = 49; // '1'
const OFF = 48; // '0'

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'vigie-fuses-'));
  dirs.push(d);
  return d;
};

describe('the fuse configuration the afterPack hook applies', () => {
  it('turns off run-as-node, NODE_OPTIONS and --inspect, and on only-asar, asar integrity and cookie encryption', () => {
    expect(VIGIE_FUSES.version).toBe(FuseVersion.V1);
    expect(VIGIE_FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(VIGIE_FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(VIGIE_FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(VIGIE_FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(VIGIE_FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(VIGIE_FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
  });

  it('takes file:// privileges away: the renderer comes from the vigie:// scheme, never from a file URL', () => {
    expect(VIGIE_FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(APP_SCHEME).toBe('vigie');
    expect(APP_ENTRY).toBe('vigie://app/index.html');
    const main = readFileSync(join(REPO, 'main', 'index.ts'), 'utf8');
    expect(main).toMatch(/const entryUrl = devUrl \?\? APP_ENTRY/);
    expect(main).not.toMatch(/loadFile|file:\/\//);
  });

  it('names every fuse of the wire, so an Electron upgrade adding one cannot pass unnoticed', () => {
    expect(VIGIE_FUSES.strictlyRequireAllFuses).toBe(true);
    const fuseIndexes = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    for (const i of fuseIndexes) expect(typeof VIGIE_FUSES[i as FuseV1Options], FuseV1Options[i]).toBe('boolean');
  });

  it('is what a binary carries after the hook (a stand-in binary: the real Electron cannot be downloaded here)', async () => {
    const bin = join(temp(), 'vigie');
    writeElectronStandIn(bin);
    await applyVigieFuses(bin, { platform: 'linux' });
    const wire = await getCurrentFuseWire(bin);
    expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(OFF);
  });

  it('refuses a binary whose wire has a fuse it does not name (stand-in binary)', async () => {
    const bin = join(temp(), 'vigie');
    writeElectronStandIn(bin, 10);
    await expect(applyVigieFuses(bin, { platform: 'linux' })).rejects.toThrow(/strictlyRequireAllFuses/);
  });

  it('finds the binary electron-builder packed on each platform', () => {
    const base = { appOutDir: '/o', productFilename: 'Vigie', executableName: 'vigie' };
    expect(packagedElectronBinary({ ...base, platform: 'linux' })).toBe('/o/vigie');
    expect(packagedElectronBinary({ ...base, platform: 'win32' })).toBe('/o/Vigie.exe');
    expect(packagedElectronBinary({ ...base, platform: 'darwin' })).toBe('/o/Vigie.app');
  });
});
