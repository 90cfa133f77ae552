/**
 * Which rule keywords occur in a text, in one pass: an Aho–Corasick automaton
 * (https://doi.org/10.1145/360825.360855), the prefilter gitleaks runs before any rule's
 * pattern. V8 tries a 250-word alternation at every position: over nixl's whole history
 * (18 M characters of patches) that alone took 1.7 s; this takes about 150 ms.
 *
 * Keywords are lower-case ASCII; the text is matched case-insensitively (ASCII letters,
 * as gitleaks lower-cases the fragment), and any character no keyword has breaks a match.
 */

export class KeywordMatcher {
  /** Characters as the automaton's alphabet: 0 for any character no keyword holds. */
  private readonly classOf = new Uint8Array(128);
  private readonly width: number;
  /** Next state for (state, class) at `state + class`, states being kept as their row's offset (`index * width`): no multiplication per character. */
  private readonly next: Uint32Array;
  /** Keywords ending at each state (by row offset), its failure chain's included. */
  private readonly outputs: Array<readonly number[] | undefined>;

  constructor(readonly keywords: readonly string[]) {
    let classes = 1;
    for (const keyword of keywords) {
      for (let i = 0; i < keyword.length; i++) {
        const code = keyword.charCodeAt(i);
        if (code >= 128 || (code >= 65 && code <= 90)) throw new Error(`keyword ${JSON.stringify(keyword)} is not lower-case ASCII`);
        if (this.classOf[code] === 0) {
          this.classOf[code] = classes;
          // Upper-case letters go where their lower-case ones go.
          if (code >= 97 && code <= 122) this.classOf[code - 32] = classes;
          classes += 1;
        }
      }
    }
    this.width = classes;
    const children: Array<Map<number, number>> = [new Map()];
    const ends: number[][] = [[]];
    keywords.forEach((keyword, index) => {
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const c = this.classOf[keyword.charCodeAt(i)]!;
        let child = children[state]!.get(c);
        if (child === undefined) {
          child = children.length;
          children.push(new Map());
          ends.push([]);
          children[state]!.set(c, child);
        }
        state = child;
      }
      ends[state]!.push(index);
    });
    const count = children.length;
    const width = this.width;
    const next = new Uint32Array(count * width);
    const fail = new Uint32Array(count);
    const outputs = new Array<readonly number[] | undefined>(count);
    // Breadth first, so that a state's failure target is complete before the state is.
    const queue: number[] = [];
    for (let c = 1; c < width; c++) {
      const child = children[0]!.get(c);
      if (child !== undefined) {
        next[c] = child;
        queue.push(child);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const own = ends[state]!;
      const inherited = outputs[fail[state]!];
      const all = inherited ? [...own, ...inherited] : own;
      outputs[state] = all.length > 0 ? all : undefined;
      for (let c = 1; c < width; c++) {
        const child = children[state]!.get(c);
        if (child === undefined) {
          next[state * width + c] = next[fail[state]! * width + c]!;
        } else {
          fail[child] = next[fail[state]! * width + c]!;
          next[state * width + c] = child;
          queue.push(child);
        }
      }
    }
    // Rows by offset instead of index.
    for (let i = 0; i < next.length; i++) next[i] = next[i]! * width;
    this.next = next;
    this.outputs = new Array<readonly number[] | undefined>(count * width);
    outputs.forEach((found, state) => (this.outputs[state * width] = found));
  }

  /**
   * Every occurrence, in text order, as pairs in `out`: the keyword's index, then the
   * offset just past it. Returns the number of pairs.
   */
  scan(text: string, out: number[]): number {
    const { next, outputs, classOf } = this;
    out.length = 0;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      state = code < 128 ? next[state + classOf[code]!]! : 0;
      if (state !== 0) {
        const found = outputs[state];
        if (found !== undefined) for (const keyword of found) out.push(keyword, i + 1);
      }
    }
    return out.length / 2;
  }
}
