import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpCode, totpStep, totpUri, verifyTotp } from './totp';

const secret = newTotpSecret();
// 20 s into a step: the window is counted in whole steps, whatever the second.
const at = new Date(1_764_470_010_000 - (1_764_470_010_000 % 30_000) + 20_000);
const step = totpStep(at);
const codeAt = (steps: number) => totpCode(secret, new Date(at.getTime() + steps * 30_000));

describe('TOTP verifier', () => {
  it('accepts the current code and the ones of one step before and after, answering their step', async () => {
    expect(await verifyTotp(secret, await codeAt(0), at, 0)).toBe(step);
    expect(await verifyTotp(secret, await codeAt(-1), at, 0)).toBe(step - 1);
    expect(await verifyTotp(secret, await codeAt(1), at, 0)).toBe(step + 1);
  });

  it('refuses codes two steps away', async () => {
    expect(await verifyTotp(secret, await codeAt(-2), at, 0)).toBeNull();
    expect(await verifyTotp(secret, await codeAt(2), at, 0)).toBeNull();
  });

  it('refuses a code whose step was already accepted, and any earlier one', async () => {
    expect(await verifyTotp(secret, await codeAt(0), at, step)).toBeNull();
    expect(await verifyTotp(secret, await codeAt(-1), at, step)).toBeNull();
    expect(await verifyTotp(secret, await codeAt(1), at, step)).toBe(step + 1);
  });

  it('refuses a wrong code, another secret’s code and what is not six digits; spaces are ignored', async () => {
    const right = await codeAt(0);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(await verifyTotp(secret, wrong, at, 0)).toBeNull();
    expect(await verifyTotp(newTotpSecret(), right, at, 0)).toBeNull();
    for (const bad of ['', '12345', '1234567', 'abcdef']) expect(await verifyTotp(secret, bad, at, 0)).toBeNull();
    expect(await verifyTotp(secret, `${right.slice(0, 3)} ${right.slice(3)}`, at, 0)).toBe(step);
  });

  it('writes the otpauth URI with the issuer Vigie and the username', () => {
    const uri = new URL(totpUri('ars-idf', secret));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Vigie:ars-idf');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Vigie');
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes whose digest ignores case, spaces and dashes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(hashRecoveryCode(codes[0])).toBe(hashRecoveryCode(` ${codes[0].toLowerCase().replace('-', ' ')} `));
    expect(hashRecoveryCode(codes[0])).not.toBe(hashRecoveryCode(codes[1]));
  });
});
