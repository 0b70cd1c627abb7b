/**
 * TEMPORARY — DROP ON MERGE. Cache version 17 belongs to another branch of this session
 * (developed in parallel); this branch was given 18. The runner refuses a gap, so until the
 * merge this empty step stands in for it. When merging, delete this file and its use in
 * `../index.ts` (and the `17` owner line of the migration test); the real 17 takes its place.
 */
import type { CacheMigration } from '../../store/migrations';

export const gapUntilMerge: readonly CacheMigration[] = [{ version: 17, name: 'placeholder (another branch)', up: () => undefined }];
