/**
 * The readers of the usage scan, keyed by `id`, one folder each. A file is read by the first
 * reader that accepts its path, once.
 */
import { createRegistry } from "../../registry.js";
import { cppReader, cReader } from "./c/c-reader.js";
import { jsonReader, yamlReader } from "./yaml/yaml-reader.js";
import { tomlReader } from "./config/toml-reader.js";
import { dockerfileReader } from "./dockerfile/dockerfile-reader.js";
import { envFileReader } from "./env-file/env-file-reader.js";
import { goReader } from "./go/go-reader.js";
import { pythonReader } from "./python/python-reader.js";
import { rustReader } from "./rust/rust-reader.js";
import { shellReader } from "./shell/shell-reader.js";
import type { UsageReader } from "./types.js";
import { javascriptReader, tsxReader, typescriptReader } from "./typescript/typescript-reader.js";

const READERS: readonly UsageReader[] = [
  pythonReader,
  typescriptReader,
  tsxReader,
  javascriptReader,
  rustReader,
  goReader,
  cReader,
  cppReader,
  envFileReader,
  dockerfileReader,
  shellReader,
  yamlReader,
  jsonReader,
  tomlReader,
];

export const usageReaders = createRegistry<UsageReader>("usage reader", READERS.map((reader) => [reader.id, reader] as const));

export function readerFor(path: string): UsageReader | undefined {
  return READERS.find((reader) => reader.accepts(path));
}
