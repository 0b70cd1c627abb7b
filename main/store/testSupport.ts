/**
 * Helpers shared by the main-process tests: temp dirs, and the referential and actors of
 * tests/support. Node only; imported by tests, never by production code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { actorFor, REFERENTIAL_DIR, REPO_ROOT, testTerritories } from '../../tests/support/referential';

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `vigie-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
