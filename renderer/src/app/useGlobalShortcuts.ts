import { useEffect } from 'react';
import { useEventLog } from '../eventlog/store';
import { useUi } from '../stores/ui';
import { shortcutFor } from './shortcuts';

/** The id of the message search field, the target of the `/` shortcut. */
export const SEARCH_INPUT_ID = 'message-search';
/** The bed grid's search field, the target of `/` on the bed board. */
export const BEDS_SEARCH_INPUT_ID = 'beds-search';

function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type);
  return false;
}

/** Installs the application-wide keyboard shortcuts while mounted. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const action = shortcutFor({
        key: e.key,
        code: e.code,
        altKey: e.altKey,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        shiftKey: e.shiftKey,
        inTextField: inTextField(e.target),
      });
      if (!action) return;
      const ui = useUi.getState();
      switch (action.type) {
        case 'board':
          e.preventDefault();
          ui.setBoard(action.board);
          break;
        case 'toggleHelp':
          e.preventDefault();
          ui.toggleHelp();
          break;
        case 'compose':
          e.preventDefault();
          ui.setBoard('eventlog');
          useEventLog.getState().focusComposer();
          break;
        case 'acknowledge':
          // The main courante's act: elsewhere the key does nothing (no acknowledgement unseen).
          if (ui.board !== 'eventlog') break;
          e.preventDefault();
          void useEventLog.getState().acknowledgeSelected();
          break;
        case 'escape':
          if (ui.closeTopmost()) e.preventDefault();
          break;
        case 'focusSearch': {
          // On the bed board, `/` searches the beds (when its grid's filter is on screen).
          const beds = ui.board === 'beds' ? document.getElementById(BEDS_SEARCH_INPUT_ID) : null;
          if (beds instanceof HTMLInputElement) {
            e.preventDefault();
            beds.focus();
            beds.select();
            break;
          }
          const input = document.getElementById(SEARCH_INPUT_ID);
          if (input instanceof HTMLInputElement) {
            e.preventDefault();
            ui.setBoard('eventlog');
            input.focus();
            input.select();
          }
          break;
        }
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
