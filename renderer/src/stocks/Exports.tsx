/** The stocks board's export buttons: the grid or the pivot, CSV or XLSX, written by main, offered as a download. */
import { useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { call } from '../app/call';
import { downloadBytes } from '../app/download';


export function StockExports({ pivot }: { pivot: boolean }) {
  const t = ui.stocksIo.export;
  const [notice, setNotice] = useState<string | null>(null);
  async function run(view: 'grid' | 'pivot', format: 'csv' | 'xlsx') {
    const reply = await call('stocks.export', { view, format });
    if (!reply.ok) {
      setNotice(reply.error.message);
      return;
    }
    downloadBytes(reply.data.fileName, reply.data.mimeType, reply.data.contentBase64);
    setNotice(t.done(reply.data.fileName));
  }
  type Choice = readonly [label: string, view: 'grid' | 'pivot', format: 'csv' | 'xlsx'];
  const grid: Choice[] = [
    [t.gridCsv, 'grid', 'csv'],
    [t.gridXlsx, 'grid', 'xlsx'],
  ];
  const regions: Choice[] = [
    [t.pivotCsv, 'pivot', 'csv'],
    [t.pivotXlsx, 'pivot', 'xlsx'],
  ];
  const buttons = pivot ? [...grid, ...regions] : grid;
  return (
    <div className="stock-exports" role="group" aria-label={t.label}>
      <span className="small muted">{t.label} :</span>
      {buttons.map(([label, view, format]) => (
        <button key={`${view}-${format}`} type="button" className="btn btn-small" onClick={() => void run(view, format)} data-testid={`stocks-export-${view}-${format}`}>
          {label}
        </button>
      ))}
      {notice && (
        <span className="small muted" role="status" data-testid="stocks-export-notice">
          {notice}
        </span>
      )}
    </div>
  );
}
