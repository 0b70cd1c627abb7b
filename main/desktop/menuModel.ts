/**
 * The application menu's shortcut items, without Electron: each names the key press the
 * renderer's own shortcut handler obeys (`renderer/src/app/shortcuts.ts`), and the menu
 * replays that press into the page when the item is clicked. The accelerator is shown but
 * not registered (`registerAccelerator: false`), so a key typed in the page reaches the page
 * exactly as before, and one handler decides what every shortcut does. A test checks each
 * press against the renderer's mapping.
 */
import { fr } from '../../common/i18n/fr';

/** A key press as Electron's `webContents.sendInputEvent` takes it (and as a KeyboardEvent reads). */
export interface MenuKeyPress {
  /** Electron's `keyCode` (`1`, `F1`, `M`, `/`). */
  keyCode: string;
  /** The DOM `key` and `code` the page will read. */
  key: string;
  code: string;
  modifiers: Array<'alt' | 'shift' | 'control' | 'meta'>;
}

export interface ShortcutMenuItem {
  label: string;
  /** Electron's accelerator syntax, shown beside the label. */
  accelerator: string;
  press: MenuKeyPress;
}

const board = (n: number, label: string): ShortcutMenuItem => ({
  label,
  accelerator: `Alt+${n}`,
  press: { keyCode: String(n), key: String(n), code: `Digit${n}`, modifiers: ['alt'] },
});

/** « Tableaux »: the four boards (Alt+1…4), then the main courante's own keys. */
export function boardsMenu(): { label: string; items: Array<ShortcutMenuItem | 'separator'> } {
  const s = fr.shell;
  return {
    label: s.menuBoards,
    items: [
      board(1, s.boardEventlog),
      board(2, s.boardTransfers),
      board(3, s.boardBeds),
      board(4, s.boardStocks),
      'separator',
      { label: s.menuCompose, accelerator: 'Alt+M', press: { keyCode: 'M', key: 'm', code: 'KeyM', modifiers: ['alt'] } },
      { label: s.menuAcknowledge, accelerator: 'Alt+A', press: { keyCode: 'A', key: 'a', code: 'KeyA', modifiers: ['alt'] } },
      { label: s.menuSearch, accelerator: '/', press: { keyCode: '/', key: '/', code: 'Slash', modifiers: [] } },
    ],
  };
}

/** « Raccourcis clavier » (F1) in the help menu. */
export function shortcutsHelpItem(): ShortcutMenuItem {
  return { label: fr.shell.menuShortcuts, accelerator: 'F1', press: { keyCode: 'F1', key: 'F1', code: 'F1', modifiers: [] } };
}
