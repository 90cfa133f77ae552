import type { FileChange } from "../../src/sources/types.js";

/**
 * A FileChange whose patch is the given diff lines (a `@@` header first), with the
 * added and removed lines counted from them, as the git source would.
 */
export function fileChange(path: string, lines: string[], status: FileChange["status"] = "modified"): FileChange {
  return {
    path,
    status,
    oldMode: status === "added" ? "000000" : "100644",
    newMode: status === "deleted" ? "000000" : "100644",
    binary: false,
    submodule: false,
    additions: lines.filter((line) => line.startsWith("+")).length,
    deletions: lines.filter((line) => line.startsWith("-")).length,
    patch: lines.join("\n"),
    patchTruncated: false,
  };
}
