import { redactText } from "../secrets/index.js";

/**
 * Removes our own token from text bound for a log or an error, and anything else the secret
 * redactor (src/secrets/) takes for a secret: another GitHub token in a response body, a
 * password in a URL.
 */
export function scrubToken(text: string, token: string | undefined): string {
  const withoutToken = token !== undefined && token.length > 0 ? text.split(token).join("[redacted]") : text;
  return redactText(withoutToken).text;
}
