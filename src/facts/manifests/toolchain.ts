/**
 * Files that pin the developers' toolchain: rust-toolchain(.toml), .nvmrc, .node-version,
 * .python-version. https://rust-lang.github.io/rustup/overrides.html#the-toolchain-file
 */
import { parse } from "smol-toml";
import { indexToml } from "./locate.js";
import { isRecord, withLine } from "./model.js";
import type { ReadManifest } from "./model.js";

export type ToolchainFile = "rust-toolchain" | "node" | "python";

export function toolchainFileOf(name: string): ToolchainFile | undefined {
  if (name === "rust-toolchain" || name === "rust-toolchain.toml") return "rust-toolchain";
  if (name === ".nvmrc" || name === ".node-version") return "node";
  if (name === ".python-version") return "python";
  return undefined;
}

export function readToolchainFile(text: string, file: ToolchainFile): ReadManifest | undefined {
  const empty: ReadManifest = { entries: [], versions: [], ownPackages: [] };
  // rust-toolchain without an extension is TOML too when it has a `[toolchain]` table (the legacy form is one bare line).
  if (file === "rust-toolchain" && /^\s*\[toolchain\]/m.test(text)) {
    let data: Record<string, unknown>;
    try {
      data = parse(text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const channel = isRecord(data.toolchain) ? data.toolchain.channel : undefined;
    if (typeof channel !== "string") return empty;
    const line = indexToml(text).find(["toolchain", "channel"]);
    return { ...empty, versions: [withLine({ kind: "toolchain", name: "rust-toolchain", value: channel }, line)] };
  }
  // One version a line (.python-version may list several); `#` starts a comment.
  const values: string[] = [];
  let first: number | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.replace(/#.*$/, "").trim();
    if (value === "") return;
    values.push(value);
    first ??= i + 1;
  });
  if (values.length === 0) return empty;
  const value = file === "python" ? values.join(" ") : values[0]!;
  return { ...empty, versions: [withLine({ kind: "toolchain", name: file, value }, first)] };
}
