import { afterEach, describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { dictionaries, setLang, t, tn, type Lang, type Text } from "./index.svelte";

const nb = dictionaries.nb;
const en = dictionaries.en;

function areaFiles(lang: string): string[] {
  return readdirSync(join(__dirname, lang)).filter((f) => f.endsWith(".json")).sort();
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** The texts of a dictionary value: the string itself, or every form of a plural. */
const forms = (v: Text): string[] => (typeof v === "string" ? [v] : Object.values(v));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === "bindings" ? [] : sources(p);
    return /\.(svelte|ts)$/.test(f) && !f.endsWith(".test.ts") ? [p] : [];
  });
}

describe("dictionaries", () => {
  it("come in the same area files, with no key in two areas", () => {
    expect(areaFiles("en")).toEqual(areaFiles("nb"));
    for (const lang of ["nb", "en"]) {
      const seen = new Map<string, string>();
      for (const f of areaFiles(lang)) {
        const keys = Object.keys(JSON.parse(readFileSync(join(__dirname, lang, f), "utf8")));
        for (const k of keys) {
          expect(seen.get(k), `${lang}: ${k} in ${f} and ${seen.get(k)}`).toBeUndefined();
          seen.set(k, f);
        }
      }
    }
  });

  it("have the same keys in bokmål and English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nb).sort());
  });

  it("have no empty text and the same placeholders in both languages", () => {
    for (const [k, v] of Object.entries(nb)) {
      const e = en[k];
      expect(typeof e, `${k} is plural in one language only`).toBe(typeof v);
      const all = [...forms(v), ...forms(e)];
      for (const s of all) expect(s.trim(), k).not.toBe("");
      for (const s of all) expect(placeholders(s), k).toEqual(placeholders(forms(v)[0]));
    }
  });

  it("have `one` and `other` for every plural text, in both languages, each with {count}", () => {
    const plural = (lang: Lang) => Object.keys(dictionaries[lang]).filter((k) => typeof dictionaries[lang][k] !== "string");
    expect(plural("nb").length).toBeGreaterThan(10);
    expect(plural("en").sort()).toEqual(plural("nb").sort());
    for (const lang of ["nb", "en"] as const) {
      for (const k of plural(lang)) {
        const v = dictionaries[lang][k] as Record<string, unknown>;
        expect(Object.keys(v).sort(), `${lang} ${k}`).toEqual(["one", "other"]);
        for (const s of Object.values(v)) expect(s, `${lang} ${k}`).toMatch(/\{count\}/);
      }
    }
  });

  it("have keys under every prefix the code builds keys from", () => {
    // t(`channel.${c}`): the value comes at run time, so the prefix at least must exist.
    const prefixes = new Map<string, string>();
    for (const file of sources(join(__dirname, ".."))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\btn?\(\s*`([a-z0-9_.]+\.)\$\{/g)) prefixes.set(m[1], file);
    }
    expect(prefixes.size).toBeGreaterThan(5);
    for (const [prefix, file] of prefixes) {
      expect(Object.keys(nb).some((k) => k.startsWith(prefix)), `${prefix}… in ${file}`).toBe(true);
    }
  });

  it("have every key the code uses", () => {
    const used = new Set<string>();
    const usedPlural = new Set<string>();
    for (const file of sources(join(__dirname, ".."))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([a-z0-9_.]+)"/g)) used.add(m[1]);
      for (const m of text.matchAll(/\btn\(\s*"([a-z0-9_.]+)"/g)) usedPlural.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect(usedPlural.size).toBeGreaterThan(10);
    expect([...used].filter((k) => typeof nb[k] !== "string"), "t() of a missing or plural key").toEqual([]);
    expect([...usedPlural].filter((k) => !nb[k] || typeof nb[k] === "string"), "tn() of a missing or plain key").toEqual([]);
  });

  it("leave no count to a hand-made plural in the code", () => {
    for (const file of sources(join(__dirname, ".."))) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/(length|count|\bn)\s*[!=]==?\s*1\s*\?/);
    }
  });
});

describe("plurals", () => {
  afterEach(() => setLang("nb"));

  it("follow the rule in bokmål", () => {
    setLang("nb");
    expect(tn("case.open_prompts", 1)).toBe("1 åpent varsel");
    expect(tn("case.open_prompts", 2)).toBe("2 åpne varsler");
    expect(tn("case.open_prompts", 0)).toBe("0 åpne varsler");
    expect(tn("export.all_count", 1)).toBe("1 hendelse blir tatt med.");
    expect(tn("export.all_count", 2)).toBe("2 hendelser blir tatt med.");
    expect(tn("count.originals", 1)).toBe("1 original");
    expect(tn("count.originals", 2)).toBe("2 originaler");
    expect(tn("settings.idle_saved", 1)).toBe("Låses etter 1 minutt");
    expect(tn("settings.idle_saved", 15)).toBe("Låses etter 15 minutter");
  });

  it("follow the rule in English", () => {
    setLang("en");
    expect(tn("case.open_prompts", 1)).toBe("1 open prompt");
    expect(tn("case.open_prompts", 2)).toBe("2 open prompts");
    expect(tn("export.all_count", 1)).toBe("1 incident will be included.");
    expect(tn("export.all_count", 2)).toBe("2 incidents will be included.");
    expect(tn("settings.verify_bad", 1)).toBe("1 problem found");
    expect(tn("settings.verify_bad", 2)).toBe("2 problems found");
  });

  it("compose a text with two counts from two plural phrases", () => {
    const done = (incidents: number, evidence: number) =>
      t("import.done_counts", { incidents: tn("count.incidents", incidents), evidence: tn("count.evidence", evidence) });
    setLang("nb");
    expect(done(1, 2)).toBe("1 hendelse og 2 bevis ble lagt til.");
    expect(done(2, 1)).toBe("2 hendelser og 1 bevis ble lagt til.");
    setLang("en");
    expect(done(1, 2)).toBe("1 incident and 2 evidence items were added.");
    expect(done(2, 1)).toBe("2 incidents and 1 evidence item were added.");
  });

  it("write large counts the language's way", () => {
    setLang("nb");
    expect(tn("count.files", 12345)).toBe("12\u00a0345 filer");
    setLang("en");
    expect(tn("count.files", 12345)).toBe("12,345 files");
  });
});
