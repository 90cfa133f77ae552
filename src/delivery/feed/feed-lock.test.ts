import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeRepo, makeReport } from "../../../test/support/report/fixtures.js";
import { createFeedChannel } from "./feed-channel.js";
import { feedConfigSchema } from "./feed-config.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "repo-digest-feed-lock-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the feed's lock", () => {
  it("waits for another run that holds the feed, then writes", async () => {
    const feed = join(dir, "feed.atom");
    const release = await lockfile.lock(feed, { realpath: false });
    const channel = createFeedChannel(feedConfigSchema.parse({}), { dir });
    const delivered = channel.deliver({ report: makeReport([makeRepo("acme/widgets", [{ sha: "1abc", date: "2026-01-17T09:00:00+08:00", subject: "feat: x" }])]), rendered: [] });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(existsSync(join(dir, "feed.entries.json"))).toBe(false);
    await release();
    await expect(delivered).resolves.toEqual([{ channel: "feed", target: feed, format: "atom" }]);
    expect(existsSync(join(dir, "feed.entries.json"))).toBe(true);
    expect(existsSync(`${feed}.lock`)).toBe(false);
  });
});
