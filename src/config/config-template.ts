/**
 * What `repo-digest init` writes: every key, commented, with its default. With `schemaPath`
 * (the JSON Schema's absolute path in the installed package), a first line that points
 * yaml-language-server (VS Code's YAML extension, Neovim's yamlls, ...) at it, for
 * completion and checks as you type.
 */
export function configTemplate(timezone: string, schemaPath?: string): string {
  const modeline = schemaPath ? `# yaml-language-server: $schema=${schemaPath}\n` : "";
  return `${modeline}# repo-digest configuration. Every key is optional; values shown are the defaults
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
  # md (Markdown), json and/or html (one self-contained page).
  formats: [md]

analysis:
  # Each rule a commit triggers is a reason with a weight; the score is the strongest
  # reason's weight plus a tenth of the others'. src/analysis/rules/weights.ts lists
  # every rule and its default weight (60 alone makes a commit high, 30 medium).
  weights: {}
  #   api-break: 80
  #   large-change: 20
  thresholds: {}
  #   high: 60
  #   medium: 30

# An LLM writes the analyses where configured (README: "LLM analysis"); without
# this block every commit gets the offline rules analysis. The key is read from the
# environment variable named by apiKeyEnv, never from this file.
# llm:
#   provider: openai            # openai | openai-compatible | anthropic | ollama
#   model: gpt-4o-mini
#   apiKeyEnv: OPENAI_API_KEY
#   concurrency: 4
#   promptBudgetTokens: 8000
#   failureThreshold: 0.2       # share of failed analyses that fails the run (exit 4)
#   spendCap: { tokens: 2000000 }

# GitHub: PR context, the day's activity, API-only repositories (README: "GitHub").
github:
  # tokenEnv: GITHUB_TOKEN      # default GITHUB_TOKEN, then GH_TOKEN
  # apiUrl: https://github.example.com/api/v3   # GitHub Enterprise Server
  enabled: true

# Where reports go besides the output folder (README: "Delivery").
# delivery:
#   reportUrl: https://reports.example.com/{name}.html
#   feed: { path: feed.atom }
#   email: { host: smtp.example.com, port: 587, userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD, from: digest@example.com, to: [team@example.com] }

# Saved filters, each with a channel of its own: only the matching commits go to it, with a
# line saying how many were left out (README: "Subscriptions"). A channel block is written as under delivery:.
# subscriptions:
#   - name: team-lead
#     filter: { minImportance: high }
#     channel: { email: { host: smtp.example.com, port: 587, userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD, from: digest@example.com, to: [lead@example.com] } }
#   - name: runtime-owner
#     filter: { repos: [ai-dynamo/dynamo], paths: ["lib/runtime/**"], excludePaths: ["**/*.md"] }
#     channel: { slack: { urlEnv: SLACK_RUNTIME_HOOK } }

# When \`repo-digest daemon\` reports the previous day (README: "Schedule").
schedule:
  cron: "0 8 * * *"
  # timezone: Asia/Shanghai     # default: timezone above
  catchUpDays: 7

# Repositories to follow. Add them with \`repo-digest repos add <path-or-url>\`.
repos: []
# - name: ai-dynamo/dynamo
#   url: https://github.com/ai-dynamo/dynamo.git   # or  path: ../dynamo
#   branch: main                                    # default: the remote's default branch
#   criticalPaths: ["lib/runtime/**", "**/*.proto"] # raise importance
#   ignorePaths: ["ATTRIBUTIONS*", "**/generated/**"] # counted, never analysed
#   source: git                                     # or github-api: read through the API, no clone
#   activity: true                                  # the day's releases, PRs and issues
#   llm: true                                       # false: this code never leaves the machine
#   usedBy: [../my-service]                         # your code: mark commits that change what it uses
#   links:                                          # default: derived from a GitHub, GitLab or Gitea URL
#     commit: https://git.example.com/org/repo/commit/{sha}
#     pullRequest: https://git.example.com/org/repo/pulls/{number}
`;
}
