/**
 * Lines worth a reviewer's eye: timeouts and limits set to numbers, processes started,
 * code evaluated, `unsafe`, auth, weak crypto, secrets, listeners on every interface,
 * raised permissions. Precision over recall: every rule needs a shape that prose and
 * ordinary code rarely have, comment lines count for nothing but a secret, and code rules
 * run on the line with its string contents blanked. Source, build, config and CI files are
 * read for every kind; other files (docs, data, key files) for secrets alone.
 * No secret value ever reaches a signal's text: the secret redactor (src/secrets/) has
 * replaced each with `[redacted:<rule>]` before the text is cut to 160 characters.
 */
import type { FileChange } from "../sources/types.js";
import type { FileKind, Signal, SignalKind } from "./types.js";
import { codeOnly, detectFamily, isCommentLine, parsePatch } from "./patch-scan.js";
import type { LanguageFamily, ParsedPatch } from "./patch-scan.js";
import { containsRedaction, redactText } from "../secrets/index.js";

const SCANNED_KINDS = new Set<FileKind>(["source", "build", "config", "ci", "test", "example", "benchmark", "tooling"]);
/**
 * Outside product code (tests, examples, CI, build files, developers' dotfiles such as
 * `.clang-format`), a process call, a timeout or a limit is the developers' business, not
 * the users': only a credential committed there is worth a reviewer's eye.
 */
const PRODUCT_KINDS = new Set<FileKind>(["source", "config"]);
const MAX_SIGNALS_PER_FILE = 20;
const MAX_TEXT_LENGTH = 160;
/** Minified or data lines run to many kilobytes; their start is enough to judge them. */
const MAX_SCANNED_LENGTH = 1000;

interface LineView {
  /** The whole line, trailing comment included. */
  raw: string;
  /** The line up to its trailing comment, with string contents blanked. */
  code: string;
  /** The line up to its trailing comment, strings kept. */
  text: string;
  family: LanguageFamily | undefined;
  kind: FileKind;
}

type Rule = (line: LineView) => boolean;

/** `patch` is the file's patch, parsed once by the caller and shared with the other extractors. */
export function extractSignals(file: FileChange, kind: FileKind, patch: ParsedPatch = parsePatch(file.patch)): Signal[] {
  if (file.binary || file.patch === "") return [];
  const family = detectFamily(file.path, undefined);
  // A committed credential matters in any file (a key pair, an `.npmrc`, a README), so the
  // secret rules read every kind; the others only the code, build and config files.
  const product = SCANNED_KINDS.has(kind) && PRODUCT_KINDS.has(kind) && !/(^|\/)\.[^/]+$/.test(file.path);
  const rules = product ? RULES : SECRET_ONLY;
  // Outside product code only the secret rules run: their keywords alone are the prefilter.
  const anyKeyword = product ? ANY_KEYWORD : KIND_KEYWORD.secret;
  const signals: Signal[] = [];
  const seen = new Set<string>();
  for (const hunk of patch.hunks) {
    for (const l of hunk.lines) {
      if (l.type === "ctx") continue;
      const raw = l.text.length > MAX_SCANNED_LENGTH ? l.text.slice(0, MAX_SCANNED_LENGTH) : l.text;
      if (!anyKeyword.test(raw)) continue;
      // A comment runs nothing, but a credential in one is as committed as any other.
      const comment = isCommentLine(raw, family);
      const change = l.type === "add" ? "added" : "removed";
      const code = codeOnly(raw, family);
      const view: LineView = { raw, code, text: raw.slice(0, code.length), family, kind };
      const hasDigit = HAS_DIGIT.test(raw);
      for (const { kind: signalKind, rules: kindRules, keyword, needsDigit } of rules) {
        if ((comment && signalKind !== "secret") || (needsDigit && !hasDigit) || !keyword.test(raw)) continue;
        if (!kindRules.some((rule) => rule(view))) continue;
        const text = formatSignalText(raw);
        const key = `${signalKind}\u0000${change}\u0000${text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        signals.push({ kind: signalKind, change, text, origin: { file: file.path, line: (l.type === "add" ? l.newLine : l.oldLine)! } });
        if (signals.length === MAX_SIGNALS_PER_FILE) return signals;
      }
    }
  }
  return signals;
}

/** Trimmed, credentials redacted, at most 160 characters (code points, so no pair is split). */
export function formatSignalText(line: string): string {
  const text = redactText(line.trim()).text;
  const chars = Array.from(text);
  return chars.length <= MAX_TEXT_LENGTH ? text : `${chars.slice(0, MAX_TEXT_LENGTH - 1).join("")}…`;
}

// --- identifiers

/** `maxRetries`, `MAX_RETRIES`, `timeout-minutes`, `HTTPTimeout` → lower-case words. */
function splitIdentifier(identifier: string): string[] {
  return identifier
    .split(/[_\-.]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)
    .filter((s) => s !== "")
    .map((s) => s.toLowerCase());
}

function identifiersOf(text: string): string[][] {
  return (text.match(/[A-Za-z_][A-Za-z0-9_-]*/g) ?? []).map(splitIdentifier);
}

// --- timeouts and limits: a named setting given a number or a duration

const DURATION_STRING = /^\s*\d+(\.\d+)?\s*(ns|us|µs|ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)?\s*$/i;
const NUMBER = /(?<![\w.])\d[\d_]*(\.\d+)?/;

/** The value side holds a number: outside strings, or as a whole duration string ("30s"). */
function holdsNumber(value: string): boolean {
  const kept = value.replace(/"([^"]*)"|'([^']*)'/g, (_s, a: string | undefined, b: string | undefined) =>
    DURATION_STRING.test(a ?? b ?? "") ? ` ${a ?? b} ` : " ",
  );
  return NUMBER.test(kept);
}

/**
 * Some identifier the predicate accepts is set or passed a number: `timeout=30`,
 * `timeout: 30s`, `"timeout": 30`, `WithTimeout(ctx, 5*time.Second)`, `--timeout 30`.
 * A comparison (`if timeout > 30`) is not a setting.
 */
function findsNumericSetting(line: LineView, accept: (words: string[], call: boolean) => boolean): boolean {
  const { text, code } = line;
  for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_-]*/g)) {
    const end = m.index + m[0].length;
    // Words inside a string are prose, unless the string is only the key: `"timeout": 30`.
    const inCode = code.slice(m.index, end) === m[0];
    const quotedKey = /["']/.test(text[m.index - 1] ?? "") && text[end] === text[m.index - 1];
    if (!inCode && !quotedKey) continue;
    SETTING_AFTER.lastIndex = end;
    const setting = SETTING_AFTER.exec(text);
    FLAG_VALUE_AFTER.lastIndex = end;
    const flag = setting === null && text.slice(Math.max(0, m.index - 2), m.index) === "--" ? FLAG_VALUE_AFTER.exec(text) : null;
    const valueAt = setting ? SETTING_AFTER.lastIndex : flag ? FLAG_VALUE_AFTER.lastIndex : -1;
    if (valueAt < 0 || !accept(splitIdentifier(m[0]), setting?.[1] === "(")) continue;
    if (holdsNumber(text.slice(valueAt))) return true;
  }
  return false;
}
const SETTING_AFTER = /["']?\s*(:=|=>|=(?!=)|:(?!:)|\()\s*/y;
const FLAG_VALUE_AFTER = /\s+(?=\S)/y;

const TIMEOUT_WORDS = new Set(["timeout", "timeouts", "deadline", "ttl"]);
const LIMIT_WORDS = new Set(["max", "limit", "limits", "capacity", "retries", "retry", "maxsize", "maxlen", "concurrency"]);

const isTimeout = (words: string[]): boolean => words.some((w) => TIMEOUT_WORDS.has(w));
/** Pacing, not a cap: `retry_delay`, `max_backoff`. */
const NOT_LIMIT_WORDS = new Set(["delay", "interval", "backoff", "wait", "jitter", "sleep"]);
const isLimit = (words: string[], call: boolean): boolean => {
  if (isTimeout(words) || words.some((w) => NOT_LIMIT_WORDS.has(w))) return false;
  if (words.includes("pool") && words.includes("size")) return true;
  if (!words.some((w) => LIMIT_WORDS.has(w))) return false;
  // `max(a, 3)` and `Vec::with_capacity(16)` are arithmetic and allocation, not settings.
  return !call || (words.length >= 2 && !words.includes("with") && words.some((w) => w === "max" || w.startsWith("limit") || w.startsWith("retr")));
};

const TIMEOUT_RULES: Rule[] = [(l) => findsNumericSetting(l, isTimeout)];
const LIMIT_RULES: Rule[] = [(l) => findsNumericSetting(l, isLimit)];

// --- processes

const PROCESS_RULES: Rule[] = [
  (l) => /\bsubprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)\s*\(/.test(l.code),
  (l) => /\bos\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\s*\(/.test(l.code),
  (l) => /\bshell\s*=\s*True\b/.test(l.code),
  (l) => /\b(?:asyncio\.create_subprocess_(?:exec|shell)|pexpect\.(?:spawn|run))\s*\(/.test(l.code),
  (l) => /\b(?:child_process|childProcess|cp)\.(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|fork)\s*\(/.test(l.code),
  (l) => l.family === "js" && /(?<![\w.$])(?:execSync|execFileSync|spawnSync|execFile|execa|execaSync)\s*\(/.test(l.code),
  (l) => /(?:require\(\s*|\bfrom\s+|\bimport\s+)["'](?:node:)?child_process["']/.test(l.text),
  (l) => /\bCommand::new\s*\(/.test(l.code),
  (l) => /\bexec\.Command(?:Context)?\s*\(/.test(l.code),
  (l) => l.family === "c" && /(?<![\w.:])(?:std::)?(?:system|popen|execv|execvp|execve|execl|execlp|posix_spawnp?)\s*\(/.test(l.code),
];

// --- evaluated code and unsafe deserialisation

const EVAL_RULES: Rule[] = [
  (l) => (l.family === "js" || l.family === "python") && /(?<![\w.$])eval\s*\(/.test(l.code),
  (l) => l.family === "python" && /(?<![\w.])exec\s*\(/.test(l.code),
  (l) => l.family === "js" && /\bnew\s+Function\s*\(|\bvm\.(?:runIn\w*Context|Script)\s*\(/.test(l.code),
  (l) => /\b(?:c?[Pp]ickle|dill|cloudpickle|marshal)\.loads?\s*\(/.test(l.code),
  (l) => /\byaml\.(?:load|load_all)\s*\(/.test(l.code) && !/\b(?:C?Safe|Base)Loader\b/.test(l.text),
  (l) => /\byaml\.unsafe_load(?:_all)?\s*\(/.test(l.code),
  (l) => /\btorch\.load\s*\(/.test(l.code) && !/\bweights_only\s*=\s*True\b/.test(l.text),
];

const UNSAFE_RULES: Rule[] = [(l) => l.family === "rust" && /\bunsafe\s*(?:\{|(?:fn|impl|trait|extern)\b)/.test(l.code)];

// --- auth

const AUTH_WORDS = new Set([
  "auth",
  "authn",
  "authz",
  "authenticate",
  "authenticated",
  "authentication",
  "authenticator",
  "authorize",
  "authorized",
  "authorization",
  "authorizer",
  "unauthorized",
  "unauthenticated",
  "oauth",
  "oauth2",
  "jwt",
  "jwks",
  "bearer",
  "rbac",
  "oidc",
  "saml",
  "csrf",
]);
const AUTH_CHECK_VERBS = new Set(["verify", "validate", "check", "has", "require", "requires", "grant", "revoke", "deny"]);
const AUTH_CHECK_NOUNS = new Set(["token", "signature", "password", "permission", "permissions", "perm", "perms", "role", "roles", "scope", "scopes"]);

function isAuthIdentifier(words: string[]): boolean {
  const joined = words.join("");
  if (words.some((w) => AUTH_WORDS.has(w.replace(/\d+$/, ""))) || joined.includes("oauth")) return true;
  if (words.includes("login") && words.includes("required")) return true;
  return words.some((w) => AUTH_CHECK_VERBS.has(w)) && words.some((w) => AUTH_CHECK_NOUNS.has(w));
}

/** A string used as a key: `headers["Authorization"]`, `{"auth": …}`; not `kind: "auth"`. */
const QUOTED_KEY = /["']([A-Za-z_][\w-]*)["']\s*(?:\]|:(?!:))/g;

/**
 * A word inside a string is data (`| "auth"` in a type union, a log message, a JSON value
 * such as `"name": "auth"`), so code counts, and strings only where they are keys; in a
 * config file whose strings the code view does not blank (YAML, .env, INI) every bare word
 * still counts.
 */
const AUTH_RULES: Rule[] = [
  (l) => identifiersOf(l.code).some(isAuthIdentifier) || [...l.text.matchAll(QUOTED_KEY)].some((m) => isAuthIdentifier(splitIdentifier(m[1]!))),
];

// --- crypto

const SECRET_RANDOM_WORDS = new Set(["token", "secret", "password", "passwd", "salt", "nonce", "otp", "apikey", "csrf"]);

/**
 * A hash is cryptography only when it guards something: `hashlib.sha256(content)` for a
 * cache key is not, `md5(password)` is. Weak hashes count next to a secret or auth word.
 */
const WEAK_HASH = /\bhashlib\.(?:md5|sha1)\s*\(|(?<![\w.])(?:md5|sha1|MD5|SHA1)\s*\(|\b(?:md5|sha1)\.(?:New|Sum)\b|\b(?:Md5|Sha1)::(?:new|digest)\b|\bcreateHash\(\s*["'](?:md5|sha1)["']|MessageDigest\.getInstance\(\s*"(?:MD5|SHA-?1)"/i;
const GUARDED_WORDS = new Set(["password", "passwd", "secret", "token", "signature", "sign", "auth", "credential", "credentials", "salt", "hmac", "apikey", "key", "nonce", "otp"]);

const CRYPTO_RULES: Rule[] = [
  (l) => WEAK_HASH.test(l.text) && !/usedforsecurity\s*=\s*False/.test(l.text) && identifiersOf(l.text).some((words) => words.some((w) => GUARDED_WORDS.has(w))),
  (l) => /\bverify\s*=\s*False\b|\bcheck_hostname\s*=\s*False\b|\b_create_unverified_context\b|\bCERT_NONE\b/.test(l.code),
  (l) => /\bInsecureSkipVerify\s*:\s*true\b|\brejectUnauthorized\s*:\s*false\b|\bNODE_TLS_REJECT_UNAUTHORIZED\b/.test(l.text),
  (l) => /\bdanger_accept_invalid_(?:certs|hostnames)\s*\(\s*true\b/.test(l.code),
  (l) => /\bcurl\b[^|;]*\s(?:-k|--insecure)\b/.test(l.text),
  // A non-cryptographic generator feeding a secret: https://docs.python.org/3/library/random.html (warning)
  (l) =>
    /\brandom\.(?:random|randint|randrange|choice|choices|getrandbits|sample)\s*\(|\bMath\.random\s*\(|(?<![\w.:])rand\s*\(\s*\)/.test(l.code) &&
    identifiersOf(l.code).some((words) => words.some((w) => SECRET_RANDOM_WORDS.has(w))),
];

// --- secrets

/**
 * A line holding a secret is one where the secret redactor (src/secrets/) put a marker when
 * the commit came in (`redactCommit`, right after its source yields it): the redactor alone
 * decides what a secret is, here as in the store and the model's view, and runs once.
 * Facts of a commit that was not redacted have no secret signals.
 */
const SECRET_RULES: Rule[] = [(l) => containsRedaction(l.raw)];

// --- listening on every interface, exposed ports

/** Text before a quoted address that compares with it or looks for it, binding nothing: `== "0.0.0.0"`, `.includes("0.0.0.0")`. */
const COMPARED = /(?:[!=]==?|\.(?:includes|indexOf|startsWith|endsWith|contains|match|search|replace|split|test)\()\s*$/;

/**
 * Whether some match of `pattern` (global) gives an address: not inside a sentence in quotes
 * (a label's `"why": "serves metrics, bound to 0.0.0.0:9090 by default"` or a help text
 * describes an address, it binds nothing; a quoted string of four words or more is prose),
 * and not a string the code compares with or searches for (a detector's own rule).
 */
function givesAddress(text: string, pattern: RegExp): boolean {
  for (const match of text.matchAll(pattern)) {
    const before = text.slice(0, match.index);
    const quote = ['"', "'", "`"].find((mark) => (before.split(mark).length - 1) % 2 === 1);
    if (quote === undefined) return true;
    const start = before.lastIndexOf(quote) + 1;
    const end = text.indexOf(quote, match.index + match[0].length);
    const quoted = text.slice(start, end === -1 ? text.length : end);
    if (quoted.trim().split(/\s+/).length < 4 && !COMPARED.test(text.slice(0, start - 1))) return true;
  }
  return false;
}

const NETWORK_RULES: Rule[] = [
  (l) => l.text.includes("0.0.0.0") && givesAddress(l.text, /(?<![\d.])0\.0\.0\.0(?![\d.])/g),
  // IPv6's every-interface address, where an address is given: `[::]:8080`, `host="::"`, `--host ::`.
  // A bare `"::"` is most often a path separator (`split("::")` in Rust or C++ code).
  (l) => /\[::\]:\d+/.test(l.text),
  (l) => /\b(?:host|hostname|bind\w*|addr\w*|address|listen\w*|interface)\b["']?\s*[:=(,]\s*["'](?:::|\[::\])["']/i.test(l.text),
  (l) => /--(?:host|bind|listen)[= ]["']?(?:::|\[::\])(?=["'\s]|$)/.test(l.text),
  (l) => /\bhostNetwork\s*:\s*true\b|\bhostPort\s*:\s*\d+|\bnodePort\s*:\s*\d+/.test(l.text),
  (l) => /\btype\s*:\s*["']?(?:NodePort|LoadBalancer)\b/.test(l.text),
  (l) => /--net(?:work)?[= ]host\b|\bnetwork_mode\s*:\s*["']?host\b/.test(l.text),
  (l) => l.family === "dockerfile" && /^\s*EXPOSE\s+\d+/i.test(l.text),
  (l) => /(?:^|\s)(?:-p|--publish)(?:\s+|=)["']?(?:[\d.]+:)?\d+:\d+/.test(l.text),
  (l) => l.family === "yaml" && /^\s*-\s*["']?(?:[\d.]+:)?\d{2,5}:\d{2,5}(?:\/(?:tcp|udp))?["']?\s*$/.test(l.text),
  (l) => /\bnet\.Listen\w*\(\s*"(?:tcp|udp)[46]?"\s*,\s*":\d+"|\bListenAndServe(?:TLS)?\(\s*":\d+"/.test(l.text),
  (l) => /\.bind\(\s*\(\s*(?:""|'')\s*,/.test(l.text),
];

// --- permissions

const WORKFLOW_SCOPES =
  "actions|attestations|checks|contents|deployments|discussions|id-token|issues|models|packages|pages|pull-requests|repository-projects|security-events|statuses";
const WORKFLOW_SCOPE_WRITE = new RegExp(String.raw`^\s*(?:${WORKFLOW_SCOPES})\s*:\s*write\b`);

const PERMISSION_RULES: Rule[] = [
  (l) => /\b(?:chmod|chmodSync|mode|perm\w*)\b[^;]*?(?<![\w.])0?o?(?:777|666)\b/i.test(l.text),
  (l) => /\bchmod\b[^;&|]*\s(?:[ugoa]*[ao]\+w|[ugoa]*\+s|[ugoa]*\+t)\b/.test(l.text),
  (l) => /\bprivileged\s*:\s*true\b|--privileged\b|\ballowPrivilegeEscalation\s*:\s*true\b/.test(l.text),
  (l) => /\brunAsUser\s*:\s*0\b|\brunAsNonRoot\s*:\s*false\b/.test(l.text),
  (l) => /\b(?:CAP_)?SYS_ADMIN\b|--cap-add[= ]?(?:ALL|SYS_ADMIN)\b/.test(l.text),
  (l) => l.family === "dockerfile" && /^\s*USER\s+(?:root|0)(?::\S+)?\s*$/i.test(l.text),
  (l) => l.kind === "ci" && /^\s*permissions\s*:\s*write-all\b/.test(l.text),
  (l) => l.kind === "ci" && WORKFLOW_SCOPE_WRITE.test(l.text),
  (l) => l.kind === "ci" && /\bpull_request_target\b/.test(l.text),
];

/**
 * Words without which a kind's rules cannot fire, tested on the raw line before the
 * rules run: one test of all of them together rejects most lines before their strings
 * are blanked, then each kind's own test skips the kinds a line cannot fire. Each list
 * is a superset of what its rules accept, case-insensitive, over the raw line (the code
 * and text views are the raw line with strings blanked and a comment cut, so a word they
 * hold stands in the raw line too); skipping a line they reject changes no result.
 * `words` are plain text; `patterns` are regular expressions for what no word spells,
 * such as "oauth" and "apikey" joined from words split at `_` or `-` by the identifier rules.
 */
const KEYWORDS: Record<SignalKind, { words: string[]; patterns?: string[] }> = {
  // TIMEOUT_WORDS; a setting also needs a number (NUMBER).
  timeout: { words: ["timeout", "deadline", "ttl"] },
  // LIMIT_WORDS and "pool" (pool size); a number too.
  limit: { words: ["max", "limit", "capacity", "retr", "concurrency", "pool"] },
  "process-exec": {
    words: ["exec", "spawn", "fork", "system", "popen", "subprocess", "shell", "pexpect", "child_process", "childprocess", "command"],
  },
  eval: { words: ["eval", "exec", "vm.", "load"], patterns: [String.raw`new\s+function`] },
  unsafe: { words: ["unsafe"] },
  // AUTH_WORDS, login_required, and the check nouns.
  auth: {
    words: ["jwt", "jwks", "bearer", "rbac", "oidc", "saml", "csrf", "login", "token", "signature", "password", "perm", "role", "scope"],
    patterns: [String.raw`a[_-]*u[_-]*t[_-]*h`],
  },
  crypto: { words: ["md5", "sha1", "sha-1", "verif", "check_hostname", "cert_none", "reject", "danger_accept", "curl", "rand"] },
  // The secret redactor's markers.
  secret: { words: ["[redacted:"] },
  "network-listen": {
    words: ["0.0.0.0", "hostnetwork", "hostport", "nodeport", "loadbalancer", "--net", "network_mode", "expose", "listen", ".bind("],
    patterns: [String.raw`["'[\s=]::(?:["'\]\s]|$)`, String.raw`\d:\d`],
  },
  permission: { words: ["777", "666", "chmod", "privilege", "runas", "sys_admin", "--cap-add", "user", "write", "pull_request_target"] },
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const KIND_KEYWORD = Object.fromEntries(
  Object.entries(KEYWORDS).map(([kind, { words, patterns = [] }]) => [
    kind,
    new RegExp([...words.map(escapeRegExp), ...patterns].join("|"), "i"),
  ]),
) as Record<SignalKind, RegExp>;

/**
 * Any kind's keyword: a line this rejects can fire no rule. Plain words first, then the
 * patterns: V8 runs an alternation of literals about twice as fast as one mixed with
 * classes and quantifiers (on the nixl history, 240 ms → 110 ms for this test alone),
 * which is also why the token prefixes are spelled out rather than written `gh[pousr]_`.
 */
const ANY_KEYWORD = new RegExp(
  [
    ...new Set(Object.values(KEYWORDS).flatMap(({ words }) => words.map(escapeRegExp))),
    ...Object.values(KEYWORDS).flatMap(({ patterns = [] }) => patterns),
  ].join("|"),
  "i",
);
const HAS_DIGIT = /\d/;
/** Timeouts and limits are settings given a number (NUMBER needs a digit). */
const NEEDS_DIGIT = new Set<SignalKind>(["timeout", "limit"]);

const RULES: ReadonlyArray<{ kind: SignalKind; rules: Rule[]; keyword: RegExp; needsDigit: boolean }> = (
  [
    ["timeout", TIMEOUT_RULES],
    ["limit", LIMIT_RULES],
    ["process-exec", PROCESS_RULES],
    ["eval", EVAL_RULES],
    ["unsafe", UNSAFE_RULES],
    ["auth", AUTH_RULES],
    ["crypto", CRYPTO_RULES],
    ["secret", SECRET_RULES],
    ["network-listen", NETWORK_RULES],
    ["permission", PERMISSION_RULES],
  ] as const
).map(([kind, rules]) => ({ kind, rules, keyword: KIND_KEYWORD[kind], needsDigit: NEEDS_DIGIT.has(kind) }));
const SECRET_ONLY = RULES.filter((rule) => rule.kind === "secret");
