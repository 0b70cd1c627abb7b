/**
 * The transport rules shared by the sync server and its clients (docs/security.md,
 * "Transport"): plain HTTP and `ws://` only on the loopback interface, and the form of a
 * certificate pin. Pure functions: no `node:` module.
 */

/**
 * True for a host name or address that can only reach this machine: `localhost`, an address
 * of 127.0.0.0/8, `::1` (with or without brackets) and their IPv4-mapped forms. An empty
 * host, `0.0.0.0` or `::` (every interface) is not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (h.startsWith('::ffff:')) h = h.slice('::ffff:'.length);
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255);
}

/** A SHA-256 fingerprint as Node's `X509Certificate.fingerprint256` writes it: 32 upper-case hex pairs joined by colons. */
export type CertFingerprint = string;

/**
 * The canonical form of a SHA-256 certificate fingerprint typed by a person or read from a
 * file: hex digits, with or without colons or spaces, any case, an optional `sha256:` or
 * `SHA256=` prefix (OpenSSL's `-fingerprint` output). Null when it is not 32 bytes of hex.
 */
export function normaliseFingerprint(text: string): CertFingerprint | null {
  const hex = text
    .trim()
    .replace(/^sha-?256\s*(fingerprint)?\s*[:=]?\s*/i, '')
    .replace(/[\s:]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)?.join(':') ?? null;
}
