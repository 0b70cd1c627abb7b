import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedBuildPath, NATIVE_MODULES, packagedBinaryPath, REPO_ROOT, stageElectronBuilds } from '../../../scripts/packaging/nativeModules.mjs';

let dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'vigie-native-'));
  dirs.push(d);
  return d;
};

describe('the beforePack hook’s native modules', () => {
  it('stages an Electron build of each SQLite module at the module’s own path', () => {
    const src = temp();
    const out = join(temp(), 'staging');
    const staged = stageElectronBuilds({
      platform: 'win32',
      arch: 'x64',
      version: '40.10.2',
      dir: out,
      build: (mod, o) => {
        const f = join(src, `${mod.pkg}-${o.platform}-${o.arch}-${o.version}.node`);
        writeFileSync(f, `Electron ${o.version} build of ${mod.pkg}`);
        return f;
      },
    });
    expect(staged).toEqual(NATIVE_MODULES.map((m) => join(out, ...packagedBinaryPath(m).split('/'))));
    for (const mod of NATIVE_MODULES) {
      expect(readFileSync(join(out, 'node_modules', mod.pkg, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe(`Electron 40.10.2 build of ${mod.pkg}`);
    }
  });

  it('refuses node_modules’ Node build in place of an Electron build', () => {
    const nodeBuild = join(REPO_ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    expect(existsSync(nodeBuild)).toBe(true);
    const copy = join(temp(), 'better_sqlite3.node');
    writeFileSync(copy, readFileSync(nodeBuild));
    expect(() => stageElectronBuilds({ platform: 'linux', arch: 'x64', dir: join(temp(), 's'), build: () => copy })).toThrow(/Node build of better-sqlite3, not an Electron build/);
  });

  it('takes builds made elsewhere from VIGIE_ELECTRON_BUILDS, else caches them per Electron version', () => {
    const mod = NATIVE_MODULES[1];
    expect(cachedBuildPath(mod, '40.10.2', 'linux', 'arm64')).toBe(join(REPO_ROOT, '.native', 'electron-40.10.2', 'linux-arm64', mod.pkg, 'better_sqlite3.node'));
    vi.stubEnv('VIGIE_ELECTRON_BUILDS', '/ci/builds');
    expect(cachedBuildPath(mod, '40.10.2', 'linux', 'arm64')).toBe(join('/ci/builds', 'linux-arm64', mod.pkg, 'better_sqlite3.node'));
  });
});
