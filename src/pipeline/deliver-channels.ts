/**
 * Sends a written report to the configured channels (feed, e-mail, chat). Each channel
 * retries on its own; here, one failing never stops the others, and every outcome is
 * stored with the report itself, so that `deliver --retry` (and the daemon's next tick)
 * can send exactly what failed, however much later.
 */
import { join, resolve } from "node:path";
import { describeTarget, readSecretUrl } from "../delivery/chat/secrets.js";
import type { EmailConfig } from "../delivery/email/email-config.js";
import type { FeedConfig } from "../delivery/feed/feed-config.js";
import type { ChannelContext, DeliveryConfig, NamedChannel } from "../delivery/registry.js";
import type { RenderedReport } from "../delivery/types.js";
import { isKnownError } from "../errors.js";
import type { Logger } from "../logger.js";
import { renderFormats } from "../report/registry.js";
import type { Report } from "../report/types.js";
import type { DeliveryRecord, Store } from "../store/types.js";

export interface ChannelOutcome {
  channel: string;
  status: "sent" | "failed";
  target?: string;
  error?: string;
  /** The report sent again (retries only): its base name and period. */
  report?: { name: string; period: string };
}

/**
 * Sends the report to each channel, all at once, and stores each outcome. With a
 * `deliveryKey` (a queued publish), each delivery is first claimed in the store under the
 * key and the channel: a claim already taken means another attempt of the same job sent it,
 * or is sending it, and this one does not post again.
 */
export async function deliverToChannels(
  input: { report: Report; rendered: RenderedReport[]; reportName: string; fullReportUrl?: string; runId: number; deliveryKey?: string },
  channels: readonly NamedChannel[],
  deps: { store: Store; logger: Logger; now: () => Date },
): Promise<ChannelOutcome[]> {
  if (channels.length === 0) return [];
  const reportJson = JSON.stringify(input.report);
  const delivery = { report: input.report, rendered: input.rendered, ...(input.fullReportUrl ? { fullReportUrl: input.fullReportUrl } : {}) };
  const about = { runId: input.runId, periodLabel: input.report.period.label, reportJson, reportName: input.reportName };
  return Promise.all(
    channels.map(async ({ name, channel }): Promise<ChannelOutcome> => {
      if (input.deliveryKey === undefined) {
        const outcome = await sendOnce(channel, name, delivery, deps.logger);
        await deps.store.recordDelivery({ ...about, channel: name, status: outcome.status, attempts: 1, ...settled(outcome), updatedAt: deps.now().toISOString() });
        return outcome;
      }
      const id = await deps.store.claimDelivery(`${input.deliveryKey}:${name}`, { ...about, channel: name, updatedAt: deps.now().toISOString() });
      if (id === undefined) {
        deps.logger.info({ channel: name, report: input.reportName }, "already delivered (or being delivered) by an earlier attempt of this job; not sent again");
        return { channel: name, status: "sent", target: "already delivered" };
      }
      const outcome = await sendOnce(channel, name, delivery, deps.logger);
      await deps.store.updateDelivery(id, { status: outcome.status, attempts: 1, updatedAt: deps.now().toISOString(), ...settled(outcome) });
      return outcome;
    }),
  );
}

function settled(outcome: ChannelOutcome): { target?: string; error?: string } {
  return { ...(outcome.target ? { target: outcome.target } : {}), ...(outcome.error ? { error: outcome.error } : {}) };
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
  for (const record of await deps.store.listFailedDeliveries()) {
    const configured = channels.find((candidate) => candidate.name === record.channel);
    const about = { report: { name: record.reportName, period: record.periodLabel } };
    if (!configured) {
      outcomes.push({ channel: record.channel, status: "failed", error: notConfigured(record), ...about });
      continue;
    }
    const report = JSON.parse(record.reportJson) as Report;
    const url = deps.fullReportUrl?.(record.reportName);
    const delivery = { report, rendered: renderFormats(report, record.reportName), ...(url ? { fullReportUrl: url } : {}) };
    const outcome = await sendOnce(configured.channel, record.channel, delivery, deps.logger);
    await update(deps.store, record, outcome, deps.now());
    outcomes.push({ ...outcome, ...about });
  }
  return outcomes;
}

export interface PlannedRetry {
  channel: string;
  report: { name: string; period: string };
  /** Where it would go, without secrets; absent when the channel is no longer configured. */
  target?: string;
  /** Why it would not be sent. */
  error?: string;
}

/**
 * What {@link retryFailedDeliveries} would send, and where, without sending anything or
 * touching the store: for `--dry-run`. `targets` maps each configured channel to where it
 * sends (see describeChannelTargets).
 */
export function planRetries(targets: ReadonlyMap<string, string>, failed: readonly DeliveryRecord[]): PlannedRetry[] {
  return failed.map((record) => {
    const report = { name: record.reportName, period: record.periodLabel };
    const target = targets.get(record.channel);
    return target === undefined ? { channel: record.channel, report, error: notConfigured(record) } : { channel: record.channel, report, target };
  });
}

function notConfigured(record: DeliveryRecord): string {
  return `the channel ${record.channel} is no longer configured (delivery of ${record.periodLabel} kept)`;
}

async function update(store: Store, record: DeliveryRecord, outcome: ChannelOutcome, now: Date): Promise<void> {
  await store.updateDelivery(record.id, {
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
    // The command prints one line per failed channel; the log keeps the details for -v.
    logger.debug({ channel: name, reason: message }, "delivery failed; kept for `repo-digest deliver --retry`");
    return { channel: name, status: "failed", error: message };
  }
}

/**
 * Where each configured channel sends, without secrets, as its delivery reports it
 * (chat: `slack:hooks.slack.com`; e-mail: `smtp://host:587 → a@example.com`; feed: the
 * file), for a dry run that must not send. Call it after createConfiguredChannels, which
 * has checked every secret.
 */
export function describeChannelTargets(config: DeliveryConfig | undefined, context: ChannelContext): Map<string, string> {
  const targets = new Map<string, string>();
  if (!config) return targets;
  const { email: emailConfig, feed: feedConfig, reportUrl: _reportUrl, ...chats } = config;
  // The registry's shape erases each channel's config type; these are the schemas' outputs.
  const feed = feedConfig as FeedConfig | undefined;
  const email = emailConfig as EmailConfig | undefined;
  if (feed) {
    const absolute = resolve(context.dir, feed.path);
    targets.set("feed", /\.(atom|xml)$/i.test(absolute) ? absolute : join(absolute, "feed.atom"));
  }
  if (email) {
    const server = `smtp://${email.host.includes(":") ? `[${email.host}]` : email.host}:${email.port}`;
    const recipients = [...email.to, ...(email.cc ?? [])].map((address) => /<([^<>]+)>\s*$/.exec(address)?.[1] ?? address);
    targets.set("email", `${server} → ${recipients.join(", ")}`);
  }
  // Every chat channel and the webhook post to the URL in the variable `urlEnv` names.
  for (const [name, settings] of Object.entries(chats) as Array<[string, { urlEnv: string } | undefined]>) {
    if (settings === undefined) continue;
    targets.set(name, describeTarget(name, readSecretUrl(context.env, settings.urlEnv, `${name}.urlEnv`, "the webhook URL")));
  }
  return targets;
}
