// Errors from the core arrive as {code, message, invalid, field, params}. Every code and
// every kind of refused input is worded here from the dictionaries (errors.json), in the
// current language; the English `message` is only shown as technical detail. A refused
// input names its field, so a form shows the words at that field (`fieldError`).
// `errors.test.ts` checks that both dictionaries word everything in ErrorCatalogue.ts.
import type { IpcError } from "../api";
import type { Field } from "../bindings/Field";
import type { Invalid } from "../bindings/Invalid";
import type { Item } from "../bindings/Item";
import { i18n, dictionaries, t } from "../i18n/index.svelte";
import { instant } from "./format";

function has(key: string): boolean {
  return key in dictionaries[i18n.lang] || key in dictionaries.nb;
}

function capitalise(s: string): string {
  return s ? s[0].toLocaleUpperCase(i18n.lang) + s.slice(1) : s;
}

function itemText(item: Item | null | undefined): string {
  return item ? t(`item.${item.kind}`, { id: item.id }) : "";
}

/** The words for a refused input. */
export function invalidText(i: Invalid): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(i)) {
    if (k === "kind" || v === null || v === undefined) continue;
    params[k] = typeof v === "object" ? "" : (v as string | number);
  }
  if ("field" in i) {
    params.field = t(`field.${i.field}`);
    params.Field = capitalise(params.field as string);
  }
  if ("item" in i) params.item = i.item ? ` (${itemText(i.item)})` : "";
  if (i.kind === "not_in_case") params.item = capitalise(itemText(i.item));
  if (i.kind === "file_name") params.problem = t(`file_name_problem.${i.problem}`);
  // Times (RFC 3339) are shown as the user reads them, in local time.
  for (const k of ["withdrawn_at", "given_at"]) if (typeof params[k] === "string") params[k] = instant(params[k] as string);
  return t(`invalid.${i.kind}`, params);
}

/** The words for an error, in the current language. */
export function errorText(e: IpcError | unknown): string {
  const err = e as IpcError;
  if (!err || typeof err !== "object" || !("code" in err)) return t("error.internal");
  if (err.code === "invalid_input" && err.invalid) return invalidText(err.invalid);
  const p: Record<string, string> = { ...(err.params ?? {}) };
  if (err.code === "weak_passphrase") return t(`error.weak.${p.problem === "too_short" ? "too_short" : "too_guessable"}`, p);
  if (err.code === "not_found") p.what = has(`item.${p.kind}`) ? t(`item.${p.kind}`, { id: p.id ?? "" }) : String(p.id ?? "");
  if (err.code === "io") {
    p.action = has(`error.io.action.${p.action}`) ? t(`error.io.action.${p.action}`) : t("error.io.action.reading");
    p.os = t(`error.io.os.${has(`error.io.os.${p.os}`) ? p.os : "other"}`);
  }
  const key = `error.${err.code}`;
  return has(key) ? t(key, p) : t("error.internal");
}

/** The words for `e` when it belongs to `field`; otherwise null (shown elsewhere). */
export function fieldError(e: IpcError | null, field: Field): string | null {
  return e && e.field === field ? errorText(e) : null;
}

/** The English message for the record, for a "technical description" fold-out. */
export function technical(e: IpcError | unknown): string {
  const err = e as IpcError;
  return err && typeof err === "object" && "message" in err ? String(err.message) : String(e);
}
