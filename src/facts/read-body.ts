/**
 * What a commit body says the change does, in its author's words, for the report to quote:
 * - a squash merge lists its commits as bullets (`* Allow stub fallback`); a PR body lists
 *   changes as `-` items: each item is a point, noise dropped (merge-main, fix-lint,
 *   review-comment commits that every squash carries);
 * - a bors merge (`Merge #123`) carries `123: <PR title> r=… a=…`, and a GitHub merge commit
 *   the PR title as its first line: that title is `prTitle`;
 * - otherwise, the first paragraph of prose.
 * Trailers (Signed-off-by, Co-authored-by, Change-Id...), PR-template headings and
 * checklists, HTML comments and dependabot's link lists are never points.
 */

export interface BodyFacts {
  points: string[];
  prTitle?: string;
  /** PR number from a bors body (`123: title`). */
  prNumber?: number;
  fixes: string[];
}

const MAX_POINTS = 5;
/** Long enough for a first paragraph that says what and why; a list item is shorter. */
const MAX_POINT_LENGTH = 320;

/** `Key: value` trailers, git-interpret-trailers(1); keys are words with dashes. */
const TRAILER = /^[A-Za-z][\w-]*(?:-[\w]+)*:\s+\S/;
const KNOWN_TRAILER = /^(signed-off-by|co-authored-by|reviewed-by|acked-by|tested-by|reported-by|suggested-by|helped-by|cc|change-id|bug|refs?|see-also|pr-url|link|closes|fixes|resolves|approved-by|reviewed-on|differential revision|release-note|jira|ticket|issue|backport-of|cherry-picked from|x-[\w-]+)\s*:/i;
const BULLET = /^\s*(?:[*\-•+]|\d+[.)])\s+(.*)$/;
const CHECKBOX = /^\[[ xX]\]\s*/;
const HEADING = /^\s*(#{1,6}\s+|\*\*[^*]+\*\*:?\s*$|[A-Z][\w /&-]{0,40}:\s*$)/;
/** Squash-merge commits that say nothing about the change itself. */
const NOISE = new RegExp(
  [
    String.raw`^merge (branch|remote-tracking branch|pull request|commit)\b`,
    String.raw`^merged? (main|master|upstream|origin)\b`,
    String.raw`^(fix(es|ed)?|run|apply|address(es|ed)?|resolve[sd]?)\s+(the\s+)?(lint(ing)?|linter|format(ting)?|pre-?commit|typos?|review( comments?)?|comments?|conflicts?|ci|build|tests?|mypy|ruff|clippy|rustfmt|style|nits?)\b`,
    String.raw`^(review( comments?)?|nits?|wip|cleanup|clean up|minor( fixes)?|lint|format(ting)?|typo|fixup!?|squash!?|pre-commit|update|updates|fix|fixes|misc|more|tmp|temp|test|tests|done|revert|oops)\b[.!]?$`,
    String.raw`^apply suggestions? from code review`,
    String.raw`^update [\w./-]+$`,
    String.raw`^(bumps|updates) the \S+ group`,
    String.raw`^\[pre-commit\.ci\]`,
    String.raw`^(release notes|changelog|commits|compare view)\b`,
    String.raw`^updated-dependencies:`,
    String.raw`^dependency-(name|type|version):`,
    String.raw`^(co-authored-by|signed-off-by)\b`,
  ].join("|"),
  "i",
);
/** GitHub's own words in dependabot bodies and web-UI commits. */
const BOILERPLATE = /^(dependabot will resolve|you can trigger|---$|\.\.\.$|<details>|<\/details>|<summary>|\[!\[|!\[|you can disable automated|<br\s*\/?>)/i;
const FIX_REFERENCE = /\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?)\s*:?\s+((?:[\w.-]+\/[\w.-]+)?#\d+|https?:\/\/\S+\/(?:issues|pull)\/\d+)/gi;
const BORS_TITLE = /^(\d+):\s+(.+?)(?:\s+r=[^\s]+)?(?:\s+a=[^\s]+)?\s*$/;

export function readBody(subject: string, body: string): BodyFacts {
  const fixes = [...new Set([...`${subject}\n${body}`.matchAll(FIX_REFERENCE)].map((m) => m[1]!))];
  const lines = stripNonContent(body.split(/\r?\n/));
  const facts: BodyFacts = { points: [], fixes };

  // bors: "Merge #123" with "123: Title r=… a=…" first in the body.
  if (/^Merge #\d+$/.test(subject.trim())) {
    const first = lines.find((line) => line.trim() !== "");
    const m = first ? BORS_TITLE.exec(first.trim()) : null;
    if (m) {
      facts.prNumber = Number(m[1]);
      facts.prTitle = clean(m[2]!);
    }
  } else if (/^Merge pull request #\d+\b/.test(subject.trim())) {
    const first = lines.find((line) => line.trim() !== "");
    if (first && !BULLET.test(first)) facts.prTitle = clean(first.trim());
  }

  const bullets: string[] = [];
  const paragraphs: string[][] = [[]];
  let bulletsSeen = 0;
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line.trim() === "") {
      if (paragraphs[paragraphs.length - 1]!.length > 0) paragraphs.push([]);
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet) {
      if (!CHECKBOX.test(bullet[1]!)) bulletsSeen += 1;
      const text = clean(bullet[1]!.replace(CHECKBOX, ""));
      // A checked or unchecked box is a PR template's checklist, not a change.
      if (!CHECKBOX.test(bullet[1]!) && isPoint(text)) bullets.push(text);
      continue;
    }
    if (HEADING.test(line)) {
      if (paragraphs[paragraphs.length - 1]!.length > 0) paragraphs.push([]);
      continue;
    }
    paragraphs[paragraphs.length - 1]!.push(line.trim());
  }

  if (bullets.length > 0) {
    facts.points = dedupe(bullets).slice(0, MAX_POINTS);
  } else if (bulletsSeen === 0) {
    const prose = paragraphs
      .map((paragraph) => clean(paragraph.join(" ")))
      .find((text) => text !== "" && isPoint(text) && (facts.prTitle === undefined || text !== facts.prTitle) && !BORS_TITLE.test(text));
    if (prose) facts.points = [prose];
  }
  facts.points = facts.points.map(shorten).filter((point) => point !== subject.trim());
  return facts;
}

/** Drops trailers (the last block of `Key: value` lines), HTML comments, and everything after a `---` rule that starts YAML or notes. */
function stripNonContent(lines: readonly string[]): string[] {
  const out: string[] = [];
  let inComment = false;
  for (const line of lines) {
    let text = line;
    if (inComment) {
      const end = text.indexOf("-->");
      if (end < 0) continue;
      text = text.slice(end + 3);
      inComment = false;
    }
    text = text.replace(/<!--[^]*?-->/g, "");
    const start = text.indexOf("<!--");
    if (start >= 0) {
      inComment = true;
      text = text.slice(0, start);
    }
    if (/^---\s*$/.test(text.trim()) && out.some((l) => l.trim() !== "")) break;
    if (KNOWN_TRAILER.test(text.trim()) || BOILERPLATE.test(text.trim())) continue;
    out.push(text);
  }
  // A trailing block of generic trailers (`Key: value` on every line).
  let end = out.length;
  while (end > 0 && out[end - 1]!.trim() === "") end -= 1;
  let start = end;
  while (start > 0 && TRAILER.test(out[start - 1]!.trim()) && !/\s{2,}/.test(out[start - 1]!)) start -= 1;
  if (start < end && (start === 0 || out[start - 1]!.trim() === "")) end = start;
  return out.slice(0, end);
}

function isPoint(text: string): boolean {
  if (text.length < 3 || NOISE.test(text) || BOILERPLATE.test(text)) return false;
  // A bare link or a line of only a reference says nothing in words.
  if (/^(\(?#\d+\)?|https?:\/\/\S+|\[[^\]]*\]\([^)]*\))$/.test(text)) return false;
  return /[A-Za-z\u4e00-\u9fff]/.test(text);
}

/** Markdown links to their text, trailing PR references and spaces trimmed. */
function clean(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g, "$1")
    .replace(/\s*\(#\d+\)\s*$/, "")
    .replace(/\s+/g, " ")
    .trim();
}

function shorten(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= MAX_POINT_LENGTH) return text;
  // Cut at a sentence end when there is one early enough, else at a word.
  const head = chars.slice(0, MAX_POINT_LENGTH).join("");
  const sentence = head.search(/[.!?。！？](\s|$)(?!.*[.!?。！？](\s|$))/);
  if (sentence > MAX_POINT_LENGTH / 2) return head.slice(0, sentence + 1);
  const space = head.lastIndexOf(" ");
  return `${(space > MAX_POINT_LENGTH / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

function dedupe(items: readonly string[]): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The version a release commit announces. Projects write `chore(release): prepare for
 * v2.10.0`, `Release 1.4.0`, `v4.6.0`, `Bump version to 0.3.1`, `release: 3.39.2`; the
 * subject must be about the release itself, so `fix: crash in v2.1.0 parser` is none.
 */
const RELEASE_SUBJECTS: readonly RegExp[] = [
  /^(?:chore|build|release|ci|feat)?\s*\(?(?:release|version)\)?!?:\s*(?:prepare (?:for )?|release |bump (?:version )?(?:to )?)?v?(\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?)\b/i,
  /^(?:release|releasing|version|bump(?:ed)? version(?: to)?|prepare(?: for)?(?: release)?|start(?:ing)? (?:version|release))\s+v?(\d+\.\d+(?:\.\d+)?(?:[-+.][0-9A-Za-z.-]+)?)\s*$/i,
  /^v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)\s*$/,
];

export function readReleaseVersion(description: string, subject: string): string | undefined {
  for (const text of [subject.trim().replace(/\s*\(#\d+\)\s*$/, ""), description.trim()]) {
    for (const pattern of RELEASE_SUBJECTS) {
      const m = pattern.exec(text);
      if (m) return m[1];
    }
  }
  return undefined;
}
