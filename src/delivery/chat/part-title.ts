import type { Lang } from "../../i18n/lang.js";
import { clip } from "./build-digest.js";
import { chatLabelsFor } from "./labels.js";

/** The title of message `index` (0-based) of `total`, numbered only when there are several, within `max` code points. */
export function partTitle(title: string, lang: Lang, index: number, total: number, max: number): string {
  const part = total > 1 ? chatLabelsFor(lang).part(index + 1, total) : "";
  return `${clip(title, max - [...part].length)}${part}`;
}
