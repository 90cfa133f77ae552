import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/load-config.js";
import { ConfigError } from "../errors.js";
import { createSubscriptionChannels, describeSubscriptionTargets } from "./subscription-channels.js";

const parse = (yaml: string) => parseConfigText(yaml, "/srv/repo-digest.yaml");
const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("no error");
};

describe("subscriptions: in the config", () => {
  it("takes several subscriptions of one channel type, each with its own block, and fills the filter's defaults", () => {
    const config = parse(
      [
        "subscriptions:",
        "  - name: runtime",
        "    filter: { paths: ['lib/runtime/**'] }",
        "    channel: { slack: { urlEnv: SLACK_RUNTIME } }",
        "  - name: router",
        "    channel: { slack: { urlEnv: SLACK_ROUTER, maxMessages: 1 } }",
      ].join("\n"),
    );
    expect(config.subscriptions).toEqual([
      { name: "runtime", filter: { paths: ["lib/runtime/**"], bots: false, breaking: false, dependencies: false }, channel: { slack: { urlEnv: "SLACK_RUNTIME", timeoutMs: 10_000, maxMessages: 3 } } },
      { name: "router", filter: { bots: false, breaking: false, dependencies: false }, channel: { slack: { urlEnv: "SLACK_ROUTER", timeoutMs: 10_000, maxMessages: 1 } } },
    ]);
    expect(parse("repos: []\n").subscriptions).toEqual([]);
  });

  it("a misspelt key, in the filter, the channel type or the channel's block: its line and the key it resembles", () => {
    const bad = (filter: string, channel = "{ slack: { urlEnv: X } }") => errorOf(() => parse(`subscriptions:\n  - name: a\n    filter: ${filter}\n    channel: ${channel}\n`)).message;
    expect(bad("{ minImportance: high, pathz: [x] }")).toBe("/srv/repo-digest.yaml:3:36: subscriptions[0].filter.pathz: no such key here; did you mean subscriptions[0].filter.paths?");
    expect(bad("{}", "{ slak: { urlEnv: X } }")).toBe("/srv/repo-digest.yaml:4:16: subscriptions[0].channel.slak: no such key here; did you mean subscriptions[0].channel.slack?");
    expect(bad("{}", "{ slack: { urlEnv: X, maxMesages: 1 } }")).toMatch(/subscriptions\[0\]\.channel\.slack\.maxMesages: no such key here; did you mean subscriptions\[0\]\.channel\.slack\.maxMessages\?$/);
  });

  it("refuses two channels in one subscription, none, a duplicate name, an unknown type or tier", () => {
    const one = (body: string) => errorOf(() => parse(`subscriptions:\n${body}`)).message;
    expect(one("  - name: a\n    channel: { slack: { urlEnv: X }, discord: { urlEnv: Y } }\n")).toMatch(/subscriptions\[0\]\.channel: .* is not allowed; expected exactly one channel type, one of feed, email, slack, .* \(for two channels, write two subscriptions\)$/);
    expect(one("  - name: a\n    channel: {}\n")).toMatch(/subscriptions\[0\]\.channel: \{\} is not allowed; expected exactly one channel type/);
    expect(one("  - name: a\n    channel: { slack: { urlEnv: X } }\n  - name: a\n    channel: { slack: { urlEnv: Y } }\n")).toBe(
      '/srv/repo-digest.yaml:4:11: subscriptions[1].name: "a" is not allowed; expected a name no other subscription has (subscriptions[0] is also "a")',
    );
    expect(one("  - name: a\n    filter: { types: [feat] }\n    channel: { slack: { urlEnv: X } }\n")).toMatch(/subscriptions\[0\]\.filter\.types\[0\]: "feat" is not allowed; expected one of "feature", "bugfix"/);
    expect(one("  - name: a\n    filter: { minImportance: urgent }\n    channel: { slack: { urlEnv: X } }\n")).toMatch(/subscriptions\[0\]\.filter\.minImportance: "urgent" is not allowed; expected one of "high", "medium", "low"/);
    expect(one("  - name: a\n    filter: { paths: [] }\n    channel: { slack: { urlEnv: X } }\n")).toMatch(/subscriptions\[0\]\.filter\.paths: \[\] is not allowed; expected at least 1 item/);
    expect(one("  - name: team lead\n    channel: { slack: { urlEnv: X } }\n")).toMatch(/subscriptions\[0\]\.name: "team lead" is not allowed; expected a name of letters, digits/);
  });
});

describe("subscription channels", () => {
  const context = { dir: "/srv/reports", env: { SLACK_A: "https://hooks.slack.com/services/T/B/SECRETa", SLACK_B: "https://hooks.example.com/b?token=SECRETbbbb" } };

  it("are made by the delivery channels' factories, named subscription:<name>, their targets without secrets", () => {
    const config = parse(
      "subscriptions:\n  - { name: a, channel: { slack: { urlEnv: SLACK_A } } }\n  - { name: b, channel: { webhook: { urlEnv: SLACK_B } } }\n  - { name: c, channel: { feed: { path: c.atom } } }\n",
    );
    const channels = createSubscriptionChannels(config, context);
    expect(channels.map((item) => [item.name, item.channel.id])).toEqual([
      ["subscription:a", "slack"],
      ["subscription:b", "webhook"],
      ["subscription:c", "feed"],
    ]);
    expect([...describeSubscriptionTargets(config.subscriptions, context)]).toEqual([
      ["subscription:a", "slack:hooks.slack.com"],
      ["subscription:b", "webhook:hooks.example.com"],
      ["subscription:c", "/srv/reports/c.atom"],
    ]);
  });

  it("a variable not set stops the run before any work, naming the subscription's key; a listing says it instead", () => {
    const config = parse("subscriptions:\n  - { name: a, channel: { slack: { urlEnv: SLACK_A } } }\n  - { name: b, channel: { slack: { urlEnv: SLACK_GONE } } }\n");
    const error = errorOf(() => createSubscriptionChannels(config, context));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('subscriptions[1].channel.slack.urlEnv: "SLACK_GONE" is not allowed; expected the name of a set environment variable holding the Slack incoming-webhook URL');
    expect((error as ConfigError).hint).toBe("SLACK_GONE is not set: export SLACK_GONE=<the Slack incoming-webhook URL> before running, or set subscriptions[1].channel.slack.urlEnv to the variable that holds it");
    expect(describeSubscriptionTargets(config.subscriptions, context).get("subscription:b")).toBe("slack (SLACK_GONE is not set)");
  });

  it("a feed needs a file of its own: the same file as delivery.feed's or another subscription's is refused", () => {
    const clash = parse("delivery: { feed: { path: feed.atom } }\nsubscriptions:\n  - { name: a, channel: { feed: {} } }\n");
    expect(errorOf(() => createSubscriptionChannels(clash, context)).message).toBe(
      'subscriptions[0].channel.feed.path: "feed.atom" is not allowed; expected a feed file of its own (/srv/reports/feed.atom is delivery.feed.path\'s too)',
    );
    const twice = parse("subscriptions:\n  - { name: a, channel: { feed: { path: x.atom } } }\n  - { name: b, channel: { feed: { path: ./x.atom } } }\n");
    expect(errorOf(() => createSubscriptionChannels(twice, context)).message).toMatch(/^subscriptions\[1\]\.channel\.feed\.path: .*subscriptions\[0\]\.channel\.feed\.path's too/);
    expect(createSubscriptionChannels(parse("delivery: { feed: {} }\nsubscriptions:\n  - { name: a, channel: { feed: { path: a.atom } } }\n"), context)).toHaveLength(1);
  });
});
