/**
 * The language adapters of the structural pass, keyed by `id`; one folder each. A file
 * is read by the adapter whose extensions hold its own (lower-cased, last dot).
 */
import { cAdapter, cppAdapter } from "./c/c-adapter.js";
import { goAdapter } from "./go/go-adapter.js";
import { pythonAdapter } from "./python/python-adapter.js";
import { rustAdapter } from "./rust/rust-adapter.js";
import type { LanguageAdapter, StructureLanguage } from "./types.js";
import { javascriptAdapter, tsxAdapter, typescriptAdapter } from "./typescript/typescript-adapter.js";

const ADAPTERS: ReadonlyMap<StructureLanguage, LanguageAdapter> = new Map(
  [pythonAdapter, typescriptAdapter, tsxAdapter, javascriptAdapter, rustAdapter, goAdapter, cAdapter, cppAdapter].map((adapter) => [adapter.id, adapter]),
);

const BY_EXTENSION: ReadonlyMap<string, LanguageAdapter> = new Map(
  [...ADAPTERS.values()].flatMap((adapter) => adapter.extensions.map((extension) => [extension, adapter] as const)),
);

export function listAdapters(): LanguageAdapter[] {
  return [...ADAPTERS.values()];
}

export function getAdapter(id: StructureLanguage): LanguageAdapter | undefined {
  return ADAPTERS.get(id);
}

/** The adapter for this path, by its extension; undefined for languages the pass does not read. */
export function adapterForPath(path: string): LanguageAdapter | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? undefined : BY_EXTENSION.get(name.slice(dot + 1).toLowerCase());
}
