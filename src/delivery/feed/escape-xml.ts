import { stripInvisible } from "../../report/invisible-text.js";

// Characters XML 1.0 forbids anywhere, even escaped (https://www.w3.org/TR/xml/#charsets):
// C0 controls but tab, LF and CR (dropped first by stripInvisible, with bidi overrides),
// U+FFFE, U+FFFF, and halves of surrogate pairs alone.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * Text safe in XML character data and in quoted attributes. `>` is escaped too, so
 * that `]]>` can never appear in the output.
 */
export function escapeXml(text: string): string {
  return stripInvisible(text).replace(FORBIDDEN, "\uFFFD").replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

