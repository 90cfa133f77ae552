import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test/helpers/make-repo.js";
import { closestKey, editDistance, findConfigFile, knownKeysAt, parseConfigText } from "./load-config.js";
import { configSchema } from "./schema.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and a swap of neighbours as one edit each", () => {
    expect(editDistance("formats", "formats")).toBe(0);
    expect(editDistance("formts", "formats")).toBe(1);
    expect(editDistance("fromats", "formats")).toBe(1);
    expect(editDistance("brnach", "branch")).toBe(1);
    expect(editDistance("timzone", "timezone")).toBe(1);
    expect(editDistance("dri", "dir")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});

describe("closestKey", () => {
  const output = knownKeysAt(configSchema, ["output"]);

  it("suggests the nearest key within two edits, a key differing in case, or one the word starts", () => {
    expect(closestKey("formts", output)).toBe("formats");
    expect(closestKey("Formats", output)).toBe("formats");
    expect(closestKey("format", output)).toBe("formats");
    expect(closestKey("critical", knownKeysAt(configSchema, ["repos", 0]))).toBe("criticalPaths");
  });

  it("suggests nothing for a word far from every key", () => {
    expect(closestKey("colour", output)).toBeUndefined();
    expect(closestKey("critical", knownKeysAt(configSchema, []))).toBeUndefined();
    // Two edits turn any two letters into "md"; short words need a closer match.
    expect(closestKey("xy", ["ab"])).toBeUndefined();
  });
});

describe("knownKeysAt", () => {
  it("walks objects, defaults, optionals and arrays of the schema", () => {
    expect(knownKeysAt(configSchema, [])).toEqual(expect.arrayContaining(["timezone", "output", "repos", "delivery", "llm"]));
    expect(knownKeysAt(configSchema, ["output"])).toEqual(["dir", "formats"]);
    expect(knownKeysAt(configSchema, ["repos", 3])).toContain("branch");
    expect(knownKeysAt(configSchema, ["repos", 3, "links"])).toEqual(["repo", "commit", "pullRequest"]);
    expect(knownKeysAt(configSchema, ["delivery", "email"])).toContain("passwordEnv");
    expect(knownKeysAt(configSchema, ["language"])).toEqual([]);
  });
});

describe("parseConfigText", () => {
  const fails = (text: string) => {
    try {
      parseConfigText(text, "/x/repo-digest.yaml");
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("no error");
  };

  it("puts the line and column of the key or value at fault first", () => {
    expect(fails("timezone: UTC\noutput:\n  formts: [md]\n")).toBe("/x/repo-digest.yaml:3:3: output.formts: no such key here; did you mean output.formats?");
    expect(fails("language: fr\n")).toBe('/x/repo-digest.yaml:1:11: language: "fr" is not allowed; expected one of "zh-CN", "en"');
    expect(fails("output: { formats: [md, pdf] }\n")).toMatch(/^\/x\/repo-digest\.yaml:1:25: output\.formats\[1\]: "pdf" is not allowed/);
    expect(fails("schedule:\n  catchUpDays: many\n")).toMatch(/^\/x\/repo-digest\.yaml:2:16: schedule\.catchUpDays: "many" is not allowed; expected a value of type number/);
    expect(fails("colour: red\n")).toBe("/x/repo-digest.yaml:1:1: colour: no such key here");
  });

  it("locates a missing key at the map it is missing from, and follows aliases", () => {
    expect(fails("timezone: UTC\nllm:\n  provider: openai\n")).toMatch(/^\/x\/repo-digest\.yaml:3:3: llm\.model: \(missing\)/);
    // The key is in the anchored map, where it must be fixed.
    expect(fails("github: &g { enabled: true }\nschedule: *g\n")).toBe("/x/repo-digest.yaml:1:14: schedule.enabled: no such key here");
  });
});

describe("findConfigFile", () => {
  /** A home, a git repository inside it with a subfolder, and an XDG folder: each level's file written on demand. */
  function layout() {
    const root = makeTempDir();
    const home = join(root, "home");
    const repo = join(home, "project");
    const cwd = join(repo, "src", "deep");
    const xdg = join(root, "xdg");
    mkdirSync(cwd, { recursive: true });
    mkdirSync(join(repo, ".git"));
    mkdirSync(join(xdg, "repo-digest"), { recursive: true });
    const env = { HOME: home, XDG_CONFIG_HOME: xdg };
    const put = (file: string) => (writeFileSync(file, "repos: []\n"), file);
    return { root, home, repo, cwd, xdg, env, put };
  }

  it("takes --config, then REPO_DIGEST_CONFIG, then the cwd, then the parents up to the repository root, then XDG", () => {
    const { repo, cwd, xdg, env, put } = layout();
    const flag = put(join(cwd, "flag.yaml"));
    const named = put(join(cwd, "env.yaml"));
    const here = put(join(cwd, "repo-digest.yaml"));
    const parent = put(join(repo, "repo-digest.yaml"));
    const user = put(join(xdg, "repo-digest", "config.yaml"));
    const withEnv = { ...env, REPO_DIGEST_CONFIG: "env.yaml" };
    expect(findConfigFile("flag.yaml", { cwd, env: withEnv })).toEqual({ file: flag, from: "flag" });
    expect(findConfigFile(undefined, { cwd, env: withEnv })).toEqual({ file: named, from: "env" });
    expect(findConfigFile(undefined, { cwd, env: { ...env, REPO_DIGEST_CONFIG: "" } })).toEqual({ file: here, from: "cwd" });
    expect(findConfigFile(undefined, { cwd: join(cwd, ".."), env })).toEqual({ file: parent, from: "parent" });
    expect(findConfigFile(undefined, { cwd: join(repo, ".."), env })).toEqual({ file: user, from: "user" });
  });

  it("stops at the repository root, and outside a repository at $HOME", () => {
    const { root, home, cwd, env, put } = layout();
    put(join(home, "repo-digest.yaml"));
    // Above the repository root: not this repository's config.
    expect(findConfigFile(undefined, { cwd, env })).toEqual({ file: undefined, from: "none" });
    // Outside any repository, $HOME's own file applies, but not one above it.
    const notes = join(home, "notes", "today");
    mkdirSync(notes, { recursive: true });
    expect(findConfigFile(undefined, { cwd: notes, env })).toEqual({ file: join(home, "repo-digest.yaml"), from: "parent" });
    put(join(root, "repo-digest.yaml"));
    expect(findConfigFile(undefined, { cwd: notes, env: { ...env, HOME: join(home, "notes") } })).toEqual({ file: undefined, from: "none" });
  });

  it("reads ~/.config when XDG_CONFIG_HOME is unset or relative", () => {
    const { home, cwd, put } = layout();
    mkdirSync(join(home, ".config", "repo-digest"), { recursive: true });
    const user = put(join(home, ".config", "repo-digest", "config.yaml"));
    expect(findConfigFile(undefined, { cwd, env: { HOME: home } })).toEqual({ file: user, from: "user" });
    expect(findConfigFile(undefined, { cwd, env: { HOME: home, XDG_CONFIG_HOME: "relative/xdg" } })).toEqual({ file: user, from: "user" });
  });

  it("a --config or REPO_DIGEST_CONFIG naming no file is an error, not a fallback", () => {
    const { cwd, env, put } = layout();
    put(join(cwd, "repo-digest.yaml"));
    expect(() => findConfigFile("missing.yaml", { cwd, env })).toThrow(/config file .*missing\.yaml does not exist/);
    expect(() => findConfigFile(undefined, { cwd, env: { ...env, REPO_DIGEST_CONFIG: "gone.yaml" } })).toThrow(/REPO_DIGEST_CONFIG names .*gone\.yaml, which does not exist/);
  });
});
