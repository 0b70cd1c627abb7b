/**
 * A long crisis: one event holding 50,000 messages in a SAMU workstation's cache, while
 * messages keep arriving. Measured through the real main-process services: what a view pays
 * per live change — `messages.changes` since its cursor — beside the baseline of re-reading
 * the whole event with `messages.list`, measured in the same run.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, percentile, startTs } from './support/processes';
import { connect, login, openEventId, pushAll } from './support/protocolClient';
import { call, openServices, waitForStatus } from './support/services';
import type { EventView, MessageChanges, MessageView } from '../common/domain/eventlog/api';
import type { Mutation } from '../common/protocol';

const MESSAGES = Number(process.env.BENCH_EVENTLOG_MESSAGES ?? 50_000);
const LIVE = Number(process.env.BENCH_EVENTLOG_LIVE ?? 30);

export interface EventLogResult {
  messages: number;
  fullListMs: { p50: number; max: number };
  changesMs: { p50: number; max: number };
  changedRows: number;
}

export async function runEventLog(): Promise<EventLogResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-eventlog-'));
  const server = await startTs('sync-server/src/cli.ts', ['--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'server.sqlite'), '--demo'], 'VIGIE_SYNC_SERVER_READY');
  const services = openServices(join(dir, 'samu75'), server.url);
  try {
    // The national cell's log of one event, addressed to Paris so the SAMU 75 cache holds it all.
    const { token } = await login(server.url, 'national');
    const clientId = `bench-log-${randomUUID().slice(0, 8)}`;
    const poster = await connect(server.url, token, clientId);
    const eventId = await openEventId(poster);
    const at = new Date().toISOString();
    let mutationId = 0;
    const post = (body: string): Mutation => ({
      clientId,
      mutationId: ++mutationId,
      name: 'message.post',
      args: { id: randomUUID(), eventId, territory: 'D:75', kind: 'information', priority: 'info', body },
      at,
    });
    await pushAll(poster, clientId, Array.from({ length: MESSAGES }, (_, i) => post(`Point de situation n° ${i + 1} : afflux aux urgences, renforts engagés.`)));

    await call(services, 'session.login', { username: 'samu75', password: 'demo-vigie' });
    await waitForStatus(services, (s) => s.state === 'online' && s.lastSyncAt !== null, 120_000);
    const event = (await call<EventView[]>(services, 'events.list', {})).find((e) => e.id === eventId)!;
    if (event.messageCount < MESSAGES) throw new Error(`only ${event.messageCount} messages cached`);
    let cursor = (await call<MessageChanges>(services, 'messages.changes', { eventId, since: 0 })).cursor;

    const full: number[] = [];
    const changes: number[] = [];
    let changedRows = 0;
    for (let i = 0; i < LIVE; i++) {
      // One live message from the national cell, then what a view would read.
      const arrived = new Promise<void>((resolve) => {
        const off = services.on((name) => {
          if (name === 'data.changed') {
            off();
            resolve();
          }
        });
      });
      await pushAll(poster, clientId, [post(`Message en direct n° ${i + 1}`)]);
      await arrived;
      const t0 = performance.now();
      const delta = await call<MessageChanges>(services, 'messages.changes', { eventId, since: cursor });
      changes.push(performance.now() - t0);
      changedRows += delta.messages.length;
      cursor = delta.cursor;
      const t1 = performance.now();
      await call<MessageView[]>(services, 'messages.list', { eventId });
      full.push(performance.now() - t1);
    }
    poster.disconnect();
    full.sort((a, b) => a - b);
    changes.sort((a, b) => a - b);
    return {
      messages: MESSAGES,
      fullListMs: { p50: percentile(full, 50), max: full[full.length - 1] },
      changesMs: { p50: percentile(changes, 50), max: changes[changes.length - 1] },
      changedRows,
    };
  } finally {
    await services.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printEventLog(r: EventLogResult): void {
  console.log(`\n## Event log: one event of ${r.messages.toLocaleString('en')} messages in a SAMU cache, ${LIVE} live messages`);
  console.log(`messages.changes since the view's cursor : p50 ${fmt(r.changesMs.p50)}  max ${fmt(r.changesMs.max)}  (${r.changedRows} rows in all)`);
  console.log(`messages.list, the whole event (baseline): p50 ${fmt(r.fullListMs.p50)}  max ${fmt(r.fullListMs.max)}`);
  console.log(`ratio changes / full read                : ×${(r.changesMs.p50 / r.fullListMs.p50).toFixed(3)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runEventLog().then(printEventLog, (e) => {
    console.error(e);
    process.exit(1);
  });
}
