/**
 * Writes schema/repo-digest.schema.json, the JSON Schema of repo-digest.yaml, from the zod
 * schema that the CLI checks a config with (src/config/schema.ts), so that editors
 * (yaml-language-server, through the `# yaml-language-server: $schema=` line `init` writes)
 * complete and check the same keys. A test fails when the committed file is out of date.
 *
 *   npm run schema
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as z from "zod";
import { configSchema } from "../src/config/schema.js";

export const SCHEMA_FILE = join(import.meta.dirname, "..", "schema", "repo-digest.schema.json");

/** The schema's text as committed: JSON Schema draft 2020-12, two-space indented, one final newline. */
export function configJsonSchemaText(): string {
  const schema = z.toJSONSchema(configSchema, {
    // What a user writes (keys with defaults are optional), not what the parse returns.
    io: "input",
    // A zod type without a JSON Schema form must fail here, not drop a key from the schema.
    unrepresentable: "throw",
  });
  // Refinements (a cron expression, exactly one of path or url) have no JSON form; the CLI checks them.
  const { $schema, ...rest } = schema;
  return `${JSON.stringify({ $schema, title: "repo-digest configuration (repo-digest.yaml)", ...rest }, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SCHEMA_FILE, configJsonSchemaText());
  process.stdout.write(`${SCHEMA_FILE}\n`);
}
