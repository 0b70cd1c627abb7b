export interface NativeModule {
  readonly pkg: string;
  readonly binary: string;
}
export declare const REPO_ROOT: string;
export declare const NATIVE_MODULES: readonly NativeModule[];
export declare function packagedBinaryPath(mod: NativeModule): string;
export declare function stagingDir(platform: string, arch: string): string;
export declare function pinnedElectronVersion(): string;
export declare function cachedBuildPath(mod: NativeModule, version: string, platform: string, arch: string): string;
export declare function ensureElectronBuild(mod: NativeModule, opts?: { version?: string; platform?: string; arch?: string }): string;
export declare function stageElectronBuilds(opts: {
  platform: string;
  arch: string;
  version?: string;
  /** Default: stagingDir(platform, arch). */
  dir?: string;
  build?: (mod: NativeModule, opts: { version: string; platform: string; arch: string }) => string;
}): string[];
