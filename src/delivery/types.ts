/** A rendered report on its way somewhere: files, stdout, and later chat and e-mail. */
export interface RenderedReport {
  /** Base name without extension: "2026-01-17--ai-dynamo-dynamo". */
  name: string;
  format: string;
  extension: string;
  content: string;
}

export interface DeliveryResult {
  channel: string;
  /** Where it went: a file path, "stdout", a URL without secrets. */
  target: string;
  format: string;
}

export interface Channel {
  readonly id: string;
  deliver(reports: readonly RenderedReport[]): Promise<DeliveryResult[]>;
}
