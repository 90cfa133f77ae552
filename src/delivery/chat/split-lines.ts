import { InternalError } from "../../errors.js";

/**
 * How a platform measures its limit: UTF-16 code units (what JavaScript's `length` and
 * most JSON APIs count; never fewer than code points), UTF-8 bytes (WeCom, DingTalk), or
 * UTF-8 bytes of the text as a JSON string (Feishu limits the request body, where quotes
 * and newlines take two bytes).
 */
export type LimitUnit = "chars" | "bytes" | "json-bytes";

export interface TextLimit {
  limit: number;
  unit: LimitUnit;
}

export function measureText(text: string, unit: LimitUnit): number {
  if (unit === "chars") return text.length;
  const encoded = unit === "bytes" ? text : JSON.stringify(text).slice(1, -1);
  return Buffer.byteLength(encoded, "utf8");
}

/**
 * Packs lines into as few chunks as the limit allows, each chunk whole lines joined by
 * `lineBreak`. A line is never cut: one longer than the limit is a bug in the caller,
 * which bounds every line it builds. Blank lines (section breaks) are dropped at the
 * edges of a chunk.
 */
export function splitLines(lines: readonly string[], { limit, unit }: TextLimit, lineBreak = "\n"): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  const breakSize = measureText(lineBreak, unit);
  const flush = () => {
    while (current.length > 0 && current[current.length - 1] === "") current.pop();
    if (current.length > 0) chunks.push(current.join(lineBreak));
    current = [];
    size = 0;
  };
  for (const line of lines) {
    const length = measureText(line, unit);
    if (length > limit) throw new InternalError(`a chat line of ${length} ${unit} exceeds the limit of ${limit}`);
    if (current.length === 0 && line === "") continue;
    const added = current.length === 0 ? length : length + breakSize;
    if (size + added > limit) {
      flush();
      if (line === "") continue;
      current.push(line);
      size = length;
    } else {
      current.push(line);
      size += added;
    }
  }
  flush();
  return chunks;
}
