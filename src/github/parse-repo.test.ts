import { describe, expect, it } from "vitest";
import { parseGitHubRepo, resolveGitHubApiUrl } from "./parse-repo.js";
import { resolveGitHubToken, resolveGitHubTokenSource } from "./resolve-token.js";

describe("parseGitHubRepo", () => {
  it.each([
    ["acme/widget", "github.com"],
    ["https://github.com/acme/widget", "github.com"],
    ["https://github.com/acme/widget.git", "github.com"],
    ["https://github.com/acme/widget/", "github.com"],
    ["https://github.com/acme/widget/tree/main/src", "github.com"],
    ["https://user:secret@github.com/acme/widget.git", "github.com"],
    ["git@github.com:acme/widget.git", "github.com"],
    ["ssh://git@github.com/acme/widget.git", "github.com"],
    ["ssh://git@GitHub.com:22/acme/widget", "github.com"],
    ["git://github.com/acme/widget.git", "github.com"],
    ["https://ghe.example.com/acme/widget.git", "ghe.example.com"],
    ["git@ghe.example.com:acme/widget.git", "ghe.example.com"],
  ])("reads %s", (input, host) => {
    expect(parseGitHubRepo(input)).toEqual({ owner: "acme", repo: "widget", host });
  });

  it("keeps dots in repository names", () => {
    expect(parseGitHubRepo("git@github.com:acme/widget.js.git")).toEqual({ owner: "acme", repo: "widget.js", host: "github.com" });
  });

  it.each([
    "https://gitlab.com/acme/widget.git",
    "git@gitlab.com:group/sub/widget.git",
    "https://ghe.example.com/group/sub/widget.git",
    "/home/me/src/widget",
    "./widget",
    "widget",
    "acme/widget/extra",
    "",
    "https://github.com/acme",
  ])("refuses %s", (input) => {
    expect(parseGitHubRepo(input)).toBeUndefined();
  });

  it("gives the API address of a host", () => {
    expect(resolveGitHubApiUrl("github.com")).toBe("https://api.github.com");
    expect(resolveGitHubApiUrl("ghe.example.com")).toBe("https://ghe.example.com/api/v3");
  });
});

describe("resolveGitHubToken", () => {
  it("prefers the configured variable, then GITHUB_TOKEN, then GH_TOKEN", () => {
    const env = { MY_TOKEN: "mine", GITHUB_TOKEN: "github", GH_TOKEN: "gh" };
    expect(resolveGitHubToken(env, "MY_TOKEN")).toBe("mine");
    expect(resolveGitHubToken(env)).toBe("github");
    expect(resolveGitHubToken({ GH_TOKEN: "gh" }, "MY_TOKEN")).toBe("gh");
    expect(resolveGitHubTokenSource({ GITHUB_TOKEN: " ", GH_TOKEN: "gh" })).toEqual({ token: "gh", source: "GH_TOKEN" });
  });

  it("returns undefined when no variable holds a token", () => {
    expect(resolveGitHubToken({ GITHUB_TOKEN: "" })).toBeUndefined();
  });
});
