import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { dictionaries } from "./index.svelte";

const nb = dictionaries.nb;
const en = dictionaries.en;

function areaFiles(lang: string): string[] {
  return readdirSync(join(__dirname, lang)).filter((f) => f.endsWith(".json")).sort();
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
      expect(v.trim(), `nb ${k}`).not.toBe("");
      expect((en as Record<string, string>)[k]?.trim(), `en ${k}`).not.toBe("");
      expect(placeholders((en as Record<string, string>)[k]), k).toEqual(placeholders(v));
    }
  });

  it("have every key the code uses", () => {
    const used = new Set<string>();
    for (const file of sources(join(__dirname, ".."))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([a-z0-9_.]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !(k in nb));
    expect(missing).toEqual([]);
  });
});
