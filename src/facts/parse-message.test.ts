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
