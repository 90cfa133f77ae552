import { describe, expect, it } from "vitest";
import { readBody, readReleaseVersion } from "./read-body.js";

describe("readBody", () => {
  it("takes a squash merge's bullets as the author's points, dropping noise and trailers", () => {
    const body = [
      "* Allow stub fallback",
      "",
      "* is_stub API",
      "",
      "* fix lint",
      "",
      "* Merge branch 'main' into stubs",
      "",
      "* Default allow fallback",
      "",
      "---------",
      "",
      "Signed-off-by: A Dev <a@example.com>",
      "Co-authored-by: B Dev <b@example.com>",
    ].join("\n");
    expect(readBody("Build: stub fallback (#1041)", body).points).toEqual(["Allow stub fallback", "is_stub API", "Default allow fallback"]);
  });

  it("reads a bors merge's PR title and number", () => {
    const facts = readBody("Merge #5120", "5120: Fix panic when the config has no [git] table r=orhun a=someone\n\nDetails here.");
    expect(facts.prTitle).toBe("Fix panic when the config has no [git] table");
    expect(facts.prNumber).toBe(5120);
  });

  it("reads a GitHub merge commit's PR title", () => {
    expect(readBody("Merge pull request #12 from a/b", "Add retries to the client\n\nLonger text.").prTitle).toBe("Add retries to the client");
  });

  it("takes the first paragraph of prose when there are no items, and skips PR template headings and checklists", () => {
    const body = ["## Overview", "", "Adds a `--timeout` option to `serve`.", "", "## Checklist", "- [x] tests", "- [ ] docs"].join("\n");
    expect(readBody("feat: timeout", body).points).toEqual(["Adds a `--timeout` option to `serve`."]);
  });

  it("keeps only the bump line of a dependabot body", () => {
    const body = [
      "Bumps [tokio](https://github.com/tokio-rs/tokio) from 1.38.0 to 1.39.1.",
      "- [Release notes](https://github.com/tokio-rs/tokio/releases)",
      "- [Commits](https://github.com/tokio-rs/tokio/compare/a...b)",
      "",
      "---",
      "updated-dependencies:",
      "- dependency-name: tokio",
      "",
      "Signed-off-by: dependabot[bot] <support@github.com>",
    ].join("\n");
    expect(readBody("chore(deps): bump tokio", body).points).toEqual([]);
  });

  it("finds issues the message says it fixes", () => {
    expect(readBody("fix: crash (#3)", "Fixes #12, closes org/repo#4\nResolves https://github.com/o/r/issues/9").fixes).toEqual([
      "#12",
      "org/repo#4",
      "https://github.com/o/r/issues/9",
    ]);
  });

  it("drops HTML comments of PR templates", () => {
    expect(readBody("x", "<!-- describe your change -->\nMakes the cache LRU.\n<!--\nmulti\n-->").points).toEqual(["Makes the cache LRU."]);
  });
});

describe("readReleaseVersion", () => {
  it.each([
    ["chore(release): prepare for v2.10.0", "2.10.0"],
    ["chore(release): v2.10.0-rc.0", "2.10.0-rc.0"],
    ["v4.6.0", "4.6.0"],
    ["4.6.0", "4.6.0"],
    ["Release 1.4.0", "1.4.0"],
    ["release: 3.39.2", "3.39.2"],
    ["Bump version to 0.3.1 (#55)", "0.3.1"],
  ])("%s is the release of %s", (subject, version) => {
    expect(readReleaseVersion(subject, subject)).toBe(version);
  });

  it.each(["fix: crash in the v2.1.0 parser", "feat(release): publish the snap package with goreleaser", "docs: release notes for 1.2"])("%s is no release", (subject) => {
    expect(readReleaseVersion(subject, subject)).toBeUndefined();
  });
});
