//! The TypeScript declarations in `ui/src/bindings/` are generated from the Rust types
//! that cross IPC. This test regenerates them and fails when the committed files differ;
//! `VARDE_WRITE_BINDINGS=1 cargo test -p varde-app bindings` writes them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

fn export_all(cfg: &Config) -> Result<(), ts_rs::ExportError> {
    use crate::commands::{
        ProgressEvent,
        evidence::{BytesMeta, LogMeta, PastedMeta},
        guidance::*,
        session::*,
    };
    use varde_core::guidance::{
        ChecklistState, ContactPatch, DirectoryEntry, Disclosure, NewContact,
    };
    use varde_core::*;
    crate::error::IpcError::export_all(cfg)?;
    ProgressEvent::export_all(cfg)?;
    BytesMeta::export_all(cfg)?;
    LogMeta::export_all(cfg)?;
    PastedMeta::export_all(cfg)?;
    Logged::export_all(cfg)?;
    ThreadPatch::export_all(cfg)?;
    IncidentOrigin::export_all(cfg)?;
    ExportPreview::export_all(cfg)?;
    crate::commands::bundle::ExportPreviewView::export_all(cfg)?;
    crate::commands::drafts::DraftPreview::export_all(cfg)?;
    drafts::DraftSent::export_all(cfg)?;
    drafts::DraftSentRecord::export_all(cfg)?;
    drafts::SavedDraft::export_all(cfg)?;
    Session::export_all(cfg)?;
    NewLocker::export_all(cfg)?;
    DefaultLocker::export_all(cfg)?;
    Emergency::export_all(cfg)?;
    Bases::export_all(cfg)?;
    Profile::export_all(cfg)?;
    CaseFilter::export_all(cfg)?;
    CaseSummary::export_all(cfg)?;
    IncidentPage::export_all(cfg)?;
    EvidencePage::export_all(cfg)?;
    AuditPage::export_all(cfg)?;
    ItemCheck::export_all(cfg)?;
    NewPerson::export_all(cfg)?;
    NewIncident::export_all(cfg)?;
    IncidentPatch::export_all(cfg)?;
    calls::CallDraft::export_all(cfg)?;
    calls::CallNote::export_all(cfg)?;
    DeletionPreview::export_all(cfg)?;
    crate::commands::cases::CaseDeleted::export_all(cfg)?;
    AddOptions::export_all(cfg)?;
    Added::export_all(cfg)?;
    VerifyReport::export_all(cfg)?;
    guidance::Checklist::export_all(cfg)?;
    ChecklistState::export_all(cfg)?;
    guidance::Prompt::export_all(cfg)?;
    guidance::PromptAct::export_all(cfg)?;
    guidance::EscalationAction::export_all(cfg)?;
    DirectoryEntry::export_all(cfg)?;
    NewContact::export_all(cfg)?;
    ContactPatch::export_all(cfg)?;
    Disclosure::export_all(cfg)?;
    varde_core::guidance::disclosure::InformedLater::export_all(cfg)?;
    varde_core::guidance::Consent::export_all(cfg)?;
    varde_core::guidance::NewConsent::export_all(cfg)?;
    varde_core::SenderGroup::export_all(cfg)?;
    ExportOptions::export_all(cfg)?;
    Exported::export_all(cfg)?;
    Imported::export_all(cfg)?;
    BundleReport::export_all(cfg)?;
    model::Person::export_all(cfg)?;
    model::Incident::export_all(cfg)?;
    model::Evidence::export_all(cfg)?;
    varde_core::Redaction::export_all(cfg)?;
    varde_core::Reading::export_all(cfg)?;
    varde_core::varde_read::Message::export_all(cfg)?;
    PassphraseRule::export_all(cfg)?;
    incidents::IncidentVersion::export_all(cfg)?;
    SearchHit::export_all(cfg)?;
    PassphraseCheck::export_all(cfg)?;
    Invalid::export_all(cfg)?;
    ProblemKind::export_all(cfg)?;
    Ok(())
}

/// One example of every error the UI can receive, for the catalogue: the match has no
/// wildcard, so a new kind of error cannot be added without an example here.
fn examples() -> Vec<crate::error::IpcError> {
    use crate::error::IpcError;
    use strum::IntoEnumIterator;
    use varde_core::{Error, ErrorKind};
    let p = || std::path::PathBuf::from("/x");
    let io = || std::io::Error::from(std::io::ErrorKind::NotFound);
    let mut out: Vec<IpcError> = ErrorKind::iter()
        .map(|k| {
            let e = match k {
                ErrorKind::WrongPassphrase => Error::WrongPassphrase,
                ErrorKind::PassphraseMissing => Error::PassphraseMissing,
                ErrorKind::NotALocker => Error::NotALocker {
                    path: p(),
                    reason: String::new(),
                },
                ErrorKind::NewerLocker => Error::NewerLocker {
                    what: "schema",
                    found: 9,
                    supported: 5,
                },
                ErrorKind::AlreadyExists => Error::AlreadyExists(p()),
                ErrorKind::LockerInUse => Error::LockerInUse,
                ErrorKind::NotFound => Error::NotFound {
                    kind: varde_core::ItemKind::Case,
                    id: "V".into(),
                },
                ErrorKind::Invalid => Error::Invalid(varde_core::Invalid::NoFiles),
                ErrorKind::Io => Error::io("reading", p(), io()),
                ErrorKind::Integrity => Error::Integrity(String::new()),
                ErrorKind::SigningKeyChanged => Error::SigningKeyChanged {
                    source_locker: String::new(),
                    known: String::new(),
                    found: String::new(),
                },
                ErrorKind::UnexpectedSigningKey => Error::UnexpectedSigningKey {
                    expected: String::new(),
                    found: String::new(),
                },
                ErrorKind::WeakPassphrase => {
                    Error::WeakPassphrase(varde_core::measure_passphrase("a"))
                }
                ErrorKind::DiskFull => Error::DiskFull(String::new()),
                ErrorKind::Damaged => Error::Damaged(String::new()),
                ErrorKind::Database => Error::Database(rusqlite_error()),
                ErrorKind::Internal => Error::Internal(String::new()),
            };
            IpcError::from(e)
        })
        .collect();
    out.push(IpcError::not_unlocked());
    out.push(IpcError::internal(""));
    out.push(IpcError::bad_request(""));
    out.push(IpcError::no_viewer(""));
    out
}

fn rusqlite_error() -> rusqlite::Error {
    rusqlite::Error::InvalidQuery
}

/// `ErrorCatalogue.ts`: every error code with its parameters, every kind of refused input
/// with its parameters, every field and record kind — what the UI's dictionaries must word
/// (checked by `ui/src/lib/errors.test.ts`).
fn catalogue() -> String {
    use std::collections::BTreeMap;
    use strum::IntoEnumIterator;
    let name = |c: crate::error::IpcCode| {
        serde_json::to_value(c)
            .expect("json")
            .as_str()
            .expect("a code is text")
            .to_string()
    };
    let mut codes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in examples() {
        codes
            .entry(name(e.code))
            .or_default()
            .extend(e.params.keys().cloned());
    }
    for c in crate::error::all_codes() {
        assert!(
            codes.contains_key(&name(c)),
            "no example of error code {c:?}"
        );
    }
    let mut kinds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in varde_core::Invalid::iter() {
        let json = serde_json::to_value(&i).expect("json");
        let params = json
            .as_object()
            .map(|o| o.keys().filter(|k| *k != "kind").cloned().collect())
            .unwrap_or_default();
        kinds.insert(i.kind().to_string(), params);
    }
    let names = |v: Vec<&'static str>| serde_json::to_string(&v).expect("json");
    let fields: Vec<&'static str> = varde_core::Field::iter().map(Into::into).collect();
    let items: Vec<&'static str> = varde_core::ItemKind::iter().map(Into::into).collect();
    let problems: Vec<&'static str> = varde_core::FileNameProblem::iter()
        .map(Into::into)
        .collect();
    let check_problems: Vec<&'static str> =
        varde_core::ProblemKind::iter().map(Into::into).collect();
    let dedup = |m: &mut BTreeMap<String, Vec<String>>| {
        for v in m.values_mut() {
            v.sort();
            v.dedup();
        }
    };
    dedup(&mut codes);
    dedup(&mut kinds);
    format!(
        "// Generated by src-tauri/src/bindings.rs from the Rust error types. Do not edit.\n\
         // Every error code with its parameters, every kind of refused input with its parameters,\n\
         // every field and record kind: what the UI's dictionaries must word.\n\n\
         import type {{ IpcCode }} from \"./IpcCode\";\n\n\
         export const ERROR_CODES: Record<IpcCode, string[]> = {};\n\n\
         export const INVALID_KINDS: Record<string, string[]> = {};\n\n\
         export const FIELDS: string[] = {};\n\n\
         export const ITEM_KINDS: string[] = {};\n\n\
         export const FILE_NAME_PROBLEMS: string[] = {};\n\n\
         export const CHECK_PROBLEMS: string[] = {};\n",
        serde_json::to_string(&codes).expect("json"),
        serde_json::to_string(&kinds).expect("json"),
        names(fields),
        names(items),
        names(problems),
        names(check_problems),
    )
}

/// `Values.ts`: the values of each enum the UI offers as a choice, in the core's order, so
/// a select lists exactly what the core accepts (a value the core drops is a type error
/// where the UI still names it).
fn values() -> String {
    use strum::VariantNames;
    use varde_core::guidance::{
        ChecklistState, ContactKind, EmployeeInformed, Lang, RecipientKind,
    };
    use varde_core::model::{Channel, Perception, PersonKind, PlaceKind};
    fn list<T: VariantNames>(ty: &str, name: &str) -> (String, String) {
        let items: Vec<String> = T::VARIANTS.iter().map(|v| format!("\"{v}\"")).collect();
        (
            format!("import type {{ {ty} }} from \"./{ty}\";\n"),
            format!("export const {name}: {ty}[] = [{}];\n", items.join(", ")),
        )
    }
    let lists = [
        list::<Channel>("Channel", "CHANNELS"),
        list::<PlaceKind>("PlaceKind", "PLACE_KINDS"),
        list::<Perception>("Perception", "PERCEPTIONS"),
        list::<PersonKind>("PersonKind", "PERSON_KINDS"),
        list::<RecipientKind>("RecipientKind", "RECIPIENT_KINDS"),
        list::<EmployeeInformed>("EmployeeInformed", "EMPLOYEE_INFORMED"),
        list::<ContactKind>("ContactKind", "CONTACT_KINDS"),
        list::<ChecklistState>("ChecklistState", "CHECKLIST_STATES"),
        list::<Lang>("Lang", "LANGS"),
    ];
    let imports: String = lists.iter().map(|(i, _)| i.as_str()).collect();
    let consts: String = lists.iter().map(|(_, c)| c.as_str()).collect();
    format!(
        "// Generated by src-tauri/src/bindings.rs from the Rust enums. Do not edit.\n\
         // The values of each enum the UI offers as a choice, in the core's order.\n\n\
         {imports}\n{consts}"
    )
}

/// Every `.ts` file under `dir`, by path relative to it.
fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|x| x == "ts") {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                out.insert(
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read_to_string(&path).unwrap_or_default(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn typescript_bindings_are_current() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
    let fresh = tempfile::tempdir().expect("temp dir");
    let cfg = Config::new()
        .with_out_dir(fresh.path())
        .with_large_int("number");
    export_all(&cfg).expect("export bindings");
    std::fs::write(fresh.path().join("ErrorCatalogue.ts"), catalogue()).expect("catalogue");
    std::fs::write(fresh.path().join("Values.ts"), values()).expect("values");
    let want = read_tree(fresh.path());
    assert!(want.len() > 30, "too few bindings: {}", want.len());
    if std::env::var_os("VARDE_WRITE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        std::fs::create_dir_all(&committed).expect("bindings dir");
        for (name, text) in &want {
            let path = committed.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("bindings dir");
            }
            std::fs::write(path, text).expect("write binding");
        }
        return;
    }
    let have = read_tree(&committed);
    let stale: Vec<_> = want
        .iter()
        .filter(|(n, t)| have.get(*n) != Some(t))
        .map(|(n, _)| n.as_str())
        .chain(
            have.keys()
                .filter(|n| !want.contains_key(*n))
                .map(String::as_str),
        )
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/bindings is stale ({stale:?}); run: VARDE_WRITE_BINDINGS=1 cargo test -p varde-app bindings"
    );
}
