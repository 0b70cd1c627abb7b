/**
 * The baseline of the fan-out benchmark: a bare Socket.IO server that re-broadcasts every
 * `post` to all connected sockets. No auth, no storage, no scope: the floor Vigie is
 * compared with.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const httpServer = createServer();
const io = new Server(httpServer, { transports: ['websocket'] });
io.on('connection', (socket) => {
  socket.on('post', (payload: unknown) => {
    io.emit('msg', payload);
  });
});
httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  process.stdout.write(`RAW_BROADCAST_READY http://127.0.0.1:${port}\n`);
});
const stop = () => io.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
