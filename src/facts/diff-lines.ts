/**
 * Walks the lines of a unified diff (the `patch` of a FileChange) with their line
 * numbers, so that every fact can say where it was read.
 * Format: https://www.gnu.org/software/diffutils/manual/html_node/Detailed-Unified.html
 */

export interface DiffLine {
  type: "add" | "del" | "ctx";
  /** The line without its leading "+", "-" or " ". */
  text: string;
  /** 1-based line in the old file (del and ctx lines). */
  oldLine?: number;
  /** 1-based line in the new file (add and ctx lines). */
  newLine?: number;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function* walkDiff(patch: string): Generator<DiffLine> {
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  for (const raw of patch.split("\n")) {
    const header = HUNK_HEADER.exec(raw);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      inHunk = true;
      continue;
    }
    if (!inHunk || raw.length === 0) continue;
    const marker = raw[0];
    const text = raw.slice(1);
    if (marker === "+") yield { type: "add", text, newLine: newLine++ };
    else if (marker === "-") yield { type: "del", text, oldLine: oldLine++ };
    else if (marker === " ") yield { type: "ctx", text, oldLine: oldLine++, newLine: newLine++ };
    // "\ No newline at end of file" and anything else carries no line.
  }
}

/** Added and removed lines only, each with the line number where it stands. */
export function* changedLines(patch: string): Generator<{ change: "added" | "removed"; text: string; line: number }> {
  for (const line of walkDiff(patch)) {
    if (line.type === "add") yield { change: "added", text: line.text, line: line.newLine! };
    else if (line.type === "del") yield { change: "removed", text: line.text, line: line.oldLine! };
  }
}
