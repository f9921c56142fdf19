//! The TypeScript declarations in `ui/src/bindings/` are generated from the Rust types
//! that cross IPC. This test regenerates them and fails when the committed files differ;
//! `VARDE_WRITE_BINDINGS=1 cargo test -p varde-app bindings` writes them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

fn export_all(cfg: &Config) -> Result<(), ts_rs::ExportError> {
    use crate::commands::{ProgressEvent, evidence::BytesMeta, guidance::*, session::*};
    use varde_core::guidance::{
        ChecklistState, ContactPatch, DirectoryEntry, Disclosure, NewContact, NewDisclosure,
    };
    use varde_core::*;
    crate::error::IpcError::export_all(cfg)?;
    ProgressEvent::export_all(cfg)?;
    BytesMeta::export_all(cfg)?;
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
    NewDisclosure::export_all(cfg)?;
    ExportOptions::export_all(cfg)?;
    Exported::export_all(cfg)?;
    Imported::export_all(cfg)?;
    BundleReport::export_all(cfg)?;
    model::Person::export_all(cfg)?;
    model::Incident::export_all(cfg)?;
    model::Evidence::export_all(cfg)?;
    Ok(())
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
