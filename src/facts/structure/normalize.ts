/**
 * What adapters share: fingerprints of a definition's text without whitespace and
 * comments, whitespace-collapsed type and default texts, and the nesting of definitions
 * worked out from their ranges (cheaper than walking parents through the wasm boundary).
 */
import type { Node, Tree } from "web-tree-sitter";

/**
 * cyrb53, a 53-bit string hash (public domain, https://github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js):
 * a fingerprint only has to tell "same code" from "changed code" within one file's
 * history, and a JS hash avoids a crypto call per definition.
 */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Runs of whitespace to one space, trimmed: `Optional[ int ]` stays readable, `a,\n  b` becomes `a, b`. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

const WHITESPACE = /\s+/g;

/**
 * Fingerprints of ranges of one source text, with the file's comments cut out first.
 * Ranges are string indices (UTF-16 code units), as web-tree-sitter gives them.
 */
export class Fingerprinter {
  /** Comment ranges, sorted by start. */
  private readonly comments: ReadonlyArray<readonly [number, number]>;

  constructor(
    private readonly source: string,
    comments: ReadonlyArray<readonly [number, number]>,
  ) {
    this.comments = [...comments].sort((a, b) => a[0] - b[0]);
  }

  /** The text of [start, end) without comments and whitespace; `blank` (the name's range) is replaced by one marker. */
  normalized(start: number, end: number, blank?: readonly [number, number]): string {
    let out = "";
    let at = start;
    const cuts: Array<readonly [number, number, string]> = [];
    for (const [s, e] of this.commentsIn(start, end)) cuts.push([s, e, ""]);
    if (blank) cuts.push([blank[0], blank[1], "\u0001"]);
    cuts.sort((a, b) => a[0] - b[0]);
    for (const [s, e, replacement] of cuts) {
      if (s < at) continue;
      out += this.source.slice(at, s) + replacement;
      at = e;
    }
    out += this.source.slice(at, end);
    return out.replace(WHITESPACE, "");
  }

  fingerprint(start: number, end: number, blank?: readonly [number, number]): string {
    return hashText(this.normalized(start, end, blank));
  }

  private *commentsIn(start: number, end: number): Generator<readonly [number, number]> {
    // Binary search for the first comment that ends after `start`.
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid]![1] <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.comments.length; i++) {
      const range = this.comments[i]!;
      if (range[0] >= end) return;
      if (range[0] >= start && range[1] <= end) yield range;
    }
  }
}

/** A definition node with its range, for nesting. */
export interface Ranged {
  start: number;
  end: number;
}

/**
 * For each item (sorted by start, outer before inner when equal), the index of the
 * innermost item that contains it, or -1: the nesting of definitions from ranges alone.
 */
export function findParents(items: readonly Ranged[]): number[] {
  const parents: number[] = [];
  const stack: number[] = [];
  items.forEach((item, index) => {
    while (stack.length > 0 && items[stack[stack.length - 1]!]!.end <= item.start) stack.pop();
    parents.push(stack.length > 0 ? stack[stack.length - 1]! : -1);
    stack.push(index);
  });
  return parents;
}

/** 1-based line numbers of a node. */
export function linesOf(node: Node): { startLine: number; endLine: number } {
  return { startLine: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
}

/** The contents of a string literal node's text: quotes and prefixes (r, b, f, u) removed. */
export function unquote(text: string): string | undefined {
  const m = /^[rRbBuUfF]{0,2}("""|'''|"|'|`)([^]*)\1$/.exec(text);
  return m ? m[2] : undefined;
}

/** ERROR and MISSING nodes of a tree. */
export function countErrors(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  // Only a tree with errors is walked: most are clean, and a walk crosses into wasm per node.
  let count = 0;
  const cursor = tree.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) count += 1;
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return count;
      }
    }
  } finally {
    cursor.delete();
  }
}
