import { describe, expect, it } from "vitest";
import { isBotAuthor, parseMessage } from "./parse-message.js";

const human = { name: "Anant Sharma", email: "anants@example.com" };

describe("parseMessage", () => {
  it("reads a Conventional Commits header and a squash-merge PR number", () => {
    const facts = parseMessage("fix: make it clear what features are only available 0.8.1 and on (#5492)", "", human);
    expect(facts).toMatchObject({
      type: "fix",
      breaking: false,
      tags: [],
      description: "make it clear what features are only available 0.8.1 and on",
      prNumber: 5492,
      isRevert: false,
      isMerge: false,
      isBot: false,
    });
    expect(facts.scope).toBeUndefined();
  });

  it("reads the scope and lower-cases the type", () => {
    const facts = parseMessage("Chore(bindings): Remove 'Backend' binding (#5458)", "", human);
    expect(facts).toMatchObject({ type: "chore", scope: "bindings", description: "Remove 'Backend' binding", prNumber: 5458 });
  });

  it("marks `!` as breaking and, with no footer, lets the description describe the break", () => {
    const facts = parseMessage("feat(api)!: drop the v1 endpoints", "", human);
    expect(facts).toMatchObject({ type: "feat", scope: "api", breaking: true, breakingNote: "drop the v1 endpoints" });
  });

  it.each(["BREAKING CHANGE", "BREAKING-CHANGE"])("reads a %s footer with its continuation lines", (token) => {
    const body = `Reworks the config loader.\n\n${token}: the \`port\` key moved\nunder \`server\`.\nRefs: #12`;
    const facts = parseMessage("refactor: new config loader", body, human);
    expect(facts.breaking).toBe(true);
    expect(facts.breakingNote).toBe("the `port` key moved under `server`.");
  });

  it("does not take a lower-case 'breaking change:' in prose for the footer", () => {
    expect(parseMessage("fix: x", "This is not a breaking change: it only adds.", human).breaking).toBe(false);
  });

  it("keeps vLLM bracket tags as written", () => {
    expect(parseMessage("[Bugfix] Fix the prefix cache hit rate (#1234)", "", human)).toMatchObject({
      tags: ["Bugfix"],
      description: "Fix the prefix cache hit rate",
      prNumber: 1234,
    });
    const facts = parseMessage("[Core][Perf] Faster block allocation", "", human);
    expect(facts.tags).toEqual(["Core", "Perf"]);
    expect(facts.description).toBe("Faster block allocation");
    expect(facts.type).toBeUndefined();
    expect(parseMessage("[V1] [Spec Decode]: eagle support", "", human)).toMatchObject({
      tags: ["V1", "Spec Decode"],
      description: "eagle support",
    });
    expect(parseMessage("[Misc] tidy", "", human).tags).toEqual(["Misc"]);
  });

  it("takes the last of two trailing PR numbers as the merged PR and strips both", () => {
    const facts = parseMessage("chore: update attributions files for rust, go, vllm and trtllm (#5401) (#5484)", "", human);
    expect(facts.prNumber).toBe(5484);
    expect(facts.description).toBe("update attributions files for rust, go, vllm and trtllm");
  });

  it("reads a merge of a pull request", () => {
    const facts = parseMessage("Merge pull request #12 from acme/feature-x", "Add feature X", human);
    expect(facts).toMatchObject({ isMerge: true, prNumber: 12, description: "Merge pull request #12 from acme/feature-x" });
  });

  it.each([
    "Merge branch 'main' into feature",
    "Merge remote-tracking branch 'origin/main'",
    "Merge tag 'v1.2.0'",
  ])("knows %s for a merge", (subject) => {
    expect(parseMessage(subject, "", human).isMerge).toBe(true);
  });

  it("does not take a subject that merely starts with 'Merge' for a merge", () => {
    expect(parseMessage("Merge sort for the scheduler queue", "", human).isMerge).toBe(false);
  });

  it("reads a revert and the commit it reverts", () => {
    const facts = parseMessage(
      'Revert "feat: add span event logging (#5400)" (#5501)',
      "This reverts commit 06939770B300F4BF56ED99590D31D6ADA3D6A1EC.",
      human,
    );
    expect(facts).toMatchObject({
      isRevert: true,
      revertedSha: "06939770b300f4bf56ed99590d31d6ada3d6a1ec",
      prNumber: 5501,
      description: 'Revert "feat: add span event logging (#5400)"',
    });
    expect(facts.type).toBeUndefined();
    expect(parseMessage("revert: undo the cache change", "", human).isRevert).toBe(true);
  });

  describe("component prefixes of projects without Conventional Commits", () => {
    it.each<[string, { type?: string; scope?: string; description: string }]>([
      ["nixl_ep: Unify data and counter buffers (#1186)", { scope: "nixl_ep", description: "Unify data and counter buffers" }],
      ["NIXL/PROMETHEUS: Fixed build with new cmake (#1196)", { scope: "NIXL/PROMETHEUS", description: "Fixed build with new cmake" }],
      ["benchmark/nixlbench: Add --filenames param (#1192)", { scope: "benchmark/nixlbench", description: "Add --filenames param" }],
      [
        "benchmark/nixlbench: Fixes #1152 - GUSLI auto-generated conf (#1193)",
        { scope: "benchmark/nixlbench", description: "Fixes #1152 - GUSLI auto-generated conf" },
      ],
      ["COPYRIGHT: bump SPDX year to 2025-2026", { scope: "COPYRIGHT", description: "bump SPDX year to 2025-2026" }],
      ["net/http: add Server.Protocols field", { scope: "net/http", description: "add Server.Protocols field" }],
      ["cmd/go, go/build: reject empty paths", { scope: "cmd/go, go/build", description: "reject empty paths" }],
      ["drm/i915/gt: Fix timeline lookup", { scope: "drm/i915/gt", description: "Fix timeline lookup" }],
      ["net: ipv4: fix a leak in ip_tunnel", { scope: "net: ipv4", description: "fix a leak in ip_tunnel" }],
      [".github: pin actions to SHAs", { scope: ".github", description: "pin actions to SHAs" }],
      ["python(bindings): expose prepMemView", { scope: "python(bindings)", description: "expose prepMemView" }],
    ])("keeps the component of %s as the scope", (subject, expected) => {
      const facts = parseMessage(subject, "", human);
      expect(facts.type).toBe(expected.type);
      expect(facts.scope).toBe(expected.scope);
      expect(facts.description).toBe(expected.description);
    });

    it.each<[string, string, string | undefined]>([
      ["CI: Increase test sleep (#1081)", "ci", undefined],
      ["Docs: explain the retry budget", "docs", undefined],
      ["TEST(ucx): make thread safe", "test", "ucx"],
    ])("reads %s as a Conventional type whatever its case", (subject, type, scope) => {
      const facts = parseMessage(subject, "", human);
      expect(facts.type).toBe(type);
      expect(facts.scope).toBe(scope);
    });

    it("reads the inverted component(type) form as type and scope", () => {
      expect(parseMessage("libfabric(feat): Enable infinite retry at EFA Firmware (#1207)", "", human)).toMatchObject({
        type: "feat",
        scope: "libfabric",
        description: "Enable infinite retry at EFA Firmware",
        prNumber: 1207,
        breaking: false,
      });
      expect(parseMessage("nixl_ep(fix)!: drop the legacy barrier", "", human)).toMatchObject({
        type: "fix",
        scope: "nixl_ep",
        breaking: true,
      });
    });

    it("keeps a `!` after a component as breaking", () => {
      expect(parseMessage("api!: remove the v1 endpoints", "", human)).toMatchObject({ scope: "api", breaking: true });
    });

    it("reads a component after bracket tags", () => {
      expect(parseMessage("[X86] ISel: fix a crash on AVX-512", "", human)).toMatchObject({
        tags: ["X86"],
        scope: "ISel",
        description: "fix a crash on AVX-512",
      });
    });

    it.each([
      "Note: the cache is now per process",
      "WIP: new scheduler",
      "Re: follow-up on the allocator",
      "Fix bug: crash on exit",
      "Mooncake plugin: fix checkXfer use-after-free",
      "See https://example.com/issue/1 for context",
      "Use std::move: avoid a copy",
      "Revert \"nixl_ep: Unify data and counter buffers (#1186)\"",
      "Merge branch 'main' into nixl_ep: sync",
      "10:30 sync notes",
    ])("keeps %s whole: a sentence, not a component", (subject) => {
      const facts = parseMessage(subject, "", human);
      expect(facts.type).toBeUndefined();
      expect(facts.scope).toBeUndefined();
      expect(facts.description).toBe(subject);
    });

    it("leaves a component with nothing after it alone", () => {
      expect(parseMessage("Changes:", "", human)).toMatchObject({ description: "Changes:" });
      expect(parseMessage("Changes:", "", human).scope).toBeUndefined();
    });
  });

  it("reads co-authors and sign-offs, once each", () => {
    const body = [
      "Adds the encoder path.",
      "",
      "Co-authored-by: Ayush Agarwal <ayush@example.com>",
      "co-authored-by: Keiven C <keiven@example.com>",
      "Co-authored-by: Ayush Agarwal <ayush@example.com>",
      "Signed-off-by: Neelay Shah <neelays@example.com>",
    ].join("\n");
    const facts = parseMessage("feat: encoder", body, human);
    expect(facts.coAuthors).toEqual([
      { name: "Ayush Agarwal", email: "ayush@example.com" },
      { name: "Keiven C", email: "keiven@example.com" },
    ]);
    expect(facts.signedOffBy).toEqual([{ name: "Neelay Shah", email: "neelays@example.com" }]);
  });

  it("keeps the subject as the description when nothing is left after stripping", () => {
    expect(parseMessage("[WIP]", "", human).description).toBe("[WIP]");
  });

  it("marks bot authors", () => {
    const dependabot = { name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com" };
    expect(parseMessage("build(deps): bump oneshot from 0.1.11 to 0.1.13", "", dependabot)).toMatchObject({
      isBot: true,
      type: "build",
      scope: "deps",
    });
  });

  it.each([
    [{ name: "renovate[bot]", email: "29139614+renovate[bot]@users.noreply.github.com" }, true],
    [{ name: "Renovate Bot", email: "bot@renovateapp.com" }, true],
    [{ name: "github-actions", email: "41898282+github-actions@users.noreply.github.com" }, true],
    [{ name: "pre-commit-ci[bot]", email: "66853113+pre-commit-ci[bot]@users.noreply.github.com" }, true],
    [{ name: "mergify[bot]", email: "37929162+mergify[bot]@users.noreply.github.com" }, true],
    [{ name: "Copilot", email: "198982749+Copilot@users.noreply.github.com" }, true],
    [{ name: "Graham King", email: "grahamk@example.com" }, false],
    [{ name: "Abbot Costello", email: "abbot@example.com" }, false],
  ])("isBotAuthor(%o) is %s", (author, expected) => {
    expect(isBotAuthor(author)).toBe(expected);
  });
});
