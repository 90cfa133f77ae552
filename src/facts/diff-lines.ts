/**
 * A line of a unified diff with its line numbers, so that every fact can say where it
 * was read. Patches are parsed once per file by `parsePatch` in patch-scan.ts.
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
