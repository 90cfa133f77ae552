/**
 * Shortening a title for the table of contents without splitting a character: cuts
 * fall between grapheme clusters (an emoji with its modifiers, a letter with its
 * accents, a flag), and wide characters (CJK, emoji) count two columns, as they show.
 * Where the text has spaces near the cut, it falls between words.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const ELLIPSIS = "…";
/** How far back (in graphemes) a cut may move to land between words. */
const WORD_BACKTRACK = 12;

export function truncateTitle(text: string, maxColumns: number): string {
  const graphemes = Array.from(segmenter.segment(text), (part) => part.segment);
  const widths = graphemes.map(measureGrapheme);
  if (widths.reduce((sum, width) => sum + width, 0) <= maxColumns) return text;
  let count = 0;
  let used = 0;
  while (count < graphemes.length && used + (widths[count] ?? 1) <= maxColumns - 1) {
    used += widths[count] ?? 1;
    count += 1;
  }
  if (!isSpace(graphemes[count])) {
    const lastSpace = graphemes.slice(0, count).findLastIndex(isSpace);
    if (lastSpace > 0 && count - lastSpace <= WORD_BACKTRACK) count = lastSpace;
  }
  return `${graphemes.slice(0, count).join("").trimEnd()}${ELLIPSIS}`;
}

function isSpace(grapheme: string | undefined): boolean {
  return grapheme !== undefined && /^\s+$/.test(grapheme);
}

// East Asian Wide and Fullwidth blocks and the emoji planes, after
// https://www.unicode.org/reports/tr11/; close enough for a table of contents.
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f000, 0x1faff],
  [0x20000, 0x3fffd],
];

function measureGrapheme(grapheme: string): number {
  const codePoint = grapheme.codePointAt(0) ?? 0;
  return WIDE_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to) ? 2 : 1;
}
