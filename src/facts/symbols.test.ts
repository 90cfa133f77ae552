import { describe, expect, it } from "vitest";
import { fileChange } from "../../test/helpers/file-change.js";
import { extractSymbolChanges } from "./symbols.js";


function summarise(path: string, language: string | undefined, lines: string[]): string[] {
  return extractSymbolChanges(fileChange(path, lines), language).map(
    (s) => `${s.change} ${s.kind} ${s.name}${s.exported ? " exported" : ""} @${s.origin.line}`,
  );
}

describe("Python", () => {
  it("reads functions, classes and methods with their class, and privacy by underscore", () => {
    expect(
      summarise("components/src/dynamo/triton/worker.py", "Python", [
        "@@ -1,12 +1,18 @@",
        " import asyncio",
        "+class TritonWorker:",
        "+    def __init__(self, server):",
        "+        self.server = server",
        "+",
        "+    async def generate(self, request):",
        "+        def _encode(x):",
        "+            return x",
        "+        return _encode(request)",
        " ",
        "-def serve(port):",
        "+def serve(port, host):",
        "     pass",
        "-def _legacy():",
        "-    pass",
        "+    # def commented_out():",
      ]),
    ).toEqual([
      "added class TritonWorker exported @2",
      "added method TritonWorker.__init__ @3",
      "removed function _legacy @5",
      "added method TritonWorker.generate exported @6",
      "added function _encode @7",
      "modified function serve exported @11",
    ]);
  });

  it("takes the enclosing class from git's hunk header when it is outside the hunk", () => {
    expect(
      summarise("deploy/sanity_check.py", "Python", [
        "@@ -200,3 +200,6 @@ class NvidiaChecker(BaseChecker):",
        "         return out",
        "+",
        "+    def collect_driver_info(self):",
        "+        return {}",
      ]),
    ).toEqual(["added method NvidiaChecker.collect_driver_info exported @202"]);
  });

  it("does not report a definition that only moved", () => {
    expect(
      summarise("a.py", "Python", ["@@ -1,4 +1,4 @@", "-def helper(x):", "-    return x", " VALUE = 1", "+def helper(x):", "+    return x"]),
    ).toEqual([]);
  });
});

describe("TypeScript", () => {
  it("reads exported and top-level declarations, not local helpers or calls", () => {
    expect(
      summarise("src/report/render.ts", "TypeScript", [
        "@@ -1,10 +1,13 @@",
        "-export function renderReport(report: Report): string {",
        "+export async function renderReport(report: Report, lang: Lang): Promise<string> {",
        "+  const toRow = (c: Commit) => `| ${c.sha} |`;",
        "+  return render(report.commits.map(toRow));",
        " }",
        "+export interface RenderOptions {",
        "+export type Lang = \"zh-CN\" | \"en\";",
        "+export const enum Level { High, Low }",
        "+const escapeCell = (text: string): string => text.replace(/\\|/g, \"\\\\|\");",
        "+export default class Renderer {",
        "+const rows = (items.length > 0) ? items : [];",
        "-function legacyRender() {",
      ]),
    ).toEqual([
      "modified function renderReport exported @1",
      "removed function legacyRender @3",
      "added interface RenderOptions exported @5",
      "added type Lang exported @6",
      "added enum Level exported @7",
      "added function escapeCell @8",
      "added class Renderer exported @9",
    ]);
  });
});

describe("Rust", () => {
  it("reports a removed pub fn, impl methods with their type, and pub(crate) as not exported", () => {
    expect(
      summarise("lib/runtime/src/logging.rs", "Rust", [
        "@@ -100,14 +100,14 @@ impl JsonLog {",
        "-pub fn init_logging(config: LoggingConfig) {",
        "+pub(crate) fn setup_logging(config: &LoggingConfig) {",
        " }",
        " ",
        " impl LoggingConfig {",
        "-    pub fn jsonl(&self) -> bool {",
        "+    pub fn jsonl(&self, span_events: bool) -> bool {",
        "     }",
        " }",
        "+pub struct SpanEventFilter;",
        "+pub const DYN_LOGGING_SPAN_EVENTS: &str = \"DYN_LOGGING_SPAN_EVENTS\";",
        "+#[macro_export]",
        "+macro_rules! emit_at_level {",
        "+mod tests {",
      ]),
    ).toEqual([
      "removed function init_logging exported @100",
      "added function setup_logging @100",
      "modified method LoggingConfig::jsonl exported @104",
      "added struct SpanEventFilter exported @107",
      "added constant DYN_LOGGING_SPAN_EVENTS exported @108",
      "added macro emit_at_level exported @110",
      "added module tests @111",
    ]);
  });

  it("reads methods from the hunk header and skips associated types", () => {
    expect(
      summarise("src/lib.rs", "Rust", [
        "@@ -10,2 +10,6 @@ impl<T: Send> Stream for Pipeline<T> {",
        "     type Item = T;",
        "+    type Error = Box<dyn Error>;",
        "+    fn poll_next(&mut self) -> Option<T> {",
        "+        let local = 1;",
        "+    }",
      ]),
    ).toEqual(["added method Pipeline::poll_next @12"]);
  });
});

describe("Go", () => {
  it("reads exported funcs, methods with receivers and types", () => {
    expect(
      summarise("deploy/operator/internal/controller/dgdr.go", "Go", [
        "@@ -40,6 +40,14 @@ import (",
        "+func NewDGDRReconciler(c client.Client) *DGDRReconciler {",
        "+func (r *DGDRReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {",
        "+func (r *DGDRReconciler) validate(spec Spec) error {",
        "+func helper() {}",
        "+type DGDRStatus struct {",
        "+type Phase string",
        "+\tname := fmt.Sprintf(\"func %s\", x)",
        " type (",
        "+\tProfiler interface {",
      ]),
    ).toEqual([
      "added function NewDGDRReconciler exported @40",
      "added method DGDRReconciler.Reconcile exported @41",
      "added method DGDRReconciler.validate @42",
      "added function helper @43",
      "added struct DGDRStatus exported @44",
      "added type Phase exported @45",
      "added interface Profiler exported @48",
    ]);
  });
});

describe("C, C++ and CUDA", () => {
  it("reads definitions, and prototypes only in headers", () => {
    const lines = [
      "@@ -1,5 +1,12 @@",
      "+namespace dynamo::kv {",
      "+class BlockManager : public Manager {",
      "+struct Block;",
      "+int allocate_blocks(size_t count);",
      "+static void reset(Block* b)",
      "+{",
      "+__global__ void copy_kernel(const float* __restrict__ src, float* dst) {",
      "+std::vector<int> BlockManager::free_list() const {",
      "+  if (count > 0) {",
      "+  struct stat st;",
      "+REGISTER_KERNEL(copy_kernel);",
    ];
    expect(summarise("lib/kvbm/block.cu", "CUDA", lines)).toEqual([
      "added module dynamo::kv @1",
      "added class BlockManager @2",
      "added function reset @5",
      "added function copy_kernel @7",
      "added method BlockManager::free_list @8",
    ]);
    expect(summarise("lib/kvbm/block.cuh", "CUDA", lines)).toEqual([
      "added module dynamo::kv exported @1",
      "added class BlockManager exported @2",
      "added function allocate_blocks exported @4",
      "added function reset @5",
      "added function copy_kernel exported @7",
      "added method BlockManager::free_list exported @8",
    ]);
  });
});

describe("unsupported files", () => {
  it("reads nothing from Markdown or unknown languages", () => {
    expect(summarise("README.md", "Markdown", ["@@ -1 +1 @@", "+def looks_like_python():"])).toEqual([]);
  });
});
