/**
 * Command line entry of the web host:
 *
 *   npx tsx main/webhost/cli.ts [--server <sync server url>] [--server-cert-sha256 <fingerprint>] --data <dir> [--policy <file>] [--port N] [--host 127.0.0.1] [--renderer out/renderer]
 *
 * `--server-cert-sha256` pins the sync server's certificate (docs/security.md, "Transport").
 *
 * The caches under `--data` are encrypted; their key is `VIGIE_CACHE_KEY` (64 hex digits)
 * when set, else `<data>/cache-key.json` (created, mode 0600).
 *
 * The administrator policy is read as the desktop app reads it (`--policy`, else
 * `VIGIE_POLICY_FILE`, else the machine-wide file, docs/policy.md); a broken one stops the
 * host with its French message. Its server address (and pin) wins over `--server`; with
 * neither, the page opens on the first-run screen.
 *
 * Prints exactly one line on stdout once it listens, `VIGIE_WEB_HOST_READY <url-with-token>`
 * (scripts and tests wait for it); logs go to stderr. SIGTERM or SIGINT closes it cleanly.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PolicyError, readWorkstationPolicy, type WorkstationPolicy } from '../policy';
import { createConsoleServices } from '../services';
import { CACHE_KEY_ENV, fileProtector, fixedKeySource, keyFileSource, type CacheKeySource } from '../store/cipherKey';
import { startWebHost } from './server';

export const WEB_HOST_READY = 'VIGIE_WEB_HOST_READY';

const log = (line: string): void => {
  process.stderr.write(`[vigie web host] ${line}\n`);
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      'server-cert-sha256': { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      renderer: { type: 'string', default: 'out/renderer' },
      resources: { type: 'string' },
      policy: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.data) {
    log('usage: main/webhost/cli.ts [--server <url>] [--server-cert-sha256 <fingerprint>] --data <dir> [--policy <file>] [--port N] [--host 127.0.0.1] [--renderer out/renderer]');
    return 2;
  }
  let policy: WorkstationPolicy;
  try {
    policy = readWorkstationPolicy({ file: values.policy ? resolve(values.policy) : undefined });
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    log(err.message);
    return 2;
  }
  if (policy.managed) log(`policy ${policy.file} (${policy.policy?.organisation ?? ''})`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    log(`invalid --port ${values.port}`);
    return 2;
  }
  const rendererDir = resolve(values.renderer);
  if (!existsSync(resolve(rendererDir, 'index.html'))) log(`warning: ${rendererDir}/index.html not found (run electron-vite build); the bridge still works`);

  // No OS keystore here: the operator's key (environment), else a 0600 key file beside the
  // caches (docs/security.md, « Cache local chiffré »: the weaker guarantee of the web host).
  let cacheKey: CacheKeySource;
  try {
    const fromEnv = process.env[CACHE_KEY_ENV];
    cacheKey = fromEnv ? fixedKeySource(fromEnv) : keyFileSource(resolve(values.data), fileProtector);
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    return 2;
  }
  const services = createConsoleServices({
    dataDir: resolve(values.data),
    cacheKey,
    serverUrl: values.server ?? null,
    certFingerprint: values['server-cert-sha256'],
    policy,
    resourcesDir: values.resources ? resolve(values.resources) : undefined,
    log,
  });
  const host = await startWebHost({ services, rendererDir, host: values.host, port });
  process.stdout.write(`${WEB_HOST_READY} ${host.url}\n`);
  log(`listening on ${host.baseUrl}, sync server ${policy.serverUrl(values.server ?? null) ?? '(first run)'}, data ${resolve(values.data)}`);

  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void host
        .close()
        .then(() => services.close())
        .finally(done);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
