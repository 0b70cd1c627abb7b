/**
 * common/ runs in the renderer, the main process and the sync server alike: it must not
 * import Node built-ins, Electron, or anything but zod (and its French locale), papaparse
 * (pure JavaScript, no host API: the stocks board's CSV import) and itself.
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

it('common/ imports only zod, papaparse (and pino’s types) and common/ itself', () => {
  const offenders: string[] = [];
  for (const file of sources(join(REPO_ROOT, 'common'))) {
    const text = readFileSync(file, 'utf8');
    const uncommented = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of uncommented.matchAll(/(?:import|export)([^'"]*?)from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]/g)) {
      const spec = m[2] ?? m[3] ?? m[4];
      if (spec.startsWith('.') || spec === 'zod' || spec === 'zod/v4/locales/fr.js' || spec === 'papaparse') continue;
      // A type-only import is erased: the shared log redaction names pino's option type, each process brings pino.
      if (spec === 'pino' && /^\s*type\b/.test(m[1] ?? '')) continue;
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

it('common/ has no import cycle, type-only imports included', () => {
  const root = join(REPO_ROOT, 'common');
  const files = sources(root);
  const resolve = (from: string, spec: string): string | null => {
    if (!spec.startsWith('.')) return null;
    const base = join(from, '..', spec);
    for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (files.includes(candidate)) return candidate;
    throw new Error(`${relative(REPO_ROOT, from)}: cannot resolve ${spec}`);
  };
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      const target = resolve(file, m[1]);
      if (target) deps.push(target);
    }
    edges.set(file, deps);
  }
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const dep of edges.get(file) ?? []) visit(dep, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  expect(cycles).toEqual([]);
  // The check reads real imports: the registry reaches every board through them.
  expect(edges.get(join(root, 'boards.ts'))).toEqual(expect.arrayContaining([join(root, 'domain', 'beds', 'index.ts'), join(root, 'domain', 'eventlog', 'index.ts')]));
});
