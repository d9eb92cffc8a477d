/** Logging goes through this interface so tests and embedders can silence or capture it. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(`[hearth-emulator] ${message}`),
  warn: (message) => console.warn(`[hearth-emulator] ${message}`),
  error: (message) => console.error(`[hearth-emulator] ${message}`),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
