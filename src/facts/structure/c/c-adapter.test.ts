import { describe, expect, it } from "vitest";
import { readStructure, summarize } from "../../../../test/helpers/read-structure.js";
import type { FileStructure, SymbolDef } from "../types.js";

function symbol(structure: FileStructure, name: string, index = 0): SymbolDef {
  const found = structure.symbols.filter((s) => s.name === name);
  if (!found[index]) throw new Error(`no symbol ${name} (#${index}) in ${structure.symbols.map((s) => s.name).join(", ")}`);
  return found[index]!;
}

function modifiers(structure: FileStructure, name: string, index = 0): string[] {
  return symbol(structure, name, index).signature?.modifiers ?? [];
}

describe("C++ adapter", () => {
  it("reads a class API header: access specifiers, constructors, operators, signatures", async () => {
    const structure = await readStructure(
      "cpp",
      [
        "#ifndef NIXL_H", // 1
        "#define NIXL_H",
        "class nixlAgent {",
        "    const std::unique_ptr<nixlAgentData> data;",
        "  public:", // 5
        "    nixlAgent(const std::string &name, const nixlAgentConfig &cfg);",
        "    ~nixlAgent();",
        "    nixlAgent(nixlAgent&&) noexcept = delete;",
        "    nixlAgent &operator=(nixlAgent&&) noexcept = delete;",
        "    nixl_status_t", // 10
        "    registerMem(const nixl_reg_dlist_t &descs,",
        "                const nixl_opt_args_t* extra_params = nullptr);",
        "    nixl_status_t getPluginParams(const nixl_backend_t &type, nixl_mem_list_t &mems) const;",
        "    virtual const char *name() const noexcept override;",
        "    static constexpr int kPort = 5555;", // 15
        "    int counter;",
        "  protected:",
        "    virtual void hook(int, ...) = 0;",
        "  private:",
        "    explicit nixlAgent(int fd);", // 20
        "};",
        "struct nixlAgentConfig {",
        "    bool useProgThread;",
        "    nixlAgentConfig() = default;",
        "};", // 25
        "class Fwd;",
        "#endif",
      ].join("\n"),
      "src/api/cpp/nixl.h",
    );
    expect(summarize(structure)).toEqual({
      nixlAgent: { kind: "class", visibility: "public", lines: "3-21" },
      // summarize keeps the last of the overloads, checked one by one below.
      "nixlAgent::nixlAgent": { kind: "method", visibility: "private", lines: "20-20", params: "fd: int" },
      "nixlAgent::~nixlAgent": { kind: "method", visibility: "public", lines: "7-7", params: "" },
      "nixlAgent::operator=": { kind: "method", visibility: "public", lines: "9-9", params: ": nixlAgent &&", returns: "nixlAgent &" },
      "nixlAgent::registerMem": {
        kind: "method",
        visibility: "public",
        lines: "10-12",
        params: "descs: const nixl_reg_dlist_t &, extra_params: const nixl_opt_args_t * = nullptr",
        returns: "nixl_status_t",
      },
      "nixlAgent::getPluginParams": {
        kind: "method",
        visibility: "public",
        lines: "13-13",
        params: "type: const nixl_backend_t &, mems: nixl_mem_list_t &",
        returns: "nixl_status_t",
      },
      "nixlAgent::name": { kind: "method", visibility: "public", lines: "14-14", params: "", returns: "const char *" },
      "nixlAgent::kPort": { kind: "constant", visibility: "public", lines: "15-15" },
      "nixlAgent::hook": { kind: "method", visibility: "internal", lines: "18-18", params: ": int, ......", returns: "void" },
      nixlAgentConfig: { kind: "struct", visibility: "public", lines: "22-25" },
      "nixlAgentConfig::nixlAgentConfig": { kind: "method", visibility: "public", lines: "24-24", params: "" },
    });
    // Three constructors: overloads are separate symbols with the same name.
    const constructors = structure.symbols.filter((s) => s.name === "nixlAgent::nixlAgent");
    expect(constructors.map((s) => [s.visibility, s.signature?.parameters.map((p) => p.type).join(", "), s.signature?.modifiers.join(" ")])).toEqual([
      ["public", "const std::string &, const nixlAgentConfig &", ""],
      ["public", "nixlAgent &&", "= delete noexcept"],
      ["private", "int", "explicit"],
    ]);
    expect(modifiers(structure, "nixlAgent::getPluginParams")).toEqual(["const"]);
    expect(modifiers(structure, "nixlAgent::name")).toEqual(["const", "noexcept", "override", "virtual"]);
    expect(modifiers(structure, "nixlAgent::hook")).toEqual(["= 0", "virtual"]);
    expect(modifiers(structure, "nixlAgentConfig::nixlAgentConfig")).toEqual(["= default"]);
    expect(symbol(structure, "nixlAgent::hook").signature?.parameters[1]).toEqual({ name: "...", variadic: true });
    // The include guard, the data members and the forward declaration are not symbols.
    expect(structure.symbols.map((s) => s.name)).not.toContain("NIXL_H");
    expect(structure.symbols.map((s) => s.name)).not.toContain("Fwd");
    expect(structure.symbols.map((s) => s.shortName)).not.toContain("counter");
    expect(structure.errorCount).toBe(0);
  });

  it("spells the parameter types one way, so formatting is not a signature change", async () => {
    const a = await readStructure("cpp", "int f(const char* a, std::map<int,int>& m, int *p[]);");
    const b = await readStructure("cpp", "int f(const char *a, std::map< int, int > &m, int* p []);");
    expect(a.symbols[0]!.signature).toEqual(b.symbols[0]!.signature);
    expect(a.symbols[0]!.signature?.parameters.map((p) => p.type)).toEqual(["const char *", "std::map<int, int> &", "int *[]"]);
  });

  it("qualifies by namespace; namespaces are scopes, never symbols, and decide visibility", async () => {
    const structure = await readStructure(
      "cpp",
      [
        "namespace nixl {",
        "namespace {",
        "int hidden(int a) { return a; }",
        "}",
        "namespace detail { struct Impl { void run(); }; }",
        "inline namespace v2 { void current(); }",
        "namespace a::b { int deep(); }",
        "class Agent { public: int f(); class Nested { public: void g(); }; };",
        "void free_fn();",
        "}",
        "static int file_local() { return 1; }",
        "static const int kLocal = 1;",
      ].join("\n"),
    );
    expect(summarize(structure)).toEqual({
      "nixl::hidden": { kind: "function", visibility: "private", lines: "3-3", params: "a: int", returns: "int" },
      "nixl::detail::Impl": { kind: "struct", visibility: "internal", lines: "5-5" },
      "nixl::detail::Impl::run": { kind: "method", visibility: "internal", lines: "5-5", params: "", returns: "void" },
      "nixl::current": { kind: "function", visibility: "public", lines: "6-6", params: "", returns: "void" },
      "nixl::a::b::deep": { kind: "function", visibility: "public", lines: "7-7", params: "", returns: "int" },
      "nixl::Agent": { kind: "class", visibility: "public", lines: "8-8" },
      "nixl::Agent::f": { kind: "method", visibility: "public", lines: "8-8", params: "", returns: "int" },
      "nixl::Agent::Nested": { kind: "class", visibility: "public", lines: "8-8" },
      "nixl::Agent::Nested::g": { kind: "method", visibility: "public", lines: "8-8", params: "", returns: "void" },
      "nixl::free_fn": { kind: "function", visibility: "public", lines: "9-9", params: "", returns: "void" },
      file_local: { kind: "function", visibility: "private", lines: "11-11", params: "", returns: "int" },
      kLocal: { kind: "constant", visibility: "private", lines: "12-12" },
    });
    expect(structure.symbols.some((s) => (s.kind as string) === "module" || s.name === "nixl")).toBe(false);
    expect(symbol(structure, "nixl::Agent::Nested::g").scope).toEqual([
      { kind: "namespace", name: "nixl" },
      { kind: "class", name: "Agent" },
      { kind: "class", name: "Nested" },
    ]);
  });

  it("members inherit private and internal from their class", async () => {
    const structure = await readStructure(
      "cpp",
      ["class Outer {", "  class Hidden { public: void open(); };", "protected:", "  struct Prot { int x; void p(); };", "};"].join("\n"),
    );
    expect(summarize(structure)).toMatchObject({
      "Outer::Hidden": { visibility: "private" },
      "Outer::Hidden::open": { visibility: "private" },
      "Outer::Prot": { visibility: "internal" },
      "Outer::Prot::p": { visibility: "internal" },
    });
  });

  it("folds an out-of-class definition into the class's declaration; alone it is internal", async () => {
    const structure = await readStructure(
      "cpp",
      [
        "namespace nixl {",
        "class Agent {",
        "  public:",
        "    nixl_status_t createXferReq(const char *a, int n = 4) const;",
        "  private:",
        "    void secret();",
        "};",
        "nixl_status_t Agent::createXferReq(const char *agent, int n) const {",
        "    return NIXL_SUCCESS;",
        "}",
        "void Agent::secret() {}",
        "void Agent::undeclared() {}",
        "}",
        "nixl_status_t nixlAgent::makeConnection(const std::string &remote) { return 0; }",
        "const int Agent::kLimit = 3;",
      ].join("\n"),
      "src/core/nixl_agent.cpp",
    );
    expect(summarize(structure)).toEqual({
      "nixl::Agent": { kind: "class", visibility: "public", lines: "2-7" },
      "nixl::Agent::createXferReq": { kind: "method", visibility: "public", lines: "8-10", params: "a: const char *, n: int = 4", returns: "nixl_status_t" },
      "nixl::Agent::secret": { kind: "method", visibility: "private", lines: "11-11", params: "", returns: "void" },
      "nixl::Agent::undeclared": { kind: "method", visibility: "internal", lines: "12-12", params: "", returns: "void" },
      "nixlAgent::makeConnection": { kind: "method", visibility: "internal", lines: "14-14", params: "remote: const std::string &", returns: "nixl_status_t" },
      "Agent::kLimit": { kind: "constant", visibility: "internal", lines: "15-15" },
    });
    expect(structure.symbols.filter((s) => s.name === "nixl::Agent::createXferReq")).toHaveLength(1);
    expect(symbol(structure, "nixlAgent::makeConnection").scope).toEqual([{ kind: "class", name: "nixlAgent" }]);
  });

  it("reads `ns::fn` defined outside a namespace it knows as a function", async () => {
    const structure = await readStructure(
      "cpp",
      ["namespace util { int parse(const char *s); }", "int util::parse(const char *s) { return 0; }", "namespace detail { void help(); }", "void detail::help() {}"].join("\n"),
    );
    expect(summarize(structure)).toEqual({
      "util::parse": { kind: "function", visibility: "public", lines: "2-2", params: "s: const char *", returns: "int" },
      "detail::help": { kind: "function", visibility: "internal", lines: "4-4", params: "", returns: "void" },
    });
  });

  it("keeps overloads apart and folds a prototype with its definition", async () => {
    const structure = await readStructure(
      "cpp",
      [
        "int add(int a, int b = 2);",
        "double add(double a, double b);",
        "static inline int add(int x, int y) {",
        "    return x + y;",
        "}",
      ].join("\n"),
    );
    const adds = structure.symbols.filter((s) => s.name === "add");
    expect(adds).toHaveLength(2);
    expect(adds[0]!.signature).toEqual({
      parameters: [
        { name: "a", type: "int" },
        { name: "b", type: "int", default: "2" },
      ],
      returns: "int",
      modifiers: ["inline", "static"],
    });
    expect(`${adds[0]!.startLine}-${adds[0]!.endLine}`).toBe("3-5");
    expect(adds[1]!.signature?.parameters.map((p) => p.type)).toEqual(["double", "double"]);
  });

  it("does not read definitions inside function bodies (or lambdas) as symbols", async () => {
    const structure = await readStructure(
      "cpp",
      [
        "int main(int argc, char **argv) {",
        "    struct Local { void m(); };",
        "    const int kInner = 3;",
        "    int helper(int);",
        "    return 0;",
        "}",
        "static auto registrar = [] { const int K = 1; struct L { void m(); }; return K; }();",
        "struct S { int a; void f(); } s;",
      ].join("\n"),
    );
    expect(structure.symbols.map((s) => s.name)).toEqual(["main", "S", "S::f"]);
  });

  it("does not take the statements of a function the grammar could not read for file-level declarations", async () => {
    const structure = await readStructure(
      "cpp",
      [
        "int main(int argc, char *argv[]) {",
        "    nixl_reg_dlist_t vram_list(VRAM_SEG);",
        "#ifdef A",
        "    if (x) {",
        "#else",
        "    if (y) {",
        "#endif",
        "        run();",
        "    }",
        "    nixl_reg_dlist_t obj_list(OBJ_SEG);",
        "    return 0;",
        "}",
      ].join("\n"),
    );
    expect(structure.errorCount).toBeGreaterThan(0);
    expect(structure.symbols.map((s) => s.name)).not.toContain("vram_list");
    expect(structure.symbols.map((s) => s.name)).not.toContain("obj_list");
  });

  it("unwraps templates into a modifier and names members of a class template without arguments", async () => {
    const structure = await readStructure(
      "cpp",
      [
        "template <typename T, int N = 2>",
        "class Vec {",
        "  public:",
        "    template <typename U> void push(U &&value);",
        "    T get(size_t i) const;",
        "};",
        "template <typename T, int N>",
        "T Vec<T, N>::get(size_t i) const { return data[i]; }",
        "template <> void Vec<int>::special() {}",
        "template <class T> using Ptr = std::shared_ptr<T>;",
      ].join("\n"),
    );
    expect(summarize(structure)).toEqual({
      Vec: { kind: "class", visibility: "public", lines: "1-6" },
      "Vec::push": { kind: "method", visibility: "public", lines: "4-4", params: "value: U &&", returns: "void" },
      "Vec::get": { kind: "method", visibility: "public", lines: "7-8", params: "i: size_t", returns: "T" },
      "Vec<int>::special": { kind: "method", visibility: "internal", lines: "9-9", params: "", returns: "void" },
      Ptr: { kind: "type", visibility: "public", lines: "10-10" },
    });
    expect(modifiers(structure, "Vec::push")).toEqual(["template:<typename U>"]);
    // The class's template parameters are not the method's: only `const`, as in the class.
    expect(modifiers(structure, "Vec::get")).toEqual(["const"]);
    expect(modifiers(structure, "Vec<int>::special")).toEqual([]);
  });

  it("reads types, enums, macros and constants", async () => {
    const structure = await readStructure(
      "cpp",
      [
        "#define NIXL_MAX 10",
        "#define NIXL_ADD(a, b) \\",
        "    ((a) + (b))",
        "typedef struct nixl_desc { int a; } nixl_desc_t;",
        "typedef int (*nixl_cb_t)(int);",
        "using nixl_blob_t = std::string;",
        "enum class nixl_mem_t : int { DRAM_SEG, VRAM_SEG };",
        "const std::string default_label = \"nixl\";",
        "constexpr int kDefaultPort = 5555;",
        "const char *mutable_ptr = \"x\";",
        "const char *const kName = \"x\";",
        "int plain_global = 3;",
        "extern const int kExtern;",
      ].join("\n"),
    );
    expect(summarize(structure)).toEqual({
      NIXL_MAX: { kind: "macro", visibility: "public", lines: "1-1" },
      NIXL_ADD: { kind: "macro", visibility: "public", lines: "2-3" },
      nixl_desc_t: { kind: "type", visibility: "public", lines: "4-4" },
      nixl_desc: { kind: "struct", visibility: "public", lines: "4-4" },
      nixl_cb_t: { kind: "type", visibility: "public", lines: "5-5" },
      nixl_blob_t: { kind: "type", visibility: "public", lines: "6-6" },
      nixl_mem_t: { kind: "enum", visibility: "public", lines: "7-7" },
      default_label: { kind: "constant", visibility: "public", lines: "8-8" },
      kDefaultPort: { kind: "constant", visibility: "public", lines: "9-9" },
      kName: { kind: "constant", visibility: "public", lines: "11-11" },
      kExtern: { kind: "constant", visibility: "public", lines: "13-13" },
    });
  });

  it("folds the two arms of an #if into one definition", async () => {
    const structure = await readStructure("cpp", ["#ifdef FAST", "#define LIMIT 100", "#else", "#define LIMIT 10", "#endif"].join("\n"));
    expect(structure.symbols.map((s) => s.name)).toEqual(["LIMIT"]);
  });

  it("reads a friend defined in a class as a free function", async () => {
    const structure = await readStructure("cpp", ["namespace n {", "class A {", "  friend bool operator==(const A &l, const A &r) { return true; }", "  friend void swap(A &, A &);", "  friend class B;", "};", "}"].join("\n"));
    expect(summarize(structure)).toMatchObject({
      "n::operator==": { kind: "function", visibility: "public", params: "l: const A &, r: const A &", returns: "bool" },
    });
    expect(structure.symbols.map((s) => s.name)).toEqual(["n::A", "n::operator=="]);
  });

  it("reads extern \"C\" blocks and export macros before the return type", async () => {
    const structure = await readStructure(
      "cpp",
      [
        'extern "C" {',
        "nixl_capi_status_t nixl_capi_create_agent(const char *name, nixl_capi_agent_t *agent);",
        "}",
        'extern "C" NIXL_PLUGIN_EXPORT nixlBackendPlugin *',
        "nixl_plugin_init() { return nullptr; }",
        'extern "C" NIXL_PLUGIN_EXPORT void nixl_plugin_fini() {}',
        "NIXL_API nixl_status_t nixl_api_call(int a);",
      ].join("\n"),
      "wrapper.h",
    );
    expect(summarize(structure)).toEqual({
      nixl_capi_create_agent: { kind: "function", visibility: "public", lines: "2-2", params: "name: const char *, agent: nixl_capi_agent_t *", returns: "nixl_capi_status_t" },
      nixl_plugin_init: { kind: "function", visibility: "public", lines: "4-5", params: "", returns: "nixlBackendPlugin *" },
      nixl_plugin_fini: { kind: "function", visibility: "public", lines: "6-6", params: "", returns: "void" },
      nixl_api_call: { kind: "function", visibility: "public", lines: "7-7", params: "a: int", returns: "nixl_status_t" },
    });
    expect(modifiers(structure, "nixl_capi_create_agent")).toEqual(['extern "C"']);
    expect(modifiers(structure, "nixl_plugin_init")).toEqual(['extern "C"']);
  });

  it("reads CUDA kernels and counts the errors launch syntax leaves", async () => {
    const structure = await readStructure(
      "cpp",
      [
        "__global__ void scale(float *x, float a) { x[threadIdx.x] *= a; }",
        "struct Buf {",
        "    __device__ __forceinline__ int *ptr() { return p; }",
        "};",
        "void launch(float *x) { scale<<<1, 32>>>(x, 2.0f); }",
      ].join("\n"),
      "kernels.cu",
    );
    expect(summarize(structure)).toMatchObject({
      scale: { kind: "function", params: "x: float *, a: float", returns: "void" },
      "Buf::ptr": { kind: "method", returns: "int *" },
      launch: { kind: "function" },
    });
    expect(modifiers(structure, "scale")).toEqual(["__global__"]);
    expect(modifiers(structure, "Buf::ptr")).toEqual(["__device__", "__forceinline__"]);
    expect(structure.errorCount).toBeGreaterThan(0);
  });

  it("reads gflags and Abseil flags with their defaults", async () => {
    const structure = await readStructure(
      "cpp",
      [
        'DEFINE_string(backend, "UCX", "The backend to use");',
        "DEFINE_int32(num_threads, 4, \"Threads\");",
        "namespace bench {",
        "DEFINE_bool(check_consistency, false, \"Check\");",
        "}",
        'ABSL_FLAG(std::string, etcd_endpoints, "http://localhost:2379", "etcd");',
        "int main() { DEFINE_uint64(inside, 1, \"not at file level\"); }",
      ].join("\n"),
    );
    expect(structure.cliFlags).toEqual([
      { name: "--backend", aliases: [], default: '"UCX"', dest: "FLAGS_backend", framework: "flag", line: 1 },
      { name: "--num_threads", aliases: [], default: "4", dest: "FLAGS_num_threads", framework: "flag", line: 2 },
      { name: "--check_consistency", aliases: [], default: "false", dest: "FLAGS_check_consistency", framework: "flag", line: 4 },
      { name: "--etcd_endpoints", aliases: [], default: '"http://localhost:2379"', dest: "FLAGS_etcd_endpoints", framework: "flag", line: 6 },
    ]);
    // Flag macros are not functions.
    expect(structure.symbols.map((s) => s.name)).toEqual(["main"]);
  });

  it("ignores macro calls in class bodies and at file level that look like typeless declarations", async () => {
    const structure = await readStructure("cpp", ["class A {", "  public:", "    NIXL_DISALLOW_COPY(A);", "    A();", "};", "NIXL_REGISTER_PLUGIN(posix);"].join("\n"));
    expect(structure.symbols.map((s) => s.name)).toEqual(["A", "A::A"]);
  });

  it("fingerprints ignore whitespace and comments but not code; the shape ignores the name", async () => {
    const a = await readStructure("cpp", "int f(int x) {\n    return x + 1;\n}\n");
    const b = await readStructure("cpp", "int f( int x ) { // same\n\treturn x+1; /* still */ }\n");
    const c = await readStructure("cpp", "int f(int x) {\n    return x + 2;\n}\n");
    const d = await readStructure("cpp", "int g(int x) {\n    return x + 1;\n}\n");
    expect(b.symbols[0]!.fingerprint).toBe(a.symbols[0]!.fingerprint);
    expect(c.symbols[0]!.fingerprint).not.toBe(a.symbols[0]!.fingerprint);
    expect(d.symbols[0]!.fingerprint).not.toBe(a.symbols[0]!.fingerprint);
    expect(d.symbols[0]!.shape).toBe(a.symbols[0]!.shape);
    expect(c.symbols[0]!.shape).not.toBe(a.symbols[0]!.shape);
  });

  it("a folded definition's fingerprint does not depend on which of its parts comes first", async () => {
    const a = await readStructure("cpp", "int f(int x);\nint other();\nint f(int x) { return x; }\n");
    const b = await readStructure("cpp", "int f(int x) { return x; }\nint other();\nint f(int x);\n");
    expect(symbol(a, "f").fingerprint).toBe(symbol(b, "f").fingerprint);
    const c = await readStructure("cpp", "int f(int x);\nint other();\nint f(int x) { return -x; }\n");
    expect(symbol(c, "f").fingerprint).not.toBe(symbol(a, "f").fingerprint);
  });
});

describe("C adapter", () => {
  it("reads a C header: prototypes, static functions, typedefs, function pointers", async () => {
    const structure = await readStructure(
      "c",
      [
        "#ifndef WRAPPER_H",
        "#define WRAPPER_H",
        "#ifdef __cplusplus",
        'extern "C" {',
        "#endif",
        "typedef struct nixl_capi_agent_s *nixl_capi_agent_t;",
        "typedef enum { NIXL_CAPI_SUCCESS = 0, NIXL_CAPI_ERROR } nixl_capi_status_t;",
        "nixl_capi_status_t nixl_capi_create_agent(const char *name, nixl_capi_agent_t *agent);",
        "int nixl_log(const char *fmt, ...);",
        "int (*get_handler(void))(int);",
        "int (*global_handler)(int);",
        "static inline int helper(void) { return 1; }",
        "#ifdef __cplusplus",
        "}",
        "#endif",
        "#endif",
      ].join("\n"),
      "wrapper.c",
    );
    expect(summarize(structure)).toEqual({
      nixl_capi_agent_t: { kind: "type", visibility: "public", lines: "6-6" },
      nixl_capi_status_t: { kind: "type", visibility: "public", lines: "7-7" },
      nixl_capi_create_agent: { kind: "function", visibility: "public", lines: "8-8", params: "name: const char *, agent: nixl_capi_agent_t *", returns: "nixl_capi_status_t" },
      nixl_log: { kind: "function", visibility: "public", lines: "9-9", params: "fmt: const char *, ......", returns: "int" },
      get_handler: { kind: "function", visibility: "public", lines: "10-10", params: "", returns: "int(*)(int)" },
      helper: { kind: "function", visibility: "private", lines: "12-12", params: "", returns: "int" },
    });
    expect(modifiers(structure, "helper")).toEqual(['extern "C"', "inline", "static"]);
    expect(structure.errorCount).toBeGreaterThan(0);
  });

  it("reads struct members as nothing but the struct", async () => {
    const structure = await readStructure("c", "struct ops { int (*open)(const char *path); int flags; };\nstruct fwd;\n");
    expect(summarize(structure)).toEqual({ ops: { kind: "struct", visibility: "public", lines: "1-1" } });
  });
});
