/**
 * The event log's synced rows. Every change of each is delivered (`log`): an event's state,
 * every message, every acknowledgement.
 */
import { defineEntity } from '../../engine/entity';
import type { Ack, CrisisEvent, Message } from './model';
import type { RoomPost, RoomShift } from './room';

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

/** A post of a SAMU's reinforcement room: scoped to the room (`SR:<dep>`), seen by the SAMU, its ARS and the national level. */
export const roomPostEntity = defineEntity<RoomPost>()('roomPost', {
  key: (p) => p.id,
  scope: (p) => p.room,
  pull: 'log',
});

/** A shift on a post of a reinforcement room, scoped like its post; every state is kept in the log (the room's history). */
export const roomShiftEntity = defineEntity<RoomShift>()('roomShift', {
  key: (s) => s.id,
  scope: (s) => s.room,
  pull: 'log',
});

export const eventLogEntities = [eventEntity, messageEntity, ackEntity, roomPostEntity, roomShiftEntity] as const;
