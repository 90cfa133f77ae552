import { mkdirSync } from "node:fs";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { InputError } from "../../errors.js";
import type { Channel, Delivery, DeliveryResult } from "../types.js";

/**
 * Writes each report to `<dir>/<name>.<ext>` atomically (temporary file, then
 * rename), so a crash never leaves half a report where a reader would find it.
 */
export function createFileChannel(dir: string): Channel {
  return {
    id: "file",
    async deliver({ rendered: reports }: Delivery): Promise<DeliveryResult[]> {
      try {
        mkdirSync(dir, { recursive: true });
      } catch (error) {
        throw new InputError(`cannot create the output folder ${dir}`, { hint: "choose another with --out", cause: error });
      }
      const results: DeliveryResult[] = [];
      for (const report of reports) {
        const path = join(dir, `${report.name}.${report.extension}`);
        await writeFileAtomic(path, report.content, { encoding: "utf8" });
        results.push({ channel: "file", target: path, format: report.format });
      }
      return results;
    },
  };
}
