//! The evidence bundle: export, check, import.

use std::path::PathBuf;

use tauri::State;
use varde_core::{BundleReport, ExportOptions, Exported, ImportOptions, Imported, verify_bundle};

use super::forward;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Export a case's bundle for the police (or the self-log for the security officer).
/// Recorded in the disclosure ledger and the audit log in the same transaction.
#[tauri::command]
pub async fn bundle_export(
    state: State<'_, AppState>,
    reference: String,
    out: String,
    options: ExportOptions,
) -> IpcResult<Exported> {
    let mut progress = forward(state.progress.clone());
    state
        .with_locker(move |l| {
            Ok(l.export_bundle(
                &reference,
                &options,
                &PathBuf::from(out),
                &varde_report::TypstRenderer,
                &mut progress,
            )?)
        })
        .await
}

/// Check a bundle the way the police would, without writing anything.
#[tauri::command]
pub async fn bundle_check(path: String) -> IpcResult<BundleReport> {
    tauri::async_runtime::spawn_blocking(move || Ok(verify_bundle(&PathBuf::from(path))?))
        .await
        .map_err(IpcError::internal)?
}

/// Import a bundle into a case; refused, with nothing written, unless it verifies. A
/// bundle from a known source signed with another key than before is refused unless the
/// officer has confirmed the new key with the sender (`accept_new_key`).
#[tauri::command]
pub async fn bundle_import(
    state: State<'_, AppState>,
    path: String,
    reference: String,
    accept_new_key: bool,
) -> IpcResult<Imported> {
    let mut progress = forward(state.progress.clone());
    let opts = ImportOptions {
        expect_fingerprint: None,
        accept_changed_key: accept_new_key,
    };
    state
        .with_locker(move |l| {
            Ok(l.import_bundle_with(&PathBuf::from(path), &reference, &opts, &mut progress)?)
        })
        .await
}
