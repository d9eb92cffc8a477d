/**
 * One TCP port for both transports: a connection that opens with the HTTP/2 client preface is gRPC over
 * h2c; anything else is HTTP/1.1. Both servers get the real socket (a JS stream wrapper would slow every
 * frame): http2 sessions drain bytes left in the socket's readable buffer, so the sniffed bytes are
 * unshifted; the HTTP/1.1 parser does not, so they are replayed as a 'data' event instead.
 */
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

export interface MuxHandlers {
  http2(socket: Socket): void;
  http1(socket: Socket): void;
}

function sniff(socket: Socket, handlers: MuxHandlers): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const n = Math.min(buffered.length, PREFACE.length);
    const isPreface = buffered.subarray(0, n).equals(PREFACE.subarray(0, n));
    if (isPreface && buffered.length < PREFACE.length) return;
    socket.off("data", onData);
    if (isPreface) {
      socket.pause();
      socket.unshift(buffered);
      handlers.http2(socket);
    } else {
      // Emitted right after the hand-over, so the parser sees these bytes before any new ones.
      handlers.http1(socket);
      socket.emit("data", buffered);
    }
  };
  socket.on("data", onData);
}

export interface MuxServer {
  port: number;
  close(): Promise<void>;
}

function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Listens on `host:port`. For `localhost`, it also listens on the other loopback family on the same
 * port, since clients may resolve it to either 127.0.0.1 or ::1.
 */
export async function startMux(host: string, port: number, handlers: MuxHandlers): Promise<MuxServer> {
  const sockets = new Set<Socket>();
  const make = () =>
    createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.setNoDelay(true);
      sniff(socket, handlers);
    });
  const primary = make();
  const bound = await listenOn(primary, host === "localhost" ? "127.0.0.1" : host, port);
  const servers = [primary];
  if (host === "localhost") {
    const secondary = make();
    try {
      await listenOn(secondary, "::1", bound);
      servers.push(secondary);
    } catch {
      // No IPv6 loopback here; IPv4 alone is fine.
    }
  }
  return {
    port: bound,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
