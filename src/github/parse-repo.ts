export interface GitHubRepoRef {
  owner: string;
  repo: string;
  /** Lower-case host name: github.com, or a GitHub Enterprise Server host. */
  host: string;
}

// Hosts we know are not GitHub, so their URLs never get sent to a GitHub API.
const OTHER_FORGES = new Set(["gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "git.sr.ht", "dev.azure.com"]);
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Reads owner and name from `owner/name`, an https or ssh URL, or scp-like `git@host:owner/name.git`.
 * Web URLs on github.com may go on (`/tree/main`, `/pull/1`); clone URLs elsewhere must be exactly
 * two segments deep, since deeper paths (GitLab subgroups) are not GitHub repositories.
 */
export function parseGitHubRepo(urlOrSlug: string): GitHubRepoRef | undefined {
  const input = urlOrSlug.trim();
  const located = locate(input);
  if (located === undefined) return undefined;
  const host = located.host.toLowerCase();
  if (OTHER_FORGES.has(host)) return undefined;
  const segments = located.path.replace(/\/+$/, "").split("/").filter((part) => part.length > 0);
  const lastTwo = segments.length === 2 || (host === "github.com" && located.web && segments.length > 2);
  if (!lastTwo) return undefined;
  const owner = segments[0];
  const repo = segments[1]?.replace(/\.git$/, "");
  if (owner === undefined || repo === undefined || !OWNER.test(owner) || !NAME.test(repo)) return undefined;
  if (repo === "." || repo === "..") return undefined;
  return { owner, repo, host };
}

/** The REST base URL for a host: api.github.com, or /api/v3 on GitHub Enterprise Server. */
export function resolveGitHubApiUrl(host: string): string {
  return host === "github.com" ? "https://api.github.com" : `https://${host}/api/v3`;
}

function locate(input: string): { host: string; path: string; web: boolean } | undefined {
  // scp-like syntax, as git reads it: [user@]host:path (https://git-scm.com/docs/git-clone#_git_urls)
  const scpLike = /^(?:([^@/\s]+)@)?([^:/\s]+):(?!\/\/)(\S+)$/.exec(input);
  if (scpLike !== null && scpLike[2] !== undefined && scpLike[3] !== undefined) {
    const hasUser = scpLike[1] !== undefined;
    if (hasUser || scpLike[2].includes(".")) return { host: scpLike[2], path: scpLike[3], web: false };
    return undefined;
  }
  if (/^(?:https?|ssh|git|git\+ssh):\/\//i.test(input)) {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return undefined;
    }
    const web = /^https?:$/i.test(url.protocol) && !url.pathname.endsWith(".git");
    return { host: url.hostname, path: decodeURIComponent(url.pathname), web };
  }
  if (/^[^/\s:@]+\/[^/\s:@]+$/.test(input)) return { host: "github.com", path: input, web: false };
  return undefined;
}
