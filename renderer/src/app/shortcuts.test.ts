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

  it('jumps to the composer with Alt+M and acknowledges with Alt+A, even from a text field, on AZERTY and on a Mac', () => {
    expect(shortcutFor(press({ altKey: true, key: 'm', code: 'KeyM', inTextField: true }))).toEqual({ type: 'compose' });
    // AZERTY: the key printed A sits where QWERTY has Q.
    expect(shortcutFor(press({ altKey: true, key: 'a', code: 'KeyQ' }))).toEqual({ type: 'acknowledge' });
    // A Mac's Option+A types "å": the key's position decides.
    expect(shortcutFor(press({ altKey: true, key: 'å', code: 'KeyA' }))).toEqual({ type: 'acknowledge' });
    // Without Alt these are letters typed; with Ctrl or Shift they belong to someone else.
    expect(shortcutFor(press({ key: 'm', code: 'KeyM' }))).toBeNull();
    expect(shortcutFor(press({ altKey: true, ctrlKey: true, key: 'a', code: 'KeyA' }))).toBeNull();
    expect(shortcutFor(press({ altKey: true, shiftKey: true, key: 'A', code: 'KeyA' }))).toBeNull();
    expect(shortcutFor(press({ altKey: true, key: 'z', code: 'KeyZ' }))).toBeNull();
  });

  it('sends with Ctrl+Entrée only', () => {
    expect(isSendShortcut({ key: 'Enter', ctrlKey: true, metaKey: false })).toBe(true);
    expect(isSendShortcut({ key: 'Enter', ctrlKey: false, metaKey: false })).toBe(false);
  });
});
