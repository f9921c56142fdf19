//! Drafts from a case (a police report, a concern report): preview, save, mark sent.

use std::path::PathBuf;

use tauri::State;
use varde_core::drafts::{Draft, DraftOptions, DraftSent, DraftSentRecord, SavedDraft};

use crate::error::IpcResult;
use crate::state::AppState;

/// A draft and its first page as SVG, before anything is written.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct DraftPreview {
    /// The draft: its text and what it names.
    pub draft: Draft,
    /// The first page of the PDF as a self-contained SVG document.
    pub first_page_svg: String,
    /// The PDF's pages.
    pub pages: usize,
}

/// Build a draft and lay out its first page. Nothing is written.
#[tauri::command]
pub async fn draft_preview(
    state: State<'_, AppState>,
    reference: String,
    options: DraftOptions,
) -> IpcResult<DraftPreview> {
    state
        .with_locker(move |l| {
            let draft = l.draft(&reference, &options)?;
            let rendered = varde_report::drafts::layout(&draft.document).map_err(|e| {
                varde_core::Error::Internal(format!("the draft could not be laid out: {e}"))
            })?;
            Ok(DraftPreview {
                first_page_svg: rendered.page_svg(0).unwrap_or_default(),
                pages: rendered.page_count(),
                draft,
            })
        })
        .await
}

/// Write a draft's PDF and `.docx` (`out`: the PDF's path or a folder).
#[tauri::command]
pub async fn draft_save(
    state: State<'_, AppState>,
    reference: String,
    options: DraftOptions,
    out: String,
) -> IpcResult<SavedDraft> {
    state
        .with_locker(move |l| {
            let (_, saved) = l.save_draft(
                &reference,
                &options,
                &PathBuf::from(out),
                &varde_report::drafts::TypstDraftRenderer,
            )?;
            Ok(saved)
        })
        .await
}

/// Record that a draft was sent: the ledger entry and the prompts it answers, together.
#[tauri::command]
pub async fn draft_sent(
    state: State<'_, AppState>,
    reference: String,
    sent: DraftSent,
) -> IpcResult<DraftSentRecord> {
    state
        .with_locker(move |l| Ok(l.mark_draft_sent(&reference, &sent)?))
        .await
}
