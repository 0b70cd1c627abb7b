import { describe, expect, it } from 'vitest';
import { canRestart, initialUpdateState, updateReducer, updateStatus, type UpdateEvent, type UpdateMachineState } from './machine';

const run = (events: UpdateEvent[], from: UpdateMachineState = initialUpdateState({ channel: 'latest' })) => events.reduce(updateReducer, from);

describe('the update state machine', () => {
  it('goes from a check through the download to the offer when the outbox is empty', () => {
    const s = run([{ type: 'checking' }, { type: 'available', version: '0.2.0' }, { type: 'progress', percent: 41.6 }]);
    expect(updateStatus(s)).toMatchObject({ state: 'downloading', version: '0.2.0', percent: 42 });
    const done = updateReducer(s, { type: 'downloaded', version: '0.2.0' });
    expect(updateStatus(done)).toMatchObject({ state: 'ready', version: '0.2.0', pending: 0 });
    expect(canRestart(done)).toBe(true);
    expect(updateReducer(done, { type: 'restart' }).phase).toBe('restarting');
  });

  it('waits while mutations are unconfirmed, and offers the restart once they are', () => {
    let s = run([{ type: 'outbox', pending: 3 }, { type: 'checking' }, { type: 'available', version: '0.2.0' }, { type: 'downloaded', version: '0.2.0' }]);
    expect(updateStatus(s)).toMatchObject({ state: 'waiting', pending: 3 });
    expect(canRestart(s)).toBe(false);
    // A restart asked now changes nothing.
    expect(updateReducer(s, { type: 'restart' })).toBe(s);
    s = updateReducer(s, { type: 'outbox', pending: 1 });
    expect(updateStatus(s).state).toBe('waiting');
    s = updateReducer(s, { type: 'outbox', pending: 0 });
    expect(updateStatus(s).state).toBe('ready');
  });

  it('takes the offer back when a mutation is written after it', () => {
    const ready = run([{ type: 'downloaded', version: '0.2.0' }]);
    expect(updateStatus(ready).state).toBe('ready');
    const again = updateReducer(ready, { type: 'outbox', pending: 1 });
    expect(updateStatus(again)).toMatchObject({ state: 'waiting', pending: 1 });
    expect(updateReducer(again, { type: 'restart' }).phase).toBe('downloaded');
  });

  it('keeps a downloaded update through later checks and failures', () => {
    const done = run([{ type: 'downloaded', version: '0.2.0' }]);
    const after = run([{ type: 'checking' }, { type: 'not-available' }, { type: 'error', detail: 'réseau' }, { type: 'available', version: '0.3.0' }], done);
    expect(updateStatus(after)).toMatchObject({ state: 'ready', version: '0.2.0', detail: null });
  });

  it('shows a failure before the download, and a new check clears it', () => {
    const failed = run([{ type: 'checking' }, { type: 'error', detail: 'La mise à jour a échoué : 404' }]);
    expect(updateStatus(failed)).toMatchObject({ state: 'error', detail: 'La mise à jour a échoué : 404' });
    expect(updateStatus(updateReducer(failed, { type: 'checking' }))).toMatchObject({ state: 'checking', detail: null });
    expect(updateStatus(run([{ type: 'checking' }, { type: 'not-available' }])).state).toBe('idle');
  });

  it('stays off when disabled, whatever the updater says, and still follows the outbox', () => {
    const off = initialUpdateState({ channel: 'beta', disabled: 'aucune adresse' });
    const s = run([{ type: 'downloaded', version: '9.9.9' }, { type: 'restart' }, { type: 'outbox', pending: 4 }], off);
    expect(updateStatus(s)).toEqual({ state: 'disabled', version: null, percent: null, pending: 4, channel: 'beta', detail: 'aucune adresse' });
  });

  it('is not moved by late events once restarting', () => {
    const restarting = run([{ type: 'downloaded', version: '0.2.0' }, { type: 'restart' }]);
    expect(run([{ type: 'error', detail: 'x' }, { type: 'checking' }], restarting).phase).toBe('restarting');
  });
});
