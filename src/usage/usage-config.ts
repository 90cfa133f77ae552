/**
 * `usedBy:` of a tracked repository (README: "What affects you"): the user's own code, whose
 * uses of the project's names make a commit "affect you"; and `provides:`, what the project
 * offers under which names, when its own tree does not say it (read in identity.ts).
 */
import * as z from "zod";

const names = z.array(z.string().min(1)).optional();

const usedByEntrySchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** A local folder: the user's repository or a part of it. Relative to the config file. */
    path: z.string().min(1),
    /** How reports name it; default: the path as written. */
    label: z.string().min(1).optional(),
  }),
]);

export const usedBySchema = z.union([z.string().min(1), z.array(usedByEntrySchema).min(1)]).optional();

/** Overrides of what identity.ts reads from the project's tree; each list replaces the one read. */
export const providesSchema = z
  .strictObject({
    python: names,
    npm: names,
    crates: names,
    goModules: names,
    headers: names,
    commands: names,
  })
  .optional();

export interface UsedBy {
  /** Absolute. */
  path: string;
  /** As the report names it: the label, else the path as written. */
  label: string;
}

/** The used-by paths as configured, in order, one entry per path, resolved with `absolute`. */
export function resolveUsedBy(value: z.infer<typeof usedBySchema>, absolute: (path: string) => string): UsedBy[] {
  if (value === undefined) return [];
  const entries = typeof value === "string" ? [value] : value;
  const seen = new Set<string>();
  const out: UsedBy[] = [];
  for (const entry of entries) {
    const written = typeof entry === "string" ? entry : entry.path;
    const path = absolute(written);
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, label: typeof entry === "string" ? written : (entry.label ?? written) });
  }
  return out;
}
