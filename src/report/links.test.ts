import { describe, expect, it } from "vitest";
import { buildLinks, webUrlTemplatesFor } from "./links.js";

const SHA = "a2c7d0f95c83e4a299302caf994bb68890ddb9fc";

describe("buildLinks", () => {
  it("fills {sha} and {number}", () => {
    const templates = webUrlTemplatesFor("https://github.com/ai-dynamo/dynamo.git");
    expect(buildLinks(templates, SHA, 5492)).toEqual({
      commit: `https://github.com/ai-dynamo/dynamo/commit/${SHA}`,
      pullRequest: "https://github.com/ai-dynamo/dynamo/pull/5492",
    });
  });

  it("gives no pull request link without a PR number", () => {
    expect(buildLinks({ commit: "https://x.org/c/{sha}", pullRequest: "https://x.org/p/{number}" }, SHA)).toEqual({
      commit: `https://x.org/c/${SHA}`,
    });
  });

  it("gives no links without templates", () => {
    expect(buildLinks(undefined, SHA, 12)).toEqual({});
  });
});

describe("webUrlTemplatesFor", () => {
  const github = {
    repoUrl: "https://github.com/ai-dynamo/dynamo",
    commit: "https://github.com/ai-dynamo/dynamo/commit/{sha}",
    pullRequest: "https://github.com/ai-dynamo/dynamo/pull/{number}",
  };

  it.each([
    "https://github.com/ai-dynamo/dynamo",
    "https://github.com/ai-dynamo/dynamo.git",
    "https://github.com/ai-dynamo/dynamo/",
    "http://github.com/ai-dynamo/dynamo.git",
    "git@github.com:ai-dynamo/dynamo.git",
    "git@github.com:ai-dynamo/dynamo",
    "ssh://git@github.com/ai-dynamo/dynamo.git",
    "ssh://git@github.com:22/ai-dynamo/dynamo.git",
    "git://github.com/ai-dynamo/dynamo.git",
  ])("recognises GitHub in %s", (location) => {
    expect(webUrlTemplatesFor(location)).toEqual(github);
  });

  it("never puts credentials from the clone URL into a link", () => {
    const templates = webUrlTemplatesFor("https://user:ghp_secret@github.com/ai-dynamo/dynamo.git");
    expect(templates).toEqual(github);
    expect(JSON.stringify(templates)).not.toContain("secret");
  });

  it("recognises GitHub Enterprise by its host name", () => {
    expect(webUrlTemplatesFor("git@github.example.com:team/tool.git")?.commit).toBe(
      "https://github.example.com/team/tool/commit/{sha}",
    );
  });

  it("recognises GitLab, nested groups included", () => {
    expect(webUrlTemplatesFor("https://gitlab.com/group/sub/project.git")).toEqual({
      repoUrl: "https://gitlab.com/group/sub/project",
      commit: "https://gitlab.com/group/sub/project/-/commit/{sha}",
      pullRequest: "https://gitlab.com/group/sub/project/-/merge_requests/{number}",
    });
    expect(webUrlTemplatesFor("git@gitlab.example.org:team/app.git")?.pullRequest).toBe(
      "https://gitlab.example.org/team/app/-/merge_requests/{number}",
    );
  });

  it("recognises Gitea, Forgejo and Codeberg", () => {
    expect(webUrlTemplatesFor("https://codeberg.org/forgejo/forgejo.git")).toEqual({
      repoUrl: "https://codeberg.org/forgejo/forgejo",
      commit: "https://codeberg.org/forgejo/forgejo/commit/{sha}",
      pullRequest: "https://codeberg.org/forgejo/forgejo/pulls/{number}",
    });
    expect(webUrlTemplatesFor("git@gitea.example.com:ops/infra.git")?.commit).toBe(
      "https://gitea.example.com/ops/infra/commit/{sha}",
    );
  });

  it.each([
    "/home/me/src/dynamo",
    "./dynamo",
    "../dynamo",
    "~/src/dynamo",
    "C:\\src\\dynamo",
    "C:/src/dynamo",
    "file:///home/me/src/dynamo",
    "https://git.example.com/team/tool.git",
    "git@bitbucket.org:team/tool.git",
    "github:ai-dynamo/dynamo",
    "https://github.com/ai-dynamo",
    "https://github.com/ai-dynamo/dynamo/tree/main",
    "https://github.com/ai dynamo/dynamo",
    "",
  ])("gives no templates for %j", (location) => {
    expect(webUrlTemplatesFor(location)).toBeUndefined();
  });
});
