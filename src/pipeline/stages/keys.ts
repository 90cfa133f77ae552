/**
 * Cache keys: a hash of everything that changes an output, in a stable order, so that the
 * same inputs find the same stored analysis, overview or job, in any process.
 */
import { createHash } from "node:crypto";

export function hashOptions(options: unknown): string {
  return createHash("sha256").update(stableJson(options)).digest("hex").slice(0, 16);
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
