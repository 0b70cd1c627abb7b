#!/usr/bin/env node
// Builds better-sqlite3 for Electron into .native/electron-<version>/better_sqlite3.node,
// OUTSIDE node_modules: node_modules keeps its Node build (tests, web host), so `npm start`
// and `npm test` never overwrite each other's binary and work in either order.
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

export function electronVersion() {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

export function electronSqlitePath(version = electronVersion()) {
  return join(REPO_ROOT, '.native', `electron-${version}`, 'better_sqlite3.node');
}

/** Returns the path of the Electron build, building it if needed; throws with the reason. */
export function ensureElectronSqlite({ version = electronVersion(), arch = process.arch, platform = process.platform } = {}) {
  const target = electronSqlitePath(version);
  if (existsSync(target)) return target;
  const pkg = join(REPO_ROOT, 'node_modules', 'better-sqlite3');
  const work = mkdtempSync(join(tmpdir(), 'vigie-better-sqlite3-'));
  try {
    const ownBuild = join(pkg, 'build');
    cpSync(pkg, work, { recursive: true, filter: (p) => p !== ownBuild && !p.startsWith(ownBuild + sep) });
    const opts = { cwd: work, stdio: 'inherit', timeout: 600_000, env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: version } };
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
      if (compiled.status !== 0) throw new Error(`prebuild-install and node-gyp failed for Electron ${version}`);
    }
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) throw new Error(`no better_sqlite3.node produced for Electron ${version}`);
    mkdirSync(join(REPO_ROOT, '.native', `electron-${version}`), { recursive: true });
    copyFileSync(built, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureElectronSqlite());
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
