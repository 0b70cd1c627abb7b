/**
 * The sync server's TLS material and the rule on plain listening (docs/security.md,
 * "Transport"). The server serves HTTPS and WSS from a PEM certificate (its chain after it)
 * and its private key; without them it may listen only on the loopback interface, unless
 * the operator says otherwise on purpose (`--insecure-allow-plain`, behind a TLS proxy).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fr } from '../../common/i18n/fr';
import { isLoopbackHost } from '../../common/transport';

/** What `https.createServer` needs, and what the operator is told about it. */
export interface TlsMaterial {
  /** PEM: the server's certificate, then its chain. */
  cert: string;
  /** PEM: the private key of the certificate. */
  key: string;
  /** SHA-256 of the server's certificate (`AB:CD:…`), what workstations pin. */
  fingerprint: string;
  /** When the certificate stops being valid. */
  validTo: Date;
}

/** A TLS file or setting the operator must fix: the message says which and how. */
export class TlsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsConfigError';
  }
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new TlsConfigError(fr.transport.unreadable(what, file, code ?? (err instanceof Error ? err.message : String(err))));
  }
}

/**
 * Checks a certificate and key given as PEM text: the first certificate parses, the key
 * parses (unencrypted) and is the certificate's. `names` only labels the messages.
 */
export function tlsMaterialFromPem(cert: string, key: string, names = { cert: 'certificat', key: 'clé' }): TlsMaterial {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsConfigError(fr.transport.badCertificate(names.cert));
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TlsConfigError(fr.transport.badKey(names.key));
  }
  if (!x509.checkPrivateKey(privateKey)) throw new TlsConfigError(fr.transport.keyMismatch(names.cert, names.key));
  return { cert, key, fingerprint: x509.fingerprint256, validTo: new Date(x509.validTo) };
}

/** Reads and checks the certificate and key files of `--tls-cert` and `--tls-key`. */
export function loadTlsMaterial(certFile: string, keyFile: string): TlsMaterial {
  const cert = readPem(certFile, fr.transport.certificateWord);
  const key = readPem(keyFile, fr.transport.keyWord);
  return tlsMaterialFromPem(cert, key, { cert: certFile, key: keyFile });
}

/** A certificate this close to its end gets a warning at each start. */
export const EXPIRY_WARNING_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * What the operator must hear about a certificate's dates at start: an expired one is
 * refused (every pinned workstation would still accept it, but public-CA clients would not,
 * and an expired certificate means rotation was forgotten), a near end is a warning.
 */
export function certificateDates(material: TlsMaterial, file: string, now: Date): { warning: string | null } {
  const end = material.validTo.toISOString().slice(0, 10);
  if (material.validTo.getTime() <= now.getTime()) throw new TlsConfigError(fr.transport.certificateExpired(file, end));
  if (material.validTo.getTime() - now.getTime() < EXPIRY_WARNING_MS) return { warning: fr.transport.certificateExpiresSoon(file, end) };
  return { warning: null };
}

/**
 * The rule on plain listening: without TLS, only a loopback host (`127.0.0.1`, `::1`,
 * `localhost`); another host is refused unless `allowPlain` (the operator's
 * `--insecure-allow-plain`). Returns the warning to print loudly when plain is allowed
 * off loopback, null when nothing needs saying; throws `TlsConfigError` when refused.
 */
export function checkPlainListen(host: string, tls: boolean, allowPlain: boolean): string | null {
  if (tls || isLoopbackHost(host)) return null;
  if (!allowPlain) throw new TlsConfigError(fr.transport.plainRefused(host));
  return fr.transport.plainAllowedWarning(host);
}
