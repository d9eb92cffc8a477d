/**
 * One TCP port for both transports: a connection that opens with the HTTP/2 client preface is gRPC over
 * h2c; anything else is HTTP/1.1. Node's http2 reads from the socket handle directly, so a gRPC
 * connection is handed over as a plain Duplex that replays the sniffed bytes (unshift would be lost).
 * A typical request arrives in one packet, so sniffing costs no extra round trip.
 */
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { Duplex } from "node:stream";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

export interface MuxHandlers {
  http2(connection: Duplex): void;
  http1(socket: Socket): void;
}

function relay(socket: Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  Object.assign(duplex, {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
  });
  duplex.push(first);
  socket.on("data", (data) => {
    if (!duplex.push(data)) socket.pause();
  });
  socket.on("end", () => duplex.push(null));
  socket.on("error", (error) => duplex.destroy(error));
  socket.on("close", () => duplex.destroy());
  return duplex;
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
      handlers.http2(relay(socket, buffered));
    } else {
      // The HTTP parser also reads the handle directly, so unshift() is lost; replaying the sniffed
      // bytes as a 'data' event right after the hand-over reaches its listener before any new bytes.
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
