/**
 * The event log's synced rows. Every change of each is delivered (`log`): an event's state,
 * every message, every acknowledgement.
 */
import { defineEntity } from '../../engine/entity';
import type { Ack, CrisisEvent, Message } from './model';

export const eventEntity = defineEntity<CrisisEvent>()('event', {
  key: (e) => e.id,
  scope: (e) => e.territory,
  pull: 'log',
});

export const messageEntity = defineEntity<Message>()('message', {
  key: (m) => m.id,
  scope: (m) => m.territory,
  pull: 'log',
});

/** An acknowledgement is seen by the acknowledging territory's branch: its territory is the scope. */
export const ackEntity = defineEntity<Ack>()('ack', {
  key: (a) => `${a.messageId}|${a.territory}`,
  scope: (a) => a.territory,
  pull: 'log',
});

export const eventLogEntities = [eventEntity, messageEntity, ackEntity] as const;
