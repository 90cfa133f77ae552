/**
 * Rules of our own, beside gitleaks': formats its default rules leave out (passwords in
 * URLs, Authorization headers, `.npmrc` credentials, Discord webhooks, Azure storage keys,
 * bare Telegram bot tokens, AWS secret keys, OpenAI and Anthropic keys without gitleaks'
 * exact lengths), and the values of secret-named keys too short or too plain for its
 * entropy test (`DB_PASSWORD=hunter22`). Each runs on one line, only where one of its
 * keywords (lower case) occurs, and yields the offsets of the value alone, so the names
 * around it stay and the model still sees that a credential was added or changed.
 * Private key blocks span lines: see `findPrivateKeyBlocks`.
 */

export interface LocalRule {
  id: string;
  keywords: string[];
  /** Ranges of secret values in the line; `rule` when a finding is of a narrower kind than the rule's id. */
  find(line: string): Iterable<{ start: number; end: number; rule?: string }>;
}

/** The range of capture `group`; every pattern that reaches here carries the `d` flag. */
function groupRange(m: RegExpMatchArray, group: number): { start: number; end: number } {
  const [start, end] = m.indices![group]!;
  return { start, end };
}

/** exec, not matchAll: matchAll copies the pattern on every call. Patterns are global, with indices. */
function* byPattern(line: string, pattern: RegExp, group: number, accept: (value: string) => boolean = () => true): Generator<{ start: number; end: number }> {
  pattern.lastIndex = 0;
  const found: Array<{ start: number; end: number }> = [];
  for (let m = pattern.exec(line); m !== null; m = pattern.exec(line)) {
    if (m[0] === "") pattern.lastIndex += 1;
    if (m[group] !== undefined && accept(m[group])) found.push(groupRange(m, group));
  }
  yield* found;
}

/** Generated keys mix capitals, small letters and digits; identifiers and words rarely do all three. */
function mixesCase(value: string): boolean {
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value);
}

/** AWS documents its formats with AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; READMEs copy them. */
const AWS_EXAMPLE = /EXAMPLE/;

/** Templates and references: `${VAR}`, `$VAR`, `{{ .Values.x }}`, `%(name)s`, `{project}-hook`, `<your-key>`, `%VAR%`, ENV_VAR_NAME, a marker. */
export function isTemplate(value: string): boolean {
  return /\$\{|\$\(|\{\{|\{%|%\(|^\$|^%\w+%$|^<.*>$|\[redacted(?::[\w-]+)?\]|\{[A-Za-z_][\w.]*\}/.test(value) || /^[A-Z][A-Z0-9_]*$/.test(value);
}

const PLACEHOLDER =
  /^(?:x+|\*+|\.+|-+|_+|#+|0+|changeme|change[-_.]?me|changeit|your[-_ ].*|.*example.*|.*placeholder.*|dummy.*|fake.*|sample.*|redacted|secret|secrets|password|passwd|pass|token|apikey|api[-_]key|none|null|nil|undefined|true|false|yes|no|on|off|test|testing|todo|tbd|foo|bar|baz|foobar|abc123|123456|1234567|12345678|123456789|qwerty|admin|root|default|empty|hidden|\?+)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || /^(.)\1*$/.test(value);
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
  ["account", "key"],
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

/** Every secret word and pair below holds one of these. */
const SECRET_KEY_WORD = /pass|pwd|secret|token|key|credential/i;

/** The kind of secret a key names, or undefined when it names none. */
function secretKindOf(key: string): "password" | "secret" | undefined {
  // Most keys name nothing secret: rejected before they are split.
  if (!SECRET_KEY_WORD.test(key)) return undefined;
  const words = splitWords(key);
  if (words.length === 0 || words.some((w) => REFERENCE_WORDS.has(w))) return undefined;
  // "pass" alone is too common a word (`pass_rate`, `pass_through`); as the last word it is a password (`DB_PASS`).
  if (words.some((w) => PASSWORD_WORDS.has(w) && w !== "pass") || words.at(-1) === "pass") return "password";
  if (words.some((w) => SECRET_WORDS.has(w))) return "secret";
  if (SECRET_PAIRS.some(([a, b]) => words.includes(a) && words.includes(b)) || words.join("").includes("apikey")) return "secret";
  return undefined;
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
const UNQUOTED_ASSIGNMENT = /^([+\- ]?[ \t]*(?:export[ \t]+|-[ \t]+)?)(["']?)([A-Za-z_][\w.-]*)\2([ \t]*)(=|:)([ \t]*)([^\s"'`#,;()[\]{}<>]+)[ \t]*(?:#.*)?\r?$/d;

function* findAssignments(line: string): Generator<{ start: number; end: number; rule: string }> {
  const found: Array<{ start: number; end: number; rule: string }> = [];
  QUOTED_ASSIGNMENT.lastIndex = 0;
  for (let m = QUOTED_ASSIGNMENT.exec(line); m !== null; m = QUOTED_ASSIGNMENT.exec(line)) {
    const kind = secretKindOf(m[2]!);
    if (kind !== undefined && looksReal(m[4]!)) found.push({ ...groupRange(m, 4), rule: kind });
  }
  yield* found;
  const m = UNQUOTED_ASSIGNMENT.exec(line);
  if (!m) return;
  const [, , , key, spaceBefore, separator, spaceAfter, value] = m as unknown as string[];
  const kind = secretKindOf(key!);
  if (kind === undefined || !looksReal(value!)) return;
  // YAML needs the blank after the colon; `key:value` is a URL, a label or a C++ scope.
  if (separator === ":" && spaceAfter === "") return;
  // Spaced `key = value` is also code (`token = new_token`): there, only a value mixing letters and digits counts.
  if (separator === "=" && (spaceBefore !== "" || spaceAfter !== "") && !(/[A-Za-z]/.test(value!) && /\d/.test(value!))) return;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value!)) return;
  if (/^[!&*|>@]/.test(value!)) return;
  yield { ...groupRange(m, 7), rule: kind };
}

/** A rule that is one pattern: its capture `group` is the secret, `accept` may reject a value. */
function patternRule(id: string, keywords: string[], pattern: RegExp, group: number, accept?: (value: string) => boolean): LocalRule {
  return { id, keywords, find: (line) => byPattern(line, pattern, group, accept) };
}

const notTemplate = (value: string): boolean => !isTemplate(value) && !isPlaceholder(value);

const AZURE_KEY = /\b(?:AccountKey|SharedAccessKey)\s*=\s*([A-Za-z0-9+/]{20,}={0,2})/dgi;
const AUTHORIZATION = /\bAuthorization["']?[ \t]*[:=,][ \t]*["']?(?:Bearer|Basic|Token|Bot)[ \t]+([A-Za-z0-9._~+/-]{8,}=*)/dgi;
const BARE_BEARER = /\bBearer[ \t]+([A-Za-z0-9._~+/-]{20,}=*)/dg;

export const LOCAL_RULES: readonly LocalRule[] = [
  // scheme://user:password@host (RFC 3986 userinfo)
  patternRule("url-password", ["://"], /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`<>]+:([^\s@"'`<>/]+)@/dgi, 1, notTemplate),
  // https://discord.com/developers/docs/resources/webhook: /api/webhooks/{webhook.id}/{webhook.token}
  patternRule("discord-webhook-url", ["discord"], /\bdiscord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d{5,25}\/([A-Za-z0-9_-]{20,})/dg, 1),
  // https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string (and Service Bus / Event Hubs SharedAccessKey)
  // Azurite's account devstoreaccount1 has one published key, in every emulator README: it opens nothing.
  {
    id: "azure-storage-key",
    keywords: ["accountkey", "sharedaccesskey"],
    find: (line) => (/\bdevstoreaccount1\b/.test(line) ? [] : byPattern(line, AZURE_KEY, 1)),
  },
  // https://core.telegram.org/bots/api#authorizing-your-bot: <bot id>:<35 characters>, "AA" first for years now; in URLs as /bot<token>/.
  patternRule("telegram-bot-token", [":aa"], /(?<![\w:-])(?:bot)?(\d{8,12}:AA[A-Za-z0-9_-]{30,40})(?![\w-])/dg, 1),
  // https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration
  patternRule("npmrc-auth", ["_auth", "_password"], /(?:^|[\s:"'])(?:_authToken|_auth|_password)\s*=\s*["']?([^\s"'#;]+)/dg, 1, (v) => notTemplate(v) && v.length >= 6),
  // Legacy sk-<48>, project sk-proj-…, service account sk-svcacct-… of any length; `sk-learn-…` and other words have no digits and capitals.
  patternRule("openai-api-key", ["sk-"], /(?<![\w-])(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,})/dg, 1, (v) => !v.startsWith("sk-ant-") && mixesCase(v)),
  // https://docs.anthropic.com/en/api/getting-started (sk-ant-api03-…, sk-ant-admin01-…), of any length.
  patternRule("anthropic-api-key", ["sk-ant-"], /(?<![\w-])(sk-ant-[A-Za-z0-9_-]{20,})/dg, 1),
  // AWS secret access keys: 40 base64 characters, recognisable only by the key they are assigned to.
  patternRule(
    "aws-secret-key",
    ["secret"],
    /(?<![\w.])(?:aws_?)?secret_?access_?key["']?[ \t]*(?::=|=>|=|:)[ \t]*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi,
    1,
    (v) => !AWS_EXAMPLE.test(v),
  ),
  // Authorization headers (RFC 9110 §11.6.2), and bare bearer tokens that look generated.
  {
    id: "authorization",
    keywords: ["authorization", "bearer"],
    find: function* (line) {
      yield* byPattern(line, AUTHORIZATION, 1, (v) => !isPlaceholder(v));
      yield* byPattern(line, BARE_BEARER, 1, (v) => /\d/.test(v) && /[A-Za-z]/.test(v) && !isPlaceholder(v));
    },
  },
  // Findings are "password" or "secret", by the key's words.
  { id: "secret", keywords: ["pass", "pwd", "secret", "token", "key", "credential"], find: findAssignments },
];

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

/** Ranges of key bodies in `text` (between the BEGIN and END lines; they may span lines). */
export function* findPrivateKeyBlocks(text: string): Generator<{ start: number; end: number }> {
  for (const begin of text.matchAll(PRIVATE_KEY_BEGIN)) {
    const start = begin.index + begin[0].length;
    const end = text.indexOf(`-----END ${begin[1] ?? ""}PRIVATE KEY${begin[2] ?? ""}-----`, start);
    if (end >= 0 && end - start <= MAX_KEY_BLOCK_CHARS) {
      // Code that only names the header (`startswith("-----BEGIN RSA PRIVATE KEY-----")`) has no body.
      if (/[A-Za-z0-9+/=]{16}/.test(text.slice(start, end))) yield { start, end };
      continue;
    }
    KEY_BODY.lastIndex = start;
    const body = KEY_BODY.exec(text);
    if (body) yield { start, end: start + body[0].length };
  }
}
