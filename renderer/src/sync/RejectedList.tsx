import { ui } from '../../../common/i18n/ui.fr';
import { describeRefused, isRefusedPost } from '../eventlog/draft';
import { formatGridTime } from '../eventlog/format';
import { useEventLog } from '../eventlog/store';
import { useSync } from '../stores/sync';
import { useUi } from '../stores/ui';

/** The operations the server refused, each with its reason; shown until dismissed or fixed. */
export function RejectedList() {
  const rejected = useSync((s) => s.rejected);
  const error = useSync((s) => s.error);
  const dismiss = useSync((s) => s.dismiss);
  const refill = useEventLog((s) => s.refillFromRejected);
  const setBoard = useUi((s) => s.setBoard);

  if (rejected.length === 0) return null;

  return (
    <section className="rejected" data-testid="rejected-list" aria-labelledby="rejected-title">
      <header className="rejected-head">
        <h2 id="rejected-title">{ui.rejected.title}</h2>
        <span className="rejected-intro">{ui.rejected.intro}</span>
      </header>
      {error && <p className="form-error">{error}</p>}
      <ul>
        {rejected.map((r) => {
          const what = describeRefused(r);
          return (
            <li key={r.mutationId} className="rejected-item" data-testid="rejected-item">
              <div className="rejected-text">
                <span className="rejected-op">{ui.rejected.operation[r.name] ?? ui.rejected.operationUnknown(r.name)}</span>
                {what && <span className="rejected-what">« {what} »</span>}
                <span className="rejected-at">{ui.rejected.at(formatGridTime(r.at))}</span>
                <span className="rejected-reason">
                  <strong>{ui.rejected.reason} :</strong> {r.reason}
                </span>
              </div>
              <div className="rejected-actions">
                {isRefusedPost(r) && (
                  <button
                    type="button"
                    className="btn btn-small btn-primary"
                    onClick={() => {
                      setBoard('eventlog');
                      refill(r);
                    }}
                  >
                    {ui.rejected.fix}
                  </button>
                )}
                <button type="button" className="btn btn-small" onClick={() => void dismiss(r.mutationId)}>
                  {ui.rejected.dismiss}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
