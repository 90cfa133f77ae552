import type { Writable } from "node:stream";
import type { Channel, Delivery, DeliveryResult } from "../types.js";

/** `--out -`: reports go to stdout, one after another, for pipes. */
export function createStdoutChannel(stream: Writable = process.stdout): Channel {
  return {
    id: "stdout",
    async deliver({ rendered: reports }: Delivery): Promise<DeliveryResult[]> {
      for (const report of reports) {
        const text = report.content.endsWith("\n") ? report.content : `${report.content}\n`;
        await new Promise<void>((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
      }
      return reports.map((report) => ({ channel: "stdout", target: "stdout", format: report.format }));
    },
  };
}
