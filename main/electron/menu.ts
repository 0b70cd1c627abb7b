/** A minimal French application menu (roles keep the platform's standard behaviour). */
import { app, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import { fr } from '../../common/i18n/fr';

export function installMenu(): void {
  const s = fr.shell;
  const template: MenuItemConstructorOptions[] = [
    { label: s.menuFile, submenu: [{ role: 'quit', label: s.menuQuit }] },
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
    {
      label: s.menuHelp,
      submenu: [
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
