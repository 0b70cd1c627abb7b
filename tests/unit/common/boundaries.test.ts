/**
 * common/ runs in the renderer, the main process and the sync server alike: it must not
 * import Node built-ins, Electron, or anything but zod and itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/referential';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

it('common/ imports only zod and common/ itself', () => {
  const offenders: string[] = [];
  for (const file of sources(join(REPO_ROOT, 'common'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.') || spec === 'zod') continue;
      offenders.push(`${relative(REPO_ROOT, file)} imports ${spec}`);
    }
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    if (/\b(window|document|process|Buffer|__dirname)\./.test(code)) offenders.push(`${relative(REPO_ROOT, file)} uses a host global`);
  }
  expect(offenders).toEqual([]);
});

it('the renderer never imports Node built-ins, Electron or server code', () => {
  const offenders: string[] = [];
  const dir = join(REPO_ROOT, 'renderer', 'src');
  let files: string[] = [];
  try {
    files = sources(dir);
  } catch {
    files = [];
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      if (/^node:|^(fs|path|os|child_process|electron|better-sqlite3)$/.test(spec) || /(^|\/)(main|sync-server)\//.test(spec)) {
        offenders.push(`${relative(REPO_ROOT, file)} imports ${spec}`);
      }
    }
  }
  expect(offenders).toEqual([]);
});
