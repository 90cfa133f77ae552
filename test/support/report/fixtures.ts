/**
 * Reports built by hand for the report tests: a small factory for one-off commits and
 * a fixed sample day (shaped after the reference reports) in both languages.
 */
import type { ChangeType, CommitAnalysis, Importance, ImportanceReason, Narrative } from "../../../src/analysis/types.js";
import type { CommitFacts, FileKind } from "../../../src/facts/types.js";
import type { Lang, Localized } from "../../../src/i18n/lang.js";
import type { Commit, FileStatus } from "../../../src/sources/types.js";
import { buildReport, type AnalysedCommit, type RepoInput } from "../../../src/report/build-report.js";
import { buildLinks, webUrlTemplatesFor } from "../../../src/report/links.js";
import type { Report, ReportPeriod } from "../../../src/report/types.js";

export interface FileSpec {
  path: string;
  additions: number;
  deletions: number;
  kind?: FileKind;
  status?: FileStatus;
  language?: string;
  patchTruncated?: boolean;
  ignored?: boolean;
}

export interface CommitSpec {
  /** Full SHA; a shorter hex string is padded with zeros to 40 characters. */
  sha: string;
  subject: string;
  body?: string;
  author?: string;
  /** Committer date, ISO 8601 with offset. */
  date: string;
  files?: FileSpec[];
  prNumber?: number;
  changeType?: ChangeType;
  importance?: Importance;
  score?: number;
  reasons?: Array<Pick<ImportanceReason, "code" | "weight" | "text">>;
  narrative?: Partial<Narrative>;
  notes?: string[];
  omittedPatchBytes?: number;
  /** Files the structural pass fell back on, with the reason it gave. */
  structureFallback?: Array<{ file: string; reason: string }>;
  lang?: Lang;
  links?: { commit?: string; pullRequest?: string };
}

export const SAMPLE_PERIOD: ReportPeriod = {
  label: "2026-01-17",
  since: "2026-01-16T16:00:00.000Z",
  until: "2026-01-17T16:00:00.000Z",
  timezone: "Asia/Shanghai",
};
export const SAMPLE_GENERATED_AT = new Date("2026-01-17T23:30:00.000Z");

export function makeAnalysedCommit(spec: CommitSpec): AnalysedCommit {
  const sha = spec.sha.padEnd(40, "0");
  const files = spec.files ?? [{ path: "src/index.ts", additions: 3, deletions: 1 }];
  const author = spec.author ?? "Ada Lovelace";
  const email = `${author.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@example.com`;
  const commit: Commit = {
    sha,
    parents: ["f".repeat(40)],
    author: { name: author, email, date: spec.date },
    committer: { name: author, email, date: spec.date },
    subject: spec.subject,
    body: spec.body ?? "",
    files: files.map((file) => ({
      path: file.path,
      status: file.status ?? "modified",
      oldMode: "100644",
      newMode: "100644",
      binary: false,
      submodule: false,
      additions: file.additions,
      deletions: file.deletions,
      patch: "",
      patchTruncated: file.patchTruncated ?? false,
    })),
    patchBytesOmitted: spec.omittedPatchBytes ?? 0,
  };
  return { commit, facts: makeFacts(commit, spec, files), analysis: makeAnalysis(sha, spec), links: spec.links ?? {} };
}

function makeFacts(commit: Commit, spec: CommitSpec, files: FileSpec[]): CommitFacts {
  const analysed = files.filter((file) => !file.ignored);
  const byKind: CommitFacts["totals"]["byKind"] = {};
  for (const file of analysed) {
    const kind = file.kind ?? "source";
    const totals = byKind[kind] ?? { files: 0, additions: 0, deletions: 0 };
    byKind[kind] = {
      files: totals.files + 1,
      additions: totals.additions + file.additions,
      deletions: totals.deletions + file.deletions,
    };
  }
  return {
    sha: commit.sha,
    message: {
      ...(spec.prNumber === undefined ? {} : { prNumber: spec.prNumber }),
      breaking: false,
      tags: [],
      description: spec.subject,
      isRevert: false,
      isMerge: false,
      coAuthors: [],
      signedOffBy: [],
      isBot: false,
      points: [],
      fixes: [],
    },
    files: files.map((file) => ({
      path: file.path,
      status: file.status ?? "modified",
      additions: file.additions,
      deletions: file.deletions,
      binary: false,
      submodule: false,
      ...(file.language === undefined ? {} : { language: file.language }),
      module: file.path.includes("/") ? (file.path.split("/")[0] ?? ".") : ".",
      kind: file.kind ?? "source",
      patchTruncated: file.patchTruncated ?? false,
      ignored: file.ignored ?? false,
    })),
    modules: [],
    totals: {
      files: analysed.length,
      additions: analysed.reduce((sum, file) => sum + file.additions, 0),
      deletions: analysed.reduce((sum, file) => sum + file.deletions, 0),
      byKind,
    },
    dependencies: [],
    versions: [],
    surface: [],
    symbols: [],
    tests: [],
    docs: analysed.filter((file) => file.kind === "docs").map((file) => file.path),
    ci: [],
    signals: [],
    unseen: {
      truncatedFiles: files.filter((file) => file.patchTruncated).map((file) => file.path),
      omittedPatchBytes: spec.omittedPatchBytes ?? 0,
      ignoredFiles: files.filter((file) => file.ignored).map((file) => file.path),
      structureFallback: spec.structureFallback ?? [],
    },
  };
}

function makeAnalysis(sha: string, spec: CommitSpec): CommitAnalysis {
  return {
    sha,
    analyzer: { name: "rules", version: "1" },
    lang: spec.lang ?? "zh-CN",
    changeType: spec.changeType ?? "feature",
    importance: spec.importance ?? "medium",
    score: spec.score ?? 4,
    reasons: (spec.reasons ?? []).map((reason) => ({ ...reason, params: {} })),
    narrative: {
      summary: spec.narrative?.summary ?? "",
      impact: spec.narrative?.impact ?? [],
      insights: spec.narrative?.insights ?? [],
      risks: spec.narrative?.risks ?? [],
      recommendations: spec.narrative?.recommendations ?? [],
    },
    notes: spec.notes ?? [],
  };
}

export function makeRepo(name: string, commits: CommitSpec[], extra: Partial<Omit<RepoInput, "commits">> = {}): RepoInput {
  return { name, branch: "main", notices: [], ...extra, commits: commits.map(makeAnalysedCommit) };
}

export function makeReport(
  repos: RepoInput[],
  options: { lang?: Lang; period?: ReportPeriod; notices?: string[] } = {},
): Report {
  return buildReport({
    lang: options.lang ?? "zh-CN",
    period: options.period ?? SAMPLE_PERIOD,
    generatedAt: SAMPLE_GENERATED_AT,
    version: "0.1.0",
    repos,
    notices: options.notices ?? [],
  });
}

const DYNAMO_TEMPLATES = webUrlTemplatesFor("https://github.com/ai-dynamo/dynamo.git");

function sampleCommit(lang: Lang, spec: Omit<CommitSpec, "lang" | "links">): CommitSpec {
  return { ...spec, lang, links: buildLinks(DYNAMO_TEMPLATES, spec.sha, spec.prNumber) };
}

function sampleDynamoCommits(lang: Lang): CommitSpec[] {
  const t = <T>(text: Localized<T>): T => text[lang];
  return [
    sampleCommit(lang, {
      sha: "06939770b300f4bf56ed99590d31d6ada3d6a1ec",
      subject: "feat: add span event logging and fix trace context extraction (#5400)",
      author: "Neelay Shah",
      date: "2026-01-16T13:51:37-08:00",
      prNumber: 5400,
      files: [
        { path: "lib/runtime/src/logging.rs", additions: 214, deletions: 37, patchTruncated: true },
        { path: "lib/runtime/src/config.rs", additions: 12, deletions: 2 },
        { path: "lib/runtime/src/config/environment_names.rs", additions: 6, deletions: 0 },
        { path: "docs/observability/logging.md", additions: 41, deletions: 3, kind: "docs" },
        { path: "lib/runtime/tests/logging_span_events.rs", additions: 128, deletions: 0, kind: "test", status: "added" },
      ],
      omittedPatchBytes: 18432,
      changeType: "feature",
      importance: "high",
      score: 9,
      reasons: [
        { code: "surface.env-var", weight: 3, text: t({ "zh-CN": "新增环境变量 `DYN_LOGGING_SPAN_EVENTS`", en: "Adds the environment variable `DYN_LOGGING_SPAN_EVENTS`" }) },
        { code: "symbols.exported", weight: 3, text: t({ "zh-CN": "新增导出的宏 `emit_at_level!`", en: "Adds the exported macro `emit_at_level!`" }) },
        { code: "size.large", weight: 2, text: t({ "zh-CN": "改动 443 行（+401/−42）", en: "Changes 443 lines (+401/−42)" }) },
        { code: "module.core", weight: 1, text: t({ "zh-CN": "改动核心模块 `lib/runtime`", en: "Touches the core module `lib/runtime`" }) },
      ],
      narrative: {
        summary: t({
          "zh-CN": "新增可选的 span 事件日志（进入与关闭），由环境变量 `DYN_LOGGING_SPAN_EVENTS` 控制；JSONL 日志统一输出 `trace_id` 与 `span_id`，并修正了追踪上下文的提取。",
          en: "Adds optional span event logging (enter and close), switched by the environment variable `DYN_LOGGING_SPAN_EVENTS`; JSONL logs now always carry `trace_id` and `span_id`, and trace context extraction is fixed.",
        }),
        impact: t({
          "zh-CN": [
            "`lib/runtime/src/logging.rs`：日志层与 JSONL 格式化",
            "`lib/runtime/src/config.rs`、`lib/runtime/src/config/environment_names.rs`：新增配置项与环境变量名",
            "`docs/observability/logging.md`：日志文档",
            "`lib/runtime/tests/logging_span_events.rs`：新增测试",
          ],
          en: [
            "`lib/runtime/src/logging.rs`: the logging layer and the JSONL formatter",
            "`lib/runtime/src/config.rs`, `lib/runtime/src/config/environment_names.rs`: the new setting and its environment variable name",
            "`docs/observability/logging.md`: logging documentation",
            "`lib/runtime/tests/logging_span_events.rs`: new tests",
          ],
        }),
        insights: [
          {
            dimension: "performance",
            points: t({
              "zh-CN": ["开启 `DYN_LOGGING_SPAN_EVENTS` 后，每个 span 的进入与关闭各多写一行日志；默认关闭时没有额外输出。"],
              en: ["With `DYN_LOGGING_SPAN_EVENTS` on, every span writes one more line on enter and one on close; off by default, it writes nothing extra."],
            }),
          },
          {
            dimension: "security",
            points: t({
              "zh-CN": ["日志新增 `trace_id` 与 `span_id` 字段，日志外发时会带出调用链标识。"],
              en: ["Logs gain the `trace_id` and `span_id` fields; logs shipped elsewhere carry the call-chain identifiers with them."],
            }),
          },
          {
            dimension: "compatibility",
            points: t({
              "zh-CN": ["`JsonLog.target` 由 `&str` 改为 `String`。", "未设置新环境变量时，日志输出与之前相同。"],
              en: ["`JsonLog.target` changes from `&str` to `String`.", "Without the new environment variable, log output is unchanged."],
            }),
          },
        ],
        risks: t({
          "zh-CN": [
            "高并发服务开启 span 事件后日志量成倍增长，可能触及日志平台的配额。",
            "新增的过滤指令 `span_event=trace` 会与用户自定义的同名 target 规则叠加。",
          ],
          en: [
            "A busy service with span events on writes several times more log lines and may hit its log platform's quota.",
            "The added filter directive `span_event=trace` stacks with any user rule for a target of the same name.",
          ],
        }),
        recommendations: t({
          "zh-CN": [
            { audience: "maintainers", text: "在 `docs/observability/logging.md` 中写明开启 span 事件的日志量代价。" },
            { audience: "users", text: "仅在排查问题时开启 `DYN_LOGGING_SPAN_EVENTS`，生产环境保持默认关闭。" },
          ],
          en: [
            { audience: "maintainers", text: "State the log-volume cost of span events in `docs/observability/logging.md`." },
            { audience: "users", text: "Turn on `DYN_LOGGING_SPAN_EVENTS` only while debugging; keep the default (off) in production." },
          ],
        }),
      },
    }),
    sampleCommit(lang, {
      sha: "f9918f615ffd4a0ea32aa961049682b712634816",
      subject: "chore: support for muliple MM requests for vLLM Encoder + Rust Based Preprocessor (#5463)",
      author: "Ayush Agarwal",
      date: "2026-01-16T20:48:49Z",
      prNumber: 5463,
      files: [
        { path: "components/src/dynamo/vllm/main.py", additions: 4, deletions: 2 },
        { path: "components/src/dynamo/vllm/multimodal_handlers/preprocessor_handler.py", additions: 0, deletions: 485, status: "deleted" },
        { path: "components/src/dynamo/vllm/multimodal_handlers/encode_worker_handler.py", additions: 96, deletions: 41 },
        { path: "components/src/dynamo/vllm/multimodal_utils/protocol.py", additions: 18, deletions: 9 },
      ],
      changeType: "refactor",
      importance: "medium",
      score: 5,
      reasons: [
        { code: "symbols.exported", weight: 3, text: t({ "zh-CN": "修改导出的类 `VLLMNativeEncoderRequest`", en: "Changes the exported class `VLLMNativeEncoderRequest`" }) },
        { code: "files.deleted", weight: 2, text: t({ "zh-CN": "删除文件 `preprocessor_handler.py`（−485 行）", en: "Deletes `preprocessor_handler.py` (−485 lines)" }) },
      ],
      narrative: {
        summary: t({
          "zh-CN": "vLLM 编码器改为接收已分词的 `token_ids` 与多个多模态输入，一次请求提交全部图片；删除旧的 `preprocessor_handler.py`。",
          en: "The vLLM encoder now takes tokenized `token_ids` and several multimodal inputs, sending all images in one request; the old `preprocessor_handler.py` is deleted.",
        }),
        impact: t({
          "zh-CN": [
            "`components/src/dynamo/vllm/multimodal_utils/protocol.py`：`VLLMNativeEncoderRequest` 的字段",
            "`components/src/dynamo/vllm/multimodal_handlers/encode_worker_handler.py`：编码请求的处理",
            "`components/src/dynamo/vllm/main.py`：模型入口由 `ModelInput.Text` 改为 `ModelInput.Tokens`",
          ],
          en: [
            "`components/src/dynamo/vllm/multimodal_utils/protocol.py`: the fields of `VLLMNativeEncoderRequest`",
            "`components/src/dynamo/vllm/multimodal_handlers/encode_worker_handler.py`: handling of encode requests",
            "`components/src/dynamo/vllm/main.py`: the model input changes from `ModelInput.Text` to `ModelInput.Tokens`",
          ],
        }),
        risks: t({
          "zh-CN": ["仍按旧字段（`prompt`、`multimodal_input`）构造请求的调用方会失败。"],
          en: ["Callers that still build requests with the old fields (`prompt`, `multimodal_input`) will fail."],
        }),
        recommendations: t({
          "zh-CN": [{ audience: "maintainers", text: "检查所有构造 `VLLMNativeEncoderRequest` 的地方是否已改用 `token_ids` 与 `multimodal_inputs`。" }],
          en: [{ audience: "maintainers", text: "Check that every place that builds a `VLLMNativeEncoderRequest` now uses `token_ids` and `multimodal_inputs`." }],
        }),
      },
    }),
    sampleCommit(lang, {
      sha: "3f4b3d4de961b439d9a2274c2d67fb19e1173f77",
      subject: "fix: add missing description to memory crate (#5483)",
      author: "Anant Sharma",
      date: "2026-01-16T19:28:38Z",
      prNumber: 5483,
      files: [{ path: "lib/memory/Cargo.toml", additions: 1, deletions: 0, kind: "manifest" }],
      changeType: "bugfix",
      importance: "medium",
      score: 3,
      reasons: [
        { code: "files.manifest", weight: 2, text: t({ "zh-CN": "修改清单文件 `lib/memory/Cargo.toml`", en: "Changes the manifest `lib/memory/Cargo.toml`" }) },
        { code: "message.fix", weight: 1, text: t({ "zh-CN": "提交类型为 `fix`", en: "Commit type is `fix`" }) },
      ],
      narrative: {
        summary: t({
          "zh-CN": "为 `lib/memory/Cargo.toml` 补上缺失的 `description` 字段。",
          en: "Adds the missing `description` field to `lib/memory/Cargo.toml`.",
        }),
        impact: t({ "zh-CN": ["`lib/memory/Cargo.toml`：crate 元数据"], en: ["`lib/memory/Cargo.toml`: crate metadata"] }),
        recommendations: t({
          "zh-CN": [{ audience: "ci", text: "发布流程中运行 `cargo package`，确认元数据完整。" }],
          en: [{ audience: "ci", text: "Run `cargo package` in the release job to confirm the metadata is complete." }],
        }),
      },
    }),
    sampleCommit(lang, {
      sha: "4597fd950c9d2cd713a9df3271ec2ab06d33932a",
      subject: "chore: SGlang attributions (#5455)",
      author: "Dmitry Tokarev",
      date: "2026-01-16T18:56:01Z",
      prNumber: 5455,
      files: [
        { path: "ATTRIBUTIONS-container-sglang-runtime.md", additions: 5210, deletions: 0, kind: "docs", status: "added", ignored: true },
        { path: "ATTRIBUTIONS-container-sglang-runtime.txt", additions: 0, deletions: 4870, kind: "docs", status: "deleted", ignored: true },
      ],
      changeType: "docs",
      importance: "low",
      score: 0,
      reasons: [
        { code: "files.ignored-only", weight: 0, text: t({ "zh-CN": "只改动按配置忽略的文件", en: "Only touches files ignored by config" }) },
      ],
      narrative: {
        summary: t({
          "zh-CN": "用 Markdown 格式的 `ATTRIBUTIONS-container-sglang-runtime.md` 替换原有的 `.txt` 归属声明文件。",
          en: "Replaces the `.txt` attribution file with the Markdown `ATTRIBUTIONS-container-sglang-runtime.md`.",
        }),
        impact: t({ "zh-CN": ["仓库根目录的归属声明文件"], en: ["The attribution files at the repository root"] }),
      },
    }),
    sampleCommit(lang, {
      sha: "f7ec105677990655e8d5afe27105a90ffa7d7713",
      subject: "feat: sanity_check.py to simply print CUDA version (no check) (#5335)",
      author: "Keiven C",
      date: "2026-01-16T18:13:08Z",
      prNumber: 5335,
      files: [{ path: "deploy/sanity_check.py", additions: 268, deletions: 61 }],
      changeType: "feature",
      importance: "high",
      score: 7,
      reasons: [
        { code: "surface.cli-flag", weight: 3, text: t({ "zh-CN": "新增命令行参数 `--thorough-check`、`--runtime-check-only`", en: "Adds the command-line flags `--thorough-check` and `--runtime-check-only`" }) },
        { code: "signals.process-exec", weight: 2, text: t({ "zh-CN": "新增外部命令调用 `nvcc --version`", en: "Adds a call to the external command `nvcc --version`" }) },
        { code: "size.large", weight: 2, text: t({ "zh-CN": "改动 329 行（+268/−61）", en: "Changes 329 lines (+268/−61)" }) },
      ],
      narrative: {
        summary: t({
          "zh-CN": "`deploy/sanity_check.py` 改为只打印 CUDA 版本、不再校验；`--thorough-check` 模式收集驱动、`nvcc`、环境变量与已安装包等完整信息。",
          en: "`deploy/sanity_check.py` now prints the CUDA version instead of checking it; `--thorough-check` collects the driver, `nvcc`, environment variables and installed packages.",
        }),
        impact: t({
          "zh-CN": ["`deploy/sanity_check.py`：`GPUInfo` 与 `HuggingFaceCacheInfo` 的检查逻辑", "命令行：新增 `--thorough-check` 与 `--runtime-check-only`"],
          en: ["`deploy/sanity_check.py`: the checks in `GPUInfo` and `HuggingFaceCacheInfo`", "Command line: new `--thorough-check` and `--runtime-check-only`"],
        }),
        insights: [
          {
            dimension: "maintainability",
            points: t({
              "zh-CN": ["CUDA 信息的收集拆分为 `_collect_cuda_info` 等私有方法。"],
              en: ["Collecting CUDA information is split into private methods such as `_collect_cuda_info`."],
            }),
          },
          {
            dimension: "compatibility",
            points: t({
              "zh-CN": ["旧参数 `--runtime-check` 保留为 `--runtime-check-only` 的别名。"],
              en: ["The old flag `--runtime-check` stays as an alias of `--runtime-check-only`."],
            }),
          },
        ],
        risks: t({
          "zh-CN": ["`--thorough-check` 依赖 `nvcc`、`dpkg` 与 `pip`；缺少时相应信息为空。"],
          en: ["`--thorough-check` relies on `nvcc`, `dpkg` and `pip`; where one is missing, its section is empty."],
        }),
        recommendations: t({
          "zh-CN": [{ audience: "ci", text: "在无 GPU 的 CI 任务中运行一次 `--thorough-check`，确认缺少命令时的输出。" }],
          en: [{ audience: "ci", text: "Run `--thorough-check` once in a CI job without a GPU to see the output when commands are missing." }],
        }),
      },
      notes: [t({ "zh-CN": "LLM 分析超时，本条由规则分析生成。", en: "The LLM analysis timed out; this entry comes from the rules." })],
    }),
    sampleCommit(lang, {
      sha: "382a26f0ab7c53eb74f5f4ee6827521d5afa8a66",
      subject: "chore: type ZmqMessage",
      author: "Yan Ru Pei",
      date: "2026-01-16T17:29:50Z",
      files: [{ path: "lib/runtime/src/transports/zmq.rs", additions: 38, deletions: 22 }],
      changeType: "refactor",
      importance: "low",
      score: 1,
      reasons: [{ code: "size.small", weight: 1, text: t({ "zh-CN": "改动 60 行（+38/−22）", en: "Changes 60 lines (+38/−22)" }) }],
      narrative: {
        summary: t({
          "zh-CN": "新增 `ZmqMessage` 结构体封装 ZMQ 多部件消息，接收逻辑改为返回该结构体。",
          en: "Adds the `ZmqMessage` struct for ZMQ multipart messages; receiving now returns it.",
        }),
        impact: t({ "zh-CN": ["`lib/runtime/src/transports/zmq.rs`"], en: ["`lib/runtime/src/transports/zmq.rs`"] }),
      },
    }),
  ];
}

/** A fixed day: one repository with six commits at every importance, one with none, and notices. */
export function sampleReport(lang: Lang): Report {
  const t = (text: Localized): string => text[lang];
  return makeReport(
    [
      makeRepo("ai-dynamo/dynamo", sampleDynamoCommits(lang), { webUrl: DYNAMO_TEMPLATES?.repoUrl }),
      makeRepo("acme/inference-tools", [], {
        notices: [
          t({
            "zh-CN": "拉取远程仓库失败，本节基于本地已有的历史。",
            en: "Fetching the remote failed; this section uses the history already on disk.",
          }),
        ],
      }),
    ],
    {
      lang,
      notices: [t({ "zh-CN": "未配置 LLM：分析由内置规则生成。", en: "No LLM configured: the analysis comes from the built-in rules." })],
    },
  );
}
