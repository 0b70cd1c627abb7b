import { describe, expect, it } from 'vitest';
import { isSendShortcut, shortcutFor, type KeyPress } from './shortcuts';

const press = (p: Partial<KeyPress>): KeyPress => ({
  key: '',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  inTextField: false,
  ...p,
});

describe('keyboard shortcuts', () => {
  it('maps Alt+1..4 to the four boards, on AZERTY too', () => {
    expect(shortcutFor(press({ altKey: true, key: '1', code: 'Digit1' }))).toEqual({ type: 'board', board: 'eventlog' });
    // AZERTY: the key above T gives "'" or "(", the code still says Digit4.
    expect(shortcutFor(press({ altKey: true, key: "'", code: 'Digit4' }))).toEqual({ type: 'board', board: 'stocks' });
    expect(shortcutFor(press({ altKey: true, key: '&', code: 'Digit1' }))).toEqual({ type: 'board', board: 'eventlog' });
    expect(shortcutFor(press({ altKey: true, key: '5', code: 'Digit5' }))).toBeNull();
    expect(shortcutFor(press({ altKey: true, ctrlKey: true, key: '1', code: 'Digit1' }))).toBeNull();
  });

  it('focuses the search with / except while typing', () => {
    expect(shortcutFor(press({ key: '/' }))).toEqual({ type: 'focusSearch' });
    expect(shortcutFor(press({ key: '/', inTextField: true }))).toBeNull();
  });

  it('opens help with F1 and closes overlays with Escape', () => {
    expect(shortcutFor(press({ key: 'F1' }))).toEqual({ type: 'toggleHelp' });
    expect(shortcutFor(press({ key: 'Escape', inTextField: true }))).toEqual({ type: 'escape' });
    expect(shortcutFor(press({ key: 'a' }))).toBeNull();
  });

  it('sends with Ctrl+Entrée only', () => {
    expect(isSendShortcut({ key: 'Enter', ctrlKey: true, metaKey: false })).toBe(true);
    expect(isSendShortcut({ key: 'Enter', ctrlKey: false, metaKey: false })).toBe(false);
  });
});
