/**
 * The model's view of the secret redaction (src/secrets/): the same redactor as the store's,
 * the report's and the logs', with the counts by kind the diff view keeps. Text read from
 * the store was already redacted when its commit came in; running it again changes nothing.
 */
import { countByRule, redactText } from "../../secrets/index.js";

export interface RedactedText {
  text: string;
  /** Values replaced, by kind (the rule's id). */
  redactions: Record<string, number>;
}

export interface RedactedSpan {
  /** Offsets of the `[redacted:<kind>]` marker in the redacted text. */
  start: number;
  end: number;
  kind: string;
}

export function redactSecrets(text: string): RedactedText {
  const { text: redacted, findings } = redactText(text);
  return { text: redacted, redactions: countByRule(findings) };
}

/** Also says where each marker stands, so that a caller who keeps part of the text can count what it kept. */
export function redactSecretsWithSpans(text: string): { text: string; spans: RedactedSpan[] } {
  // A file's patch starts at its first hunk: there each line's first character is its diff marker, never a secret's.
  const { text: redacted, findings } = redactText(text, { patch: text.startsWith("@@") });
  return { text: redacted, spans: findings.map(({ start, end, rule }) => ({ start, end, kind: rule })) };
}

export function countByKind(spans: readonly { kind: string }[]): Record<string, number> {
  return countByRule(spans.map(({ kind }) => ({ rule: kind })));
}
