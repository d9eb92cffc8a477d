import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { assertPortFree } from "./ports.js";

let server: net.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function listen(): Promise<number> {
  server = net.createServer();
  return new Promise((resolve) =>
    server!.listen(0, "127.0.0.1", () => resolve((server!.address() as net.AddressInfo).port)),
  );
}

describe("assertPortFree", () => {
  it("names the port, the service and the variable that moves it when the port is taken", async () => {
    const port = await listen();
    await expect(assertPortFree("127.0.0.1", port, "firestore")).rejects.toThrow(
      `Port ${port} (firestore) is already in use. Stop whatever uses it (another \`npm start\`?) or choose another port with HEARTH_FIRESTORE_PORT.`,
    );
  });

  it("resolves for a free port and leaves it free", async () => {
    const port = await listen();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(assertPortFree("127.0.0.1", port, "auth")).resolves.toBeUndefined();
    await expect(assertPortFree("127.0.0.1", port, "auth")).resolves.toBeUndefined();
  });
});
