/** What `repo-digest init` writes: every key, commented, with its default. */
export function configTemplate(timezone: string): string {
  return `# repo-digest configuration. Every key is optional; values shown are the defaults
# or examples. Reference: README.md, section "Configuration".

# Time zone in which a "day" is counted (IANA name). Default: the system zone.
timezone: ${timezone}

# Report language: zh-CN (default) or en.
language: zh-CN

# Where the store (SQLite) and bare mirrors of remote repositories live.
# Default: the user's data directory (~/.local/share/repo-digest on Linux);
# the REPO_DIGEST_DATA_DIR environment variable and --data-dir override it.
# dataDir: ~/.local/share/repo-digest

output:
  # Folder for report files, relative to this file.
  dir: reports
  # md (Markdown) and/or json.
  formats: [md]

analysis:
  # Importance is a sum of weights over the facts of a commit; see
  # src/analysis/rules/weights.ts for every rule and its default weight.
  weights: {}
  #   public-api-removed: 4
  thresholds: {}
  #   high: 8
  #   medium: 4

# Repositories to follow. Add them with \`repo-digest repos add <path-or-url>\`.
repos: []
# - name: ai-dynamo/dynamo
#   url: https://github.com/ai-dynamo/dynamo.git   # or  path: ../dynamo
#   branch: main                                    # default: the remote's default branch
#   criticalPaths: ["lib/runtime/**", "**/*.proto"] # raise importance
#   ignorePaths: ["ATTRIBUTIONS*", "**/generated/**"] # counted, never analysed
#   links:                                          # default: derived from a GitHub, GitLab or Gitea URL
#     commit: https://git.example.com/org/repo/commit/{sha}
#     pullRequest: https://git.example.com/org/repo/pulls/{number}
`;
}
