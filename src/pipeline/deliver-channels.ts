/**
 * Sends a written report to the configured channels (feed, e-mail, chat). Each channel
 * retries on its own; here, one failing never stops the others, and every outcome is
 * stored with the report itself, so that `deliver --retry` (and the daemon's next tick)
 * can send exactly what failed, however much later.
 */
import type { NamedChannel } from "../delivery/registry.js";
import type { RenderedReport } from "../delivery/types.js";
import { isKnownError } from "../errors.js";
import type { Logger } from "../logger.js";
import { getRenderer, renderers } from "../report/registry.js";
import type { Report } from "../report/types.js";
import type { DeliveryRecord, Store } from "../store/types.js";

export interface ChannelOutcome {
  channel: string;
  status: "sent" | "failed";
  target?: string;
  error?: string;
}

/** Chat and e-mail build their messages from the model; files and feeds want every format there is. */
export function renderForChannels(report: Report, name: string): RenderedReport[] {
  return [...renderers.keys()].map((format) => {
    const renderer = getRenderer(format);
    return { name, format, extension: renderer.extension, content: renderer.render(report) };
  });
}

export async function deliverToChannels(
  input: { report: Report; reportName: string; fullReportUrl?: string; runId: number },
  channels: readonly NamedChannel[],
  deps: { store: Store; logger: Logger; now: () => Date },
): Promise<ChannelOutcome[]> {
  if (channels.length === 0) return [];
  const rendered = renderForChannels(input.report, input.reportName);
  const reportJson = JSON.stringify(input.report);
  return Promise.all(
    channels.map(async ({ name, channel }) => {
      const outcome = await sendOnce(channel, name, { report: input.report, rendered, ...(input.fullReportUrl ? { fullReportUrl: input.fullReportUrl } : {}) }, deps.logger);
      deps.store.recordDelivery({
        runId: input.runId,
        channel: name,
        periodLabel: input.report.period.label,
        status: outcome.status,
        attempts: 1,
        ...(outcome.target ? { target: outcome.target } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
        reportJson,
        reportName: input.reportName,
        updatedAt: deps.now().toISOString(),
      });
      return outcome;
    }),
  );
}

/**
 * Sends again every stored delivery whose last attempt failed, to the channel of that
 * name in the current config; a channel no longer configured is reported, not dropped.
 */
export async function retryFailedDeliveries(
  channels: readonly NamedChannel[],
  deps: { store: Store; logger: Logger; now: () => Date; fullReportUrl?: (reportName: string) => string | undefined },
): Promise<ChannelOutcome[]> {
  const outcomes: ChannelOutcome[] = [];
  for (const record of deps.store.listFailedDeliveries()) {
    const configured = channels.find((candidate) => candidate.name === record.channel);
    if (!configured) {
      outcomes.push({ channel: record.channel, status: "failed", error: `the channel ${record.channel} is no longer configured (delivery of ${record.periodLabel} kept)` });
      continue;
    }
    const report = JSON.parse(record.reportJson) as Report;
    const url = deps.fullReportUrl?.(record.reportName);
    const delivery = { report, rendered: renderForChannels(report, record.reportName), ...(url ? { fullReportUrl: url } : {}) };
    const outcome = await sendOnce(configured.channel, record.channel, delivery, deps.logger);
    update(deps.store, record, outcome, deps.now());
    outcomes.push(outcome);
  }
  return outcomes;
}

function update(store: Store, record: DeliveryRecord, outcome: ChannelOutcome, now: Date): void {
  store.updateDelivery(record.id, {
    status: outcome.status,
    attempts: record.attempts + 1,
    updatedAt: now.toISOString(),
    ...(outcome.target ? { target: outcome.target } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  });
}

async function sendOnce(
  channel: NamedChannel["channel"],
  name: string,
  delivery: Parameters<NamedChannel["channel"]["deliver"]>[0],
  logger: Logger,
): Promise<ChannelOutcome> {
  try {
    const results = await channel.deliver(delivery);
    const target = results.map((result) => result.target).join(", ");
    logger.info({ channel: name, target }, "delivered");
    return { channel: name, status: "sent", ...(target ? { target } : {}) };
  } catch (error) {
    const message = isKnownError(error) ? error.message : String(error);
    logger.warn({ channel: name, reason: message }, "delivery failed; kept for `repo-digest deliver --retry`");
    return { channel: name, status: "failed", error: message };
  }
}
