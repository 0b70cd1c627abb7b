// The native SQLite modules the desktop app ships, and their Electron builds for packaging.
//
// node_modules keeps the Node builds (tests, web host, sync server; see scripts/native.mjs),
// so electron-builder must neither rebuild node_modules in place (npmRebuild: false in
// electron-builder.yml) nor package those Node builds (excluded by `files`). Instead the
// beforePack hook (./beforePack.mjs) stages an Electron build of each module for the
// target platform and arch under .native/package/<platform>-<arch>/, laid out as the
// module's own node_modules path; `files` maps that folder into the app and `asarUnpack`
// keeps the .node files out of app.asar (a shared library cannot be dlopen'ed from inside
// an archive). main/store/db.ts (`electronNativeBinding`) points at the unpacked copy.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Both SQLite bindings: the cache moves to the encrypting one (issue 10); both ship until it has. */
export const NATIVE_MODULES = Object.freeze([
  Object.freeze({ pkg: 'better-sqlite3', binary: 'better_sqlite3.node' }),
  Object.freeze({ pkg: 'better-sqlite3-multiple-ciphers', binary: 'better_sqlite3.node' }),
]);

/** Where a module's binary sits inside the app (and, unpacked, under resources/app.asar.unpacked/). */
export function packagedBinaryPath({ pkg, binary }) {
  return `node_modules/${pkg}/build/Release/${binary}`;
}

/** The staging folder electron-builder.yml maps into the app: `.native/package/${platform}-${arch}`. */
export function stagingDir(platform, arch) {
  return join(REPO_ROOT, '.native', 'package', `${platform}-${arch}`);
}

export function pinnedElectronVersion() {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/**
 * Cache of Electron builds, one per module, Electron version, platform and arch:
 * `.native/electron-<version>/<platform>-<arch>/<module>/<binary>`, or
 * `$VIGIE_ELECTRON_BUILDS/<platform>-<arch>/<module>/<binary>` when that variable names a
 * folder of builds made elsewhere (a CI artefact for a machine without network, a test).
 */
export function cachedBuildPath(mod, version, platform, arch) {
  const root = process.env.VIGIE_ELECTRON_BUILDS?.trim() || join(REPO_ROOT, '.native', `electron-${version}`);
  return join(root, `${platform}-${arch}`, mod.pkg, mod.binary);
}

/**
 * The Electron build of `mod` for (version, platform, arch), built once and cached: a
 * prebuilt binary for Electron (prebuild-install --runtime=electron), else, for the host
 * platform only, a compile against Electron's headers (node-gyp). Works on a copy of the
 * package so node_modules' Node build is never touched. Needs the network once.
 */
export function ensureElectronBuild(mod, { version = pinnedElectronVersion(), platform = process.platform, arch = process.arch } = {}) {
  const target = cachedBuildPath(mod, version, platform, arch);
  if (existsSync(target)) return target;
  const pkgDir = join(REPO_ROOT, 'node_modules', mod.pkg);
  const work = mkdtempSync(join(tmpdir(), `vigie-${mod.pkg}-`));
  try {
    const ownBuild = join(pkgDir, 'build');
    cpSync(pkgDir, work, { recursive: true, filter: (p) => p !== ownBuild && !p.startsWith(ownBuild + sep) });
    const opts = { cwd: work, stdio: 'inherit', timeout: 600_000, env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: version } };
    const prebuilt = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules', 'prebuild-install', 'bin.js'), '--runtime=electron', `--target=${version}`, `--arch=${arch}`, `--platform=${platform}`],
      opts,
    );
    if (prebuilt.status !== 0) {
      if (platform !== process.platform) throw new Error(`no prebuilt ${mod.pkg} for Electron ${version} ${platform}-${arch}, and it cannot be compiled from ${process.platform}`);
      const compiled = spawnSync(
        process.execPath,
        [join(REPO_ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild', '--release', `--target=${version}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'],
        opts,
      );
      if (compiled.status !== 0) throw new Error(`prebuild-install and node-gyp failed for ${mod.pkg}, Electron ${version}`);
    }
    const built = join(work, 'build', 'Release', mod.binary);
    if (!existsSync(built)) throw new Error(`no ${mod.binary} produced for ${mod.pkg}, Electron ${version}`);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(built, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Fills the staging folder of (platform, arch) with the Electron build of every module.
 * Refuses a binary identical to node_modules' Node build: that one would load in tests and
 * fail on the first start of the installed app (NODE_MODULE_VERSION mismatch).
 */
export function stageElectronBuilds({ platform, arch, version = pinnedElectronVersion(), build = ensureElectronBuild, dir = stagingDir(platform, arch) } = {}) {
  rmSync(dir, { recursive: true, force: true });
  const staged = [];
  for (const mod of NATIVE_MODULES) {
    const source = build(mod, { version, platform, arch });
    const nodeBuild = join(REPO_ROOT, 'node_modules', mod.pkg, 'build', 'Release', mod.binary);
    if (existsSync(nodeBuild) && readFileSync(nodeBuild).equals(readFileSync(source))) {
      throw new Error(`${source} is node_modules' Node build of ${mod.pkg}, not an Electron build`);
    }
    const dest = join(dir, ...packagedBinaryPath(mod).split('/'));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(source, dest);
    staged.push(dest);
  }
  return staged;
}
