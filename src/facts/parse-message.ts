/**
 * What a commit message says about itself: its Conventional Commits type and scope,
 * bracket tags, PR number, revert, merge, trailers and whether a bot wrote it.
 * Conventional Commits 1.0: https://www.conventionalcommits.org/en/v1.0.0/
 * Trailers (Co-authored-by, Signed-off-by): https://git-scm.com/docs/git-interpret-trailers
 */
import type { Person } from "../sources/types.js";
import type { MessageFacts } from "./types.js";

/** `type(scope)!: description`; the type is any word, as the spec allows. */
const CONVENTIONAL_HEADER = /^(?<type>[A-Za-z][\w-]*)(?:\((?<scope>[^()\r\n]*)\))?(?<bang>!)?:[ \t]+(?<description>.*)$/;

/** `[Core][Perf] ...`, `[Bugfix] ...`, as vLLM writes them; the tags may be followed by `:` or `-`. */
const LEADING_TAG = /^\[(?<tag>[^\][]+)\]\s*/;
const TAG_SEPARATOR = /^[:\-–]\s*/;

/** `(#5492)` at the end of a subject, as GitHub's squash merge writes it. */
const TRAILING_PR = /\s*\(#(\d+)\)\s*$/;
const MERGE_PR = /^Merge pull request #(\d+)\b/;
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
  const header = CONVENTIONAL_HEADER.exec(withoutTags)?.groups;

  const footerNote = findBreakingNote(bodyLines);
  const description = (header?.description ?? withoutTags).trim() || trimmedSubject;
  const bang = header?.bang === "!";
  const type = header?.type?.toLowerCase();
  const scope = header?.scope?.trim() || undefined;
  const mergePr = MERGE_PR.exec(trimmedSubject)?.[1];
  const revertedSha = REVERTS_COMMIT.exec(body)?.[1]?.toLowerCase();

  const facts: MessageFacts = {
    breaking: bang || footerNote !== undefined,
    tags,
    description,
    isRevert: REVERT_SUBJECT.test(trimmedSubject) || type === "revert" || revertedSha !== undefined,
    isMerge: MERGE_SUBJECT.test(trimmedSubject),
    coAuthors: collectTrailerPeople(bodyLines, CO_AUTHOR),
    signedOffBy: collectTrailerPeople(bodyLines, SIGNED_OFF),
    isBot: isBotAuthor(author),
  };
  if (type !== undefined) facts.type = type;
  if (scope !== undefined) facts.scope = scope;
  // With `!` and no footer, the spec says the description describes the breaking change.
  const breakingNote = footerNote || (bang ? description : undefined);
  if (breakingNote) facts.breakingNote = breakingNote;
  const prNumber = trailingPr ?? (mergePr === undefined ? undefined : Number(mergePr));
  if (prNumber !== undefined) facts.prNumber = prNumber;
  if (revertedSha !== undefined) facts.revertedSha = revertedSha;
  return facts;
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
