// Dates and sizes as a Norwegian reader expects them: dd.mm.yyyy, 24-hour clock.
import { i18n, t } from "../i18n/index.svelte";

/** Oslo's wall clock in Norwegian form: dd.mm.yyyy and 24-hour hh:mm. */
const OSLO = new Intl.DateTimeFormat("nb-NO", {
  timeZone: "Europe/Oslo",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** `YYYY-MM-DD HH:MM` (as stored for incidents) → `dd.mm.yyyy HH:MM`. */
export function localStamp(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(s);
  if (!m) return s;
  const day = `${m[3]}.${m[2]}.${m[1]}`;
  return m[4] ? `${day} ${m[4]}:${m[5]}` : day;
}

/** An RFC 3339 instant in Oslo time, `dd.mm.yyyy HH:MM`. */
export function instant(s: string | null | undefined): string {
  if (!s) return "–";
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return OSLO.format(d).replace(",", "");
}

/** An RFC 3339 instant in Oslo time with its offset from UTC, `dd.mm.yyyy HH:MM (UTC+1)`:
 *  the convention of the report and the disclosure ledger, where a time may be read
 *  outside Norway. */
export function instantWithOffset(s: string | null | undefined): string {
  if (!s) return "–";
  const shown = instant(s);
  const offset = utcOffset("Europe/Oslo", s);
  return offset ? `${shown} (${offset})` : shown;
}

export function bytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  const num = u === 0 ? String(v) : v.toFixed(v < 10 ? 1 : 0);
  return `${i18n.lang === "nb" ? num.replace(".", ",") : num} ${units[u]}`;
}

/**
 * A time zone as a person reads it: «norsk tid» for Europe/Oslo; any other zone by its name
 * with its UTC offset at the instant `at` (RFC 3339), e.g. «Asia/Kolkata, UTC+5:30».
 */
export function zoneText(tz: string, at: string): string {
  if (tz === "Europe/Oslo") return t("time.norway");
  const offset = utcOffset(tz, at);
  return offset && offset !== tz ? t("time.zone", { zone: tz, offset }) : tz;
}

function utcOffset(tz: string, at: string): string | null {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return null;
  try {
    const name = new Intl.DateTimeFormat("en", { timeZone: tz, timeZoneName: "longOffset" })
      .formatToParts(d)
      .find((p) => p.type === "timeZoneName")?.value;
    const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? "");
    if (!m) return null;
    if (!m[1] || m[2] + m[3] === "0000") return "UTC";
    return `UTC${m[1] === "-" ? "\u2212" : "+"}${Number(m[2])}${m[3] === "00" ? "" : `:${m[3]}`}`;
  } catch {
    return null; // not a zone this platform knows
  }
}

/** Now in Oslo as the two fields of the incident form: `dd.mm.yyyy` and `HH:MM`. */
export function nowInOslo(): { date: string; time: string } {
  const parts = OSLO.formatToParts(new Date());
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return { date: `${get("day")}.${get("month")}.${get("year")}`, time: `${get("hour")}:${get("minute")}` };
}

/** Check `dd.mm.yyyy` and optional `HH:MM`; returns the core's `DD.MM.YYYY HH:MM` or null. */
export function joinLocal(date: string, time: string): string | null {
  const d = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(date.trim());
  if (!d) return null;
  const day = `${d[1].padStart(2, "0")}.${d[2].padStart(2, "0")}.${d[3]}`;
  if (!time.trim()) return day;
  const tm = /^(\d{1,2})[:.](\d{2})$/.exec(time.trim());
  if (!tm || Number(tm[1]) > 23 || Number(tm[2]) > 59) return null;
  return `${day} ${tm[1].padStart(2, "0")}:${tm[2]}`;
}

export function shortHash(h: string): string {
  return `${h.slice(0, 12)}…${h.slice(-6)}`;
}

/** A key fingerprint in groups of four, as people read it out to each other. */
export function grouped(fp: string): string {
  return (fp.match(/.{1,4}/g) ?? []).join(" ");
}

/** How a person is named in a list: their name, or for someone without one (an unknown
 *  threat actor) their part and first account: «Trusselutøver (+47 912 34 567)». */
export function personName(p: { name: string | null; kind: string; aliases: string[] }): string {
  if (p.name) return p.name;
  const part = t(`person.kind.${p.kind}`);
  return p.aliases[0] ? `${part} (${p.aliases[0]})` : `${part} ${t("person.unknown")}`;
}

/** A file name in a folder, with the folder's own separator (a Windows path keeps `\`). */
export function joinPath(dir: string, name: string): string {
  if (!dir) return name;
  const sep = dir.includes("\\") && !dir.includes("/") ? "\\" : "/";
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}
