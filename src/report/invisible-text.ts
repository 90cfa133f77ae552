/**
 * Characters a reader cannot see that change what they see. Text from commits may carry
 * them (an ANSI colour code, a pasted NUL) or use them to deceive: the explicit bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder the characters
 * around them, so a title can display as something other than what it says ("Trojan
 * Source", CVE-2021-42574). Every renderer and channel drops them where it places text.
 * The bidi marks (U+200E, U+200F, U+061C) stay: they only set the direction of neutral
 * characters next to them, which right-to-left text needs.
 */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;

/** The text without C0 controls (but tab and line breaks), DEL, and bidi embeddings, overrides and isolates. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}
