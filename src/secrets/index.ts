/**
 * The one secrets module: pattern redaction of text (gitleaks' rules and ours), of whole
 * commits and of JSON-able data, and the scrubbing of values we hold ourselves (a token,
 * a webhook URL) out of messages. Everything that stores, reports, logs, delivers or sends
 * text to a model uses it.
 */
export { containsRedaction, countByRule, redactionMarker, redactText, REDACTION_MARKER, type RedactedText, type RedactOptions, type SecretFinding } from "./redact.js";
export { redactCommit, redactDeep, type CommitSecretFinding } from "./redact-commit.js";
