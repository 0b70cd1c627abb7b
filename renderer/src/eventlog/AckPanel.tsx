import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog } from './store';
import { formatGridTime } from './format';
import type { MessageView } from '../../../common/domain/eventlog/api';
import './ackLists.css';

/** Who has acknowledged a consigne (territory, person, time) and who has not yet. */
export function AckPanel({ message }: { message: MessageView }) {
  const acks = useEventLog((s) => (s.acks?.messageId === message.id ? s.acks : null));
  const error = useEventLog((s) => s.acksError);
  // The list answer can lag the grid row by a moment: the row's counters are the fallback.
  // Only the expected posts count (a consigne from before lists could be acknowledged by others).
  const listedDone = acks ? acks.acknowledged.filter((a) => a.listed).length : 0;
  const done = acks ? listedDone : message.ackCount;
  const expected = acks ? listedDone + acks.missing.length : message.expectedAckCount;

  return (
    <section className="ack-panel" data-testid="ack-panel" aria-labelledby="ack-title">
      <header className="ack-head">
        <h3 id="ack-title">{ui.acks.title}</h3>
        <span className={`ack-count${expected > 0 && done >= expected ? ' complete' : ''}`} data-testid="ack-count">
          {ui.acks.count(done, expected)} <span className="muted">{ui.acks.countLabel}</span>
        </span>
      </header>
      {acks && (
        <p className="ack-list-label" data-testid="ack-list-label">
          {ui.ackList.listOf(acks.list.label)}
        </p>
      )}
      <div className="ack-bar" aria-hidden="true">
        <span style={{ width: `${expected ? Math.min(100, (done / expected) * 100) : 0}%` }} />
      </div>
      {error && <p className="form-error">{error}</p>}
      {!acks && !error && <p className="muted small">{ui.acks.loading}</p>}
      {acks && (
        <>
          <h4>{ui.acks.done}</h4>
          {acks.acknowledged.length === 0 ? (
            <p className="muted small">{ui.acks.none}</p>
          ) : (
            <ul className="ack-list" data-testid="ack-done">
              {acks.acknowledged.map((a) => (
                <li key={a.territory} className={a.pending ? 'pending' : undefined}>
                  <span className="ack-territory">{a.label}</span>
                  <span className="ack-who">{ui.acks.by(a.userName, formatGridTime(a.at))}</span>
                  {a.pending && <span className="badge badge-pending">{ui.acks.pending}</span>}
                  {!a.listed && <span className="ack-outside">{ui.ackList.outside}</span>}
                </li>
              ))}
            </ul>
          )}
          <h4>
            {ui.acks.missing}
            {acks.missing.length > 0 && ` (${acks.missing.length})`}
          </h4>
          {acks.missing.length === 0 ? (
            <p className="muted small">{ui.acks.allDone}</p>
          ) : (
            <ul className="ack-list ack-missing" data-testid="ack-missing">
              {acks.missing.map((t) => (
                <li key={t.key}>
                  <span className="ack-territory">{t.label}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
