/**
 * Delivery: where a finished report goes. Every channel (files, stdout, chat webhooks,
 * e-mail) gets the report model and its rendered files, and picks what it needs: a file
 * channel writes the rendered text, a chat channel builds its own message from the model.
 */
import type { Report } from "../report/types.js";

/** A rendered report on its way somewhere. */
export interface RenderedReport {
  /** Base name without extension: "2026-01-17--ai-dynamo-dynamo". */
  name: string;
  format: string;
  extension: string;
  content: string;
}

export interface Delivery {
  report: Report;
  rendered: readonly RenderedReport[];
  /**
   * Where a reader finds the full report (from the config's `reportUrl`), so that a chat
   * message reduced to its high-importance part can link to the rest.
   */
  fullReportUrl?: string;
}

export interface DeliveryResult {
  channel: string;
  /** Where it went: a file path, "stdout", a URL without secrets. */
  target: string;
  format: string;
}

export interface Channel {
  readonly id: string;
  deliver(delivery: Delivery): Promise<DeliveryResult[]>;
}
