// The documents guidance refers to, loaded once per unlock, to name each prompt's source.
import { api } from "../api";
import type { SourceDoc } from "../bindings/SourceDoc";
import type { Source } from "../bindings/Source";
import { pick } from "../i18n/index.svelte";

export const sources = $state({ docs: [] as SourceDoc[] });

export async function loadSources(): Promise<void> {
  if (sources.docs.length) return;
  try {
    sources.docs = (await api.disclosureBases()).sources;
  } catch {
    sources.docs = [];
  }
}

/** "Title, reference" for a guidance source. */
export function sourceText(s: Source): string {
  const doc = sources.docs.find((d) => d.key === s.doc);
  return `${doc ? pick(doc.title) : s.doc}${s.ref ? `, ${s.ref}` : ""}`;
}
