/** Each shortcut the menu shows is a key press the renderer's handler maps to the action the label says. */
import { describe, expect, it } from 'vitest';
import { shortcutFor, type ShortcutAction } from '../../renderer/src/app/shortcuts';
import { boardsMenu, shortcutsHelpItem, type MenuKeyPress, type ShortcutMenuItem } from './menuModel';

const actionOf = (p: MenuKeyPress) =>
  shortcutFor({ key: p.key, code: p.code, altKey: p.modifiers.includes('alt'), ctrlKey: p.modifiers.includes('control'), metaKey: p.modifiers.includes('meta'), shiftKey: p.modifiers.includes('shift'), inTextField: false });

describe('the application menu’s shortcuts', () => {
  const items = boardsMenu().items.filter((i): i is ShortcutMenuItem => i !== 'separator');
  const expected: Record<string, ShortcutAction> = {
    'Main courante': { type: 'board', board: 'eventlog' },
    Transferts: { type: 'board', board: 'transfers' },
    Lits: { type: 'board', board: 'beds' },
    Stocks: { type: 'board', board: 'stocks' },
    'Écrire dans la main courante': { type: 'compose' },
    'Acquitter la consigne sélectionnée': { type: 'acknowledge' },
    Rechercher: { type: 'focusSearch' },
  };

  it('lists every board and the main courante’s keys, in French', () => {
    expect(boardsMenu().label).toBe('Tableaux');
    expect(items.map((i) => i.label)).toEqual(Object.keys(expected));
  });

  it.each(Object.entries(expected))('« %s » replays a press the renderer maps to that action', (label, action) => {
    const item = items.find((i) => i.label === label);
    expect(item).toBeDefined();
    expect(actionOf(item!.press)).toEqual(action);
  });

  it('F1 opens the shortcuts panel', () => {
    expect(actionOf(shortcutsHelpItem().press)).toEqual({ type: 'toggleHelp' });
  });

  it('the accelerator shown is the press replayed', () => {
    for (const i of items) {
      const mods = i.press.modifiers.map((m) => ({ alt: 'Alt', shift: 'Shift', control: 'Ctrl', meta: 'Cmd' })[m]);
      expect(i.accelerator).toBe([...mods, i.press.keyCode].join('+'));
    }
  });
});
