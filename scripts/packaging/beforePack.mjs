// electron-builder beforePack hook: stages the Electron builds of the native SQLite modules
// for the platform and arch being packed (./nativeModules.mjs explains why node_modules'
// own builds are never packaged).
import builderUtil from 'builder-util';
import { stageElectronBuilds } from './nativeModules.mjs';

export default async function beforePack(context) {
  const arch = builderUtil.Arch[context.arch];
  if (arch === 'universal') throw new Error('Vigie: universal macOS builds are not supported (build x64 and arm64 apart)');
  const staged = stageElectronBuilds({ platform: context.electronPlatformName, arch });
  for (const file of staged) console.log(`  • Vigie: native module staged ${file}`);
}
