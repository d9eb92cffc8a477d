/**
 * Runs tasks one after another per key, in the order they were added, and different keys side by side.
 * Trigger delivery uses it with one key per function: a function sees its events in commit order, as the
 * emulator always promised, while a slow one (a cold start takes seconds) no longer holds back the events
 * of every other function, which production never does either.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Queues `task` behind the tasks already queued under `key`. A task's failure never stops the queue. */
  add(key: string, task: () => Promise<void>): void {
    const tail = (this.tails.get(key) ?? Promise.resolve()).then(task).catch(() => undefined);
    this.tails.set(key, tail);
    // A key whose work is done is forgotten, so the map does not grow with every function reload.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }

  /** Resolves once every task added so far has run. */
  async idle(): Promise<void> {
    await Promise.all(this.tails.values());
  }
}
