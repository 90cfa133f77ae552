/**
 * What a commit message says about itself: its Conventional Commits type and scope
 * (or the component prefix that projects without Conventional Commits write in its
 * place), bracket tags, PR number, revert, merge, trailers and whether a bot wrote it.
 * Conventional Commits 1.0: https://www.conventionalcommits.org/en/v1.0.0/
 * Trailers (Co-authored-by, Signed-off-by): https://git-scm.com/docs/git-interpret-trailers
 */
import type { Person } from "../sources/types.js";
import { readBody, readReleaseVersion } from "./read-body.js";
import type { MessageFacts } from "./types.js";

/**
 * `head(paren)!: description`. The head is either a Conventional Commits type
 * (`fix(api): ...`) or, as in projects that do not write Conventional Commits, the
 * component the commit is about: `nixl_ep: ...`, `net/http: ...`, `cmd/go, go/build: ...`,
 * `drm/i915: ...`. One token (no spaces), so that a sentence with a colon in it
 * (`Fix bug: crash on exit`) is not split; a colon must be followed by a blank, so
 * URLs (`https://...`) and `std::move` are not headers either.
 */
const SUBJECT_HEADER =
  /^(?<head>[A-Za-z_.][\w.+/-]*(?:,[ \t]*[A-Za-z_.][\w.+/-]*)*)(?:\((?<paren>[^()\r\n]*)\))?(?<bang>!)?:[ \t]+(?<description>.*)$/;

/**
 * Types read as Conventional Commits types, lower-cased: the ones commitlint's
 * config-conventional knows (https://github.com/conventional-changelog/commitlint/tree/master/%40commitlint/config-conventional)
 * and the spellings projects use for them. Any other head is a component, kept as the
 * scope; the spec says types are case-insensitive, so `CI:` and `Docs:` are types.
 */
export const CONVENTIONAL_TYPE_WORDS: readonly string[] = [
  "feat",
  "feature",
  "fix",
  "bugfix",
  "hotfix",
  "docs",
  "doc",
  "refactor",
  "perf",
  "test",
  "tests",
  "build",
  "ci",
  "chore",
  "style",
  "revert",
  "deps",
  "config",
];
const TYPE_WORDS: ReadonlySet<string> = new Set(CONVENTIONAL_TYPE_WORDS);

/**
 * Words that open a sentence rather than name a component: `Note: ...`, `WIP: ...`,
 * `Re: ...`. The subject is kept whole as the description, since dropping the word
 * would change what the sentence says.
 */
const PROSE_LABELS: ReadonlySet<string> = new Set([
  "note",
  "notes",
  "nb",
  "fyi",
  "wip",
  "draft",
  "todo",
  "fixme",
  "hack",
  "warning",
  "important",
  "attention",
  "reminder",
  "question",
  "re",
  "fwd",
  "see",
  "example",
  "e.g.",
  "i.e.",
]);

/** `[Core][Perf] ...`, `[Bugfix] ...`, as vLLM writes them; the tags may be followed by `:` or `-`. */
const LEADING_TAG = /^\[(?<tag>[^\][]+)\]\s*/;
const TAG_SEPARATOR = /^[:\-–]\s*/;

/** `(#5492)` at the end of a subject, as GitHub's squash merge writes it. */
const TRAILING_PR = /\s*\(#(\d+)\)\s*$/;
const MERGE_PR = /^Merge pull request #(\d+)\b/;
/** bors writes `Merge #123` and puts the PR's title in the body. */
const BORS_MERGE = /^Merge #\d+$/;
const MERGE_SUBJECT = /^Merge (branch|pull request|remote-tracking branch|tag|commit|[`'"])/;
const REVERT_SUBJECT = /^Revert\s+"/;
const REVERTS_COMMIT = /This reverts commit ([0-9a-f]{7,64})\b/i;

/** Footer tokens that announce a breaking change; the spec wants them upper-case. */
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE:[ \t]*(.*)$/;
/** Any footer token, which ends the value of the one before it (spec, rule 10). */
const FOOTER_TOKEN = /^(?:[\w-]+|BREAKING CHANGE)(?::[ \t]|[ \t]#)/;
const CO_AUTHOR = /^co-authored-by:\s*(.+)$/i;
const SIGNED_OFF = /^signed-off-by:\s*(.+)$/i;
const NAME_AND_EMAIL = /^(?<name>.*?)\s*<(?<email>[^>]*)>\s*$/;

const BOT_AUTHOR =
  /\[bot\]|\b(dependabot|renovate|github-actions|pre-commit-ci|mergify|copilot|greenkeeper|snyk-bot|imgbot|allcontributors|semantic-release-bot|dependabot-preview)\b|(^|[-_.+\s])bot@|\bbot$/i;

export function parseMessage(subject: string, body: string, author: Person): MessageFacts {
  const trimmedSubject = subject.trim();
  const bodyLines = body.split(/\r?\n/);

  const { rest: withoutPr, prNumber: trailingPr } = stripTrailingPrs(trimmedSubject);
  const { tags, rest: withoutTags } = stripTags(withoutPr);
  const header = readHeader(withoutTags);

  const footerNote = findBreakingNote(bodyLines);
  const description = header.description.trim() || trimmedSubject;
  const bang = header.bang;
  const type = header.type;
  const scope = header.scope;
  const mergePr = MERGE_PR.exec(trimmedSubject)?.[1];
  const revertedSha = REVERTS_COMMIT.exec(body)?.[1]?.toLowerCase();

  const bodyFacts = readBody(trimmedSubject, body);
  const facts: MessageFacts = {
    breaking: bang || footerNote !== undefined,
    tags,
    description,
    isRevert: REVERT_SUBJECT.test(trimmedSubject) || type === "revert" || revertedSha !== undefined,
    isMerge: MERGE_SUBJECT.test(trimmedSubject) || BORS_MERGE.test(trimmedSubject),
    coAuthors: collectTrailerPeople(bodyLines, CO_AUTHOR),
    signedOffBy: collectTrailerPeople(bodyLines, SIGNED_OFF),
    isBot: isBotAuthor(author),
    points: bodyFacts.points,
    fixes: bodyFacts.fixes,
  };
  if (bodyFacts.prTitle !== undefined) facts.prTitle = bodyFacts.prTitle;
  const releaseVersion = readReleaseVersion(description, trimmedSubject);
  if (releaseVersion !== undefined) facts.releaseVersion = releaseVersion;
  if (type !== undefined) facts.type = type;
  if (scope !== undefined) facts.scope = scope;
  // With `!` and no footer, the spec says the description describes the breaking change.
  const breakingNote = footerNote || (bang ? description : undefined);
  if (breakingNote) facts.breakingNote = breakingNote;
  const prNumber = trailingPr ?? (mergePr === undefined ? bodyFacts.prNumber : Number(mergePr));
  if (prNumber !== undefined) facts.prNumber = prNumber;
  if (revertedSha !== undefined) facts.revertedSha = revertedSha;
  return facts;
}

interface SubjectHeader {
  type?: string;
  scope?: string;
  bang: boolean;
  description: string;
}

/**
 * Type, scope and description of a subject whose tags and PR number are gone:
 * - `type(scope)!: d` with a known type: Conventional Commits, as written;
 * - `component(type): d` with a known type in the parentheses (`libfabric(feat): ...`):
 *   the same thing inverted, so the type and the component swap places;
 * - `component: d` with any other head: the component is the scope; repeated heads
 *   (`net: ipv4: fix ...`, as Linux writes them) make one scope, `net: ipv4`;
 * - a prose label (`Note:`, `WIP:`) or no header: no type, no scope, the text whole.
 */
function readHeader(text: string): SubjectHeader {
  const groups = SUBJECT_HEADER.exec(text)?.groups;
  if (!groups) return { bang: false, description: text };
  const head = groups.head!.trim();
  const paren = groups.paren?.trim();
  const bang = groups.bang === "!";
  const description = groups.description!;
  const headWord = head.toLowerCase();
  const parenWord = paren?.toLowerCase();

  if (TYPE_WORDS.has(headWord)) return withScope({ type: headWord, bang, description }, paren);
  if (parenWord !== undefined && TYPE_WORDS.has(parenWord)) return withScope({ type: parenWord, bang, description }, head);
  if (PROSE_LABELS.has(headWord) || description.trim() === "") return { bang: false, description: text };

  const components = [paren ? `${head}(${paren})` : head];
  let rest = description;
  let restBang = bang;
  for (let next = readComponent(rest); next; next = readComponent(rest)) {
    components.push(next.component);
    rest = next.description;
    restBang ||= next.bang;
  }
  return { scope: components.join(": "), bang: restBang, description: rest };
}

/** A further `component: ` in front of a description, as long as it is neither a type nor a prose label. */
function readComponent(text: string): { component: string; bang: boolean; description: string } | undefined {
  const groups = SUBJECT_HEADER.exec(text)?.groups;
  if (!groups || groups.paren !== undefined || groups.description!.trim() === "") return undefined;
  const word = groups.head!.toLowerCase();
  if (TYPE_WORDS.has(word) || PROSE_LABELS.has(word)) return undefined;
  return { component: groups.head!.trim(), bang: groups.bang === "!", description: groups.description! };
}

function withScope(header: SubjectHeader, scope: string | undefined): SubjectHeader {
  return scope ? { ...header, scope } : header;
}

export function isBotAuthor(author: Person): boolean {
  return BOT_AUTHOR.test(author.name.trim()) || BOT_AUTHOR.test(author.email.trim());
}

/** Strips every trailing `(#N)`; the last one is the PR that merged the commit (`(#5401) (#5484)` → 5484). */
function stripTrailingPrs(subject: string): { rest: string; prNumber?: number } {
  let rest = subject;
  let prNumber: number | undefined;
  for (let match = TRAILING_PR.exec(rest); match; match = TRAILING_PR.exec(rest)) {
    prNumber ??= Number(match[1]);
    rest = rest.slice(0, match.index);
  }
  return prNumber === undefined ? { rest } : { rest, prNumber };
}

function stripTags(subject: string): { tags: string[]; rest: string } {
  const tags: string[] = [];
  let rest = subject;
  for (let match = LEADING_TAG.exec(rest); match; match = LEADING_TAG.exec(rest)) {
    tags.push(match.groups!.tag!.trim());
    rest = rest.slice(match[0].length);
  }
  if (tags.length > 0) rest = rest.replace(TAG_SEPARATOR, "");
  return { tags, rest };
}

/** The value of a `BREAKING CHANGE:` footer, with its continuation lines up to a blank line or the next footer. */
function findBreakingNote(lines: readonly string[]): string | undefined {
  const start = lines.findIndex((line) => BREAKING_FOOTER.test(line));
  if (start < 0) return undefined;
  const parts = [BREAKING_FOOTER.exec(lines[start]!)![1]!.trim()];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "" || FOOTER_TOKEN.test(line)) break;
    parts.push(line.trim());
  }
  return parts.filter((part) => part !== "").join(" ");
}

function collectTrailerPeople(lines: readonly string[], trailer: RegExp): Person[] {
  const people: Person[] = [];
  for (const line of lines) {
    const value = trailer.exec(line.trim())?.[1];
    if (value === undefined) continue;
    const person = parsePerson(value);
    if (!people.some((known) => known.name === person.name && known.email === person.email)) people.push(person);
  }
  return people;
}

function parsePerson(value: string): Person {
  const groups = NAME_AND_EMAIL.exec(value.trim())?.groups;
  if (groups) return { name: groups.name!.trim(), email: groups.email!.trim() };
  return { name: value.trim(), email: "" };
}
