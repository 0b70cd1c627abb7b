/**
 * TEMPORARY — DROP ON MERGE. Server versions 15 and 16 belong to other branches of this
 * session (developed in parallel); this branch was given 17. The runner refuses a gap, so
 * until the merge these two empty steps stand in for them. When merging, delete this file
 * and its use in `../index.ts`; the real 15 and 16 take their place.
 */
import type { ServerMigration } from '../../store/migrations';

export const gapUntilMerge: readonly ServerMigration[] = [
  { version: 15, name: 'placeholder (another branch)', up: () => undefined },
  { version: 16, name: 'placeholder (another branch)', up: () => undefined },
];
