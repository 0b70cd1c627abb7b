/**
 * The global keyboard shortcuts, as a pure mapping from a key press to an action, so that
 * the mapping is tested and the help panel lists the same keys the handler obeys.
 */
export type BoardId = 'eventlog' | 'transfers' | 'beds' | 'stocks';

export const BOARDS: readonly BoardId[] = ['eventlog', 'transfers', 'beds', 'stocks'];

export type ShortcutAction =
  | { type: 'board'; board: BoardId }
  | { type: 'focusSearch' }
  | { type: 'toggleHelp' }
  | { type: 'escape' }
  /** Alt+M: to the composer of the main courante, from anywhere. */
  | { type: 'compose' }
  /** Alt+A: acknowledge the selected consigne. */
  | { type: 'acknowledge' };

/** The letter shortcuts under Alt, by the letter printed on the key. */
const ALT_LETTERS: Readonly<Record<string, ShortcutAction>> = {
  m: { type: 'compose' },
  a: { type: 'acknowledge' },
};

/**
 * The letter a key press names: the character typed when it is a letter (an AZERTY key
 * printed A gives "a"), else the key's position (a Mac's Alt+A types "å", its code is KeyA).
 */
function letterOf(e: Pick<KeyPress, 'key' | 'code'>): string | null {
  if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
  return e.code?.startsWith('Key') ? e.code.slice(3).toLowerCase() : null;
}

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  code?: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** True when the focus is in a text field (then `/` types a slash). */
  inTextField: boolean;
}

export function shortcutFor(e: KeyPress): ShortcutAction | null {
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    // `code` is layout-independent: on an AZERTY keyboard Alt+1 gives key "&".
    const digit = e.code?.startsWith('Digit') ? e.code.slice(5) : e.code?.startsWith('Numpad') ? e.code.slice(6) : e.key;
    const n = Number.parseInt(digit, 10);
    if (n >= 1 && n <= BOARDS.length && String(n) === digit) return { type: 'board', board: BOARDS[n - 1] };
    if (e.shiftKey) return null;
    const letter = letterOf(e);
    return letter === null ? null : (ALT_LETTERS[letter] ?? null);
  }
  if (e.key === 'F1' && !e.ctrlKey && !e.metaKey) return { type: 'toggleHelp' };
  if (e.key === 'Escape') return { type: 'escape' };
  if (e.key === '/' && !e.inTextField && !e.ctrlKey && !e.metaKey) return { type: 'focusSearch' };
  return null;
}

/** True when a send shortcut (Ctrl+Entrée, or Cmd+Entrée on a Mac) was pressed. */
export function isSendShortcut(e: Pick<KeyPress, 'key' | 'ctrlKey' | 'metaKey'>): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey);
}
