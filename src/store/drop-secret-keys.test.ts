import { describe, expect, it } from "vitest";
import { dropSecretKeys } from "./drop-secret-keys.js";

describe("dropSecretKeys", () => {
  it("drops keys named like secrets at any depth, whatever their case", () => {
    expect(
      dropSecretKeys({
        GITHUB_TOKEN: "t",
        keep: 1,
        nested: { apiKey: "k", Password: "p", name: "n" },
        list: [{ clientSecret: "s", url: "u" }],
      }),
    ).toStrictEqual({ keep: 1, nested: { name: "n" }, list: [{ url: "u" }] });
  });

  it("leaves values that are not plain records as they are", () => {
    const since = new Date("2026-01-17T00:00:00Z");
    expect(dropSecretKeys({ since, count: 3, label: null })).toStrictEqual({ since, count: 3, label: null });
  });
});
