/**
 * electron-builder.yml read as electron-builder reads it (js-yaml, then its own schema),
 * with package.json beside it: fails if the targets, the per-machine installs, the hooks,
 * asar or the packaging of the native SQLite modules regress. Building the installers
 * themselves needs the Electron binary, which cannot be downloaded here:
 * tests/integration/packaging.test.ts packs an app folder around a stand-in instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { electronNativeBinding } from '../../../main/store/db';
import { NATIVE_MODULES, packagedBinaryPath } from '../../../scripts/packaging/nativeModules.mjs';

const REPO = join(import.meta.dirname, '..', '..', '..');
const yamlText = readFileSync(join(REPO, 'electron-builder.yml'), 'utf8');
const config = load(yamlText) as Configuration;
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  build?: unknown;
};

/** The target names of a platform's `target` list. */
function targets(platform: 'win' | 'linux' | 'mac'): string[] {
  const list = config[platform]?.target;
  const items = Array.isArray(list) ? list : list ? [list] : [];
  return items.map((t) => (typeof t === 'string' ? t : t.target));
}

/** String patterns and file sets of `files`. */
const fileEntries = () => (Array.isArray(config.files) ? config.files : []);

describe('electron-builder.yml', () => {
  it('is valid for electron-builder (its own schema) and package.json adds no second config', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(pkg.build).toBeUndefined();
    // The schema check can fail: a misspelt option is refused, not ignored.
    const misspelt = { ...config, nsis: { ...config.nsis, perMachin: true } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/configuration.nsis/);
  });

  it('builds MSI and NSIS for Windows, AppImage, deb and rpm for Linux, dmg and zip for macOS', () => {
    expect(targets('win')).toEqual(expect.arrayContaining(['nsis', 'msi']));
    expect(targets('linux')).toEqual(expect.arrayContaining(['AppImage', 'deb', 'rpm']));
    // Squirrel.Mac updates from the zip.
    expect(targets('mac')).toEqual(expect.arrayContaining(['dmg', 'zip']));
  });

  it('installs per machine on Windows (NSIS with elevation, MSI with an upgrade code)', () => {
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false, allowElevation: true });
    expect(config.msi).toMatchObject({ perMachine: true, oneClick: false });
    expect(config.msi?.upgradeCode).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('gives deb and rpm a French desktop entry', () => {
    const entry = config.linux?.desktop?.entry as Record<string, string> | undefined;
    expect(entry).toMatchObject({ Name: 'Vigie', Comment: expect.stringMatching(/cellules de crise/) });
    expect(entry?.Categories).toMatch(/^Office;/);
    expect(config.linux?.executableName).toBe('vigie');
  });

  it('packs the app in asar with integrity, and runs the native-module and fuse hooks', () => {
    expect(config.asar).toBe(true);
    expect(config.disableAsarIntegrity ?? false).toBe(false);
    expect(config.beforePack).toBe('scripts/packaging/beforePack.mjs');
    expect(config.afterPack).toBe('scripts/packaging/afterPack.mjs');
    for (const hook of [config.beforePack, config.afterPack]) expect(existsSync(join(REPO, String(hook)))).toBe(true);
    // The fuses the hook flips are the exported configuration (tests/unit/packaging/fuses.test.ts).
    expect(readFileSync(join(REPO, 'scripts', 'packaging', 'afterPack.mjs'), 'utf8')).toMatch(/applyVigieFuses\(/);
    // electron-builder's own fuse option would flip them a second time, differently.
    expect(config.electronFuses).toBeUndefined();
  });

  it('loads its hooks as electron-builder does: a default-exported function each', async () => {
    for (const hook of ['beforePack.mjs', 'afterPack.mjs']) {
      const mod = (await import(join(REPO, 'scripts', 'packaging', hook))) as { default: unknown };
      expect(typeof mod.default, hook).toBe('function');
    }
  });

  it('never rebuilds node_modules in place: its Node builds serve the tests and the web host', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
  });

  it('ships the Electron builds of both SQLite modules, unpacked, where the main process loads them', () => {
    expect(NATIVE_MODULES.map((m) => m.pkg)).toEqual(['better-sqlite3', 'better-sqlite3-multiple-ciphers']);
    const files = fileEntries();
    for (const mod of NATIVE_MODULES) {
      // Declared at run time, so packaged; its Node build excluded.
      expect(pkg.dependencies[mod.pkg]).toBeDefined();
      expect(files).toContain(`!node_modules/${mod.pkg}/{build,deps,src}/**`);
      // Unpacked from app.asar (a .node cannot be loaded from inside the archive).
      expect(config.asarUnpack).toContain(`**/node_modules/${mod.pkg}/build/Release/*.node`);
    }
    // The staged Electron builds, mapped to the modules' own paths.
    expect(files).toContainEqual({ from: '.native/package/${platform}-${arch}/node_modules', to: 'node_modules', filter: ['*/build/Release/*.node'] });
  });

  it('puts the binary exactly where electronNativeBinding looks for it once installed', () => {
    const had = Object.getOwnPropertyDescriptor(process.versions, 'electron');
    Object.defineProperty(process.versions, 'electron', { value: pkg.devDependencies.electron, configurable: true, enumerable: true });
    try {
      const loaded = electronNativeBinding({ packaged: true, appRoot: '/ignored', resourcesPath: '/R' });
      // The main process opens its cache through the cipher build only (main/store/db.ts).
      const cipher = NATIVE_MODULES.find((m) => m.pkg === 'better-sqlite3-multiple-ciphers');
      expect(cipher).toBeDefined();
      expect(loaded).toBe(join('/R', 'app.asar.unpacked', ...packagedBinaryPath(cipher!).split('/')));
    } finally {
      if (had) Object.defineProperty(process.versions, 'electron', had);
      else delete (process.versions as Record<string, string | undefined>).electron;
    }
  });

  it('packages the built app: out/ (the main entry of package.json) and package.json', () => {
    const files = fileEntries();
    expect(files).toContain('out/**');
    expect(files).toContain('package.json');
    expect(pkg.main).toBe('./out/main/index.js');
    const vite = readFileSync(join(REPO, 'electron.vite.config.ts'), 'utf8');
    expect(vite).toMatch(/outDir: 'out\/main'/);
    expect(vite).toMatch(/index: resolve\(__dirname, 'main\/index\.ts'\)/);
  });

  it('ships the referential and medicines resources, never the sync server’s deployment files', () => {
    const extra = Array.isArray(config.extraResources) ? config.extraResources : [];
    const set = extra.find((e) => typeof e === 'object' && e !== null && 'from' in e && e.from === 'resources');
    expect(set).toMatchObject({ to: 'resources' });
    const filter = (set as { filter?: string[] }).filter ?? [];
    expect(filter[0]).toBe('**/*');
    expect(filter).toContain('!server/**');
    // What is left covers every other folder of resources/, and the server one exists to be left out.
    expect(existsSync(join(REPO, 'resources', 'server', 'vigie-sync.service'))).toBe(true);
    expect(filter.filter((f) => f.startsWith('!'))).toEqual(['!server/**']);
  });

  it('publishes update files for a generic feed that resolves nowhere until a policy names one', () => {
    const publish = (Array.isArray(config.publish) ? config.publish[0] : config.publish) as { provider: string; url: string; channel?: string };
    expect(publish.provider).toBe('generic');
    expect(new URL(publish.url).hostname).toMatch(/\.invalid$/);
    // The channel follows the version (a fixed one would write a beta build to latest.yml),
    // and a release reaches the beta channel too.
    expect(publish.channel).toBeUndefined();
    expect(config.detectUpdateChannel).toBe(true);
    expect(config.generateUpdatesFilesForAllChannels).toBe(true);
  });

  it('checks update signatures on Windows and signs with sha256, with no secret in the file', () => {
    expect(config.win?.verifyUpdateCodeSignature).toBe(true);
    expect(config.win?.signtoolOptions?.publisherName).toBeTruthy();
    expect(config.win?.signtoolOptions?.signingHashAlgorithms).toEqual(['sha256']);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    // Certificates and passwords come from the environment (CSC_LINK, WIN_CSC_LINK, AZURE_*, APPLE_*), never from here.
    for (const key of ['cscLink', 'cscKeyPassword', 'certificateFile', 'certificatePassword', 'cscInstallerLink', 'cscInstallerKeyPassword']) {
      expect(yamlText, key).not.toMatch(new RegExp(`^\\s*${key}\\s*:`, 'm'));
    }
  });
});
