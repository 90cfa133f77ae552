/**
 * `repo-digest worker`: takes the jobs of queued reports (report --queue, the daemon with
 * `queue:`) until stopped. Each worker keeps its own mirrors and shares the store and the
 * LLM limits; run as many as the provider's limits allow, on as many machines.
 */
import { Command, InvalidArgumentError } from "commander";
import { ConfigError, ExitCode } from "../../errors.js";
import { createGitHubAccess } from "../../enrich/github/github-context.js";
import type { PipelineDeps } from "../../pipeline/run-report.js";
import { describeQueueUrl, resolveQueueSettings } from "../../queue/queue-settings.js";
import { createContext } from "../context.js";
import { VERSION } from "../version.js";

/** Runs of several reports at once each have their own spend budget; a few are kept ready. */
const RUNTIMES_KEPT = 16;

export function workerCommand(): Command {
  return new Command("worker")
    .description("take queued report jobs (`queue:` in the config) until stopped")
    .option("-c, --concurrency <n>", "jobs at once in this process (default: llm.concurrency, else 4)", parseConcurrency)
    .action(async (options: { concurrency?: number }, command: Command) => {
      const context = createContext(command);
      const { config } = context.loaded;
      const settings = resolveQueueSettings(config);
      if (!settings) throw new ConfigError("queue", undefined, "a Redis URL under `queue:` in the config, or REPO_DIGEST_QUEUE_URL (README: Running at scale)");
      const [{ connectRedis }, { createReportWorker }] = await Promise.all([import("../../queue/connect-redis.js"), import("../../queue/report-worker.js")]);
      const redis = await connectRedis(settings, { worker: true });
      const store = await context.openStore();
      if (store.kind === "sqlite") context.logger.warn("this worker uses a SQLite store: only workers on this machine can share it (set `store: postgres://…` for several machines)");
      const github = config.github.enabled
        ? await createGitHubAccess(config.github, process.env, { logger: context.logger, onWait: (message) => context.logger.warn(message) })
        : undefined;
      const runtimes = new Map<string, NonNullable<PipelineDeps["llm"]>>();
      const llmFor = async (runKey: string) => {
        if (!config.llm) return undefined;
        let runtime = runtimes.get(runKey);
        if (!runtime) {
          const { createLlmRuntime } = await import("../llm-runtime.js");
          runtime = createLlmRuntime(config.llm, context.logger, { redis, namespace: settings.prefix, runKey });
          runtimes.set(runKey, runtime);
          if (runtimes.size > RUNTIMES_KEPT) runtimes.delete(runtimes.keys().next().value!);
        }
        return runtime;
      };
      if (config.llm) {
        // The model stack and the tokenizer's ranks take about a second of CPU to load: before the
        // first job, not inside its lock, where a slow start would hand the job to another worker.
        const [{ createTokenCounter }] = await Promise.all([import("../../analysis/llm/tokenizer.js"), import("../../analysis/llm/llm-analyzer.js")]);
        createTokenCounter().count("warm up");
      }
      const concurrency = options.concurrency ?? config.llm?.concurrency ?? 4;
      const { worker, close } = createReportWorker(
        settings,
        redis,
        { config, store, logger: context.logger, mirrorsDir: context.mirrorsDir, version: VERSION, ...(github ? { github } : {}), llmFor },
        concurrency,
      );
      worker.on("failed", (job, error) => context.logger.warn({ job: job?.id, name: job?.name, reason: error.message }, "job failed"));
      worker.on("completed", (job) => context.logger.info({ job: job.id, name: job.name }, "job done"));
      await worker.waitUntilReady();
      if (!context.options.quiet) {
        process.stderr.write(`repo-digest worker: taking jobs from ${describeQueueUrl(settings.url)} (${concurrency} at once, store: ${store.kind}); Ctrl-C stops after the jobs at hand\n`);
      }
      // The first signal lets the jobs at hand finish; a second stops now (their locks expire, and another worker takes them).
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = () => {
          if (stopping) {
            process.stderr.write("repo-digest worker: stopped; its jobs at hand go to another worker when their locks expire\n");
            process.exit(ExitCode.interrupted);
          }
          stopping = true;
          void close().then(resolve, resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await store.close();
      redis.disconnect();
    });
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError("a whole number from 1 to 256");
  return n;
}
