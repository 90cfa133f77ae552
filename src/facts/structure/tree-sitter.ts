/**
 * web-tree-sitter with the grammars' own prebuilt WebAssembly files (shipped inside each
 * `tree-sitter-<lang>` npm package): nothing is compiled at install time, and nothing is
 * loaded until a run meets a file of that language.
 */
import { createRequire } from "node:module";
import { Language, Parser, Query, type Tree } from "web-tree-sitter";

const require = createRequire(import.meta.url);

let initialised: Promise<void> | undefined;
const languages = new Map<string, Promise<Language>>();

function init(): Promise<void> {
  initialised ??= Parser.init();
  return initialised;
}

/** The grammar at `<package>/<file>`, loaded once per process. */
export async function loadGrammar(grammar: { package: string; file: string }): Promise<Language> {
  const key = `${grammar.package}/${grammar.file}`;
  let language = languages.get(key);
  if (!language) {
    language = init().then(() => Language.load(require.resolve(key)));
    languages.set(key, language);
  }
  return language;
}

/** One parser per language, reused: a parser holds its own scratch memory in the wasm heap. */
export class GrammarParser {
  private readonly parser: Parser;
  constructor(readonly language: Language) {
    this.parser = new Parser();
    this.parser.setLanguage(language);
  }

  /** A full parse, or an incremental one from `previous` (already edited to match `text`). */
  parse(text: string, previous?: Tree): Tree | undefined {
    return this.parser.parse(text, previous ?? null) ?? undefined;
  }

  /** Compiles a query once per language; adapters keep the result. */
  query(source: string): Query {
    return new Query(this.language, source);
  }

  delete(): void {
    this.parser.delete();
  }
}

const queries = new WeakMap<Language, Map<string, Query>>();

/** A compiled query for this language, cached: adapters call it on every read. */
export function queryFor(language: Language, source: string): Query {
  let byText = queries.get(language);
  if (!byText) {
    byText = new Map();
    queries.set(language, byText);
  }
  let query = byText.get(source);
  if (!query) {
    query = new Query(language, source);
    byText.set(source, query);
  }
  return query;
}
