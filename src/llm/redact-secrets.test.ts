import { describe, expect, it } from "vitest";
import { redactSecrets, redactSecretsWithSpans } from "./redact-secrets.js";

// Made-up values, built at run time so that no scanner mistakes this file for a leak.
const random36 = "x9K2mQ7vL4pR8sT1wY6zB3nC5dF0gH2jK4lM";
const random48 = `${random36}Np3Qr5St7Uv9`;
const fake = {
  openaiLegacy: `sk-${random48}`,
  openaiProject: `sk-proj-${random48}_${random36}-abc`,
  anthropic: `sk-ant-api03-${random48}-${random36}AA`,
  githubPat: `ghp_${random36}`,
  githubOauth: `gho_${random36}`,
  githubServer: `ghs_${random36}`,
  githubUser: `ghu_${random36}`,
  githubFineGrained: `github_pat_11ABCDEFG0${random36}_${random48}`,
  gitlab: `glpat-${random36.slice(0, 20)}`,
  slack: `xoxb-123456789012-1234567890123-${random36.slice(0, 24)}`,
  awsAccess: "AKIA" + "Z7QW3ERTY6UIOP2A",
  awsSecret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "q1w2e3r4t5",
  google: `AIza${random36.slice(0, 35)}`,
  stripe: `sk_live_${random36.slice(0, 24)}`,
  jwt: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ" + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  huggingface: `hf_${random36}`,
};

function redactedOnce(text: string): { text: string; kinds: string[] } {
  const result = redactSecrets(text);
  return { text: result.text, kinds: Object.entries(result.redactions).flatMap(([kind, n]) => Array<string>(n).fill(kind)) };
}

describe("redactSecrets: known formats", () => {
  const cases: Array<[string, string, string]> = [
    ["openai-key", `+client = OpenAI(api_key="${fake.openaiLegacy}")`, `+client = OpenAI(api_key="[redacted:openai-key]")`],
    ["openai-key", `+OPENAI_API_KEY=${fake.openaiProject}`, `+OPENAI_API_KEY=[redacted:openai-key]`],
    ["anthropic-key", `export ANTHROPIC_API_KEY=${fake.anthropic}`, `export ANTHROPIC_API_KEY=[redacted:anthropic-key]`],
    ["github-token", `git clone https://${fake.githubPat}@github.com/o/r`, `git clone https://[redacted:github-token]@github.com/o/r`],
    ["github-token", `oauth: ${fake.githubOauth}`, `oauth: [redacted:github-token]`],
    ["github-token", `app ${fake.githubServer} user ${fake.githubUser}`, `app [redacted:github-token] user [redacted:github-token]`],
    ["github-token", `GH=${fake.githubFineGrained}`, `GH=[redacted:github-token]`],
    ["gitlab-token", `--header "PRIVATE-TOKEN: ${fake.gitlab}"`, `--header "PRIVATE-TOKEN: [redacted:gitlab-token]"`],
    ["slack-token", `slack = "${fake.slack}"`, `slack = "[redacted:slack-token]"`],
    ["aws-access-key", `aws_access_key_id = ${fake.awsAccess}`, `aws_access_key_id = [redacted:aws-access-key]`],
    ["aws-secret-key", `aws_secret_access_key = ${fake.awsSecret}`, `aws_secret_access_key = [redacted:aws-secret-key]`],
    ["aws-secret-key", `  SecretAccessKey: "${fake.awsSecret}"`, `  SecretAccessKey: "[redacted:aws-secret-key]"`],
    ["google-api-key", `const maps = "${fake.google}";`, `const maps = "[redacted:google-api-key]";`],
    ["stripe-key", `Stripe.api_key = '${fake.stripe}'`, `Stripe.api_key = '[redacted:stripe-key]'`],
    ["jwt", `cookie: session=${fake.jwt}; Path=/`, `cookie: session=[redacted:jwt]; Path=/`],
    ["huggingface-token", `login(${JSON.stringify(fake.huggingface)})`, `login("[redacted:huggingface-token]")`],
  ];
  it.each(cases)("%s: %s", (kind, input, expected) => {
    const result = redactedOnce(input);
    expect(result.text).toBe(expected);
    expect(new Set(result.kinds)).toEqual(new Set([kind]));
  });
});

describe("redactSecrets: private keys", () => {
  const body = ["MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB", "aFDrBz9vFqU4yaVuXUxzLqGfQ4NWj2X0V0wTKaHjGkM0r3x8c1sUeYDAH2Rr1Fe="];

  it("replaces the body of a whole block in a diff and keeps its armour lines", () => {
    const patch = ["+-----BEGIN RSA PRIVATE KEY-----", ...body.map((l) => `+${l}`), "+-----END RSA PRIVATE KEY-----", " other = 1"].join("\n");
    const result = redactSecrets(patch);
    expect(result.text).toBe("+-----BEGIN RSA PRIVATE KEY-----[redacted:private-key]-----END RSA PRIVATE KEY-----\n other = 1");
    expect(result.redactions).toEqual({ "private-key": 1 });
  });

  it("replaces a block written on one line with escaped newlines", () => {
    const json = `"private_key": "-----BEGIN PRIVATE KEY-----\\n${body.join("\\n")}\\n-----END PRIVATE KEY-----\\n",`;
    expect(redactSecrets(json).text).toBe('"private_key": "-----BEGIN PRIVATE KEY-----[redacted:private-key]-----END PRIVATE KEY-----\\n",');
  });

  it("replaces the key lines of a block whose END was cut off", () => {
    const cut = ["+-----BEGIN OPENSSH PRIVATE KEY-----", ...body.map((l) => `+${l}`), "+def after():"].join("\n");
    expect(redactSecrets(cut).text).toBe("+-----BEGIN OPENSSH PRIVATE KEY-----[redacted:private-key]\n+def after():");
  });

  it("leaves code that only mentions the header alone", () => {
    const code = '+    if line.startswith("-----BEGIN RSA PRIVATE KEY-----"):\n+        return parse(line)';
    expect(redactSecrets(code)).toEqual({ text: code, redactions: {} });
  });
});

describe("redactSecrets: passwords in URLs and headers", () => {
  it("keeps the user and host of a URL and drops its password", () => {
    const result = redactSecrets('url: "postgres://admin:s3cr3t-P4ss@db:5432/app"');
    expect(result.text).toBe('url: "postgres://admin:[redacted:url-password]@db:5432/app"');
    expect(result.redactions).toEqual({ "url-password": 1 });
  });

  it("leaves templated and placeholder URL passwords", () => {
    for (const text of ["redis://user:${REDIS_PASSWORD}@cache:6379", "postgres://admin:[redacted]@db:5432/app", "amqp://guest:<password>@mq/", "https://user:****@example.org/"]) {
      expect(redactSecrets(text).text).toBe(text);
    }
  });

  it("replaces the credentials of an Authorization header", () => {
    expect(redactSecrets("-H 'Authorization: Bearer abc123def456ghi789'").text).toBe("-H 'Authorization: Bearer [redacted:bearer-token]'");
    expect(redactSecrets('headers = {"Authorization": "Basic dXNlcjpwYXNzd29yZA=="}').text).toBe(
      'headers = {"Authorization": "Basic [redacted:bearer-token]"}',
    );
  });

  it("leaves headers built from variables, and prose about bearer tokens", () => {
    for (const text of [
      'headers={"Authorization": f"Bearer {token}"}',
      '-H "Authorization: Bearer $GITHUB_TOKEN"',
      "The API expects a Bearer authentication header.",
    ]) {
      expect(redactSecrets(text).text).toBe(text);
    }
  });
});

describe("redactSecrets: values of secret-named keys", () => {
  const cases: Array<[string, string, string]> = [
    ["password", "+DB_PASSWORD=hunter22", "+DB_PASSWORD=[redacted:password]"],
    ["password", "+  - POSTGRES_PASSWORD=Tr0ub4dor", "+  - POSTGRES_PASSWORD=[redacted:password]"],
    ["password", "+    password: correct-horse-42 # prod", "+    password: [redacted:password] # prod"],
    ["password", "SMTP_PASS=pa55w0rd!", "SMTP_PASS=[redacted:password]"],
    ["secret", "API_KEY: 9f8e7d6c5b4a3921", "API_KEY: [redacted:secret]"],
    ["secret", '  "token": "a1b2c3d4e5f6g7h8",', '  "token": "[redacted:secret]",'],
    ["secret", "client_secret = 'Zq8-LmN2_pQr'", "client_secret = '[redacted:secret]'"],
    ["password", 'connect(host="db", password="S3cure!pw")', 'connect(host="db", password="[redacted:password]")'],
    ["secret", 'SECRET_KEY = "django-insecure-7h#k2p9xq"', 'SECRET_KEY = "[redacted:secret]"'],
    ["secret", "spring.datasource.credentials=Zx81Qw7aa", "spring.datasource.credentials=[redacted:secret]"],
  ];
  it.each(cases)("%s: %s", (kind, input, expected) => {
    const result = redactedOnce(input);
    expect(result.text).toBe(expected);
    expect(result.kinds).toEqual([kind]);
  });

  it("leaves references, templates and placeholders", () => {
    for (const text of [
      "+DB_PASSWORD=${DB_PASSWORD}",
      "+API_KEY=$API_KEY",
      'api_key: "<your-key>"',
      "PASSWORD=changeme",
      "token: xxxxxxxx",
      'password: "{{ .Values.db.password }}"',
      "SECRET_KEY=YOUR_SECRET_KEY",
      'api_key = "your-api-key-here"',
      "password_file: /run/secrets/db",
      'TOKEN_HEADER = "X-Auth-Token"',
      '"token": "The token to send with each request"',
      'grant = {"token": "access_token"}',
    ]) {
      expect(redactSecrets(text)).toEqual({ text, redactions: {} });
    }
  });
});

describe("redactSecrets: near-misses survive", () => {
  it.each([
    ["a commit SHA", "Fixes a94a8fe5ccb19ba61c4c0873d391e987982fbbd3 (the cache key)"],
    ["a UUID", 'request_id = "123e4567-e89b-12d3-a456-426614174000"'],
    ["a base64 image", `<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk${"AKIA".repeat(3)}AIza${"Q".repeat(40)}YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">`],
    ["a token count", "+token_count = 5"],
    ["a setting about tokens", "+max_tokens: 4096\n+TOKEN_BUDGET=8000\n+num_tokens = 128000"],
    ["sk-learn and friends", "+pip install sk-learn scikit-learn\n+from sklearn import svm  # sk-learn-compatible-estimator-wrapper-v2"],
    ["a hashing call", "+    stored = password_hash(password, PASSWORD_DEFAULT)"],
    ["code passing a variable", "+    token = new_token\n+    password = os.environ[\"DB_PASSWORD\"]\n+    secret = settings.SECRET_KEY"],
    ["a comparison", '+    if password == "":'],
    ["a YAML vault reference", "+  password: !vault |"],
    ["a tokenizer name", '+tokenizer = "cl100k_base"'],
    ["AWS's documented example keys", "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
    ["a format template", '+            token: "{jjb_proj}-dispatcher"  # Unique token for webhook identification'],
  ])("%s", (_label, text) => {
    expect(redactSecrets(text)).toEqual({ text, redactions: {} });
  });
});

describe("redactSecrets: bookkeeping", () => {
  it("counts each value once, by its most specific kind", () => {
    const result = redactSecrets(`OPENAI_API_KEY="${fake.openaiLegacy}"\nAuthorization: Bearer ${fake.jwt}`);
    expect(result.redactions).toEqual({ "openai-key": 1, jwt: 1 });
  });

  it("is idempotent: redacted text has nothing left to redact", () => {
    const once = redactSecrets(`+DB_PASSWORD=hunter22\n+url = "https://u:pw123456@h/"\n+k = "${fake.githubPat}"`);
    expect(once.redactions).toEqual({ password: 1, "url-password": 1, "github-token": 1 });
    expect(redactSecrets(once.text)).toEqual({ text: once.text, redactions: {} });
  });

  it("says where each marker stands in the redacted text", () => {
    const { text, spans } = redactSecretsWithSpans(`a ${fake.githubPat} b ${fake.stripe}`);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["[redacted:github-token]", "[redacted:stripe-key]"]);
  });
});
