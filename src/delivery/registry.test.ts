import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { CHANNELS, CONFIGURED_CHANNEL_TYPES, createConfiguredChannels, deliveryConfigSchema, fullReportUrl } from "./registry.js";

describe("channel registry", () => {
  it("registers the channel of every folder under src/delivery/ (chat/ is their shared code)", () => {
    const folder = fileURLToPath(new URL(".", import.meta.url));
    const folders = readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== "chat")
      .map((entry) => entry.name)
      .sort();
    expect([...CHANNELS.ids, ...CONFIGURED_CHANNEL_TYPES.ids].sort()).toEqual(folders);
  });

  it("reads each channel's block under delivery:, and rejects an unknown one naming it", () => {
    const config = deliveryConfigSchema.parse({ slack: { urlEnv: "SLACK_URL" }, feed: {} });
    const channels = createConfiguredChannels(config, { dir: "/tmp", env: { SLACK_URL: "https://hooks.slack.com/services/x" } });
    expect(channels.map((channel) => channel.name)).toEqual(["feed", "slack"]);
    expect(deliveryConfigSchema.safeParse({ telegram: {} }).success).toBe(false);
  });

  it("refuses a channel whose secret variable is not set, before any work", () => {
    const config = deliveryConfigSchema.parse({ discord: { urlEnv: "DISCORD_URL" } });
    expect(() => createConfiguredChannels(config, { dir: "/tmp", env: {} })).toThrow(ConfigError);
  });

  it("links reduced messages to the full report", () => {
    const config = deliveryConfigSchema.parse({ reportUrl: "https://r.example.com/{name}.html" });
    expect(fullReportUrl(config, "2026-01-17--a b")).toBe("https://r.example.com/2026-01-17--a%20b.html");
    expect(fullReportUrl(undefined, "x")).toBeUndefined();
  });
});
