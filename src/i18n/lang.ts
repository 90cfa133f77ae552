export const LANGUAGES = ["zh-CN", "en"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** A piece of text in every language we write; picked with {@link pick}. */
export type Localized<T = string> = Record<Lang, T>;

export function pick<T>(lang: Lang, text: Localized<T>): T {
  return text[lang];
}

export function isLang(value: string): value is Lang {
  return (LANGUAGES as readonly string[]).includes(value);
}
