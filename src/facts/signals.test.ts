import { describe, expect, it } from "vitest";
import { fileChange } from "../../test/helpers/file-change.js";
import type { FileKind, SignalKind } from "./types.js";
import { extractSignals, formatSignalText } from "./signals.js";
import { redactText } from "../secrets/index.js";

/** A file change as the pipeline hands it to the facts: its patch redacted when the commit came in. */
function redactedChange(path: string, lines: string[]): ReturnType<typeof fileChange> {
  const change = fileChange(path, lines);
  return { ...change, patch: redactText(change.patch, { patch: true, path }).text };
}

/** The signal kinds one added line raises. */
function kindsOf(path: string, line: string, kind: FileKind = "source"): SignalKind[] {
  return extractSignals(redactedChange(path, ["@@ -1,0 +1,1 @@", `+${line}`]), kind).map((s) => s.kind);
}

type Case = [path: string, line: string, kind?: FileKind];

function expectRule(signal: SignalKind, positives: Case[], negatives: Case[]): void {
  for (const [path, line, kind] of positives) expect(kindsOf(path, line, kind), `${path}: ${line}`).toContain(signal);
  for (const [path, line, kind] of negatives) expect(kindsOf(path, line, kind), `${path}: ${line}`).not.toContain(signal);
}

describe("rules", () => {
  it("timeout: a timeout, deadline or ttl given a number or a duration", () => {
    expectRule(
      "timeout",
      [
        ["client.py", "    resp = requests.get(url, timeout=30)"],
        ["server.go", "\tctx, cancel := context.WithTimeout(ctx, 5*time.Second)"],
        ["lib.rs", "    .connect_timeout(Duration::from_secs(10))"],
        ["config/default.yaml", 'request_timeout: "30s"', "config"],
        ["settings.json", '  "cacheTTL": 3600,', "config"],
        ["run.sh", "python bench.py --timeout 600"],
      ],
      [
        ["client.py", '    timeout_message = "Request timed out after 30s"'],
        ["client.py", "    timeout = args.timeout"],
        ["client.py", "    if timeout > 30:"],
        ["client.py", '    logger.info("timeout: 30 seconds reached")'],
        ["client.py", "    # timeout = 30"],
        ["bottle.py", "    bottle_size = 3"],
      ],
    );
  });

  it("limit: max/limit/capacity/retries/pool size set to a number", () => {
    expectRule(
      "limit",
      [
        ["router.py", "MAX_RETRIES = 5"],
        ["engine.ts", "  maxConcurrency: 8,"],
        ["db.py", "engine = create_engine(url, pool_size=20)"],
        ["values.yaml", "max_num_batched_tokens: 8192", "config"],
        ["queue.rs", "    builder.set_max_retries(3);"],
      ],
      [
        ["math.py", "    x = max(a, 3)"],
        ["math.ts", "  const y = Math.max(0, offset - 1);"],
        ["buf.rs", "    let mut v = Vec::with_capacity(16);"],
        ["retry.py", "RETRY_DELAY = 5"],
        ["router.py", "MAX_RETRIES = config.retries"],
      ],
    );
  });

  it("process-exec: subprocess, os.system, child_process, Command::new, exec.Command", () => {
    expectRule(
      "process-exec",
      [
        ["check.py", '    out = subprocess.run(["nvidia-smi"], capture_output=True)'],
        ["check.py", '    os.system("rm -rf /tmp/x")'],
        ["check.py", "    subprocess_args = build(cmd, shell=True)"],
        ["build.ts", 'import { execFileSync } from "node:child_process";'],
        ["build.ts", "  execSync(`git rev-parse HEAD`);"],
        ["main.rs", '    let out = Command::new("nvcc").arg("--version").output()?;'],
        ["main.go", '\tcmd := exec.Command("helm", "upgrade")'],
        ["launcher.cpp", '  int rc = system(cmd.c_str());'],
      ],
      [
        ["check.py", "import subprocess"],
        ["check.py", "    # subprocess.run is too slow here"],
        ["parse.ts", "  const m = PATTERN.exec(line);"],
        ["main.rs", "    tokio::spawn(async move { serve().await });"],
        ["check.py", '    help_text = "calls os.system(cmd)"'],
        ["app.py", "    system(cmd)"],
      ],
    );
  });

  it("eval: eval/exec of code and unsafe deserialisation", () => {
    expectRule(
      "eval",
      [
        ["plugin.py", "    result = eval(expr)"],
        ["plugin.py", "    exec(compile(src, path, 'exec'))"],
        ["plugin.js", "  const fn = new Function('a', body);"],
        ["cache.py", "    state = pickle.loads(blob)"],
        ["cfg.py", "    data = yaml.load(f)"],
        ["ckpt.py", "    sd = torch.load(path)"],
      ],
      [
        ["train.py", "    model.eval()"],
        ["cfg.py", "    data = yaml.safe_load(f)"],
        ["cfg.py", "    data = yaml.load(f, Loader=yaml.SafeLoader)"],
        ["ckpt.py", "    sd = torch.load(path, weights_only=True)"],
        ["plugin.py", "    # never eval(expr) user input"],
        ["plugin.rs", "    let v = eval(expr);"],
      ],
    );
  });

  it("unsafe: Rust unsafe blocks, fns and impls", () => {
    expectRule(
      "unsafe",
      [
        ["ffi.rs", "    let p = unsafe { ptr.as_ref() };"],
        ["ffi.rs", "pub unsafe fn from_raw(ptr: *mut u8) -> Self {"],
        ["ffi.rs", "unsafe impl Send for Handle {}"],
      ],
      [
        ["lib.rs", "#![forbid(unsafe_code)]"],
        ["ffi.rs", "    // SAFETY: unsafe { } is sound because the pointer is pinned"],
        ["ffi.rs", '    let label = "unsafe {";'],
        ["ffi.py", "    unsafe = True"],
      ],
    );
  });

  it("auth: authentication, authorization, tokens verified, JWT, OAuth", () => {
    expectRule(
      "auth",
      [
        ["api.py", '    headers["Authorization"] = f"Bearer {token}"'],
        ["auth.go", "\tclaims, err := jwt.ParseWithClaims(raw, &Claims{}, keyFunc)"],
        ["views.py", "@login_required"],
        ["svc.ts", "  if (!verifyToken(req)) return res.status(401).end();"],
        ["svc.ts", "  app.use(oauth2Middleware());"],
        ["perm.py", "    if not user.has_permission(\"deploy\"):"],
        // Config: a bare key, a quoted key.
        ["deploy/values.yaml", "  oauth2:", "config"],
        ["settings.json", '  "jwt": { "issuer": "acme" },', "config"],
      ],
      [
        ["setup.py", '    author = "Ada Lovelace",'],
        ["meta.ts", "  authors: string[];"],
        ["api.py", "    # authentication is handled upstream"],
        ["fs.rs", "    fs::set_permissions(&path, perms)?;"],
        // A string that is a value is data, not code: a kind in a type union, a log message.
        ["types.ts", '  | "auth"'],
        ["log.py", '    logger.info("authentication done")'],
        // A JSON value is data (this project's labelled set names signal kinds).
        ["eval/labels/nixl.json", '          "name": "auth"', "config"],
      ],
    );
  });

  it("crypto: hashlib, md5/sha1, disabled TLS verification, random for secrets", () => {
    expectRule(
      "crypto",
      [
        ["auth.py", "    digest = hashlib.md5(password.encode()).hexdigest()"],
        ["auth.go", "\tsum := md5.Sum([]byte(token))"],
        ["sign.ts", "  const signature = createHash('sha1').update(secret)"],
        ["client.py", "    r = requests.get(url, verify=False)"],
        ["client.go", "\tTLSClientConfig: &tls.Config{InsecureSkipVerify: true},"],
        ["agent.ts", "  new https.Agent({ rejectUnauthorized: false })"],
        ["tokens.py", "    reset_token = ''.join(random.choices(ALPHABET, k=32))"],
      ],
      [
        ["files.py", "    checksum_md5_file = path"],
        ["client.py", "    r = requests.get(url, verify=True)"],
        ["lb.py", "    server = random.choice(servers)"],
        ["client.py", "    # verify=False only for local testing"],
      ],
    );
  });

  it("secret: a line where the redactor put a marker (credentials assigned as literals, tokens, URL passwords, key bodies)", () => {
    expectRule(
      "secret",
      [
        ["settings.py", 'DB_PASSWORD = "s3cr3t-Passw0rd"', "config"],
        ["config/app.yaml", "api_key: 9f8e7d6c5b4a3210", "config"],
        ["deploy.sh", 'export HF_TOKEN="hf_abcdefghijkLmnopqrstuvwxyzABCDEFGH"'],
        ["keys.ts", 'const pem = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\\n-----END RSA PRIVATE KEY-----";'],
        ["db.py", 'url = "postgres://admin:hunter22@db:5432/app"'],
      ],
      [
        ["settings.py", 'DB_PASSWORD = os.environ["DB_PASSWORD"]', "config"],
        ["settings.py", 'token = ""', "config"],
        ["config/app.yaml", "api_key: ${API_KEY}", "config"],
        ["deploy/hf.yaml", "secretName: hf-token-secret", "config"],
        [".github/workflows/ci.yml", "    password: ${{ secrets.DOCKER_PASSWORD }}", "ci"],
        ["settings.py", 'TOKEN_ENV = "HF_TOKEN"', "config"],
        ["engine.py", "max_tokens = 512"],
        ["settings.py", "password = get_password()", "config"],
        // Code that only names the armour line holds no key.
        ["keys.ts", 'if (line.startsWith("-----BEGIN RSA PRIVATE KEY-----")) {'],
      ],
    );
    // Not redacted, not a secret: the facts trust the redaction at the door and never look for values themselves.
    expect(extractSignals(fileChange("settings.py", ["@@ -1,0 +1,1 @@", '+DB_PASSWORD = "s3cr3t-Passw0rd"']), "config")).toEqual([]);
  });

  it("network-listen: every interface, host networking, exposed ports", () => {
    expectRule(
      "network-listen",
      [
        ["server.py", '    uvicorn.run(app, host="0.0.0.0", port=8000)'],
        ["main.rs", '    let listener = TcpListener::bind("[::]:8080").await?;'],
        ["deploy/pod.yaml", "  hostNetwork: true", "config"],
        ["compose.yaml", '      - "8080:8080"', "config"],
        ["run.sh", "docker run --rm -p 8000:8000 dynamo:latest"],
        ["main.go", '\tlog.Fatal(http.ListenAndServe(":8080", mux))'],
        ["server.py", '    uvicorn.run(app, host="::", port=8000)'],
        ["run.sh", "vllm serve m --host :: --port 8000"],
      ],
      [
        // `::` as a path separator is no address.
        ["paths.ts", '    const path = node.text.split("::").filter((part) => part !== "");'],
        ["match.ts", '    if (!identity.crates.includes(use.module.split("::")[0]!)) return undefined;'],
        ["server.py", '    uvicorn.run(app, host="127.0.0.1", port=8000)'],
        ["net.py", '    SUBNET = "10.0.0.0/8"'],
        ["main.rs", "    use std::io::Write;"],
        ["deploy/pod.yaml", "  hostNetwork: false", "config"],
        ["compose.yaml", "      - ./data:/data", "config"],
        // An address described in a sentence binds nothing (this project's own labelled set).
        ["eval/labels/nixl.json", '      "why": "new exporter that serves metrics over HTTP, bound to 0.0.0.0:9090 by default",', "config"],
        ["cli.py", '    parser.add_argument("--verbose", help="also says when the server listens on 0.0.0.0")'],
        // Compared with, looked for: a detector's own rule, a check of a configured value.
        ["signals.ts", '  (l) => l.text.includes("0.0.0.0") && givesAddress(l.text, ADDRESS),'],
        ["check.py", '    if host == "0.0.0.0":'],
      ],
    );
    // An address in a short string, or beside a sentence, still is one.
    expect(kindsOf("cli.py", '    parser.add_argument("--host", default="0.0.0.0", help="the address to bind to")')).toEqual(["network-listen"]);
    expect(kindsOf("config.json", '  "listen": "0.0.0.0:8080",', "config")).toEqual(["network-listen"]);
  });

  it("permission: world-writable modes, privileged containers, root, workflow write scopes", () => {
    expectRule(
      "permission",
      [
        ["setup.sh", "chmod 777 /opt/dynamo"],
        ["io.py", "    os.chmod(path, 0o777)"],
        ["deploy/pod.yaml", "    privileged: true", "config"],
        ["deploy/pod.yaml", "    runAsUser: 0", "config"],
        ["deploy/pod.yaml", "        add: [\"SYS_ADMIN\"]", "config"],
      ],
      [
        ["setup.sh", "chmod +x ./run.sh"],
        ["setup.sh", "chmod 755 /opt/dynamo"],
        ["deploy/pod.yaml", "    runAsUser: 1000", "config"],
        ["Dockerfile", "USER dynamo", "build"],
        [".github/workflows/release.yml", "  contents: read", "ci"],
        ["notes.yaml", "  contents: write", "config"],
      ],
    );
  });
});

describe("where signals count", () => {
  it("outside product code only a committed credential is worth a look", () => {
    expect(kindsOf(".github/workflows/ci.yml", "    timeout-minutes: 45", "ci")).toEqual([]);
    expect(kindsOf("Dockerfile", "EXPOSE 8000 8787", "build")).toEqual([]);
    expect(kindsOf("Dockerfile", "USER root", "build")).toEqual([]);
    expect(kindsOf("tests/test_run.py", "    subprocess.run(cmd, shell=True)", "test")).toEqual([]);
    expect(kindsOf(".clang-format", "ColumnLimit: 100", "config")).toEqual([]);
    expect(kindsOf("tests/fixtures.py", 'GITHUB_TOKEN = "ghp_x9K2mQ7vL4pR8sT1wY6zB3nC5dF0gH2jK4lM"', "test")).toEqual(["secret"]);
  });

  it("a hash for a cache key or a content id is no cryptography", () => {
    expect(kindsOf("cache.py", "    key = hashlib.sha256(data).hexdigest()")).toEqual([]);
    expect(kindsOf("cache.go", "\tsum := md5.Sum(data)")).toEqual([]);
    expect(kindsOf("etag.ts", "  createHash('sha1').update(buf)")).toEqual([]);
  });
});

describe("extractSignals", () => {
  it("reads removed lines too and names the line", () => {
    const signals = extractSignals(
      fileChange("deploy/pod.yaml", [
        "@@ -8,4 +8,4 @@ spec:",
        "   securityContext:",
        "-    privileged: true",
        "+    privileged: false",
        "-    runAsUser: 0",
        "+    runAsUser: 0 # root for now",
      ]),
      "config",
    );
    expect(signals).toEqual([
      { kind: "permission", change: "removed", text: "privileged: true", origin: { file: "deploy/pod.yaml", line: 9 } },
      { kind: "permission", change: "removed", text: "runAsUser: 0", origin: { file: "deploy/pod.yaml", line: 10 } },
      { kind: "permission", change: "added", text: "runAsUser: 0 # root for now", origin: { file: "deploy/pod.yaml", line: 10 } },
    ]);
  });

  it("reads nothing from docs, tests, lockfiles, generated or vendored files", () => {
    const lines = ["@@ -1,0 +1,1 @@", "+result = eval(expr)  # with timeout=30"];
    for (const kind of ["docs", "test", "lockfile", "generated", "vendored", "other"] as FileKind[]) {
      expect(extractSignals(fileChange("x.py", lines), kind)).toEqual([]);
    }
    expect(extractSignals(fileChange("x.py", lines), "source").map((s) => s.kind)).toEqual(["eval"]);
  });

  it("de-duplicates by kind, change and text, and stops at 20 per file", () => {
    const same = ["@@ -1,0 +1,3 @@", "+os.system(cmd)", "+  os.system(cmd)", "+os.system(cmd)"];
    expect(extractSignals(fileChange("a.py", same), "source")).toHaveLength(1);
    const many = ["@@ -1,0 +1,30 @@", ...Array.from({ length: 30 }, (_, i) => `+os.system(cmd${i})`)];
    expect(extractSignals(fileChange("a.py", many), "source")).toHaveLength(20);
  });

  it("skips no line a rule accepts, however its names are cased or split", () => {
    // The identifier rules join split words again: `oa_uth` spells "oauth", `api_k_ey` "apikey".
    expect(kindsOf("client.py", "oa_uth_client = build_client()")).toEqual(["auth"]);
    expect(extractSignals(redactedChange("keys.py", ["@@ -1,0 +1,1 @@", '+API_KEY = "live-8f2c1d9e7b"']), "source")).toEqual([
      { kind: "secret", change: "added", text: 'API_KEY = "[redacted:secret]"', origin: { file: "keys.py", line: 1 } },
    ]);
    expect(kindsOf("Server.java", "    HttpServer.create(new InetSocketAddress(\"0.0.0.0\", PORT), 0);")).toEqual(["network-listen"]);
    expect(kindsOf("app.py", "    return render(template)")).toEqual([]);
  });

  it("never puts a secret value in the text", () => {
    const signals = extractSignals(
      redactedChange("deploy/env.yaml", [
        "@@ -1,0 +1,4 @@",
        "+db_password: hunter2-prod-01",
        '+url: "postgres://admin:hunter22@db:5432/app"',
        "+aws_key: AKIAZ7QW3ERTY6UIOP2A",
        '+headers: { Authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.payload" }',
      ]),
      "config",
    );
    const texts = signals.map((s) => s.text);
    expect(texts).toContain("db_password: [redacted:password]");
    expect(texts).toContain('url: "postgres://admin:[redacted:url-password]@db:5432/app"');
    expect(texts).toContain("aws_key: [redacted:aws-access-token]");
    expect(texts).toContain('headers: { Authorization: "Bearer [redacted:authorization]" }');
    expect(texts.join("\n")).not.toMatch(/hunter2|AKIA|eyJ/);
  });

  it("names the line of each secret, the line count of the patch kept by the redaction", () => {
    const body = ["MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB", "aFDrBz9vFqU4yaVuXUxzLqGfQ4NWj2X0V0wTKaHjGkM0r3x8c1sUeYDAH2Rr1Fe="];
    const change = redactedChange("deploy/key.yaml", [
      "@@ -3,2 +3,7 @@ data:",
      "   name: web",
      "+  key: |",
      "+    -----BEGIN RSA PRIVATE KEY-----",
      ...body.map((line) => `+    ${line}`),
      "+    -----END RSA PRIVATE KEY-----",
      "+  token: ghp_x9K2mQ7vL4pR8sT1wY6zB3nC5dF0gH2jK4lM",
    ]);
    expect(change.patch.split("\n")).toHaveLength(8);
    const signals = extractSignals(change, "config");
    expect(signals.map((s) => [s.kind, s.origin.line, s.text])).toEqual([
      ["secret", 6, "[redacted:private-key]"],
      ["secret", 9, "token: [redacted:github-pat]"],
    ]);
  });
});

describe("formatSignalText", () => {
  it("trims and cuts at 160 characters on a character boundary", () => {
    const long = `  limit = 1 # ${"好".repeat(200)}`;
    const text = formatSignalText(long);
    expect(Array.from(text)).toHaveLength(160);
    expect(text.startsWith("limit = 1")).toBe(true);
    expect(text.endsWith("…")).toBe(true);
    const emoji = formatSignalText(`x = "${"😀".repeat(200)}"`);
    expect(Array.from(emoji)).toHaveLength(160);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
