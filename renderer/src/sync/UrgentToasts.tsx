import { ui } from '../../../common/i18n/ui.fr';
import { excerpt } from '../eventlog/format';
import { useEventLog } from '../eventlog/store';
import { useUi } from '../stores/ui';

/** Announces urgent messages from others until the user reads or closes them. */
export function UrgentToasts() {
  const urgent = useUi((s) => s.urgent);
  const dismiss = useUi((s) => s.dismissUrgent);
  const setBoard = useUi((s) => s.setBoard);
  const reveal = useEventLog((s) => s.reveal);

  if (urgent.length === 0) return null;
  return (
    <div className="toasts">
      {urgent.map((n) => (
        <div key={n.id} className="toast toast-urgent" role="alert" data-testid="urgent-toast">
          <div className="toast-head">
            <span className="badge badge-urgent">{ui.urgent.title}</span>
            <span className="toast-from">{ui.urgent.from(n.authorName, n.territoryLabel)}</span>
          </div>
          <p className="toast-body">{excerpt(n.body, 220)}</p>
          <div className="toast-actions">
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={() => {
                setBoard('eventlog');
                reveal(n.eventId, n.id);
                dismiss(n.id);
              }}
            >
              {ui.urgent.show}
            </button>
            <button type="button" className="btn btn-small" onClick={() => dismiss(n.id)}>
              {ui.urgent.close}
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
