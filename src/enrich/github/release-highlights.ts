const MAX_HIGHLIGHTS = 5;
const MAX_LENGTH = 200;

// Headings GitHub's generated release notes put above every list; they say nothing about the release.
// https://docs.github.com/en/repositories/releasing-projects-on-github/automatically-generated-release-notes
const BOILERPLATE_HEADINGS =
  /^(?:what'?s changed|new contributors|full changelog|changelog|changes|contributors|release notes|assets)\s*:?$/i;
const FIRST_CONTRIBUTION = /\bmade their first contribution\b/i;
const FULL_CHANGELOG = /^full changelog\b/i;

/**
 * The first points of a release's notes: up to five heading or bullet lines as plain text, each at
 * most 200 characters. Notes without headings or bullets give their first line of prose.
 */
export function extractReleaseHighlights(body: string | null | undefined): string[] {
  if (!body) return [];
  const points: string[] = [];
  let firstProse: string | undefined;
  let inFence = false;
  for (const rawLine of withoutHtmlComments(body).split(/\r?\n/)) {
    if (/^\s{0,3}(?:```|~~~)/.test(rawLine)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(rawLine);
    const bullet = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(rawLine);
    const content = heading?.[1] ?? bullet?.[1];
    if (content === undefined) {
      const prose = stripMarkdown(rawLine);
      if (firstProse === undefined && prose.length > 0 && !/^[-=]+$/.test(prose) && !FULL_CHANGELOG.test(prose)) {
        firstProse = prose;
      }
      continue;
    }
    const text = stripMarkdown(content);
    if (text.length === 0 || BOILERPLATE_HEADINGS.test(text) || FIRST_CONTRIBUTION.test(text) || FULL_CHANGELOG.test(text)) {
      continue;
    }
    const shortened = shorten(text);
    if (!points.includes(shortened)) points.push(shortened);
    if (points.length === MAX_HIGHLIGHTS) break;
  }
  if (points.length === 0 && firstProse !== undefined) return [shorten(firstProse)];
  return points;
}

function withoutHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, "");
}

/** Markdown inline syntax to plain text (https://spec.commonmark.org/0.31.2/#inlines, GFM extensions). */
export function stripMarkdown(text: string): string {
  return (
    text
      .replace(/^\[[ xX]\]\s+/, "")
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
      // GitHub renders links to its pull requests and issues as #123.
      .replace(/https?:\/\/[^\s/]+\/[^\s/]+\/[^\s/]+\/(?:pull|issues)\/(\d+)(?:[#?][^\s]*)?/g, "#$1")
      .replace(/<\/?[A-Za-z][^>]*>/g, "")
      .replace(/`+([^`]*)`+/g, "$1")
      .replace(/(\*\*|__)(?=\S)([^*_]*?\S)\1/g, "$2")
      .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, "$1$2")
      .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, "$1$2")
      .replace(/~~(?=\S)([^~]*?\S)~~/g, "$1")
      .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, "$1")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** At most 200 characters, cut at a word boundary, with "…" where cut. */
export function shorten(text: string, max = MAX_LENGTH): string {
  const characters = [...text];
  if (characters.length <= max) return text;
  const head = characters.slice(0, max - 1).join("");
  const boundary = head.lastIndexOf(" ");
  // Text without spaces (Chinese, long URLs) is cut where it reaches the limit.
  const cut = boundary > max / 2 ? head.slice(0, boundary) : head;
  return `${cut.replace(/[\s,;:.\-–—]+$/, "")}…`;
}
