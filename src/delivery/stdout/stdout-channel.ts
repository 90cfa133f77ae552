import type { Writable } from "node:stream";
import type { Channel, DeliveryResult, RenderedReport } from "../types.js";

/** `--out -`: reports go to stdout, one after another, for pipes. */
export function createStdoutChannel(stream: Writable = process.stdout): Channel {
  return {
    id: "stdout",
    async deliver(reports: readonly RenderedReport[]): Promise<DeliveryResult[]> {
      for (const report of reports) {
        const text = report.content.endsWith("\n") ? report.content : `${report.content}\n`;
        await new Promise<void>((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
      }
      return reports.map((report) => ({ channel: "stdout", target: "stdout", format: report.format }));
    },
  };
}
