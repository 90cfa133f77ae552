import type { Report } from "../types.js";

/** The report model as pretty JSON; `schemaVersion` comes first so a reader can check it before anything else. */
export function renderJson(report: Report): string {
  const { schemaVersion, ...rest } = report;
  return `${JSON.stringify({ schemaVersion, ...rest }, null, 2)}\n`;
}
