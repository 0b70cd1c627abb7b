import { useEffect, useRef, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { download } from './download';
import { EraseLocalData } from '../session/EraseLocalData';
import { useUi } from '../stores/ui';
import { boardLabel, BOARDS } from './boards';
import { call } from './call';
import { logoutEverywhereAndForget } from './wiring';
import { NotificationsSetting } from '../policy/NotificationsSetting';

/** The list of keyboard shortcuts (F1), « Exporter un diagnostic » for support, « Se déconnecter partout » and « effacer les données locales ». */
export function HelpPanel() {
  const open = useUi((s) => s.helpOpen);
  const close = useUi((s) => s.closeHelp);
  const closeRef = useRef<HTMLButtonElement>(null);
  const [exporting, setExporting] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (open) closeRef.current?.focus();
    else setNotice(null);
  }, [open]);

  const exportDiagnostic = async () => {
    setExporting(true);
    setNotice(null);
    try {
      const reply = await call('app.diagnostic', {});
      if (!reply.ok) {
        setNotice({ ok: false, text: ui.diagnostic.failed(reply.error.message) });
        return;
      }
      download(reply.data.fileName, 'application/json', reply.data.content);
      setNotice({ ok: true, text: ui.diagnostic.done(reply.data.fileName) });
    } finally {
      setExporting(false);
    }
  };

  if (!open) return null;
  const rows: Array<[string, string]> = [
    ...BOARDS.map((b, i): [string, string] => [ui.shortcuts.boardKey(i + 1), boardLabel[b]]),
    [ui.shortcuts.searchKey, ui.shortcuts.search],
    [ui.shortcuts.composeKey, ui.shortcuts.compose],
    [ui.shortcuts.sendKey, ui.shortcuts.send],
    [ui.shortcuts.acknowledgeKey, ui.shortcuts.acknowledge],
    [ui.shortcuts.gridNavKey, ui.shortcuts.gridNav],
    [ui.shortcuts.bedsSaveKey, ui.shortcuts.bedsSave],
    [ui.shortcuts.bedsGroupKey, ui.shortcuts.bedsGroup],
    [ui.shortcuts.transferNewKey, ui.shortcuts.transferNew],
    [ui.shortcuts.transferOpenKey, ui.shortcuts.transferOpen],
    [Object.values(ui.transfers.key).join(' '), ui.shortcuts.transferSteps],
    [ui.shortcuts.transferSettingsKey, ui.shortcuts.transferSettings],
    [ui.shortcuts.helpKey, ui.shortcuts.help],
    [ui.shortcuts.escapeKey, ui.shortcuts.escape],
  ];
  return (
    <div className="modal-backdrop" onClick={close}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        data-testid="help-panel"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="help-title">{ui.shortcuts.title}</h2>
        <table className="shortcut-table">
          <tbody>
            {rows.map(([key, what]) => (
              <tr key={`${key}:${what}`}>
                <td>
                  <kbd>{key}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <NotificationsSetting />
        <h3>{ui.diagnostic.title}</h3>
        <p>{ui.diagnostic.hint}</p>
        {notice && (
          <p role={notice.ok ? 'status' : 'alert'} data-testid="diagnostic-notice">
            {notice.text}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" data-testid="diagnostic-export" disabled={exporting} onClick={() => void exportDiagnostic()}>
            {ui.diagnostic.button}
          </button>
          <button ref={closeRef} type="button" className="btn" onClick={close}>
            {ui.shortcuts.close}
          </button>
        </div>
        <h3>{ui.header.sessionsTitle}</h3>
        <p>{ui.header.logoutEverywhereTitle}</p>
        <div className="modal-actions">
          <button
            type="button"
            className="btn"
            data-testid="logout-everywhere"
            onClick={() => {
              close();
              void logoutEverywhereAndForget();
            }}
          >
            {ui.header.logoutEverywhere}
          </button>
        </div>
        <EraseLocalData />
      </div>
    </div>
  );
}
