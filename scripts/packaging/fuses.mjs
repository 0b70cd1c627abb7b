// Electron fuses flipped in the packaged binary (afterPack hook, ./afterPack.mjs). One
// object, read by the hook and by tests/unit/packaging/fuses.test.ts: what the test checks
// is what ships. Fuses are bits compiled into the Electron binary; flipping them at
// packaging removes a capability for good, whatever the environment or the command line
// says at run time (https://www.electronjs.org/docs/latest/tutorial/fuses).
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';

/**
 * Every fuse of wire V1 is named (strictlyRequireAllFuses): an Electron upgrade that adds
 * a fuse makes packaging fail until someone decides its value here.
 */
export const VIGIE_FUSES = Object.freeze({
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a plain Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  // Cookies (and localStorage-adjacent data) encrypted at rest with the OS key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS could preload arbitrary code (--require) into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would open a debugger on the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar is checked against the hash electron-builder embeds (Windows, macOS).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // No loose app/ folder beside app.asar is ever loaded instead of it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Default (off): we ship no browser-specific V8 snapshot.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The renderer is served from our own vigie:// scheme (main/electron/protocol.ts), never
  // from file://, so file:// keeps no extra privilege.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // Default (on): WebAssembly bounds checks through signal handlers.
  [FuseV1Options.WasmTrapHandlers]: true,
});

/**
 * The file whose fuse wire is flipped, inside a packed app folder (electron-builder's
 * `appOutDir`): the `.app` bundle on macOS (@electron/fuses finds the framework inside),
 * the executable elsewhere.
 */
export function packagedElectronBinary({ appOutDir, platform, productFilename, executableName }) {
  if (platform === 'darwin' || platform === 'mas') return `${appOutDir}/${productFilename}.app`;
  if (platform === 'win32') return `${appOutDir}/${productFilename}.exe`;
  return `${appOutDir}/${executableName}`;
}

/** Flips VIGIE_FUSES in `binary`; an ad-hoc macOS signature is redone (the real signing comes after afterPack). */
export async function applyVigieFuses(binary, { platform = process.platform } = {}) {
  return flipFuses(binary, { ...VIGIE_FUSES, resetAdHocDarwinSignature: platform === 'darwin' });
}
