/**
 * The event log's transaction slice on the client: reads see the server's rows with the
 * pending ones on top; writes go to the overlay, tagged with the mutation that made them.
 */
import type { CrisisEvent, Message } from '../../common/domain/eventlog/model';
import type { EventLogTx } from '../../common/domain/eventlog/tx';
import type { LocalStore } from '../store/localStore';
import { ACK_COLS, EVENT_COLS, MESSAGE_COLS, ackToRow, eventToRow, messageToRow, rowToAck, rowToEvent, rowToMessage, type AckRow, type EventRow, type MessageRow } from './rows';

/** The visible event: the newest pending state on top of the server's. */
export function visibleEvent(engine: LocalStore, id: string): CrisisEvent | undefined {
  const row = (engine.stmt(`SELECT ${EVENT_COLS} FROM ov_events WHERE id = ? ORDER BY mutation_id DESC LIMIT 1`).get(id) ??
    engine.stmt(`SELECT ${EVENT_COLS} FROM events WHERE id = ?`).get(id)) as EventRow | undefined;
  return row ? rowToEvent(row) : undefined;
}

export function visibleMessage(engine: LocalStore, id: string): Message | undefined {
  const row = (engine.stmt(`SELECT ${MESSAGE_COLS} FROM messages WHERE id = ?`).get(id) ??
    engine.stmt(`SELECT ${MESSAGE_COLS} FROM ov_messages WHERE id = ?`).get(id)) as MessageRow | undefined;
  return row ? rowToMessage(row) : undefined;
}

export function cacheEventLogTx(engine: LocalStore, mutationId: number): EventLogTx {
  return {
    getEvent: (id) => visibleEvent(engine, id),
    getMessage: (id) => visibleMessage(engine, id),
    isReplaced: (messageId) =>
      engine
        .stmt('SELECT 1 FROM messages WHERE replaces = @id UNION ALL SELECT 1 FROM ov_messages WHERE replaces = @id LIMIT 1')
        .get({ id: messageId }) !== undefined,
    getAck: (messageId, territory) => {
      const row = (engine.stmt(`SELECT ${ACK_COLS} FROM acks WHERE message_id = ? AND territory = ?`).get(messageId, territory) ??
        engine.stmt(`SELECT ${ACK_COLS} FROM ov_acks WHERE message_id = ? AND territory = ?`).get(messageId, territory)) as AckRow | undefined;
      return row ? rowToAck(row) : undefined;
    },
    // The bed board's cached units (server rows and pending reports), read only.
    hasCriticalCare: (finess) =>
      engine.stmt('SELECT 1 FROM units WHERE finess = @finess UNION ALL SELECT 1 FROM ov_units WHERE finess = @finess LIMIT 1').get({ finess }) !== undefined,
    putEvent: (event) => {
      engine
        .stmt(
          `INSERT INTO ov_events (mutation_id, ${EVENT_COLS}) VALUES (@mutation_id, @id, @title, @description, @territory, @status, @opened_at, @opened_by, @closed_at, @closed_by, @version)`,
        )
        .run({ mutation_id: mutationId, ...eventToRow(event) });
    },
    insertMessage: (message) => {
      engine
        .stmt(
          `INSERT INTO ov_messages (mutation_id, ${MESSAGE_COLS}) VALUES (@mutation_id, @id, @event_id, @level, @territory, @territory_path, @kind, @priority, @body, @author_id, @author_name, @author_role, @at, @replaces, @corrects, @ack_list, @search, @version)`,
        )
        .run({ mutation_id: mutationId, ...messageToRow(message, engine.pathOf(message.territory)) });
    },
    putAck: (ack) => {
      engine
        .stmt(`INSERT INTO ov_acks (mutation_id, ${ACK_COLS}) VALUES (@mutation_id, @message_id, @territory, @user_id, @user_name, @at, @version)`)
        .run({ mutation_id: mutationId, ...ackToRow(ack) });
    },
  };
}
