// Every user-facing string goes through `t(key)`. Norwegian bokmål is the default; the
// choice is kept in the browser storage of the app's own origin (never sent anywhere).
// Each area of the UI has its own dictionary file, `nb/<area>.json` and `en/<area>.json`;
// they are merged here. A key appears in one area only.
//
// Plurals go by rule, never by hand (no `n === 1` in the code). A text that holds a count
// is not a string but an object with one text per plural category of `Intl.PluralRules`
// for the language; bokmål and English have `one` and `other`, and every plural text has
// both, in both languages:
//   "case.open_prompts": { "one": "{count} åpent varsel", "other": "{count} åpne varsler" }
// It is read with `tn(key, count, params)`, which picks the form and fills `{count}` with
// the number written the language's way; `t()` is for plain strings only. (An object, not
// `key.one`/`key.other` strings: keys such as `person.kind` and `person.kind.other` exist.)
// A text with two or more counts is a plain string whose placeholders are plural phrases,
// each made with `tn`; the shared phrases live in `count.json`:
//   t("import.done_counts", { incidents: tn("count.incidents", 3), evidence: tn("count.evidence", 1) })
export type Plural = { one: string; other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;
export type Text = string | Plural;
type Dictionary = Record<string, Text>;

const nbFiles = import.meta.glob<Dictionary>("./nb/*.json", { eager: true, import: "default" });
const enFiles = import.meta.glob<Dictionary>("./en/*.json", { eager: true, import: "default" });
const merge = (files: Record<string, Dictionary>): Dictionary => Object.assign({}, ...Object.values(files));

export type Lang = "nb" | "en";
export const dictionaries: Record<Lang, Dictionary> = { nb: merge(nbFiles), en: merge(enFiles) };
const plurals: Record<Lang, Intl.PluralRules> = { nb: new Intl.PluralRules("nb"), en: new Intl.PluralRules("en") };
const numbers: Record<Lang, Intl.NumberFormat> = { nb: new Intl.NumberFormat("nb"), en: new Intl.NumberFormat("en") };

const stored = typeof localStorage !== "undefined" ? localStorage.getItem("varde.lang") : null;
export const i18n = $state({ lang: (stored === "en" ? "en" : "nb") as Lang });

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  if (typeof localStorage !== "undefined") localStorage.setItem("varde.lang", lang);
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

/** The text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = dictionaries[i18n.lang][key] ?? dictionaries.nb[key];
  return typeof text === "string" ? fill(text, params) : key;
}

/** The plural text for `key` that fits `count` in the current language, `{count}` filled in. */
export function tn(key: string, count: number, params: Record<string, string | number> = {}): string {
  const lang: Lang = key in dictionaries[i18n.lang] ? i18n.lang : "nb";
  const text = dictionaries[lang][key];
  if (text === undefined || typeof text === "string") return key;
  const form = text[plurals[lang].select(count)] ?? text.other;
  return fill(form, { ...params, count: numbers[lang].format(count) });
}

function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** A guidance text ({nb, en}) in the current language. */
export function pick(text: { nb: string; en: string }): string {
  return i18n.lang === "en" ? text.en : text.nb;
}
