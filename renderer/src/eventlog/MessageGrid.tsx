import type {
  CellFocusedEvent,
  ColDef,
  GetRowIdParams,
  GridApi,
  RowClassRules,
  SelectionChangedEvent,
  SuppressMouseEventHandlingParams,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { fr } from '../../../common/i18n/fr';
import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog, type MessagesDelta } from './store';
import { useSession } from '../stores/session';
import { KindCell, PriorityCell, StatusCell } from './gridCells';
import { formatGridTime, roleLabel, timeValue } from './format';
import { messageGridTheme } from './gridTheme';
import type { MessageView } from '../../../common/domain/eventlog/api';

const PRIORITY_RANK: Record<MessageView['priority'], number> = { info: 0, important: 1, urgent: 2 };

const rowClassRules: RowClassRules<MessageView> = {
  'row-urgent': (p) => p.data?.priority === 'urgent',
  'row-important': (p) => p.data?.priority === 'important',
  'row-superseded': (p) => Boolean(p.data?.replacedBy),
  'row-pending': (p) => Boolean(p.data?.pending),
};

const getRowId = (p: GetRowIdParams<MessageView>) => p.data.id;

const suppressOnLinks = (p: SuppressMouseEventHandlingParams<MessageView>): boolean =>
  p.event.target instanceof Element && p.event.target.closest('.badge-link') !== null;

/**
 * Shows the store's rows in the grid. When the store's last merge led to exactly these rows
 * from the ones the grid holds, only its changes go in (one transaction); otherwise (a new
 * event or filter, a full answer) the rows are set whole.
 */
function showMessages(api: GridApi<MessageView>, shown: MessageView[] | null, messages: MessageView[], delta: MessagesDelta | null): void {
  if (shown !== null && delta !== null && !delta.full && delta.messages === messages && delta.from === shown) {
    api.applyTransaction({ add: delta.add, update: delta.update, remove: delta.remove });
    return;
  }
  api.setGridOption('rowData', messages);
}

/** The messages of the selected event, newest first; virtualised, so 50,000 rows stay smooth. */
export function MessageGrid() {
  const messages = useEventLog((s) => s.messages);
  const delta = useEventLog((s) => s.messagesDelta);
  const loading = useEventLog((s) => s.messagesLoading);
  const error = useEventLog((s) => s.messagesError);
  const selectedId = useEventLog((s) => s.selectedMessageId);
  const selectMessage = useEventLog((s) => s.selectMessage);
  const referential = useSession((s) => s.referential);
  const apiRef = useRef<GridApi<MessageView> | null>(null);
  /** The rows the grid holds (null before the grid is ready). */
  const shownRef = useRef<MessageView[] | null>(null);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;

  // Store → grid rows: live changes as transactions (a changed message in place, a new one
  // sorted in, one no longer matching the filter removed), anything else as new row data.
  // Runs before the selection effect below, so a message selected with its arrival is found.
  useEffect(() => {
    const api = apiRef.current;
    if (!api || api.isDestroyed() || shownRef.current === messages) return;
    showMessages(api, shownRef.current, messages, delta);
    shownRef.current = messages;
  }, [messages, delta]);

  const columnDefs = useMemo<ColDef<MessageView>[]>(
    () => [
      {
        colId: 'at',
        headerName: ui.grid.time,
        field: 'at',
        valueFormatter: (p) => formatGridTime(p.value),
        comparator: (a: string, b: string) => timeValue(a) - timeValue(b),
        sort: 'desc',
        width: 116,
        cellClass: 'cell-time',
      },
      { colId: 'level', headerName: ui.grid.level, field: 'level', valueFormatter: (p) => fr.level[p.value] ?? p.value, width: 82 },
      { colId: 'territory', headerName: ui.grid.territory, field: 'territoryLabel', width: 160, tooltipField: 'territoryLabel' },
      { colId: 'kind', headerName: ui.grid.kind, field: 'kind', cellRenderer: KindCell, width: 100 },
      {
        colId: 'priority',
        headerName: ui.grid.priority,
        field: 'priority',
        cellRenderer: PriorityCell,
        comparator: (a: MessageView['priority'], b: MessageView['priority']) => PRIORITY_RANK[a] - PRIORITY_RANK[b],
        width: 94,
      },
      {
        colId: 'author',
        headerName: ui.grid.author,
        valueGetter: (p) => (p.data ? `${p.data.authorName} · ${roleLabel(p.data.authorRole, referential)}` : ''),
        width: 180,
        tooltipValueGetter: (p) => (p.data ? `${p.data.authorName} · ${roleLabel(p.data.authorRole, referential)}` : ''),
      },
      { colId: 'body', headerName: ui.grid.body, field: 'body', flex: 1, minWidth: 240, cellClass: 'cell-body' },
      {
        colId: 'status',
        headerName: ui.grid.status,
        cellRenderer: StatusCell,
        // A click on the "remplacée" link selects the new version; the grid must not also select this row.
        cellRendererParams: { suppressMouseEventHandling: suppressOnLinks },
        width: 190,
        sortable: false,
      },
    ],
    [referential],
  );

  const defaultColDef = useMemo<ColDef<MessageView>>(() => ({ resizable: true, sortable: true, suppressHeaderMenuButton: true }), []);
  const localeText = useMemo(() => ({ noRowsToShow: ui.grid.noRows, loadingOoo: ui.grid.loading }), []);

  // Store → grid: a selection made elsewhere (a link, an announcement) shows in the grid.
  useEffect(() => {
    const api = apiRef.current;
    if (!api) return;
    if (!selectedId) {
      if (api.getSelectedRows().length) api.deselectAll();
      return;
    }
    const node = api.getRowNode(selectedId);
    if (node && !node.isSelected()) {
      node.setSelected(true, true);
      api.ensureNodeVisible(node, 'middle');
    }
  }, [selectedId, messages]);

  const onSelectionChanged = useCallback(
    (e: SelectionChangedEvent<MessageView>) => {
      const row = e.api.getSelectedRows()[0];
      if (row) selectMessage(row.id);
    },
    [selectMessage],
  );

  // Keyboard: the detail pane follows the focused row.
  const onCellFocused = useCallback((e: CellFocusedEvent<MessageView>) => {
    if (e.rowIndex === null || e.rowIndex === undefined || e.rowPinned) return;
    const node = e.api.getDisplayedRowAtIndex(e.rowIndex);
    if (node && !node.isSelected()) node.setSelected(true, true);
  }, []);

  return (
    <div className="grid-wrap" role="region" data-testid="message-grid" aria-label={ui.grid.label}>
      {error && (
        <p className="form-error grid-error" role="alert">
          {error}
        </p>
      )}
      <AgGridReact<MessageView>
        theme={messageGridTheme}
        columnDefs={columnDefs}
        defaultColDef={defaultColDef}
        getRowId={getRowId}
        rowClassRules={rowClassRules}
        rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
        onSelectionChanged={onSelectionChanged}
        onCellFocused={onCellFocused}
        onGridReady={(e) => {
          apiRef.current = e.api;
          e.api.setGridOption('rowData', messagesRef.current);
          shownRef.current = messagesRef.current;
        }}
        loading={loading && messages.length === 0}
        localeText={localeText}
        enableCellTextSelection
        animateRows={false}
        suppressDragLeaveHidesColumns
      />
    </div>
  );
}
