import { describe, expect, it } from "vitest";
import { Crc32c } from "./crc32c.js";

describe("Crc32c", () => {
  it("matches the standard check value and known vectors", () => {
    expect(new Crc32c().update(Buffer.from("123456789")).value()).toBe(0xe3069283);
    expect(new Crc32c().update(new Uint8Array(32)).value()).toBe(0x8a9136aa);
    expect(new Crc32c().update(new Uint8Array(32).fill(0xff)).value()).toBe(0x62a8ab43);
    expect(new Crc32c().base64()).toBe("AAAAAA==");
  });

  it("gives the same value however the input is split", () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) % 256));
    const whole = new Crc32c().update(data).value();
    const cuts = [0, 3, 17, 400, 999, 1000];
    const split = new Crc32c();
    for (let i = 1; i < cuts.length; i++) split.update(data.subarray(cuts[i - 1], cuts[i]));
    expect(split.value()).toBe(whole);
  });
});
