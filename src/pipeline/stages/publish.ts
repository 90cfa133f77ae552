/**
 * Stage 5, publish: each format rendered once, the report written (files or stdout), then
 * delivered to every configured channel through one list. The report is on disk before any
 * channel is tried, so a failed channel never loses it; each channel's outcome is stored
 * with the report, for `deliver --retry`.
 */
import type { NamedChannel } from "../../delivery/registry.js";
import type { Channel, DeliveryResult } from "../../delivery/types.js";
import type { Logger } from "../../logger.js";
import { renderFormats, RENDERERS } from "../../report/registry.js";
import type { Report, ReportFormat } from "../../report/types.js";
import type { Store } from "../../store/types.js";
import { deliverSubscriptions, type SubscriptionChannel } from "../../subscriptions/subscription-channels.js";
import { deliverToChannels, type ChannelOutcome } from "../deliver-channels.js";
import type { Progress } from "../progress.js";

export interface PublishInput {
  report: Report;
  /** The report's base name (see reportName). */
  name: string;
  /** The formats the output gets, in this order. */
  formats: readonly ReportFormat[];
  runId: number;
  /** The repositories, as recorded with each written file. */
  repos: readonly string[];
  /** For links from reduced chat messages to the full report. */
  fullReportUrl?: string;
  /**
   * A queued publish: each channel's delivery is claimed under this key first, so that the
   * job run again after its worker died never posts twice. In-process runs post every time.
   */
  deliveryKey?: string;
}

export interface PublishDeps {
  store: Store;
  logger: Logger;
  progress: Progress;
  /** Where the report is written: files, or stdout. */
  output: Channel;
  /** The channels of `delivery:` in the config. */
  channels: readonly NamedChannel[];
  /** The config's subscriptions: each gets the report filtered, after the channels above. */
  subscriptions?: readonly SubscriptionChannel[];
}

export interface Published {
  deliveries: DeliveryResult[];
  channelOutcomes: ChannelOutcome[];
}

export async function publish(input: PublishInput, deps: PublishDeps): Promise<Published> {
  const { report, name } = input;
  // Every format the output and the channels need, each rendered once (chat and e-mail want them all).
  const rendered = new Map(renderFormats(report, name, deps.channels.length > 0 ? [...input.formats, ...RENDERERS.ids] : input.formats).map((item) => [item.format, item]));
  deps.progress.update("writing the report");
  const deliveries = await deps.output.deliver({ report, rendered: input.formats.map((format) => rendered.get(format)!) });
  for (const delivery of deliveries) {
    await deps.store.recordReport({
      runId: input.runId,
      format: delivery.format,
      path: delivery.target,
      periodLabel: report.period.label,
      repos: [...input.repos],
      createdAt: report.generatedAt,
    });
  }
  // The model, so that `repo-digest serve` shows the report again whatever format was written.
  await deps.store.saveReportModel(
    {
      name,
      periodLabel: report.period.label,
      lang: report.lang,
      digest: report.kind === "digest",
      repos: report.repos.map((repo) => repo.name),
      since: report.period.since,
      until: report.period.until,
      createdAt: report.generatedAt,
    },
    JSON.stringify(report),
  );
  if (deps.channels.length > 0 || (deps.subscriptions?.length ?? 0) > 0) deps.progress.update("delivering");
  const channelOutcomes = await deliverToChannels(
    {
      report,
      rendered: [...rendered.values()],
      reportName: name,
      runId: input.runId,
      ...(input.fullReportUrl ? { fullReportUrl: input.fullReportUrl } : {}),
      ...(input.deliveryKey ? { deliveryKey: input.deliveryKey } : {}),
    },
    deps.channels,
    { store: deps.store, logger: deps.logger, now: () => new Date() },
  );
  const subscriptionOutcomes = await deliverSubscriptions(
    { report, reportName: name, runId: input.runId, ...(input.fullReportUrl ? { fullReportUrl: input.fullReportUrl } : {}), ...(input.deliveryKey ? { deliveryKey: input.deliveryKey } : {}) },
    deps.subscriptions ?? [],
    { store: deps.store, logger: deps.logger, now: () => new Date() },
  );
  return { deliveries, channelOutcomes: [...channelOutcomes, ...subscriptionOutcomes] };
}
