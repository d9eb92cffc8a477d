import { describe, expect, it } from "vitest";
import { type LockOwner, LockTable } from "./locks.js";

const owner = (priority: number): LockOwner => ({ priority, aborted: null });
const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setTimeout(r, 5));
  return done;
};

describe("LockTable", () => {
  it("a younger transaction waits for an older holder and gets the lock when it is released", async () => {
    const locks = new LockTable(1_000);
    const [old, young] = [owner(1), owner(2)];
    await locks.lockForTransaction(old, ["a"]);
    const waiting = locks.lockForTransaction(young, ["a"]);
    expect(await settled(waiting)).toBe(false);
    locks.releaseAll(old);
    await waiting;
    expect(young.aborted).toBeNull();
    expect(locks.size).toBe(1);
  });

  it("an older transaction wounds a younger holder, even one that is waiting; the younger's wait ends unlocked", async () => {
    const locks = new LockTable(1_000);
    const [old, young] = [owner(1), owner(2)];
    await locks.lockForTransaction(old, ["a"]);
    await locks.lockForTransaction(young, ["b"]);
    const youngWaits = locks.lockForTransaction(young, ["a"]);
    await locks.lockForTransaction(old, ["b"]);
    await youngWaits;
    expect(young.aborted?.code).toBe("ABORTED");
    expect(old.aborted).toBeNull();
    locks.releaseAll(old);
    expect(locks.size).toBe(0);
  });

  it("waiters are served oldest first", async () => {
    const locks = new LockTable(1_000);
    const holder = owner(1);
    await locks.lockForTransaction(holder, ["a"]);
    const order: number[] = [];
    const later = owner(5);
    const earlier = owner(3);
    const waits = [later, earlier].map((o) =>
      locks.lockForTransaction(o, ["a"]).then(() => {
        order.push(o.priority);
        locks.releaseAll(o);
      }),
    );
    locks.releaseAll(holder);
    await Promise.all(waits);
    expect(order).toEqual([3, 5]);
  });

  it("a wait past the limit aborts a transaction, and fails a plain write", async () => {
    const locks = new LockTable(20);
    const holder = owner(1);
    await locks.lockForTransaction(holder, ["a"]);
    const tx = owner(2);
    await locks.lockForTransaction(tx, ["a"]);
    expect(tx.aborted?.message).toMatch(/stayed locked/);
    await expect(locks.lockForWrite(owner(3), ["a"])).rejects.toMatchObject({ code: "ABORTED" });
    expect(locks.size).toBe(1);
  });

  it("a plain write that loses a lock to an older transaction starts over instead of failing", async () => {
    const locks = new LockTable(1_000);
    const [oldest, holderOfB, write] = [owner(1), owner(2), owner(3)];
    await locks.lockForTransaction(holderOfB, ["b"]);
    const writing = locks.lockForWrite(write, ["a", "b"]);
    expect(await settled(writing)).toBe(false);
    // The write holds a and waits for b; the oldest transaction takes a from it.
    await locks.lockForTransaction(oldest, ["a"]);
    locks.releaseAll(holderOfB);
    expect(await settled(writing)).toBe(false);
    locks.releaseAll(oldest);
    await writing;
    expect(write.aborted).toBeNull();
    locks.releaseAll(write);
    expect(locks.size).toBe(0);
  });

  it("a cancelled wait fails and leaves nothing behind", async () => {
    const locks = new LockTable(1_000);
    await locks.lockForTransaction(owner(1), ["a"]);
    const cancel = new AbortController();
    const waiting = locks.lockForTransaction(owner(2), ["a"], cancel.signal);
    cancel.abort();
    await expect(waiting).rejects.toMatchObject({ code: "ABORTED" });
    expect(locks.size).toBe(1);
  });
});
