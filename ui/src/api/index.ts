// The only module that talks to the backend. Screens call `api.*`.
import { ERROR_CODES } from "../bindings/ErrorCatalogue";
import type { IpcCode } from "../bindings/IpcCode";
import type { AddOptions } from "../bindings/AddOptions";
import type { Added } from "../bindings/Added";
import type { AuditPage } from "../bindings/AuditPage";
import type { CallDraft } from "../bindings/CallDraft";
import type { CallNote } from "../bindings/CallNote";
import type { Bases } from "../bindings/Bases";
import type { BundleReport } from "../bindings/BundleReport";
import type { Case } from "../bindings/Case";
import type { CaseDeleted } from "../bindings/CaseDeleted";
import type { CaseFilter } from "../bindings/CaseFilter";
import type { DeletionPreview } from "../bindings/DeletionPreview";
import type { DeletionReceipt } from "../bindings/DeletionReceipt";
import type { CaseStatus } from "../bindings/CaseStatus";
import type { CaseSummary } from "../bindings/CaseSummary";
import type { Checklist } from "../bindings/Checklist";
import type { ChecklistEntry } from "../bindings/ChecklistEntry";
import type { ChecklistState } from "../bindings/ChecklistState";
import type { DefaultLocker } from "../bindings/DefaultLocker";
import type { DirectoryEntry } from "../bindings/DirectoryEntry";
import type { Consent } from "../bindings/Consent";
import type { Disclosure } from "../bindings/Disclosure";
import type { NewConsent } from "../bindings/NewConsent";
import type { SenderGroup } from "../bindings/SenderGroup";
import type { DraftOptions } from "../bindings/DraftOptions";
import type { DraftPreview } from "../bindings/DraftPreview";
import type { DraftSent } from "../bindings/DraftSent";
import type { DraftSentRecord } from "../bindings/DraftSentRecord";
import type { SavedDraft } from "../bindings/SavedDraft";
import type { Emergency } from "../bindings/Emergency";
import type { EscalationAction } from "../bindings/EscalationAction";
import type { EvidencePage } from "../bindings/EvidencePage";
import type { ExportOptions } from "../bindings/ExportOptions";
import type { Redaction } from "../bindings/Redaction";
import type { Region } from "../bindings/Region";
import type { ExportPreviewView } from "../bindings/ExportPreviewView";
import type { Exported } from "../bindings/Exported";
import type { Imported } from "../bindings/Imported";
import type { Incident } from "../bindings/Incident";
import type { IncidentPage } from "../bindings/IncidentPage";
import type { IncidentPatch } from "../bindings/IncidentPatch";
import type { IncidentVersion } from "../bindings/IncidentVersion";
import type { SearchHit } from "../bindings/SearchHit";
import type { IpcError } from "../bindings/IpcError";
import type { ItemCheck } from "../bindings/ItemCheck";
import type { NewContact } from "../bindings/NewContact";
import type { ContactPatch } from "../bindings/ContactPatch";
import type { NewIncident } from "../bindings/NewIncident";
import type { NewLocker } from "../bindings/NewLocker";
import type { NewPerson } from "../bindings/NewPerson";
import type { Person } from "../bindings/Person";
import type { Profile } from "../bindings/Profile";
import type { Reading } from "../bindings/Reading";
import type { ProgressEvent } from "../bindings/ProgressEvent";
import type { Prompt } from "../bindings/Prompt";
import type { PromptAct } from "../bindings/PromptAct";
import type { Session } from "../bindings/Session";
import type { VerifyReport } from "../bindings/VerifyReport";
import type { BytesMeta } from "../bindings/BytesMeta";
import type { LogMeta } from "../bindings/LogMeta";
import type { ThreadPatch } from "../bindings/ThreadPatch";
import type { IncidentOrigin } from "../bindings/IncidentOrigin";
import type { Evidence } from "../bindings/Evidence";
import type { Logged } from "../bindings/Logged";
import type { PassphraseCheck } from "../bindings/PassphraseCheck";
import type { PassphraseRule } from "../bindings/PassphraseRule";

export type { IpcError };

/** How a command reaches the backend. */
export interface Transport {
  invoke<T>(cmd: string, args?: Record<string, unknown>, headers?: Record<string, string>, body?: Uint8Array): Promise<T>;
}

let transport: Transport | null = null;

async function tauriTransport(): Promise<Transport> {
  const core = await import("@tauri-apps/api/core");
  return {
    invoke<T>(cmd: string, args?: Record<string, unknown>, headers?: Record<string, string>, body?: Uint8Array) {
      if (body) return core.invoke<T>(cmd, body, { headers: headers ?? {} });
      return core.invoke<T>(cmd, args ?? {});
    },
  };
}

function isIpcCode(c: unknown): c is IpcCode {
  return typeof c === "string" && Object.hasOwn(ERROR_CODES, c);
}

/** Make any thrown value an `IpcError` with plain words (an unknown code is `internal`). */
export function asIpcError(e: unknown): IpcError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const x = e as Partial<IpcError>;
    return {
      code: isIpcCode(x.code) ? x.code : "internal",
      message: String(x.message),
      invalid: x.invalid ?? null,
      field: x.field ?? null,
      params: x.params ?? {},
    };
  }
  return { code: "internal", message: e instanceof Error ? e.message : String(e), invalid: null, field: null, params: {} };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  transport ??= await tauriTransport();
  try {
    return await transport.invoke<T>(cmd, args);
  } catch (e) {
    throw asIpcError(e);
  }
}

/** A long operation: while it runs, its progress is polled a few times a second. */
async function callWithProgress<T>(
  cmd: string,
  args: Record<string, unknown>,
  onProgress?: (p: ProgressEvent) => void,
): Promise<T> {
  return withProgress(() => call<T>(cmd, args), onProgress);
}

/** Run a long command while polling its progress for the display. */
async function withProgress<T>(run: () => Promise<T>, onProgress?: (p: ProgressEvent) => void): Promise<T> {
  let running = true;
  const poll = async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 250));
      if (!running) break;
      try {
        const p = await call<ProgressEvent | null>("progress");
        if (p && running) onProgress?.(p);
      } catch {
        /* progress is only a display */
      }
    }
  };
  if (onProgress) void poll();
  try {
    return await run();
  } finally {
    running = false;
  }
}

function toBase64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export const api = {
  // Session
  defaultLocker: () => call<DefaultLocker>("default_locker"),
  session: () => call<Session | null>("session"),
  createLocker: (req: NewLocker) => call<Session>("locker_create", { req }),
  openLocker: (dir: string, passphrase: string) => call<Session>("locker_open", { dir, passphrase }),
  lock: () => call<null>("locker_lock"),
  setProfile: (profile: Profile) => call<Profile>("profile_set", { profile }),
  passphraseRule: () => call<PassphraseRule>("passphrase_rule"),
  measurePassphrase: (passphrase: string) => call<PassphraseCheck>("passphrase_measure", { passphrase }),

  // Cases, persons, incidents
  cases: (filter: CaseFilter) => call<CaseSummary[]>("cases_list", { filter }),
  createCase: (title: string, notes: string) => call<Case>("case_create", { title, notes }),
  case: (reference: string) => call<Case>("case_get", { reference }),
  editCase: (reference: string, title: string, notes: string) =>
    call<Case>("case_edit", { reference, title, notes }),
  setLegalHold: (reference: string, on: boolean, reason: string) => call<Case>("case_legal_hold", { reference, on, reason }),
  receipts: () => call<DeletionReceipt[]>("receipts_list"),
  saveReceipt: (reference: string, out: string, lang: "nb" | "en") => call<string[]>("receipt_save", { reference, out, lang }),
  keepCase: (reference: string, until: string, reason: string) => call<Case>("case_keep", { reference, until, reason }),
  retentionMonths: () => call<number>("retention_months"),
  setRetentionMonths: (months: number, reason: string) => call<number>("retention_set", { months, reason }),
  deletionPreview: (reference: string) => call<DeletionPreview>("case_deletion_preview", { reference }),
  deleteCase: (reference: string, reason: string, receiptOut: string, lang: "nb" | "en") =>
    call<CaseDeleted>("case_delete", { reference, reason, receiptOut, lang }),
  setCaseReview: (reference: string, on: string | null, reason: string) => call<Case>("case_set_review", { reference, on, reason }),
  setCaseStatus: (reference: string, status: CaseStatus, note: string, retentionReview: string | null = null) =>
    call<Case>("case_set_status", { reference, status, note, retentionReview }),
  persons: (reference: string) => call<Person[]>("persons_list", { reference }),
  addPerson: (reference: string, person: NewPerson) => call<Person>("person_add", { reference, person }),
  editPerson: (id: number, person: NewPerson, reason: string | null) => call<Person>("person_edit", { id, person, reason }),
  incidents: (reference: string, offset: number, limit: number) =>
    call<IncidentPage>("incident_rows", { reference, offset, limit }),
  addIncident: (reference: string, incident: NewIncident) =>
    call<Incident>("incident_add", { reference, incident }),
  incident: (id: number) => call<Incident>("incident_get", { id }),
  viewEvidence: (id: number) => call<ArrayBuffer>("evidence_view", { id }),
  redact: (id: number, regions: Region[]) => call<Redaction>("evidence_redact", { id, regions }),
  redactions: (id: number) => call<Redaction[]>("evidence_redactions", { id }),
  caseRedactions: (reference: string) => call<Redaction[]>("case_redactions", { reference }),
  viewRedaction: (id: number) => call<ArrayBuffer>("redaction_view", { id }),
  reading: (id: number) => call<Reading | null>("evidence_reading", { id }),
  extractAttachment: (id: number, index: number) => call<Added>("attachment_extract", { id, index }),
  messageDraft: (id: number, index: number) => call<NewIncident>("message_draft", { id, index }),
  incidentFromMessage: (id: number, index: number, incident: NewIncident) =>
    call<Incident>("incident_from_message", { id, index, incident }),
  callDraft: (id: number) => call<CallDraft>("call_draft", { id }),
  noteCall: (id: number, note: CallNote) => call<Incident>("call_note", { id, note }),
  editIncident: (id: number, patch: IncidentPatch) => call<Incident>("incident_edit", { id, patch }),
  incidentVersions: (id: number) => call<IncidentVersion[]>("incident_versions", { id }),
  search: (query: string) => call<SearchHit[]>("search", { query }),
  actorOtherCases: (person: number) => call<string[]>("actor_other_cases", { person }),
  caseAudit: (reference: string, offset: number, limit: number) =>
    call<AuditPage>("case_audit", { reference, offset, limit }),

  // Evidence
  evidence: (reference: string, incident: number | null, offset: number, limit: number) =>
    call<EvidencePage>("evidence_rows", { reference, incident, offset, limit }),
  addEvidencePaths: (incident: number, paths: string[], options: AddOptions, onProgress?: (p: ProgressEvent) => void) =>
    callWithProgress<Added[]>("evidence_add_paths", { incident, paths, options }, onProgress),
  async addEvidenceBytes(meta: BytesMeta, bytes: Uint8Array): Promise<Added> {
    transport ??= await tauriTransport();
    try {
      return await transport.invoke<Added>("evidence_add_bytes", undefined, { "varde-meta": toBase64(JSON.stringify(meta)) }, bytes);
    } catch (e) {
      throw asIpcError(e);
    }
  },
  /** A new incident with the files chosen in its form, in one transaction. The pasted
   *  files' bytes go as the raw body, one after another, in the order of `meta.pasted`. */
  logIncident(meta: LogMeta, pasted: Uint8Array[], onProgress?: (p: ProgressEvent) => void): Promise<Logged> {
    const body = new Uint8Array(pasted.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of pasted) {
      body.set(b, at);
      at += b.length;
    }
    return withProgress(async () => {
      transport ??= await tauriTransport();
      try {
        return await transport.invoke<Logged>("incident_log", undefined, { "varde-meta": toBase64(JSON.stringify(meta)) }, body);
      } catch (e) {
        throw asIpcError(e);
      }
    }, onProgress);
  },
  incidentOrigin: (id: number) => call<IncidentOrigin | null>("incident_origin", { id }),
  editThread: (incident: number, thread: string, patch: ThreadPatch) => call<Evidence[]>("thread_edit", { incident, thread, patch }),
  thumbnail: (id: number) => call<string | null>("evidence_thumbnail", { id }),
  openEvidence: (id: number) => call<string>("evidence_open", { id }),
  checkEvidence: (id: number) => call<ItemCheck>("evidence_check", { id }),
  verifyLocker: (onProgress?: (p: ProgressEvent) => void) => callWithProgress<VerifyReport>("locker_verify", {}, onProgress),

  // Guidance
  checklist: (reference: string) => call<Checklist>("checklist", { reference }),
  setChecklist: (reference: string, personId: number | null, key: string, itemState: ChecklistState, note: string | null) =>
    call<ChecklistEntry>("checklist_set", { reference, personId, key, itemState, note }),
  prompts: (reference: string) => call<Prompt[]>("prompts", { reference }),
  emergencies: () => call<Emergency[]>("emergencies"),
  actOnPrompt: (reference: string, key: string, act: PromptAct) =>
    call<EscalationAction>("prompt_act", { reference, key, act }),
  contacts: () => call<DirectoryEntry[]>("contacts"),
  addContact: (contact: NewContact) => call<DirectoryEntry>("contact_add", { contact }),
  editContact: (id: number, patch: ContactPatch) => call<DirectoryEntry>("contact_edit", { id, patch }),
  removeContact: (id: number) => call<null>("contact_remove", { id }),
  disclosures: (reference: string) => call<Disclosure[]>("disclosures", { reference }),
  disclosuresAwaiting: (reference: string) => call<Disclosure[]>("disclosures_awaiting", { reference }),
  consents: (reference: string) => call<Consent[]>("consents", { reference }),
  addConsent: (reference: string, consent: NewConsent) => call<Consent>("consent_add", { reference, consent }),
  withdrawConsent: (id: number, at: string | null, how: string) => call<Consent>("consent_withdraw", { id, at, how }),
  unlinkedSenders: (reference: string) => call<SenderGroup[]>("unlinked_senders", { reference }),
  linkSender: (reference: string, sender: string) => call<Person>("link_sender", { reference, sender }),
  disclosureInformed: (id: number, at: string | null, how: string) => call<Disclosure>("disclosure_informed", { id, at, how }),
  disclosureBases: () => call<Bases>("disclosure_bases"),
  healthBases: () => call<Bases>("health_bases"),

  // Drafts (police report, concern report)
  previewDraft: (reference: string, options: DraftOptions) => call<DraftPreview>("draft_preview", { reference, options }),
  saveDraft: (reference: string, options: DraftOptions, out: string) => call<SavedDraft>("draft_save", { reference, options, out }),
  draftSent: (reference: string, sent: DraftSent) => call<DraftSentRecord>("draft_sent", { reference, sent }),

  // Bundles
  bundleName: (reference: string) => call<string>("bundle_name", { reference }),
  exportDefaults: (lang: "nb" | "en") => call<ExportOptions>("export_defaults", { lang }),
  previewExport: (reference: string, options: ExportOptions) =>
    call<ExportPreviewView>("bundle_preview", { reference, options }),
  exportBundle: (reference: string, out: string, options: ExportOptions, onProgress?: (p: ProgressEvent) => void) =>
    callWithProgress<Exported>("bundle_export", { reference, out, options }, onProgress),
  checkBundle: (path: string) => call<BundleReport>("bundle_check", { path }),
  importBundle: (path: string, reference: string, onProgress?: (p: ProgressEvent) => void, acceptNewKey = false) =>
    callWithProgress<Imported>("bundle_import", { path, reference, acceptNewKey }, onProgress),
};

/** Native dialogs and dropped files (Tauri only). */
export const desktop = {
  async pickFiles(): Promise<string[]> {
    const { open } = await import("@tauri-apps/plugin-dialog");
    const r = await open({ multiple: true, directory: false });
    if (!r) return [];
    return Array.isArray(r) ? r : [r];
  },
  async pickBundle(): Promise<string | null> {
    const { open } = await import("@tauri-apps/plugin-dialog");
    const r = await open({ multiple: false, directory: false, filters: [{ name: "Varde bundle", extensions: ["zip"] }] });
    return typeof r === "string" ? r : null;
  },
  async saveBundle(defaultPath: string): Promise<string | null> {
    const { save } = await import("@tauri-apps/plugin-dialog");
    return await save({ defaultPath, filters: [{ name: "Zip", extensions: ["zip"] }] });
  },
  async saveFile(defaultPath: string, name: string, extension: string): Promise<string | null> {
    const { save } = await import("@tauri-apps/plugin-dialog");
    return await save({ defaultPath, filters: [{ name, extensions: [extension] }] });
  },
  async pickFolder(): Promise<string | null> {
    const { open } = await import("@tauri-apps/plugin-dialog");
    const r = await open({ multiple: false, directory: true });
    return typeof r === "string" ? r : null;
  },
  /** Files dropped on the window: their paths, streamed into the locker by the backend. */
  async onDrop(handler: (paths: string[]) => void, hover?: (over: boolean) => void): Promise<() => void> {
    const { getCurrentWebview } = await import("@tauri-apps/api/webview");
    return await getCurrentWebview().onDragDropEvent((e) => {
      if (e.payload.type === "over" || e.payload.type === "enter") hover?.(true);
      else if (e.payload.type === "leave") hover?.(false);
      else if (e.payload.type === "drop") {
        hover?.(false);
        handler(e.payload.paths);
      }
    });
  },
};
