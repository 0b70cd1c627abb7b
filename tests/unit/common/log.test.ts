/** The last-resort scrubber shared by every logger (common/log.ts). */
import { describe, expect, it } from 'vitest';
import { CENSOR, isSensitiveKey, scrubText, scrubValue } from '../../../common/log';

const TOKEN = 'q2Xr1mJ0bT9w4N_-kV8aLz3pE6sYcHf7uGdRiOx5WnA'; // 43 base64url characters, like a session token

describe('log scrubbing', () => {
  it('rewrites a token alone, a Bearer or ApiKey header, a secret in a query and a sensitive JSON field', () => {
    expect(TOKEN).toHaveLength(43);
    const out = scrubText(`token ${TOKEN}; Authorization: Bearer abc.def; ApiKey k1; /x?token=zz&a=1 {"summary":"SDRA","ok":"oui"}`);
    expect(out).toBe(`token ${CENSOR}; Authorization: Bearer ${CENSOR}; ApiKey ${CENSOR}; /x?token=${CENSOR}&a=1 {"summary":"${CENSOR}","ok":"oui"}`);
  });

  it('keeps what support needs: client ids, uuids, hashes, numbers, French text', () => {
    const text = 'poste-samu75-a 3f2c8a9e-1b7d-4c55-9a0e-2d6f1e8b7c44 version 42 — échec de la synchronisation';
    expect(scrubText(text)).toBe(text);
  });

  it('masks sensitive field names at any depth and scrubs errors, without touching the context fields', () => {
    const v = scrubValue({
      userId: 'u-1',
      clientId: 'poste-1',
      call: 'transfers.create',
      nested: { deeper: { clinicalSummary: 'x', patientAge: 60, displayName: 'Dr X', ok: 1 } },
      err: new Error(`refused ${TOKEN}`),
    }) as Record<string, unknown>;
    expect(v).toMatchObject({ userId: 'u-1', clientId: 'poste-1', call: 'transfers.create' });
    expect(v.nested).toEqual({ deeper: { clinicalSummary: CENSOR, patientAge: CENSOR, displayName: CENSOR, ok: 1 } });
    expect(v.err).toMatchObject({ type: 'Error', message: `refused ${CENSOR}` });
    expect(JSON.stringify(v)).not.toContain(TOKEN);
    for (const key of ['token', 'sessionToken', 'password', 'authorization', 'summary', 'body', 'comment', 'args']) expect(isSensitiveKey(key), key).toBe(true);
    for (const key of ['userId', 'clientId', 'username', 'code', 'mutationId', 'cursor']) expect(isSensitiveKey(key), key).toBe(false);
  });

  it('keeps a 43-character client id in its own field, and masks it as text elsewhere', () => {
    expect(scrubValue({ clientId: TOKEN, userId: 'u-1', detail: `client ${TOKEN}` })).toEqual({ clientId: TOKEN, userId: 'u-1', detail: `client ${CENSOR}` });
  });

  it('survives a cycle', () => {
    const a: Record<string, unknown> = { ok: 1 };
    a.self = a;
    expect(scrubValue(a)).toEqual({ ok: 1, self: '[cycle]' });
  });
});
