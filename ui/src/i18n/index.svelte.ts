// Every user-facing string goes through `t(key)`. Norwegian bokmål is the default; the
// choice is kept in the browser storage of the app's own origin (never sent anywhere).
// Each area of the UI has its own dictionary file, `nb/<area>.json` and `en/<area>.json`;
// they are merged here. A key appears in one area only.
const nbFiles = import.meta.glob<Record<string, string>>("./nb/*.json", { eager: true, import: "default" });
const enFiles = import.meta.glob<Record<string, string>>("./en/*.json", { eager: true, import: "default" });
const merge = (files: Record<string, Record<string, string>>) => Object.assign({}, ...Object.values(files));

export type Lang = "nb" | "en";
export const dictionaries: Record<Lang, Record<string, string>> = { nb: merge(nbFiles), en: merge(enFiles) };

const stored = typeof localStorage !== "undefined" ? localStorage.getItem("varde.lang") : null;
export const i18n = $state({ lang: (stored === "en" ? "en" : "nb") as Lang });

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  if (typeof localStorage !== "undefined") localStorage.setItem("varde.lang", lang);
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

/** The text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = dictionaries[i18n.lang][key] ?? dictionaries.nb[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** A guidance text ({nb, en}) in the current language. */
export function pick(text: { nb: string; en: string }): string {
  return i18n.lang === "en" ? text.en : text.nb;
}
