/**
 * Self-signed certificates for tests, made by `openssl` as the launchers make theirs
 * (`scripts/launch-lib.mjs`). Not a test file.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app';
import { territories } from './fixtures';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  /** SHA-256, `AB:CD:…`. */
  fingerprint: string;
}

/** A P-256 self-signed certificate for localhost, 127.0.0.1 and ::1 (or `san`), in `dir`, files named after `name`. */
export function selfSignedCertificate(dir: string, name = 'server', opts: { san?: string; days?: number } = {}): TestCertificate {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', String(opts.days ?? 30), '-subj', '/CN=localhost', '-addext', `subjectAltName=${opts.san ?? 'DNS:localhost,IP:127.0.0.1,IP:::1'}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const cert = readFileSync(certFile, 'utf8');
  return { certFile, keyFile, cert, key: readFileSync(keyFile, 'utf8'), fingerprint: new X509Certificate(cert).fingerprint256 };
}

/** A sync server over TLS with `c`, its SQLite file in `dir`, on a free loopback port: its url; `onClose` receives its closing. */
export async function startTlsSyncServer(dir: string, c: TestCertificate, onClose: (close: () => Promise<void>) => void): Promise<string> {
  const app = createApp({ dbPath: join(dir, 'server.sqlite'), territories: territories(), log: () => undefined, tls: { cert: c.cert, key: c.key } });
  onClose(() => app.close());
  return app.listen(0, '127.0.0.1');
}
