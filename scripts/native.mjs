#!/usr/bin/env node
// Builds the desktop app's SQLite module for Electron into .native/electron-<version>/,
// OUTSIDE node_modules: node_modules keeps its Node builds (tests, web host, sync server), so
// `npm start` and `npm test` never overwrite each other's binary and work in either order.
//
// The desktop app's main process opens its (encrypted) cache with
// better-sqlite3-multiple-ciphers only: that is the module built here by default, as
// .native/electron-<version>/better_sqlite3_multiple_ciphers.node (the name main/store/db.ts
// looks for). The sync server stays on plain better-sqlite3 and never runs under Electron;
// `node scripts/native.mjs better-sqlite3` still builds that one (better_sqlite3.node) if needed.
//
// Works on a copy of the package in a temp dir: first a prebuilt binary for Electron
// (prebuild-install --runtime=electron), else a local compile against Electron's headers
// (node-gyp). Both need the network once per Electron version.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './launch-lib.mjs';

/** The packages this script knows, and the file name of each one's Electron build in .native/. */
export const NATIVE_PACKAGES = {
  'better-sqlite3-multiple-ciphers': 'better_sqlite3_multiple_ciphers.node',
  'better-sqlite3': 'better_sqlite3.node',
};
/** The one the desktop app loads. */
export const DESKTOP_SQLITE_PACKAGE = 'better-sqlite3-multiple-ciphers';

export function electronVersion() {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

export function electronSqlitePath(version = electronVersion(), pkgName = DESKTOP_SQLITE_PACKAGE) {
  const fileName = NATIVE_PACKAGES[pkgName];
  if (!fileName) throw new Error(`unknown native package ${pkgName}`);
  return join(REPO_ROOT, '.native', `electron-${version}`, fileName);
}

/** Returns the path of the Electron build of `pkgName`, building it if needed; throws with the reason. */
export function ensureElectronSqlite({ version = electronVersion(), arch = process.arch, platform = process.platform, pkgName = DESKTOP_SQLITE_PACKAGE } = {}) {
  const target = electronSqlitePath(version, pkgName);
  if (existsSync(target)) return target;
  const pkg = join(REPO_ROOT, 'node_modules', pkgName);
  const work = mkdtempSync(join(tmpdir(), `vigie-${pkgName}-`));
  try {
    const ownBuild = join(pkg, 'build');
    cpSync(pkg, work, { recursive: true, filter: (p) => p !== ownBuild && !p.startsWith(ownBuild + sep) });
    const opts = { cwd: work, stdio: 'inherit', timeout: 1_200_000, env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: version } };
    const prebuilt = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules', 'prebuild-install', 'bin.js'), '--runtime=electron', `--target=${version}`, `--arch=${arch}`, `--platform=${platform}`],
      opts,
    );
    if (prebuilt.status !== 0) {
      const compiled = spawnSync(
        process.execPath,
        [join(REPO_ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild', '--release', `--target=${version}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'],
        opts,
      );
      if (compiled.status !== 0) throw new Error(`prebuild-install and node-gyp failed for ${pkgName} on Electron ${version}`);
    }
    // Both packages name their addon better_sqlite3.node.
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) throw new Error(`no native module produced for ${pkgName} on Electron ${version}`);
    mkdirSync(join(REPO_ROOT, '.native', `electron-${version}`), { recursive: true });
    copyFileSync(built, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureElectronSqlite({ pkgName: process.argv[2] ?? DESKTOP_SQLITE_PACKAGE }));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
