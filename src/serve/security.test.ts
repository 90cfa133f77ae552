import { describe, expect, it } from "vitest";
import { createGate, createTokenCheck, isLoopbackHost, isLoopbackHostHeader, presentedToken, resolveToken } from "./security.js";

const request = (headers: Record<string, string>, query: Record<string, string> = {}) => ({ header: (name: string) => headers[name], query: (name: string) => query[name] });

describe("who may read the store", () => {
  it("knows the loopback addresses and names", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.4", "example.com", "localhost.example.com", "128.0.0.1"]) expect(isLoopbackHost(host), host).toBe(false);
    expect(isLoopbackHostHeader("127.0.0.1:8080")).toBe(true);
    expect(isLoopbackHostHeader("[::1]:8080")).toBe(true);
    expect(isLoopbackHostHeader("localhost")).toBe(true);
    expect(isLoopbackHostHeader("evil.example:8080")).toBe(false);
    expect(isLoopbackHostHeader("127.0.0.1.evil.example")).toBe(false);
    expect(isLoopbackHostHeader(undefined)).toBe(false);
  });

  it("needs a token off loopback, and a long one", () => {
    expect(resolveToken("127.0.0.1", {})).toBeUndefined();
    expect(() => resolveToken("0.0.0.0", {})).toThrow(/--host: "0.0.0.0" is not allowed; expected a loopback address/);
    expect(() => resolveToken("0.0.0.0", { REPO_DIGEST_SERVE_TOKEN: "" })).toThrow(/loopback address/);
    expect(() => resolveToken("0.0.0.0", { REPO_DIGEST_SERVE_TOKEN: "abc" })).toThrow(/at least 16 characters/);
    expect(() => resolveToken("0.0.0.0", { REPO_DIGEST_SERVE_TOKEN: "a b c d e f g h i j" })).toThrow(/without spaces/);
    expect(resolveToken("0.0.0.0", { REPO_DIGEST_SERVE_TOKEN: "0123456789abcdef" })).toBe("0123456789abcdef");
    // Set on loopback: asked for, so required.
    expect(resolveToken("127.0.0.1", { REPO_DIGEST_SERVE_TOKEN: "0123456789abcdef" })).toBe("0123456789abcdef");
  });

  it("compares tokens whole, whatever their lengths", () => {
    const check = createTokenCheck("0123456789abcdef");
    expect(check("0123456789abcdef")).toBe(true);
    expect(check("0123456789abcde")).toBe(false);
    expect(check("0123456789abcdefg")).toBe(false);
    expect(check("")).toBe(false);
    expect(check(undefined)).toBe(false);
  });

  it("reads the token from the Authorization header, then ?token=, then the cookie", () => {
    expect(presentedToken(request({ authorization: "Bearer abc" }, { token: "q" }))).toEqual({ token: "abc", fromQuery: false });
    expect(presentedToken(request({ authorization: "Basic abc" }, { token: "q" }))).toEqual({ token: "q", fromQuery: true });
    expect(presentedToken(request({ cookie: "a=1; repo_digest_token=c%20d; b=2" }))).toEqual({ token: "c d", fromQuery: false });
    expect(presentedToken(request({ cookie: "repo_digest_token=%E0" }))).toEqual({ fromQuery: false });
    expect(presentedToken(request({}))).toEqual({ fromQuery: false });
  });

  it("lets a request through the gate or says why not", () => {
    const open = createGate(undefined);
    expect(open(request({ host: "127.0.0.1:1" }))).toEqual({ pass: true });
    expect(open(request({ host: "evil.example" }))).toEqual({ pass: false, status: 403 });
    const guarded = createGate("0123456789abcdef");
    expect(guarded(request({ host: "evil.example" }))).toEqual({ pass: false, status: 401 });
    expect(guarded(request({ host: "evil.example", authorization: "Bearer 0123456789abcdef" }))).toEqual({ pass: true });
    expect(guarded(request({}, { token: "0123456789abcdef" }))).toEqual({ pass: true, tokenFromQuery: "0123456789abcdef" });
  });
});
