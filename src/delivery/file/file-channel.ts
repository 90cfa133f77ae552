import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { writeFileAtomically } from "./write-file.js";

/**
 * Writes each report to `<dir>/<name>.<ext>` atomically (temporary file written in full,
 * then renamed), so a crash or a full disk never leaves half a report where a reader would
 * find it, and the previous report stays when the new one cannot be written.
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
        writeFileAtomically(path, report.content, { doing: "writing the report" });
        results.push({ channel: "file", target: path, format: report.format });
      }
      return results;
    },
  };
}
