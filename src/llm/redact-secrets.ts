/**
 * Secrets out of any text before it leaves the machine: known key and token formats,
 * private key blocks, passwords in URLs, Authorization headers, and `.env`-style values
 * of secret-named keys. Each value becomes `[redacted:<kind>]`; the names around it stay,
 * so the model still sees that a credential was added or changed.
 *
 * src/facts/signals.ts has its own `redactSecrets(text, family)` for the one-line text of
 * a signal: it needs the file's language, replaces with a bare "[redacted]" and reports
 * nothing, so it does not fit here. The name and value tests below follow its rules
 * (same secret words, same reference words, same template test) and add the formats and
 * the multi-line blocks that a whole diff holds.
 */

export interface RedactedText {
  text: string;
  /** Values replaced, by kind. */
  redactions: Record<string, number>;
}

export interface RedactedSpan {
  /** Offsets of the `[redacted:<kind>]` marker in the redacted text. */
  start: number;
  end: number;
  kind: string;
}

interface Finding {
  /** Range of the secret value in the original text. */
  start: number;
  end: number;
  kind: string;
}

export function redactSecrets(text: string): RedactedText {
  const { text: redacted, spans } = redactSecretsWithSpans(text);
  return { text: redacted, redactions: countByKind(spans) };
}

/** Also says where each marker stands, so that a caller who keeps part of the text can count what it kept. */
export function redactSecretsWithSpans(text: string): { text: string; spans: RedactedSpan[] } {
  const findings = findSecrets(text);
  const spans: RedactedSpan[] = [];
  let out = "";
  let from = 0;
  for (const finding of findings) {
    out += text.slice(from, finding.start);
    const marker = `[redacted:${finding.kind}]`;
    spans.push({ start: out.length, end: out.length + marker.length, kind: finding.kind });
    out += marker;
    from = finding.end;
  }
  return { text: out + text.slice(from), spans };
}

export function countByKind(spans: readonly { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const span of spans) counts[span.kind] = (counts[span.kind] ?? 0) + 1;
  return counts;
}

/** Every rule's findings, the earlier rule winning where two overlap; sorted by position. */
function findSecrets(text: string): Finding[] {
  const accepted: Finding[] = [];
  const overlaps = (f: Finding): boolean => accepted.some((a) => f.start < a.end && a.start < f.end);
  for (const rule of RULES) {
    for (const finding of rule(text)) {
      if (finding.end > finding.start && !overlaps(finding)) accepted.push(finding);
    }
  }
  return accepted.sort((a, b) => a.start - b.start);
}

type Rule = (text: string) => Iterable<Finding>;

// --- private key blocks (RFC 7468 labels: "PRIVATE KEY", "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", PGP's "PRIVATE KEY BLOCK")

const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;
/** Farther than any key: an END beyond this belongs to another block. */
const MAX_KEY_BLOCK_CHARS = 16 * 1024;
/**
 * Without an END (the patch was cut, or the block is built line by line), the body is the
 * run of key-like lines that follows: base64 or PEM headers, each maybe behind a diff
 * marker, indentation, quotes or an escaped newline.
 */
const KEY_BODY = /(?:(?:\\r?\\n|\r?\n[+\- ]?)[ \t"'`]*(?:[A-Za-z0-9+/=]{16,}|(?:Proc-Type|DEK-Info|Comment|Version):[^\n]*)(?:\\r?\\n)?["'`,;+]*)+/y;

function* findPrivateKeys(text: string): Generator<Finding> {
  for (const begin of text.matchAll(PRIVATE_KEY_BEGIN)) {
    const start = begin.index + begin[0].length;
    const end = text.indexOf(`-----END ${begin[1] ?? ""}PRIVATE KEY${begin[2] ?? ""}-----`, start);
    if (end >= 0 && end - start <= MAX_KEY_BLOCK_CHARS) {
      yield { start, end, kind: "private-key" };
      continue;
    }
    KEY_BODY.lastIndex = start;
    const body = KEY_BODY.exec(text);
    if (body) yield { start, end: start + body[0].length, kind: "private-key" };
  }
}

// --- known formats, each anchored so that it cannot start inside a longer word

const KNOWN_TOKENS: Array<[kind: string, pattern: RegExp, check?: (value: string) => boolean]> = [
  // https://docs.anthropic.com/en/api/getting-started (sk-ant-api03-…, sk-ant-admin01-…)
  ["anthropic-key", /(?<![\w-])sk-ant-[A-Za-z0-9_-]{20,}/g],
  // Legacy sk-<48>, project sk-proj-…, service account sk-svcacct-…; words such as `sk-learn-…` have no digits and capitals.
  ["openai-key", /(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, mixesCase],
  // https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
  ["github-token", /(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g],
  ["gitlab-token", /(?<![\w-])glpat-[A-Za-z0-9_.-]{20,}/g],
  ["slack-token", /(?<![\w-])xox[abpr]-[A-Za-z0-9-]{10,}/g, (v) => /\d/.test(v)],
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
  ["aws-access-key", /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g],
  ["google-api-key", /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g],
  ["stripe-key", /(?<![\w-])[sr]k_(?:live|test)_[0-9A-Za-z]{16,}/g],
  ["huggingface-token", /(?<![\w-])hf_[A-Za-z0-9]{34,}(?![\w-])/g, (v) => /\d/.test(v)],
  // https://datatracker.ietf.org/doc/html/rfc7519: base64url header and claims, both JSON objects ("eyJ" is `{"`).
  ["jwt", /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g],
];

/** Generated keys mix capitals, small letters and digits; identifiers and words rarely do all three. */
function mixesCase(value: string): boolean {
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value);
}

/** AWS documents its key formats with AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; READMEs copy them. */
const AWS_EXAMPLE = /EXAMPLE/;

function* findKnownTokens(text: string): Generator<Finding> {
  for (const [kind, pattern, check] of KNOWN_TOKENS) {
    for (const m of text.matchAll(pattern)) {
      if (check && !check(m[0])) continue;
      if (kind === "aws-access-key" && AWS_EXAMPLE.test(m[0])) continue;
      yield { start: m.index, end: m.index + m[0].length, kind };
    }
  }
}

// --- AWS secret access keys: 40 base64 characters, recognisable only by the key they are assigned to

const AWS_SECRET = /(?<![\w.])(?:aws_?)?secret_?access_?key["']?[ \t]*(?::=|=>|=|:)[ \t]*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi;

function* findAwsSecrets(text: string): Generator<Finding> {
  for (const m of text.matchAll(AWS_SECRET)) {
    if (!AWS_EXAMPLE.test(m[1]!)) yield valueFinding(m, 1, "aws-secret-key");
  }
}

// --- scheme://user:password@host (RFC 3986 userinfo)

const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`<>]+:([^\s@"'`<>/]+)@/dgi;

function* findUrlPasswords(text: string): Generator<Finding> {
  for (const m of text.matchAll(URL_PASSWORD)) {
    const value = m[1]!;
    if (isTemplate(value) || isPlaceholder(value)) continue;
    yield valueFinding(m, 1, "url-password");
  }
}

// --- Authorization headers (RFC 9110 §11.6.2), and bare bearer tokens that look generated

const AUTHORIZATION = /\bAuthorization["']?[ \t]*[:=,][ \t]*["']?(?:Bearer|Basic|Token|Bot)[ \t]+([A-Za-z0-9._~+/-]{8,}=*)/dgi;
const BARE_BEARER = /\bBearer[ \t]+([A-Za-z0-9._~+/-]{20,}=*)/dg;

function* findBearerTokens(text: string): Generator<Finding> {
  for (const m of text.matchAll(AUTHORIZATION)) {
    if (!isPlaceholder(m[1]!)) yield valueFinding(m, 1, "bearer-token");
  }
  for (const m of text.matchAll(BARE_BEARER)) {
    if (/\d/.test(m[1]!) && /[A-Za-z]/.test(m[1]!) && !isPlaceholder(m[1]!)) yield valueFinding(m, 1, "bearer-token");
  }
}

// --- values of secret-named keys: `.env`, YAML, JSON, INI, keyword arguments, string constants

const SECRET_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "apikey", "credential", "credentials"]);
const SECRET_PAIRS: Array<[string, string]> = [
  ["api", "key"],
  ["access", "key"],
  ["private", "key"],
  ["client", "secret"],
  ["signing", "key"],
  ["encryption", "key"],
  ["master", "key"],
  ["auth", "key"],
  ["session", "key"],
];
const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "pass", "passphrase"]);
/** Words that make the key a setting about a secret (its name, file, length, lifetime), not the secret. */
const REFERENCE_WORDS = new Set([
  "name", "names", "type", "types", "file", "path", "dir", "env", "var", "ref", "id", "ids", "url", "uri", "endpoint",
  "header", "prefix", "suffix", "len", "length", "count", "size", "field", "label", "kind", "mode", "format", "pattern",
  "regex", "placeholder", "description", "help", "message", "msg", "hint", "max", "min", "limit", "ttl", "timeout",
  "expiry", "expires", "expiration", "lifetime", "duration", "age", "policy", "algorithm", "algo", "scheme", "method",
  "version", "scope", "scopes", "audience", "issuer", "provider", "source", "location", "enabled", "required",
  "budget", "usage", "rate", "index", "idx", "keys", "reset", "strength", "rules", "validator",
]);

/** `maxRetries`, `MAX_RETRIES`, `db.password`, `api-key` → lower-case words. */
function splitWords(identifier: string): string[] {
  return identifier
    .split(/[_\-.]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)
    .filter((s) => s !== "")
    .map((s) => s.toLowerCase());
}

/** The kind of secret a key names, or undefined when it names none. */
function secretKindOf(key: string): string | undefined {
  const words = splitWords(key);
  if (words.length === 0 || words.some((w) => REFERENCE_WORDS.has(w))) return undefined;
  // "pass" alone is too common a word (`pass_rate`, `pass_through`); as the last word it is a password (`DB_PASS`).
  if (words.some((w) => PASSWORD_WORDS.has(w) && w !== "pass") || words.at(-1) === "pass") return "password";
  if (words.some((w) => SECRET_WORDS.has(w))) return "secret";
  if (SECRET_PAIRS.some(([a, b]) => words.includes(a) && words.includes(b)) || words.join("").includes("apikey")) return "secret";
  return undefined;
}

/** Templates and references: `${VAR}`, `$VAR`, `{{ .Values.x }}`, `%(name)s`, `{project}-hook`, `<your-key>`, `%VAR%`, ENV_VAR_NAME. */
function isTemplate(value: string): boolean {
  return /\$\{|\$\(|\{\{|\{%|%\(|^\$|^%\w+%$|^<.*>$|\[redacted(?::[\w-]+)?\]|\{[A-Za-z_][\w.]*\}/.test(value) || /^[A-Z][A-Z0-9_]*$/.test(value);
}

const PLACEHOLDER =
  /^(?:x+|\*+|\.+|-+|_+|#+|0+|changeme|change[-_.]?me|changeit|your[-_ ].*|.*example.*|.*placeholder.*|dummy.*|fake.*|sample.*|redacted|secret|secrets|password|passwd|pass|token|apikey|api[-_]key|none|null|nil|undefined|true|false|yes|no|on|off|test|testing|todo|tbd|foo|bar|baz|foobar|abc123|123456|1234567|12345678|123456789|qwerty|admin|root|default|empty|hidden|\?+)$/i;

function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || /^(.)\1*$/.test(value);
}

/** Could this value be a real credential? Prose, paths, URLs, numbers and names of things are not. */
function looksReal(value: string): boolean {
  if (value.length < 6 || /\s/.test(value)) return false;
  if (isTemplate(value) || isPlaceholder(value)) return false;
  if (/^(?:\/|\.\.?\/|~\/)|:\/\//.test(value)) return false;
  if (/^-?\d{1,11}(?:\.\d+)?$/.test(value)) return false;
  // A lower-case name of something: `access_token`, `my-secret-password`, `bcrypt`.
  return !/^[a-z]+(?:[-_][a-z]+)+$/.test(value);
}

/** A key not inside a longer word (`--password` is a flag, `my-password` a longer key). */
const KEY_START = String.raw`(?<![\w.]|[\w.]-)`;
/** `password = "…"`, `"token": "…"`, `api_key => '…'`, `password="…"` as a keyword argument, b/r/u prefixes. */
const QUOTED_ASSIGNMENT = new RegExp(
  String.raw`${KEY_START}(["']?)([A-Za-z_][\w.-]*)\1[ \t]*(?::=|=>|=(?![=>~])|:(?![:=]))[ \t]*(?:[bBrRuU]{0,2})(["'\x60])([^"'\x60\n]*)\3`,
  "dg",
);
/**
 * A whole line `KEY=value` (.env, shell, properties), `key: value` (YAML), `key = value`
 * (INI, TOML), maybe behind a diff marker, `export ` or a YAML list dash; a trailing
 * `# comment` may follow. The value holds no quote, bracket, comma or call.
 */
const UNQUOTED_ASSIGNMENT =
  /^([+\- ]?[ \t]*(?:export[ \t]+|-[ \t]+)?)(["']?)([A-Za-z_][\w.-]*)\2([ \t]*)(=|:)([ \t]*)([^\s"'`#,;()[\]{}<>]+)[ \t]*(?:#.*)?\r?$/dgm;

function* findSecretAssignments(text: string): Generator<Finding> {
  for (const m of text.matchAll(QUOTED_ASSIGNMENT)) {
    const kind = secretKindOf(m[2]!);
    if (kind !== undefined && looksReal(m[4]!)) yield valueFinding(m, 4, kind);
  }
  for (const m of text.matchAll(UNQUOTED_ASSIGNMENT)) {
    const [, , , key, spaceBefore, separator, spaceAfter, value] = m as unknown as string[];
    const kind = secretKindOf(key!);
    if (kind === undefined || !looksReal(value!)) continue;
    // YAML needs the blank after the colon; `key:value` is a URL, a label or a C++ scope.
    if (separator === ":" && spaceAfter === "") continue;
    // Spaced `key = value` is also code (`token = new_token`): there, only a value mixing letters and digits counts.
    if (separator === "=" && (spaceBefore !== "" || spaceAfter !== "") && !(/[A-Za-z]/.test(value!) && /\d/.test(value!))) continue;
    if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value!)) continue;
    if (/^[!&*|>@]/.test(value!)) continue;
    yield valueFinding(m, 7, kind);
  }
}

/** The range of capture `group`; every pattern that reaches here carries the `d` flag. */
function valueFinding(m: RegExpMatchArray, group: number, kind: string): Finding {
  const [start, end] = m.indices![group]!;
  return { start, end, kind };
}

const RULES: Rule[] = [findPrivateKeys, findKnownTokens, findAwsSecrets, findUrlPasswords, findBearerTokens, findSecretAssignments];
