import net from "node:net";

/** Resolves when nothing listens on host:port; otherwise rejects with a message naming the service. */
export function assertPortFree(host: string, port: number, service: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why =
        err.code === "EADDRINUSE" ? "is already in use" : `cannot be opened (${err.code ?? err.message})`;
      reject(
        new Error(
          `Port ${port} (${service}) ${why}. Stop whatever uses it (another \`npm start\`?) or choose another port with HEARTH_${service.toUpperCase()}_PORT.`,
        ),
      );
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Polls until a TCP connection to host:port succeeds, or fails after `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`Nothing is listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
