//! The evidence bundle: export, check, import.

use std::path::PathBuf;

use tauri::State;
use varde_core::guidance::Lang;
use varde_core::{
    BundleReport, ExportOptions, ExportPreview, Exported, ImportOptions, Imported, verify_bundle,
};

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

/// What an export would hold, and its report's first page as SVG, before anything is
/// written.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct ExportPreviewView {
    /// The bundle's contents.
    pub preview: ExportPreview,
    /// The report's first page as a self-contained SVG document.
    pub first_page_svg: String,
    /// The report's pages.
    pub pages: usize,
}

/// Preview an export: the files, counts and sizes, and the first page of the report laid
/// out from the same manifest the export would use. Nothing is written.
#[tauri::command]
pub async fn bundle_preview(
    state: State<'_, AppState>,
    reference: String,
    options: ExportOptions,
) -> IpcResult<ExportPreviewView> {
    state
        .with_locker(move |l| {
            let preview = l.export_preview(&reference, &options)?;
            let mut originals = |sha: &str| l.read_stored(sha);
            let lang = options.lang.as_str().parse().unwrap_or_default();
            let rendered =
                varde_report::layout(&preview.manifest, &mut originals, lang).map_err(|e| {
                    varde_core::Error::Internal(format!("the report could not be laid out: {e}"))
                })?;
            Ok(ExportPreviewView {
                first_page_svg: rendered.page_svg(0).unwrap_or_default(),
                pages: rendered.page_count(),
                preview,
            })
        })
        .await
}

/// The file name an export of this case gets today (`<reference>_<yyyy-mm-dd>.zip`).
#[tauri::command]
pub async fn bundle_name(state: State<'_, AppState>, reference: String) -> IpcResult<String> {
    state
        .with_locker(move |l| Ok(l.bundle_file_name(&reference)?))
        .await
}

/// An export's starting choices for the open locker (the core's, for its mode).
#[tauri::command]
pub async fn export_defaults(state: State<'_, AppState>, lang: Lang) -> IpcResult<ExportOptions> {
    state
        .with_locker(move |l| Ok(l.export_defaults(lang)?))
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
