/**
 * Web links for a repository's commits and pull requests. A template holds `{sha}`
 * and `{number}` placeholders; the templates are derived from the remote URL for the
 * forges whose URL layout we know, and left undefined for anything else (a local
 * path, an unknown host), so that a report never shows a link that leads nowhere.
 */

export interface LinkTemplates {
  /** The repository's home page. */
  repoUrl?: string;
  /** e.g. https://github.com/o/r/commit/{sha} */
  commit?: string;
  /** e.g. https://github.com/o/r/pull/{number} */
  pullRequest?: string;
}

export function buildLinks(
  template: { commit?: string; pullRequest?: string } | undefined,
  sha: string,
  prNumber?: number,
): { commit?: string; pullRequest?: string } {
  const links: { commit?: string; pullRequest?: string } = {};
  if (template?.commit) links.commit = template.commit.replaceAll("{sha}", sha);
  if (template?.pullRequest && prNumber !== undefined) {
    links.pullRequest = template.pullRequest.replaceAll("{number}", String(prNumber));
  }
  return links;
}

type Forge = "github" | "gitlab" | "gitea";

/** Hosts whose forge we know by name; self-hosted instances are recognised by their first DNS label. */
const KNOWN_HOSTS: Record<string, Forge> = {
  "github.com": "github",
  "gitlab.com": "gitlab",
  "codeberg.org": "gitea",
  "gitea.com": "gitea",
};
const HOST_PREFIXES: Record<string, Forge> = {
  github: "github",
  gitlab: "gitlab",
  gitea: "gitea",
  forgejo: "gitea",
  codeberg: "gitea",
};

// Path segments as the forges allow them; anything else (spaces, `%`, `?`) is not a
// repository path we know how to link to.
const SEGMENT = /^[A-Za-z0-9._-]+$/;

// scp-like syntax, `git@host:owner/repo.git` (https://git-scm.com/docs/git-clone#_git_urls).
const SCP_LIKE = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;

export function webUrlTemplatesFor(location: string): LinkTemplates | undefined {
  const remote = parseRemote(location.trim());
  if (!remote) return undefined;
  const host = remote.host.toLowerCase();
  const forge = KNOWN_HOSTS[host] ?? HOST_PREFIXES[host.split(".")[0] ?? ""];
  if (!forge || !host.includes(".")) return undefined;

  const segments = remote.path
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .split("/")
    .filter((segment) => segment.length > 0);
  // GitLab allows nested groups (group/sub/project); GitHub and Gitea are owner/repo.
  const shapeFits = forge === "gitlab" ? segments.length >= 2 : segments.length === 2;
  if (!shapeFits || !segments.every((segment) => SEGMENT.test(segment) && segment !== "." && segment !== "..")) {
    return undefined;
  }

  const repoUrl = `https://${host}/${segments.join("/")}`;
  switch (forge) {
    case "github":
      return { repoUrl, commit: `${repoUrl}/commit/{sha}`, pullRequest: `${repoUrl}/pull/{number}` };
    case "gitlab":
      return { repoUrl, commit: `${repoUrl}/-/commit/{sha}`, pullRequest: `${repoUrl}/-/merge_requests/{number}` };
    case "gitea":
      return { repoUrl, commit: `${repoUrl}/commit/{sha}`, pullRequest: `${repoUrl}/pulls/{number}` };
  }
}

function parseRemote(location: string): { host: string; path: string } | undefined {
  if (/^(?:https?|ssh|git):\/\//i.test(location)) {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return undefined;
    }
    // The user name, a token and the port belong to the clone URL, never to a web link.
    return { host: url.hostname, path: decodeURIComponentSafe(url.pathname) };
  }
  // A Windows drive (C:\repo) looks scp-like to the pattern; it is a local path.
  if (/^[A-Za-z]:[\\/]/.test(location)) return undefined;
  const scp = SCP_LIKE.exec(location);
  if (scp?.[1] && scp[2]) return { host: scp[1], path: scp[2] };
  return undefined;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
