import { describe, expect, it } from 'vitest';
import { ApiError, HandlerTable } from './handlers';
import { consoleCalls, type CallName } from '../common/api';

function completeTable(log: string[] = []): HandlerTable {
  const t = new HandlerTable((l) => log.push(l));
  for (const name of Object.keys(consoleCalls) as CallName[]) {
    t.register(name, (() => null) as never);
  }
  return t;
}

describe('the ConsoleApi handler table', () => {
  it('refuses a name registered twice', () => {
    const t = new HandlerTable();
    t.register('session.current', () => null);
    expect(() => t.register('session.current', () => null)).toThrow(/registered twice: session\.current/);
  });

  it('refuses to start with a call of the contract left without a handler', () => {
    const t = new HandlerTable();
    t.register('session.current', () => null);
    expect(() => t.assertComplete()).toThrow(/without a handler: .*session\.login/);
    expect(() => completeTable().assertComplete()).not.toThrow();
  });

  it('passes parsed arguments, turns ApiError into its code and hides other errors', async () => {
    const log: string[] = [];
    const t = new HandlerTable((l) => log.push(l));
    let seen: unknown;
    t.register('messages.acks', (args) => {
      seen = args;
      throw new ApiError('bad_args', 'Message introuvable.');
    });
    t.register('sync.rejected', () => {
      throw new Error('disk on fire');
    });
    const id = '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20001';
    expect(await t.dispatch('messages.acks', { messageId: id })).toEqual({ ok: false, error: { code: 'bad_args', message: 'Message introuvable.' } });
    expect(seen).toEqual({ messageId: id });
    expect(await t.dispatch('sync.rejected', {})).toEqual({ ok: false, error: { code: 'internal', message: 'Erreur interne de l’application.' } });
    expect(log.join('\n')).toContain('disk on fire');
    expect(await t.dispatch('sync.rejected', undefined)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await t.dispatch('toString', {})).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(await t.dispatch({ name: 'x' }, {})).toEqual({ ok: false, error: { code: 'unknown_call', message: 'Appel inconnu : nom d’appel absent ou invalide.' } });
  });
});
