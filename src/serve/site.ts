/**
 * What every page of one request shares: its language, its labels, and the links of the app,
 * which keep `lang` when it is not the server's default, and nothing else (never a token).
 */
import type { Lang } from "../i18n/lang.js";
import { serveLabelsFor, type ServeLabels } from "./labels.js";

export interface Site {
  lang: Lang;
  defaultLang: Lang;
  labels: ServeLabels;
  version: string;
  /** The stylesheet's address (its content hash in the name, so it can be cached for good). */
  stylesheet: string;
  /** An app path with its query parameters, and `lang` when it is not the default. */
  url(path: string, params?: ReadonlyArray<readonly [string, string]>): string;
  /** The same page in the other language. */
  otherLanguageUrl: string;
}

export function createSite(options: { lang: Lang; defaultLang: Lang; version: string; stylesheet: string; path: string; query: ReadonlyArray<readonly [string, string]> }): Site {
  const { lang, defaultLang } = options;
  const url = (path: string, params: ReadonlyArray<readonly [string, string]> = [], forLang: Lang = lang): string => {
    const search = new URLSearchParams(params.filter(([key]) => key !== "lang" && key !== "token") as Array<[string, string]>);
    if (forLang !== defaultLang) search.set("lang", forLang);
    const text = search.toString();
    return text === "" ? path : `${path}?${text}`;
  };
  const other: Lang = lang === "en" ? "zh-CN" : "en";
  return {
    lang,
    defaultLang,
    labels: serveLabelsFor(lang),
    version: options.version,
    stylesheet: options.stylesheet,
    url,
    otherLanguageUrl: url(options.path, options.query, other),
  };
}

/** A repository's path: `owner/name` keeps its slash, each segment encoded. */
export function repoPath(name: string): string {
  return `/repos/${name.split("/").map(encodeURIComponent).join("/")}`;
}

export function commitPath(repo: string, sha: string): string {
  return `${repoPath(repo)}/commits/${encodeURIComponent(sha)}`;
}

export function reportPath(name: string): string {
  return `/reports/${encodeURIComponent(name)}`;
}
