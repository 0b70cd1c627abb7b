/**
 * What Vigie's logs may carry, for the sync server and the workstation alike (docs/security.md,
 * « Journaux »): operational facts (what failed, which user id, which client id, which call),
 * never a secret (session token, feed key, password, Authorization header) and never content
 * a person wrote (a transfer's summary, a message of the main courante, a comment, a name).
 *
 * Two nets, because the first one only knows the fields it was told about:
 * 1. pino's `redact` paths mask known fields wherever they sit (top level or two levels down);
 * 2. a last-resort scrubber runs on every call's arguments (`hooks.logMethod`) and on the final
 *    object (`formatters.log`): any field whose *name* looks sensitive is masked, and any text
 *    that looks like a token (43 base64url characters, `Bearer …`, `ApiKey …`) or holds a
 *    sensitive JSON field (`"summary":"…"`) is rewritten — including the message itself.
 *
 * Type-only import of pino: this file runs anywhere (no `node:` module), each process creates
 * its own logger with these options.
 */
import type { LoggerOptions } from 'pino';

/** What a masked value becomes. */
export const CENSOR = '[masqué]';

/**
 * Field names never logged. Secrets, and what people write: a transfer's `summary`, a message's
 * `body`, a comment, a patient, a person's name (`displayName`, `person`), free text, and a
 * mutation's `args` (which carry all of these).
 */
const SENSITIVE_KEY =
  /^(.*token.*|.*password.*|passwd|secret.*|.*secret|authorization|cookie|set-cookie|api[-_]?key|key|.*summary.*|resume|résumé|body|text|description|comment|comments|note|notes|.*patient.*|person|displayname|name|title|args|.*clinical.*|motif|reason)$/i;

/** Fields pino masks by path (the first net); the scrubber catches the same names anywhere. */
const REDACTED_FIELDS = [
  'token',
  'password',
  'authorization',
  'cookie',
  'apiKey',
  'key',
  'summary',
  'body',
  'text',
  'comment',
  'patient',
  'person',
  'displayName',
  'args',
] as const;

export const REDACT_PATHS: readonly string[] = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `req.headers.${f}`]);

/** Fields the loggers set themselves and that must survive the scrubber. */
const CONTEXT_KEYS = new Set(['level', 'time', 'msg', 'service', 'version', 'clientId', 'userId', 'username', 'role', 'pid', 'hostname', 'call', 'code', 'event']);

/** Identifiers whose values are never rewritten by the text scrubber. */
const IDENTIFIER_KEYS = new Set(['clientId', 'userId', 'username', 'service', 'version', 'time', 'call', 'event']);

/** A session token or a feed key: 32 random bytes in base64url, 43 characters, alone. */
const TOKEN_LIKE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const AUTH_HEADER = /\b(Bearer|ApiKey|Basic)\s+[^\s"',;]+/gi;
const JSON_FIELD = /("([^"\\]{1,60})"\s*:\s*)"(?:[^"\\]|\\.)*"/g;
const QUERY_SECRET = /\b(token|password|key)=[^\s&"']+/gi;

export function isSensitiveKey(key: string): boolean {
  return !CONTEXT_KEYS.has(key) && SENSITIVE_KEY.test(key);
}

/** Rewrites what looks like a secret or a sensitive JSON field inside a text. */
export function scrubText(text: string): string {
  return text
    .replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} ${CENSOR}`)
    .replace(QUERY_SECRET, (_m, name: string) => `${name}=${CENSOR}`)
    .replace(JSON_FIELD, (m, head: string, name: string) => (isSensitiveKey(name) ? `${head}"${CENSOR}"` : m))
    .replace(TOKEN_LIKE, CENSOR);
}

/**
 * A copy of `value` with sensitive fields masked and every text scrubbed. Errors become plain
 * `{type, message, stack}` objects (scrubbed); depth and size are bounded so a huge or cyclic
 * object cannot stall the logger.
 */
export function scrubValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[cycle]';
  if (depth > 6) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: scrubText(value.message) };
    if (value.stack) out.stack = scrubText(value.stack);
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    return out;
  }
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => scrubValue(v, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // Ids the loggers set (a client id may be 43 characters long, like a token) are kept as they are.
    if (IDENTIFIER_KEYS.has(k) && typeof v === 'string') out[k] = v;
    else out[k] = isSensitiveKey(k) ? CENSOR : scrubValue(v, depth + 1, seen);
  }
  return out;
}

/**
 * pino options shared by every Vigie logger: JSON lines with an ISO time and a level name,
 * `base` on every line (service, version…), both redaction nets.
 */
export function vigieLogOptions(base: Record<string, string>, level = 'info'): LoggerOptions {
  return {
    level,
    base,
    messageKey: 'msg',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    redact: { paths: [...REDACT_PATHS], censor: CENSOR },
    // Errors arrive already turned into scrubbed `{type, message, stack}` by the hook below.
    serializers: { err: (err: unknown) => err },
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => scrubValue(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = (args as unknown[]).map((a) => scrubValue(a));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
}
