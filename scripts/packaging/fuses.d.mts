import type { FuseV1Options, FuseVersion } from '@electron/fuses';

export declare const VIGIE_FUSES: Readonly<{ version: FuseVersion.V1; strictlyRequireAllFuses: true } & Record<FuseV1Options, boolean>>;
export declare function packagedElectronBinary(opts: { appOutDir: string; platform: string; productFilename: string; executableName: string }): string;
export declare function applyVigieFuses(binary: string, opts?: { platform?: string }): Promise<number>;
