import { describe, expect, it } from "vitest";
import { readStructure, summarize } from "../../../../test/helpers/read-structure.js";
import type { FileStructure, SymbolDef } from "../types.js";

const read = (source: string, path = "src/lib.rs") => readStructure("rust", source, path);
const lines = (...text: string[]) => text.join("\n");
function symbol(structure: FileStructure, name: string): SymbolDef {
  const found = structure.symbols.find((s) => s.name === name);
  if (!found) throw new Error(`no symbol ${name} in ${structure.symbols.map((s) => s.name).join(", ")}`);
  return found;
}

describe("rust adapter", () => {
  it("reads items with their kinds and pub visibility", async () => {
    const structure = await read(
      lines(
        "pub fn run(config: &Config) -> Result<(), Error> { Ok(()) }",
        "fn helper() {}",
        "pub(crate) struct Inner { a: u8 }",
        "pub union Bits { i: u32, f: f32 }",
        "pub enum Mode { Fast, Slow { depth: u8 } }",
        "pub trait Backend {}",
        "pub type Res<T> = Result<T, Error>;",
        "pub const LIMIT: usize = 10;",
        "pub(super) static COUNTER: AtomicUsize = AtomicUsize::new(0);",
        "pub(in crate::a) fn scoped() {}",
        "pub(self) fn own() {}",
        "pub mod remote;",
        "mod private_mod;",
        "#[macro_export]",
        "macro_rules! exported { () => {} }",
        "macro_rules! local_macro { () => {} }",
      ),
    );
    expect(summarize(structure)).toEqual({
      run: { kind: "function", visibility: "public", lines: "1-1", params: "config: &Config", returns: "Result<(), Error>" },
      helper: { kind: "function", visibility: "private", lines: "2-2", params: "" },
      Inner: { kind: "struct", visibility: "internal", lines: "3-3" },
      Bits: { kind: "struct", visibility: "public", lines: "4-4" },
      Mode: { kind: "enum", visibility: "public", lines: "5-5" },
      Backend: { kind: "trait", visibility: "public", lines: "6-6" },
      Res: { kind: "type", visibility: "public", lines: "7-7" },
      LIMIT: { kind: "constant", visibility: "public", lines: "8-8" },
      COUNTER: { kind: "constant", visibility: "internal", lines: "9-9" },
      scoped: { kind: "function", visibility: "internal", lines: "10-10", params: "" },
      own: { kind: "function", visibility: "internal", lines: "11-11", params: "" },
      remote: { kind: "module", visibility: "public", lines: "12-12" },
      private_mod: { kind: "module", visibility: "private", lines: "13-13" },
      exported: { kind: "macro", visibility: "public", lines: "14-15" },
      local_macro: { kind: "macro", visibility: "private", lines: "16-16" },
    });
  });

  it("names inherent and trait impl members as Rust paths, without generic parameters", async () => {
    const structure = await read(
      lines(
        "pub struct OptArgs { inner: NonNull<u8> }",
        "impl OptArgs {",
        "    pub fn new() -> Result<Self, NixlError> { todo!() }",
        "    pub fn set_notification_message(&mut self, message: &[u8]) -> Result<(), NixlError> { Ok(()) }",
        "    fn raw(&self) -> *mut u8 { self.inner.as_ptr() }",
        "    pub const MAX: usize = 4;",
        "}",
        "impl<'a, T: Clone> XferDescList<'a, T> {",
        "    pub fn len(&self) -> usize { 0 }",
        "}",
        "impl Drop for OptArgs {",
        "    fn drop(&mut self) {}",
        "}",
        "impl fmt::Display for OptArgs {",
        "    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { Ok(()) }",
        "}",
        "impl<'a> From<&'a str> for OptArgs { fn from(s: &'a str) -> Self { todo!() } }",
        "impl From<u32> for OptArgs { fn from(v: u32) -> Self { todo!() } }",
        "impl<'a> Iterator for StringListIterator<'a> {",
        "    type Item = &'a str;",
        "    fn next(&mut self) -> Option<Self::Item> { None }",
        "}",
        "impl<T> From<T> for Wrapper { fn from(t: T) -> Self { todo!() } }",
        "impl RemoteEntry for BitbucketPagination<BitbucketCommit> { fn url() -> String { todo!() } }",
        "impl RemoteEntry for BitbucketPagination<BitbucketPullRequest> { fn url() -> String { todo!() } }",
      ),
    );
    expect(structure.symbols.map((s) => [s.name, s.kind, s.visibility])).toEqual([
      ["OptArgs", "struct", "public"],
      ["OptArgs::new", "method", "public"],
      ["OptArgs::set_notification_message", "method", "public"],
      ["OptArgs::raw", "method", "private"],
      ["OptArgs::MAX", "constant", "public"],
      ["XferDescList::len", "method", "public"],
      ["<OptArgs as Drop>::drop", "method", "internal"],
      ["<OptArgs as Display>::fmt", "method", "internal"],
      ["<OptArgs as From<&str>>::from", "method", "internal"],
      ["<OptArgs as From<u32>>::from", "method", "internal"],
      ["<StringListIterator as Iterator>::Item", "type", "internal"],
      ["<StringListIterator as Iterator>::next", "method", "internal"],
      // Generic parameters are not part of a name; concrete type arguments make another impl.
      ["<Wrapper as From>::from", "method", "internal"],
      ["<BitbucketPagination<BitbucketCommit> as RemoteEntry>::url", "method", "internal"],
      ["<BitbucketPagination<BitbucketPullRequest> as RemoteEntry>::url", "method", "internal"],
    ]);
    const method = symbol(structure, "OptArgs::set_notification_message");
    expect(method.shortName).toBe("set_notification_message");
    expect(method.scope).toEqual([{ kind: "impl", name: "OptArgs" }]);
    expect(symbol(structure, "<OptArgs as Drop>::drop").scope).toEqual([{ kind: "impl", name: "OptArgs" }]);
    expect(symbol(structure, "XferDescList::len").scope).toEqual([{ kind: "impl", name: "XferDescList" }]);
  });

  it("qualifies items of inline modules and caps their visibility by the modules around them", async () => {
    const structure = await read(
      lines(
        "pub mod api {",
        "    pub fn open() {}",
        "    pub(crate) fn reset() {}",
        "    mod detail {",
        "        pub fn deep() {}",
        "    }",
        "    pub struct Handle;",
        "    impl Handle { pub fn close(&self) {} }",
        "    impl Clone for Handle { fn clone(&self) -> Self { Handle } }",
        "    #[macro_export]",
        "    macro_rules! api_macro { () => {} }",
        "}",
        "mod bindings {",
        "    pub fn nixl_capi_create() {}",
        "}",
      ),
    );
    expect(structure.symbols.map((s) => [s.name, s.visibility])).toEqual([
      ["api", "public"],
      ["api::open", "public"],
      ["api::reset", "internal"],
      ["api::detail", "private"],
      ["api::detail::deep", "private"],
      ["api::Handle", "public"],
      ["api::Handle::close", "public"],
      ["<api::Handle as Clone>::clone", "internal"],
      // `#[macro_export]` puts the macro at the crate root.
      ["api_macro", "public"],
      ["bindings", "private"],
      ["bindings::nixl_capi_create", "private"],
    ]);
    expect(symbol(structure, "api::detail::deep").scope).toEqual([
      { kind: "module", name: "api" },
      { kind: "module", name: "detail" },
    ]);
    expect(symbol(structure, "api_macro").scope).toEqual([]);
    expect(symbol(structure, "api::Handle::close").scope).toEqual([
      { kind: "module", name: "api" },
      { kind: "impl", name: "Handle" },
    ]);
  });

  it("reads trait methods, associated types and consts with the trait's visibility", async () => {
    const structure = await read(
      lines(
        "pub trait NixlDescriptor: MemoryRegion {",
        "    type Kind;",
        "    const ALIGN: usize;",
        "    fn mem_type(&self) -> MemType;",
        "    fn device_id(&self) -> u64 { 0 }",
        "}",
        "trait Hidden { fn secret(self); }",
      ),
    );
    expect(summarize(structure)).toEqual({
      NixlDescriptor: { kind: "trait", visibility: "public", lines: "1-6" },
      "NixlDescriptor::Kind": { kind: "type", visibility: "public", lines: "2-2" },
      "NixlDescriptor::ALIGN": { kind: "constant", visibility: "public", lines: "3-3" },
      "NixlDescriptor::mem_type": { kind: "method", visibility: "public", lines: "4-4", params: "", returns: "MemType" },
      "NixlDescriptor::device_id": { kind: "method", visibility: "public", lines: "5-5", params: "", returns: "u64" },
      Hidden: { kind: "trait", visibility: "private", lines: "7-7" },
      "Hidden::secret": { kind: "method", visibility: "private", lines: "7-7", params: "" },
    });
    expect(symbol(structure, "NixlDescriptor::mem_type").scope).toEqual([{ kind: "trait", name: "NixlDescriptor" }]);
  });

  it("leaves out items local to function bodies and const initialisers, enum variants and fields", async () => {
    const structure = await read(
      lines(
        "pub fn outer() -> u8 {",
        "    fn inner() -> u8 { 1 }",
        "    struct Local;",
        "    impl Local { pub fn m(&self) {} }",
        "    const K: u8 = 2;",
        "    inner() + K",
        "}",
        "const _: () = {",
        "    impl Marker for Foo {}",
        "    fn assert_send<T: Send>() {}",
        "};",
        "pub enum E { A, B(u8) }",
        "pub struct S { pub field: u8 }",
      ),
    );
    expect(structure.symbols.map((s) => s.name)).toEqual(["outer", "E", "S"]);
  });

  it("makes test code private: #[cfg(test)] modules and items, #[test] and #[tokio::test] functions", async () => {
    const structure = await read(
      lines(
        "pub fn api() {}",
        "#[test]",
        "pub fn test_api() {}",
        "#[tokio::test(flavor = \"multi_thread\")]",
        "pub async fn test_async() {}",
        "#[cfg(test)]",
        "pub fn test_helper() {}",
        "#[cfg(test)]",
        "pub mod tests {",
        "    use super::*;",
        "    pub fn fixture() {}",
        "    #[test]",
        "    fn works() {}",
        "}",
        "#[cfg(all(test, feature = \"gpu\"))]",
        "impl Agent { pub fn gpu_only(&self) {} }",
        "#[cfg(not(test))]",
        "pub fn release_only() {}",
        "pub mod more {",
        "    #![cfg(test)]",
        "    pub fn inner_test() {}",
        "}",
      ),
    );
    expect(Object.fromEntries(structure.symbols.map((s) => [s.name, s.visibility]))).toEqual({
      api: "public",
      test_api: "private",
      test_async: "private",
      test_helper: "private",
      tests: "private",
      "tests::fixture": "private",
      "tests::works": "private",
      "Agent::gpu_only": "private",
      release_only: "public",
      more: "private",
      "more::inner_test": "private",
    });
    // The span of an item includes its attributes.
    expect(symbol(structure, "tests").startLine).toBe(8);
    const wholeFile = await read(lines("#![cfg(test)]", "pub fn only_in_tests() {}"), "src/test_utils.rs");
    expect(wholeFile.symbols.map((s) => s.visibility)).toEqual(["private"]);
  });

  it("reads signatures: patterns and types, receiver, return type, modifiers and generics", async () => {
    const structure = await read(
      lines(
        "pub struct Agent;",
        "impl Agent {",
        "    pub async unsafe fn post<'a, T: NixlDescriptor>(&'a mut self, (lo, hi): (usize, usize), mut opts: Option<&OptArgs>) -> Result<XferStatus, NixlError> where T: Send { todo!() }",
        "    pub fn by_value(self) {}",
        "    pub fn mut_value(mut self) {}",
        "    pub fn boxed(self: Box<Self>, _: u8) {}",
        "    pub const fn zero() -> usize { 0 }",
        "}",
        "pub extern \"C\" fn callback(code: i32, ...) {}",
        "extern \"C\" {",
        "    pub fn nixl_capi_create_agent(name: *const c_char, agent: *mut *mut nixl_capi_agent_s) -> nixl_capi_status_t;",
        "}",
      ),
    );
    const post = symbol(structure, "Agent::post").signature!;
    expect(post.parameters).toEqual([
      { name: "(lo, hi)", type: "(usize, usize)" },
      { name: "opts", type: "Option<&OptArgs>" },
    ]);
    expect(post.returns).toBe("Result<XferStatus, NixlError>");
    expect(post.modifiers).toEqual(["&mut self", "async", "generics:<'a, T: NixlDescriptor> where T: Send", "unsafe"]);
    expect(symbol(structure, "Agent::by_value").signature!.modifiers).toEqual(["self"]);
    expect(symbol(structure, "Agent::mut_value").signature!.modifiers).toEqual(["mut self"]);
    expect(symbol(structure, "Agent::boxed").signature).toEqual({ parameters: [{ name: "_", type: "u8" }], modifiers: ["self: Box<Self>"] });
    expect(symbol(structure, "Agent::zero").signature).toEqual({ parameters: [], returns: "usize", modifiers: ["const"] });
    expect(symbol(structure, "callback").signature).toEqual({
      parameters: [{ name: "code", type: "i32" }, { name: "...", variadic: true }],
      modifiers: ["extern"],
    });
    const foreign = symbol(structure, "nixl_capi_create_agent");
    expect(foreign.kind).toBe("function");
    expect(foreign.visibility).toBe("public");
    expect(foreign.signature!.modifiers).toEqual(["extern"]);
    expect(foreign.signature!.parameters.map((p) => p.type)).toEqual(["*const c_char", "*mut *mut nixl_capi_agent_s"]);

    const bounded = await read("pub fn f<T: Clone + Send>(x: T) {}");
    const unbounded = await read("pub fn f<T: Clone>(x: T) {}");
    expect(bounded.symbols[0]!.signature!.modifiers).not.toEqual(unbounded.symbols[0]!.signature!.modifiers);
  });

  it("fingerprints ignore whitespace and comments (doc comments too) but not code or attributes; the shape ignores the name", async () => {
    const base = await read("/// Adds.\npub fn add(a: u8, b: u8) -> u8 {\n    a + b\n}\n");
    const spaced = await read("/// Adds two numbers.\npub fn add( a: u8,\n b: u8 ) -> u8 { a+b // sum\n}\n");
    const changed = await read("pub fn add(a: u8, b: u8) -> u8 { a - b }");
    const renamed = await read("pub fn plus(a: u8, b: u8) -> u8 { a + b }");
    const attributed = await read("#[inline]\npub fn add(a: u8, b: u8) -> u8 { a + b }");
    const fp = (s: FileStructure) => s.symbols[0]!.fingerprint;
    expect(fp(spaced)).toBe(fp(base));
    expect(fp(changed)).not.toBe(fp(base));
    expect(fp(attributed)).not.toBe(fp(base));
    expect(fp(renamed)).not.toBe(fp(base));
    expect(renamed.symbols[0]!.shape).toBe(base.symbols[0]!.shape);
  });

  it("keeps names and fingerprints of impl methods that only moved (nixl f2061ae reordered its APIs)", async () => {
    const optArgs = lines(
      "impl OptArgs {",
      "    pub fn set_notification_message(&mut self, message: &[u8]) -> Result<(), NixlError> {",
      "        let status = unsafe { nixl_capi_opt_args_set_notif_msg(self.inner.as_ptr(), message.as_ptr() as *const _, message.len()) };",
      "        status.into()",
      "    }",
      "    pub fn has_notification(&self) -> Result<bool, NixlError> { todo!() }",
      "}",
    );
    const filler = Array.from({ length: 60 }, (_, i) => `pub fn filler_${i}() -> u32 { ${i} }`).join("\n");
    const before = await read(lines("pub struct OptArgs { inner: NonNull<u8> }", optArgs, filler));
    const after = await read(lines("pub struct OptArgs { inner: NonNull<u8> }", filler, "// moved below", optArgs));
    const names = (s: FileStructure) => s.symbols.map((x) => `${x.kind} ${x.name}`).sort();
    expect(names(after)).toEqual(names(before));
    const a = symbol(before, "OptArgs::set_notification_message");
    const b = symbol(after, "OptArgs::set_notification_message");
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.startLine).toBe(a.startLine + 61);
  });

  it("reads clap derive options: long, short, defaults, choices, aliases, destinations", async () => {
    const structure = await read(
      lines(
        "#[derive(Debug, Clone, Copy, ValueEnum)]",
        "pub enum Strip { Header, Footer, #[value(skip)] Hidden, #[value(name = \"every\")] All, TopLevel }",
        "#[derive(Clone, ValueEnum)]",
        "pub enum Bump { Auto, Major }",
        "#[derive(Parser)]",
        "#[command(version, about)]",
        "pub struct Opt {",
        "    /// Increases the logging verbosity.",
        "    #[arg(short, long, action = ArgAction::Count, alias = \"debug\")]",
        "    pub verbose: u8,",
        "    #[arg(",
        "        short = 'V',",
        "        long = \"show-version\",",
        "        help = \"Prints version, information\",",
        "    )]",
        "    pub version: bool,",
        "    #[arg(short, long, env = \"GIT_CLIFF_CONFIG\", default_value = DEFAULT_CONFIG)]",
        "    pub config: PathBuf,",
        "    #[arg(long, default_value_t = 30)]",
        "    pub http_timeout: u64,",
        "    #[arg(long, value_parser = [\"json\", \"toml\"], default_value = \"json\")]",
        "    #[arg(visible_aliases = [\"fmt\", \"fm\"], short_alias = 'F')]",
        "    pub format: String,",
        "    #[arg(short, long, value_enum)]",
        "    pub strip: Option<Strip>,",
        "    #[arg(long, value_enum, value_parser = clap::value_parser!(Bump))]",
        "    pub bump: Option<Bump>,",
        "    /// The commit range: positional.",
        "    #[arg(value_name = \"RANGE\")]",
        "    pub range: Option<String>,",
        "    #[arg(skip)]",
        "    pub internal: u8,",
        "}",
        "/// ValueEnum implemented by hand: its values are not known here.",
        "pub enum Level { Low, High }",
        "#[derive(Parser)]",
        "struct Extra {",
        "    #[arg(long, value_enum)]",
        "    level: Level,",
        "}",
        "#[derive(StructOpt)]",
        "struct Old {",
        "    #[structopt(short = \"o\", long = \"out-file\", possible_values = &[\"a\", \"b\"])]",
        "    out: String,",
        "    #[clap(long)]",
        "    r#type: String,",
        "}",
      ),
    );
    expect(structure.cliFlags).toEqual([
      { name: "--verbose", aliases: ["-v", "--debug"], dest: "verbose", framework: "clap", line: 9 },
      { name: "--show-version", aliases: ["-V"], dest: "version", framework: "clap", line: 11 },
      { name: "--config", aliases: ["-c"], default: "DEFAULT_CONFIG", dest: "config", framework: "clap", line: 17 },
      { name: "--http-timeout", aliases: [], default: "30", dest: "http_timeout", framework: "clap", line: 19 },
      { name: "--format", aliases: ["--fmt", "--fm", "-F"], choices: ["json", "toml"], default: '"json"', dest: "format", framework: "clap", line: 21 },
      { name: "--strip", aliases: ["-s"], choices: ["header", "footer", "every", "top-level"], dest: "strip", framework: "clap", line: 24 },
      { name: "--bump", aliases: [], dest: "bump", framework: "clap", line: 26 },
      { name: "--level", aliases: [], dest: "level", framework: "clap", line: 38 },
      { name: "--out-file", aliases: ["-o"], choices: ["a", "b"], dest: "out", framework: "clap", line: 43 },
      { name: "--type", aliases: [], dest: "type", framework: "clap", line: 45 },
    ]);
  });

  it("reads clap builder options: Arg::new chains and arg! macros", async () => {
    const structure = await read(
      lines(
        "fn cli() -> Command {",
        "    Command::new(\"app\")",
        "        .arg(",
        "            Arg::new(\"backend\")",
        "                .long(\"backend\")",
        "                .short('b')",
        "                .default_value(\"ucx\")",
        "                .value_parser([\"ucx\", \"gds\"])",
        "                .visible_alias(\"plugin\"),",
        "        )",
        "        .arg(clap::Arg::with_name(\"cfg\").long(\"config\").possible_values(&[\"a\", \"b\"]))",
        "        .arg(Arg::new(\"input\").help(\"positional\"))",
        "        .arg(arg!(-n --name <NAME> \"Sets a name\").default_value(\"x\"))",
        "        .arg(arg!(verbosity: -v \"Verbose, really\"))",
        "        .arg(arg!([file] \"positional file\"))",
        "}",
      ),
    );
    expect(structure.cliFlags).toEqual([
      { name: "--backend", aliases: ["-b", "--plugin"], choices: ["ucx", "gds"], default: '"ucx"', dest: "backend", framework: "clap", line: 4 },
      { name: "--config", aliases: [], choices: ["a", "b"], dest: "cfg", framework: "clap", line: 11 },
      { name: "--name", aliases: ["-n"], default: '"x"', dest: "name", framework: "clap", line: 13 },
      { name: "-v", aliases: [], dest: "verbosity", framework: "clap", line: 14 },
    ]);
    expect(structure.symbols.map((s) => s.name)).toEqual(["cli"]);
  });

  it("counts parse errors", async () => {
    expect((await read("pub fn broken( {\n")).errorCount).toBeGreaterThan(0);
    expect((await read("pub fn fine() {}\n")).errorCount).toBe(0);
  });
});
