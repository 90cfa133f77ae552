/** GitHub token formats: https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/ */
const TOKEN_PATTERN = /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g;

/** Removes the token (and anything shaped like a GitHub token) from text bound for a log or an error. */
export function scrubToken(text: string, token: string | undefined): string {
  const withoutToken = token !== undefined && token.length > 0 ? text.split(token).join("[redacted]") : text;
  return withoutToken.replace(TOKEN_PATTERN, "[redacted]");
}
