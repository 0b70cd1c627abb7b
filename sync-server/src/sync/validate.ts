/** Validation of socket payloads with the shared schemas; every refusal is a French `WireError`. */
import { describeZodError } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import { MAX_PUSH_BYTES, MAX_PUSH_MUTATIONS, PullRequestSchema, PushRequestSchema, type PullRequest, type PushRequest, type WireError } from '../../../common/protocol';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: WireError };

/**
 * Size first (cheapest, and the schema walk of a huge payload is what it protects against),
 * then the mutation count, then the schema, then the client id against the handshake's.
 */
export function checkPush(raw: unknown, handshakeClientId: string): Checked<PushRequest> {
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(raw) ?? '');
  } catch {
    return { ok: false, error: { code: 'bad_request', message: fr.protocol.badPayload('JSON attendu') } };
  }
  if (bytes > MAX_PUSH_BYTES) return { ok: false, error: { code: 'too_large', message: fr.protocol.tooLarge(MAX_PUSH_BYTES) } };
  const count = isRecord(raw) && Array.isArray(raw.mutations) ? raw.mutations.length : 0;
  if (count > MAX_PUSH_MUTATIONS) {
    return { ok: false, error: { code: 'too_large', message: fr.protocol.tooMany(MAX_PUSH_MUTATIONS) } };
  }
  const parsed = PushRequestSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) } };
  }
  const req = parsed.data;
  if (req.clientId !== handshakeClientId || req.mutations.some((m) => m.clientId !== handshakeClientId)) {
    return { ok: false, error: { code: 'forbidden', message: fr.protocol.clientMismatch } };
  }
  return { ok: true, value: req };
}

export function checkPull(raw: unknown): Checked<PullRequest> {
  const parsed = PullRequestSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) } };
  }
  return { ok: true, value: parsed.data };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
