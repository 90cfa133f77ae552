/**
 * Secrets out of a commit as it enters the program, right after its source yields it, so
 * that the store, the facts, the reports, the logs and the model all see the same redacted
 * text: the subject, the message body and every file's patch. Authors, paths, modes and
 * counts are left as they are. The line structure of each patch is kept (a value is
 * replaced inside its line), so hunks still parse and line numbers still point right; the
 * `secret` signal of the facts fires on the markers (src/facts/signals.ts).
 */
import type { Commit, FileChange } from "../sources/types.js";
import { redactText, type SecretFinding } from "./redact.js";

export interface CommitSecretFinding extends SecretFinding {
  /** Where: the subject, the message body, or a file's patch (`line` is then the patch's line, 1 being its first `@@`). */
  in: "subject" | "body" | "patch";
  file?: string;
}

const redactedCommits = new WeakSet<Commit>();

/** The commit with its secrets replaced, and what was found where (never the values). */
export function redactCommit(commit: Commit): { commit: Commit; findings: CommitSecretFinding[] } {
  if (redactedCommits.has(commit)) return { commit, findings: [] };
  const findings: CommitSecretFinding[] = [];
  const subject = redactText(commit.subject);
  for (const f of subject.findings) findings.push({ ...f, in: "subject" });
  const body = redactText(commit.body);
  for (const f of body.findings) findings.push({ ...f, in: "body" });
  let filesChanged = false;
  const files = commit.files.map((file): FileChange => {
    if (file.patch === "") return file;
    const patch = redactText(file.patch, { patch: true, path: file.path });
    if (patch.findings.length === 0) return file;
    filesChanged = true;
    for (const f of patch.findings) findings.push({ ...f, in: "patch", file: file.path });
    return { ...file, patch: patch.text };
  });
  const redacted =
    findings.length === 0
      ? commit
      : { ...commit, subject: subject.text, body: body.text, ...(filesChanged ? { files } : {}) };
  redactedCommits.add(redacted);
  return { commit: redacted, findings };
}

/**
 * A copy of JSON-able data with every string redacted, at any depth: for what was derived
 * from text the commit redaction did not see (the facts read from whole files, a pull
 * request's title and body, GitHub's activity). Unchanged parts are returned as they are.
 */
export function redactDeep<T>(value: T): T {
  return redactValue(value, new Map()) as T;
}

/** No rule finds a secret in fewer characters than this (a name, a separator and six characters of value). */
const SHORTEST_FINDING = 8;

/** `seen`: strings already redacted in this value (facts repeat each path many times). */
function redactValue(value: unknown, seen: Map<string, string>): unknown {
  if (typeof value === "string") {
    if (value.length < SHORTEST_FINDING) return value;
    let redacted = seen.get(value);
    if (redacted === undefined) {
      redacted = redactText(value).text;
      seen.set(value, redacted);
    }
    return redacted;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = redactValue(item, seen);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (typeof value !== "object" || value === null) return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  // Dates, URLs, Buffers and the like keep their own form; only plain records are walked.
  if (prototype !== Object.prototype && prototype !== null) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const next = redactValue(inner, seen);
    if (next !== inner) changed = true;
    out[key] = next;
  }
  return changed ? out : value;
}
