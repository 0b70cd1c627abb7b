/**
 * The French application menu. Roles keep the platform's standard behaviour; the boards and
 * the main courante's keys are listed with their shortcuts (`main/desktop/menuModel.ts`):
 * clicking one replays its key press into the page, whose own handler does the rest.
 */
import { writeFile } from 'node:fs/promises';
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { DiagnosticFile, LocalDataSummary } from '../../common/app/api';
import { fr } from '../../common/i18n/fr';
import { boardsMenu, shortcutsHelpItem, type ShortcutMenuItem } from '../desktop/menuModel';
import type { ConsoleServices } from '../services';

export interface MenuDeps {
  /** The services once started (the menu is installed before them). */
  services(): ConsoleServices | null;
  window(): BrowserWindow | null;
}

/**
 * « Exporter un diagnostic… »: asks where to save, builds the file through the same
 * ConsoleApi call as the web host's button (`app.diagnostic`), writes it whole.
 */
async function exportDiagnostic(deps: MenuDeps): Promise<void> {
  const d = fr.diagnostic;
  const services = deps.services();
  if (!services) return;
  const reply = await services.dispatch('app.diagnostic', {});
  if (!reply.ok) {
    dialog.showErrorBox(d.saveTitle, d.failed(reply.error.message));
    return;
  }
  // `dispatch` answers untyped data; this call's answer is a DiagnosticFile (common/app/api.ts).
  const file = reply.data as DiagnosticFile;
  const win = deps.window();
  const options = { title: d.saveTitle, defaultPath: file.fileName, filters: [{ name: d.fileFilter, extensions: ['json'] }] };
  const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return;
  try {
    await writeFile(choice.filePath, file.content, 'utf8');
  } catch (err) {
    dialog.showErrorBox(d.saveTitle, d.failed(err instanceof Error ? err.message : String(err)));
    return;
  }
  void dialog.showMessageBox({ type: 'info', title: d.saveTitle, message: d.saved(choice.filePath) });
}

/**
 * « Se déconnecter et effacer les données locales… »: states how many operations would be
 * lost, erases only with that count (main refuses if more are pending by then). The window
 * then finds no session and shows the login screen.
 */
async function eraseLocalData(deps: MenuDeps): Promise<void> {
  const s = fr.shell;
  const services = deps.services();
  if (!services) return;
  const summary = await services.dispatch('session.localData', {});
  if (!summary.ok) {
    dialog.showErrorBox(s.eraseTitle, s.eraseFailed(summary.error.message));
    return;
  }
  // `dispatch` answers untyped data; this call's answer is a LocalDataSummary (common/app/api.ts).
  const { pending } = summary.data as LocalDataSummary;
  const options = {
    type: pending > 0 ? ('warning' as const) : ('question' as const),
    title: s.eraseTitle,
    message: pending > 0 ? s.erasePending(pending) : s.eraseNonePending,
    buttons: [s.eraseCancel, s.eraseConfirm],
    defaultId: 0,
    cancelId: 0,
  };
  const win = deps.window();
  const choice = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  if (choice.response !== 1) return;
  const reply = await services.dispatch('session.eraseLocalData', { pendingSeen: pending });
  if (!reply.ok) dialog.showErrorBox(s.eraseTitle, s.eraseFailed(reply.error.message));
}

/** A shortcut item: shown with its accelerator (not registered: the page keeps its keys), replayed into the page on click. */
function shortcutItem(item: ShortcutMenuItem, deps: MenuDeps): MenuItemConstructorOptions {
  return {
    label: item.label,
    accelerator: item.accelerator,
    registerAccelerator: false,
    click: () => {
      const win = deps.window();
      if (!win || win.isDestroyed()) return;
      if (win.isMinimized()) win.restore();
      win.focus();
      const { keyCode, modifiers } = item.press;
      win.webContents.sendInputEvent({ type: 'keyDown', keyCode, modifiers });
      win.webContents.sendInputEvent({ type: 'keyUp', keyCode, modifiers });
    },
  };
}

export function installMenu(deps: MenuDeps): void {
  const s = fr.shell;
  const boards = boardsMenu();
  const template: MenuItemConstructorOptions[] = [
    {
      label: s.menuFile,
      submenu: [
        {
          label: s.menuEraseLocal,
          click: () => {
            eraseLocalData(deps).catch((err: unknown) => dialog.showErrorBox(s.eraseTitle, s.eraseFailed(err instanceof Error ? err.message : String(err))));
          },
        },
        { type: 'separator' },
        { role: 'quit', label: s.menuQuit, accelerator: 'CmdOrCtrl+Q' },
      ],
    },
    {
      label: s.menuEdit,
      submenu: [
        { role: 'undo', label: s.menuUndo },
        { role: 'redo', label: s.menuRedo },
        { type: 'separator' },
        { role: 'cut', label: s.menuCut },
        { role: 'copy', label: s.menuCopy },
        { role: 'paste', label: s.menuPaste },
        { role: 'selectAll', label: s.menuSelectAll },
      ],
    },
    {
      label: s.menuView,
      submenu: [
        { role: 'reload', label: s.menuReload },
        { type: 'separator' },
        { role: 'zoomIn', label: s.menuZoomIn },
        { role: 'zoomOut', label: s.menuZoomOut },
        { role: 'resetZoom', label: s.menuZoomReset },
        { role: 'togglefullscreen', label: s.menuFullScreen },
      ],
    },
    { label: boards.label, submenu: boards.items.map((i) => (i === 'separator' ? { type: 'separator' as const } : shortcutItem(i, deps))) },
    {
      label: s.menuWindow,
      submenu: [
        { role: 'minimize', label: s.menuMinimize },
        { role: 'close', label: s.menuClose },
      ],
    },
    {
      label: s.menuHelp,
      submenu: [
        shortcutItem(shortcutsHelpItem(), deps),
        { type: 'separator' },
        {
          label: s.menuDiagnostic,
          click: () => {
            exportDiagnostic(deps).catch((err: unknown) => dialog.showErrorBox(fr.diagnostic.saveTitle, fr.diagnostic.failed(err instanceof Error ? err.message : String(err))));
          },
        },
        { type: 'separator' },
        {
          label: s.menuAbout,
          click: () => {
            void dialog.showMessageBox({ type: 'info', title: s.menuAbout, message: s.about(app.getVersion()) });
          },
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
