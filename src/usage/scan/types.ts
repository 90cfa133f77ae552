/**
 * The readers of the usage scan (scan-usage.ts): one adapter per kind of file, keyed by `id`
 * in registry.ts, one folder each. A reader gets one file's text once and returns the uses it
 * found and how many dynamic uses it saw and did not claim.
 */
import type { ProjectIdentity, Use, UseKind, UsageLanguage } from "../types.js";

export interface UsageFile {
  /** Relative to the scanned root, with `/`. */
  path: string;
  text: string;
}

export interface ReadResult {
  uses: Use[];
  /** `getattr`, string imports, `require(variable)`: seen, not claimed. */
  dynamic: number;
}

export interface UsageReader {
  readonly id: string;
  /** The code language it reads symbol uses of; absent for the text readers. */
  readonly language?: UsageLanguage;
  /** What it looks for: the index's `kinds` is the union over the readers that read a file. */
  readonly kinds: readonly UseKind[];
  /** Whether this reader reads the file at `path` (relative, `/`-separated). */
  accepts(path: string): boolean;
  read(file: UsageFile, identity: ProjectIdentity): Promise<ReadResult> | ReadResult;
}
