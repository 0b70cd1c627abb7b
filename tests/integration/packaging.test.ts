/**
 * electron-builder run for real on this repository, as far as this machine allows: the
 * Electron binary cannot be downloaded here, so the app folder (`--dir`) is packed around a
 * stand-in binary (tests/support/electronStandIn.ts) and no installer is built (AppImage,
 * deb, rpm, MSI and NSIS all wrap that folder; they need the real binary and their tools).
 * What the hooks and the config do to the folder is checked on the result.
 *
 * It packs a copy of the project (package.json, electron-builder.yml, the hooks, a snapshot
 * of out/; node_modules and resources linked), so nothing is written into the repository
 * and another test rebuilding out/ meanwhile does not change what is packed.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { NATIVE_MODULES, packagedBinaryPath } from '../../scripts/packaging/nativeModules.mjs';
import { writeLinuxElectronDist } from '../support/electronStandIn';

const REPO = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'vigie-pack-'));

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('packaging with electron-builder', () => {
  it('packs the Linux app folder around a stand-in Electron binary: app in asar, Electron SQLite builds unpacked, fuses flipped (no installer: the real binary cannot be downloaded here)', async () => {
    if (!existsSync(join(REPO, 'out', 'main', 'index.js'))) {
      const built = await run(process.execPath, [join(REPO, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], REPO);
      expect(built.code, built.output.slice(-2000)).toBe(0);
    }
    const project = join(tmp, 'project');
    mkdirSync(join(project, 'scripts'), { recursive: true });
    for (const f of ['package.json', 'electron-builder.yml']) cpSync(join(REPO, f), join(project, f));
    cpSync(join(REPO, 'scripts', 'packaging'), join(project, 'scripts', 'packaging'), { recursive: true });
    cpSync(join(REPO, 'out'), join(project, 'out'), { recursive: true });
    for (const d of ['node_modules', 'resources']) symlinkSync(join(REPO, d), join(project, d), 'dir');
    const dist = join(tmp, 'electron-dist');
    writeLinuxElectronDist(dist);
    // "Electron builds" of the SQLite modules, recognisable by their bytes (they cannot be fetched here either).
    const builds = join(tmp, 'electron-builds');
    for (const mod of NATIVE_MODULES) {
      mkdirSync(join(builds, 'linux-x64', mod.pkg), { recursive: true });
      writeFileSync(join(builds, 'linux-x64', mod.pkg, mod.binary), `Electron build of ${mod.pkg}`);
    }
    const output = join(tmp, 'dist');
    const pack = await run(
      process.execPath,
      [join(REPO, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--x64', '--publish', 'never', `-c.electronDist=${dist}`, `-c.directories.output=${output}`],
      project,
      { VIGIE_ELECTRON_BUILDS: builds, CI: '' },
    );
    expect(pack.code, pack.output.slice(-3000)).toBe(0);

    const app = join(output, 'linux-unpacked');
    const asar = join(app, 'resources', 'app.asar');
    const entries = new Set(listPackage(asar, { isPack: false }).map((p) => p.replace(/\\/g, '/')));

    // The built app and its package.json, whose main is the built entry.
    for (const f of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json']) expect(entries, f).toContain(f);
    const packagedPkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string; version: string };
    expect(packagedPkg.main).toBe('./out/main/index.js');
    expect(entries.has(packagedPkg.main.replace(/^\./, ''))).toBe(true);

    // Each SQLite module: its JS packed, its Electron build unpacked beside app.asar, no Node build anywhere.
    for (const mod of NATIVE_MODULES) {
      const rel = packagedBinaryPath(mod);
      expect(entries, `${mod.pkg} JS`).toContain(`/node_modules/${mod.pkg}/package.json`);
      expect(statFile(asar, rel)).toMatchObject({ unpacked: true });
      expect(readFileSync(join(app, 'resources', 'app.asar.unpacked', ...rel.split('/')), 'utf8')).toBe(`Electron build of ${mod.pkg}`);
      expect([...entries].filter((e) => e.startsWith(`/node_modules/${mod.pkg}/build/`) && e.endsWith('.node') && e !== `/${rel}`)).toEqual([]);
      expect(entries.has(`/node_modules/${mod.pkg}/deps`)).toBe(false);
    }

    // The afterPack hook flipped the fuses of the packed binary.
    const wire = await getCurrentFuseWire(join(app, 'vigie'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(48);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(49);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(49);

    // The updater's file: a generic feed (the policy sets the real one at run time).
    expect(readFileSync(join(app, 'resources', 'app-update.yml'), 'utf8')).toMatch(/provider: generic/);
    // The referential travels beside the app, as the main process expects (resources/resources/referential).
    expect(existsSync(join(app, 'resources', 'resources', 'referential'))).toBe(true);
    // The sync server's deployment files (systemd unit, example configuration) stay out of a workstation's install.
    expect(existsSync(join(app, 'resources', 'resources', 'medicines'))).toBe(true);
    expect(existsSync(join(app, 'resources', 'resources', 'server'))).toBe(false);
  }, 300_000);
});
