import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { syncWire } from '../../../common/protocol';
import { seededRandom, startCutProxy, type CutProxy } from './cutProxy';
import { startTestServer, type TestServer } from './server';

/** A TCP server that answers every chunk with `ack:<chunk>` and records what it received. */
async function ackServer(): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('data', (d) => {
      received.push(d.toString());
      s.write(`ack:${d.toString()}`);
    });
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A client connection through the proxy that collects what it reads and whether it closed. */
async function dial(proxy: CutProxy): Promise<{ socket: Socket; read: () => string; closed: () => boolean }> {
  const socket = connect({ host: '127.0.0.1', port: proxy.port });
  let text = '';
  let isClosed = false;
  socket.on('data', (d) => (text += d.toString()));
  socket.on('close', () => (isClosed = true));
  socket.on('error', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return { socket, read: () => text, closed: () => isClosed };
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const upstream = await ackServer();
  const proxy = await startCutProxy(upstream.url);
  cleanups.push(upstream.close, proxy.close);
  return { upstream, proxy };
}

describe('cutProxy', () => {
  it('relays bytes both ways until told otherwise', async () => {
    const { upstream, proxy } = await setup();
    const c = await dial(proxy);
    c.socket.write('bonjour');
    await until(() => c.read() === 'ack:bonjour', 'the echo');
    expect(upstream.received).toEqual(['bonjour']);
    expect(proxy.connections()).toBe(1);
    expect(proxy.stats.accepted).toBe(1);
  });

  it('cutAll closes every connection, and new connections are relayed again', async () => {
    const { proxy } = await setup();
    const a = await dial(proxy);
    const b = await dial(proxy);
    await until(() => proxy.connections() === 2, 'two connections');
    expect(proxy.cutAll()).toBe(2);
    await until(() => a.closed() && b.closed(), 'both closed');
    const c = await dial(proxy);
    c.socket.write('encore');
    await until(() => c.read() === 'ack:encore', 'the echo after the cut');
    expect(proxy.stats.cut).toBe(2);
    expect(proxy.stats.faults.map((f) => f.kind)).toEqual(['cutAll']);
  });

  it('cutOne closes one connection and leaves the others', async () => {
    const { proxy } = await setup();
    const a = await dial(proxy);
    const b = await dial(proxy);
    await until(() => proxy.connections() === 2, 'two connections');
    expect(proxy.cutOne(0.99)).toBe(1);
    await until(() => a.closed() || b.closed(), 'one closed');
    const alive = a.closed() ? b : a;
    alive.socket.write('toujours');
    await until(() => alive.read() === 'ack:toujours', 'the other still relayed');
    expect(a.closed() && b.closed()).toBe(false);
  });

  it('dropToClient lets the request reach the server but loses its answer, then cuts', async () => {
    const { upstream, proxy } = await setup();
    const c = await dial(proxy);
    await until(() => proxy.connections() === 1, 'connected');
    const dropping = proxy.dropToClient(300);
    c.socket.write('push');
    await until(() => upstream.received.includes('push'), 'the server to receive the push');
    await dropping;
    await until(() => c.closed(), 'the connection cut');
    expect(c.read()).toBe('');
    expect(proxy.stats.droppedBytes).toBe('ack:push'.length);
  });

  it('hold delays both directions and new connections, then resumes them', async () => {
    const { upstream, proxy } = await setup();
    const c = await dial(proxy);
    await until(() => proxy.connections() === 1, 'connected');
    const holding = proxy.hold(400, 'resume');
    c.socket.write('tard');
    const late = await dial(proxy);
    late.socket.write('nouveau');
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.received).toEqual([]);
    expect(c.read()).toBe('');
    await holding;
    await until(() => c.read() === 'ack:tard' && late.read() === 'ack:nouveau', 'both answered after the hold');
    expect(c.closed()).toBe(false);
  });

  it('a hold that ends in a cut closes the connections it held, unrelayed', async () => {
    const { upstream, proxy } = await setup();
    const c = await dial(proxy);
    await until(() => proxy.connections() === 1, 'connected');
    const holding = proxy.hold(200, 'cut');
    c.socket.write('perdu');
    await holding;
    await until(() => c.closed(), 'cut after the hold');
    expect(upstream.received).toEqual([]);
    expect(c.read()).toBe('');
  });

  it('a chaos schedule depends on its seed alone', async () => {
    const kinds = async (seed: number) => {
      const { proxy } = await setup();
      await dial(proxy);
      const run = proxy.chaos({ seed, meanGapMs: 10, maxFaultMs: 60 });
      await until(() => proxy.stats.faults.length >= 12, 'twelve faults');
      await run.stop();
      return proxy.stats.faults.slice(0, 12).map((f) => `${f.kind}:${f.ms}:${f.then ?? ''}`);
    };
    const a = await kinds(7);
    const b = await kinds(7);
    const c = await kinds(8);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(new Set(a.map((k) => k.split(':')[0])).size).toBeGreaterThan(1);
    expect(seededRandom(1)()).toBe(seededRandom(1)());
  });

  it('a real socket.io client through the proxy reconnects after a cut and is served again', async () => {
    const server: TestServer = await startTestServer();
    cleanups.push(() => server.stop());
    const proxy = await startCutProxy(server.url);
    cleanups.push(proxy.close);
    await server.user('agent', 'samu:75');
    const { token } = await server.login('agent');
    const { io } = await import('socket.io-client');
    const socket = io(proxy.url, { auth: { token, clientId: 'proxy-test' }, transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 200 });
    cleanups.push(async () => void socket.close());
    let connects = 0;
    socket.on('connect', () => connects++);
    await until(() => connects === 1, 'first connection');
    proxy.cutAll();
    await until(() => connects === 2, 'reconnection after the cut');
    const reply = (await socket.timeout(10_000).emitWithAck(syncWire.pull, { cursor: 0, limit: 10 })) as { data?: { cursor: number } };
    expect(reply.data?.cursor).toBeGreaterThanOrEqual(0);
  });
});
