// Every error the core and the shell can return is worded in both languages: the codes,
// the kinds of refused input with their parameters, the fields and the record kinds, as
// generated from the Rust types into ErrorCatalogue.ts.
import { afterEach, describe, expect, it } from "vitest";
import { CHECK_PROBLEMS, ERROR_CODES, FIELDS, FILE_NAME_PROBLEMS, INVALID_KINDS, ITEM_KINDS } from "../bindings/ErrorCatalogue";
import { asIpcError } from "../api";
import type { IpcCode } from "../bindings/IpcCode";
import type { IpcError } from "../bindings/IpcError";
import type { Invalid } from "../bindings/Invalid";
import { dictionaries, setLang, type Lang } from "../i18n/index.svelte";
import { errorText, fieldError, invalidText } from "./errors";

const langs: Lang[] = ["nb", "en"];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
const text = (lang: Lang, key: string) => dictionaries[lang][key] as string | undefined;

function err(code: IpcCode, extra: Partial<IpcError> = {}): IpcError {
  return { code, message: "english detail", invalid: null, field: null, params: {}, ...extra };
}

describe("the error dictionaries", () => {
  afterEach(() => setLang("nb"));

  it("word every error code, using only its parameters", () => {
    expect(Object.keys(ERROR_CODES).length).toBeGreaterThan(15);
    // Parameters the UI adds itself from the code's own.
    const derived: Record<string, string[]> = { not_found: ["what"] };
    for (const lang of langs)
      for (const [code, params] of Object.entries(ERROR_CODES)) {
        const s = text(lang, `error.${code}`);
        expect(s, `${lang}: error.${code}`).toBeTruthy();
        for (const p of placeholders(s!)) expect([...params, ...(derived[code] ?? [])], `${lang}: error.${code} {${p}}`).toContain(p);
      }
  });

  it("word every kind of refused input, using only its parameters", () => {
    expect(Object.keys(INVALID_KINDS).length).toBeGreaterThan(30);
    for (const lang of langs)
      for (const [kind, params] of Object.entries(INVALID_KINDS)) {
        const s = text(lang, `invalid.${kind}`);
        expect(s, `${lang}: invalid.${kind}`).toBeTruthy();
        const allowed = params.includes("field") ? [...params, "Field"] : params;
        for (const p of placeholders(s!)) expect(allowed, `${lang}: invalid.${kind} {${p}}`).toContain(p);
      }
  });

  it("word every field, record kind and file-name problem", () => {
    for (const lang of langs) {
      for (const f of FIELDS) expect(text(lang, `field.${f}`), `${lang}: field.${f}`).toBeTruthy();
      for (const k of ITEM_KINDS) expect(text(lang, `item.${k}`), `${lang}: item.${k}`).toMatch(/\{id\}/);
      for (const p of FILE_NAME_PROBLEMS) expect(text(lang, `file_name_problem.${p}`), `${lang}: ${p}`).toBeTruthy();
      for (const p of CHECK_PROBLEMS) expect(text(lang, `check_problem.${p}`), `${lang}: check_problem.${p}`).toBeTruthy();
    }
  });
});

describe("errorText", () => {
  afterEach(() => setLang("nb"));

  it("words a wrong date in Norwegian, with no English and no placeholder left", () => {
    const e = err("invalid_input", { field: "occurred_at", invalid: { kind: "date_time", field: "occurred_at", value: "32.13.2026 25:00" } });
    const nb = errorText(e);
    expect(nb).toContain("«32.13.2026 25:00» er ikke et tidspunkt");
    expect(nb).not.toMatch(/YYYY|invalid|\{/);
    expect(fieldError(e, "occurred_at")).toBe(nb);
    expect(fieldError(e, "place")).toBeNull();
    setLang("en");
    expect(errorText(e)).toContain("is not a time Varde can read");
  });

  it("words a missing file as a missing file, naming the path", () => {
    const e = err("invalid_input", { field: "path", invalid: { kind: "file_missing", path: "/home/siri/trussel.zip" } });
    expect(errorText(e)).toBe("Filen /home/siri/trussel.zip finnes ikke. Sjekk at stien er skrevet riktig.");
  });

  it("fills in the field, the record and the parameters of every kind", () => {
    const samples: Invalid[] = [
      { kind: "required", field: "place" },
      { kind: "too_long", field: "wording", item: { kind: "bundle_incident", id: "3" }, length: 100001, max: 100000 },
      { kind: "control_character", field: "name", item: null, code_point: "U+001B" },
      { kind: "file_name", item: null, value: "../x", problem: "separator" },
      { kind: "not_in_case", field: "incidents", item: { kind: "incident", id: "7" }, case: "V-2026-0001" },
    ];
    for (const lang of langs) {
      setLang(lang);
      for (const s of samples) {
        const words = invalidText(s);
        expect(words, `${lang} ${s.kind}`).not.toMatch(/[{}]|undefined|null|\[object/);
      }
    }
    setLang("nb");
    expect(invalidText(samples[0])).toBe("Fyll inn sted.");
    expect(invalidText(samples[1])).toBe("Ordlyd (pakkens hendelse 3) er 100001 tegn lang; Varde tar vare på høyst 100000.");
    expect(invalidText(samples[4])).toBe("Hendelse 7 hører ikke til denne saken.");
  });

  it("words the shell's own errors and an unknown code without English", () => {
    expect(errorText(err("no_viewer"))).toContain("Ingen program");
    // A code this UI does not know (a newer backend) arrives as `internal`.
    const future = asIpcError({ code: "some_future_code", message: "x" });
    expect(future.code).toBe("internal");
    expect(errorText(future)).toBe(dictionaries.nb["error.internal"]);
    expect(errorText(err("io", { params: { action: "reading", path: "/x", os: "not_found" } }))).toBe(
      "Varde kunne ikke lese /x: filen eller mappen finnes ikke. Ingenting ble endret i arkivet.",
    );
    expect(errorText(err("weak_passphrase", { params: { problem: "too_short", chars: "11", min_chars: "12" } }))).toContain("minst 12 tegn (den har 11)");
  });
});
