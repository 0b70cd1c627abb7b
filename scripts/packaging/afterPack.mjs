// electron-builder afterPack hook: flips the Electron fuses (./fuses.mjs) in the packed
// binary. It runs after app.asar is written and before code signing, so the signature
// covers the flipped binary (flipping after signing would break it).
import { applyVigieFuses, packagedElectronBinary } from './fuses.mjs';

export default async function afterPack(context) {
  const binary = packagedElectronBinary({
    appOutDir: context.appOutDir,
    platform: context.electronPlatformName,
    productFilename: context.packager.appInfo.productFilename,
    executableName: context.packager.executableName,
  });
  await applyVigieFuses(binary, { platform: context.electronPlatformName });
  console.log(`  • Vigie: fuses set in ${binary}`);
}
