/**
 * The scale bench's baseline: a bare Socket.IO server that does what Vigie's poke does and
 * nothing else. A socket joins the rooms it names in its handshake (the very rooms Vigie's
 * server would join it to, `roomsForSocket`); a `post` of `{rooms, poke}` is emitted as
 * `sync:poke` to those rooms (`roomsForChange` of the write's path), so every write reaches
 * rooms of the same sizes with the same bytes. No auth, no storage, no validation.
 *
 *   tsx bench/support/scaleRawServer.ts [--port 0] [--redis redis://127.0.0.1:6379]
 *
 * With `--redis`, the Socket.IO Redis Streams adapter joins it to the other servers of the
 * same Redis (the adapter Vigie's nodes use), so two of them behind HAProxy are the bare
 * cluster Vigie's two nodes are compared with. Prints `SCALE_RAW_READY <url>` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, redis: { type: 'string' } } });

async function main(): Promise<void> {
  // Any other request (a proxy's health check) gets an empty 200: the server is up.
  const httpServer = createServer((_req, res) => {
    res.statusCode = 200;
    res.end();
  });
  let redis: ReturnType<typeof createClient> | null = null;
  if (values.redis) {
    redis = createClient({ url: values.redis });
    await redis.connect();
  }
  const io = new Server(httpServer, { transports: ['websocket'], serveClient: false, ...(redis ? { adapter: createAdapter(redis) } : {}) });
  io.on('connection', (socket) => {
    const rooms: unknown = socket.handshake.auth.rooms;
    if (Array.isArray(rooms)) void socket.join(rooms.filter((r): r is string => typeof r === 'string'));
    socket.on('post', (payload: { rooms: string[]; poke: unknown }, ack?: () => void) => {
      io.to(payload.rooms).emit('sync:poke', payload.poke);
      if (typeof ack === 'function') ack();
    });
  });
  httpServer.listen(Number(values.port), '127.0.0.1', () => {
    const { port } = httpServer.address() as AddressInfo;
    process.stdout.write(`SCALE_RAW_READY http://127.0.0.1:${port}\n`);
  });
  const stop = () => {
    io.close(() => {
      void (redis?.quit() ?? Promise.resolve()).finally(() => process.exit(0));
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
