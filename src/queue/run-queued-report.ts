/** `report --queue`: enqueue the report, wait for the workers to publish it, and return what they did. */
import type { Logger } from "../logger.js";
import { connectRedis } from "./connect-redis.js";
import { enqueueReport, waitForReport } from "./enqueue-report.js";
import type { ReportRequest, ReportSummary } from "./report-flow.js";
import type { QueueSettings } from "./queue-settings.js";

export async function runQueuedReport(request: ReportRequest, settings: QueueSettings, logger: Logger): Promise<ReportSummary> {
  const redis = await connectRedis(settings, { worker: false });
  try {
    const { id } = await enqueueReport(request, settings, redis, logger);
    return await waitForReport(id, settings, redis);
  } finally {
    redis.disconnect();
  }
}
