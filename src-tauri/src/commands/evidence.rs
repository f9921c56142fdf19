//! Evidence: add (paths, pasted or picked bytes), browse, thumbnails, open, verify.

use std::path::PathBuf;

use base64::Engine as _;
use serde::Deserialize;
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;
use varde_core::{
    AddOptions, Added, EvidencePage, ItemCheck, Logged, NewIncident, NewOriginal, Redaction,
    Region, ThreadPatch, VerifyReport, model::Evidence,
};

use super::forward;
use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, guard};
use crate::thumbs;

/// One page of a case's evidence, or of one incident's.
#[tauri::command]
pub async fn evidence_rows(
    state: State<'_, AppState>,
    reference: String,
    incident: Option<i64>,
    offset: i64,
    limit: i64,
) -> IpcResult<EvidencePage> {
    state
        .with_locker(move |l| Ok(l.evidence_rows(&reference, incident, offset, limit)?))
        .await
}

/// Add files by path (drag and drop, or the file dialog), streamed; all or none.
#[tauri::command]
pub async fn evidence_add_paths(
    state: State<'_, AppState>,
    incident: i64,
    paths: Vec<String>,
    options: AddOptions,
) -> IpcResult<Vec<Added>> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    let mut progress = forward(state.progress.clone());
    state
        .with_locker(move |l| Ok(l.add_evidence(incident, &paths, &options, &mut progress)?))
        .await
}

/// What comes with bytes sent from the window (a pasted screenshot or a picked file).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct BytesMeta {
    /// The incident.
    pub incident: i64,
    /// The file name it came with (or one made up for a pasted image).
    pub name: String,
    /// How it is added.
    pub options: AddOptions,
}

/// Add one original sent as the raw request body. Its metadata is the JSON of
/// [`BytesMeta`], base64-encoded in the `varde-meta` header (header values must be ASCII).
#[tauri::command]
pub async fn evidence_add_bytes(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> IpcResult<Added> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(IpcError::bad_request("the file's bytes were not sent"));
    };
    let meta = request
        .headers()
        .get("varde-meta")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
        .and_then(|j| serde_json::from_slice::<BytesMeta>(&j).ok())
        .ok_or_else(|| IpcError::bad_request("the file's description was not sent"))?;
    let bytes = bytes.clone();
    state
        .with_locker(move |l| {
            Ok(l.add_evidence_from_reader(
                meta.incident,
                &meta.name,
                &mut bytes.as_slice(),
                &meta.options,
            )?)
        })
        .await
}

/// Correct a thread capture of an incident: platform, name, whole-thread flag, order.
#[tauri::command]
pub async fn thread_edit(
    state: State<'_, AppState>,
    incident: i64,
    thread: String,
    patch: ThreadPatch,
) -> IpcResult<Vec<Evidence>> {
    state
        .with_locker(move |l| Ok(l.edit_thread(incident, &thread, &patch)?))
        .await
}

/// A pasted file among the ones logged with a new incident: its name and how many bytes
/// of the request body are its.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PastedMeta {
    /// The file name.
    pub name: String,
    /// Its length in the body.
    pub size: u32,
}

/// What comes with a new incident logged together with its files.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LogMeta {
    /// The case.
    pub reference: String,
    /// The incident.
    pub incident: NewIncident,
    /// Files by path (picked or dropped), stored first, in this order.
    pub paths: Vec<String>,
    /// Pasted files, stored after the paths, whose bytes are the request body one after
    /// another.
    pub pasted: Vec<PastedMeta>,
    /// How the files are added (a thread, its platform and name).
    pub options: AddOptions,
}

/// Log a new incident with the files chosen in its form, in one transaction. The JSON of
/// [`LogMeta`] comes base64-encoded in the `varde-meta` header; the pasted files' bytes are
/// the raw body.
#[tauri::command]
pub async fn incident_log(state: State<'_, AppState>, request: Request<'_>) -> IpcResult<Logged> {
    let meta = request
        .headers()
        .get("varde-meta")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
        .and_then(|j| serde_json::from_slice::<LogMeta>(&j).ok())
        .ok_or_else(|| IpcError::bad_request("the incident's description was not sent"))?;
    let body: &[u8] = match request.body() {
        InvokeBody::Raw(bytes) => bytes,
        InvokeBody::Json(_) => &[],
    };
    let wanted: usize = meta.pasted.iter().map(|p| p.size as usize).sum();
    if wanted != body.len() {
        return Err(IpcError::bad_request("the pasted files were not all sent"));
    }
    let mut files: Vec<NewOriginal> = meta
        .paths
        .into_iter()
        .map(|p| NewOriginal::Path(PathBuf::from(p)))
        .collect();
    let mut rest = body;
    for p in meta.pasted {
        let (bytes, tail) = rest.split_at(p.size as usize);
        files.push(NewOriginal::Pasted {
            name: p.name,
            bytes: bytes.to_vec(),
        });
        rest = tail;
    }
    let mut progress = forward(state.progress.clone());
    let (reference, incident, options) = (meta.reference, meta.incident, meta.options);
    state
        .with_locker(move |l| {
            Ok(l.log_incident(&reference, incident, &files, &options, &mut progress)?)
        })
        .await
}

/// A small JPEG of an image original as a `data:` URL; `None` for what is not an image.
/// Made on a background thread, one at a time, and cached in memory (never on disk).
#[tauri::command]
pub async fn evidence_thumbnail(state: State<'_, AppState>, id: i64) -> IpcResult<Option<String>> {
    let locker = state.locker.clone();
    let cache = state.thumbs.clone();
    let gate = state.thumb_gate.clone();
    let made =
        tauri::async_runtime::spawn_blocking(move || -> IpcResult<Option<(String, String)>> {
            let _one_at_a_time = guard(&gate)?;
            let (ev, reader) = {
                let g = guard(&locker)?;
                let l = g.as_ref().ok_or_else(IpcError::not_unlocked)?;
                let ev = l.evidence(id)?;
                if let Some(url) = guard(&cache)?.get(&ev.sha256) {
                    return Ok(Some((ev.sha256, url.clone())));
                }
                if !thumbs::can_thumbnail(&ev.media_type, ev.size) {
                    return Ok(None);
                }
                let reader = l.open_original(id)?;
                (ev, reader)
            };
            // The locker is free again while the image is decoded.
            Ok(thumbs::make(reader, ev.size).map(|url| (ev.sha256, url)))
        })
        .await
        .map_err(IpcError::internal)??;
    Ok(made.map(|(sha, url)| {
        state.keep_thumb(&sha, &url);
        url
    }))
}

/// Open an original in the system's viewer: each time a fresh, read-only copy, checked
/// against its SHA-256, in a private temporary folder (removed when Varde locks or quits);
/// the extraction is recorded in the audit log.
#[tauri::command]
pub async fn evidence_open<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<String> {
    let viewer = state.viewer_dir.clone();
    let path = state
        .with_locker(move |l| {
            let mut dir = guard(&viewer)?;
            if dir.is_none() {
                *dir = Some(
                    tempfile::Builder::new()
                        .prefix("varde-view-")
                        .tempdir()
                        .map_err(|e| varde_core::Error::io("writing", std::env::temp_dir(), e))?,
                );
            }
            let base = dir
                .as_ref()
                .map(|d| d.path().to_path_buf())
                .ok_or_else(|| IpcError::internal("viewer folder"))?;
            Ok(l.extract_for_viewer(id, &base)?)
        })
        .await?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(IpcError::no_viewer)?;
    Ok(path.display().to_string())
}

/// The most an original may have to be shown inside the app.
const VIEW_MAX: u64 = 64 << 20;

/// An original's bytes for the in-app viewer: decrypted in memory only, checked against its
/// SHA-256, sent as raw bytes (never written to disk, no audit entry: nothing leaves Varde).
#[tauri::command]
pub async fn evidence_view(state: State<'_, AppState>, id: i64) -> IpcResult<tauri::ipc::Response> {
    let bytes = state
        .with_locker(move |l| Ok(l.read_original(id, VIEW_MAX)?))
        .await?;
    Ok(tauri::ipc::Response::new(bytes))
}

/// Make a redacted copy of an image: the boxes (upright pixels) filled black, EXIF gone.
#[tauri::command]
pub async fn evidence_redact(
    state: State<'_, AppState>,
    id: i64,
    regions: Vec<Region>,
) -> IpcResult<Redaction> {
    state
        .with_locker(move |l| Ok(l.redact(id, &regions)?))
        .await
}

/// The redacted copies of an item, oldest first.
#[tauri::command]
pub async fn evidence_redactions(state: State<'_, AppState>, id: i64) -> IpcResult<Vec<Redaction>> {
    state.with_locker(move |l| Ok(l.redactions(id)?)).await
}

/// The latest redacted copy of each item of a case that has one (for the export wizard).
#[tauri::command]
pub async fn case_redactions(
    state: State<'_, AppState>,
    reference: String,
) -> IpcResult<Vec<Redaction>> {
    state
        .with_locker(move |l| Ok(l.case_redactions(&reference)?))
        .await
}

/// A redacted copy's PNG for the viewer: decrypted in memory only, checked against its
/// SHA-256, sent as raw bytes.
#[tauri::command]
pub async fn redaction_view(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<tauri::ipc::Response> {
    let bytes = state
        .with_locker(move |l| Ok(l.read_redaction(id)?))
        .await?;
    Ok(tauri::ipc::Response::new(bytes))
}

/// What Varde read from an original (read now if not read yet): an e-mail's headers and
/// body, a chat's messages, a photo's EXIF, a recording's length; `None` when the file
/// holds nothing Varde reads.
#[tauri::command]
pub async fn evidence_reading(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<Option<varde_core::Reading>> {
    state.with_locker(move |l| Ok(l.read_evidence(id)?)).await
}

/// Take an e-mail's attachment out as evidence of its own.
#[tauri::command]
pub async fn attachment_extract(
    state: State<'_, AppState>,
    id: i64,
    index: u32,
) -> IpcResult<Added> {
    state
        .with_locker(move |l| Ok(l.extract_attachment(id, index)?))
        .await
}

/// The incident a message suggests, for the officer to confirm (nothing is written).
#[tauri::command]
pub async fn message_draft(
    state: State<'_, AppState>,
    id: i64,
    index: u32,
) -> IpcResult<NewIncident> {
    state
        .with_locker(move |l| Ok(l.incident_from_message_draft(id, index)?))
        .await
}

/// Log the incident made from a message, as the officer confirmed it.
#[tauri::command]
pub async fn incident_from_message(
    state: State<'_, AppState>,
    id: i64,
    index: u32,
    incident: NewIncident,
) -> IpcResult<varde_core::model::Incident> {
    state
        .with_locker(move |l| Ok(l.log_incident_from_message(id, index, incident)?))
        .await
}

/// The call-note form's starting point for a recording (nothing is written).
#[tauri::command]
pub async fn call_draft(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<varde_core::calls::CallDraft> {
    state.with_locker(move |l| Ok(l.call_draft(id)?)).await
}

/// Note the call of a recording in its incident, as the officer wrote it down.
#[tauri::command]
pub async fn call_note(
    state: State<'_, AppState>,
    id: i64,
    note: varde_core::calls::CallNote,
) -> IpcResult<varde_core::model::Incident> {
    state.with_locker(move |l| Ok(l.note_call(id, note)?)).await
}

/// Re-hash one original and compare it with its record.
#[tauri::command]
pub async fn evidence_check(state: State<'_, AppState>, id: i64) -> IpcResult<ItemCheck> {
    state.with_locker(move |l| Ok(l.check_evidence(id)?)).await
}

/// Verify the whole locker: every original and the audit chain.
#[tauri::command]
pub async fn locker_verify(state: State<'_, AppState>) -> IpcResult<VerifyReport> {
    let mut progress = forward(state.progress.clone());
    state
        .with_locker(move |l| Ok(l.verify(&mut progress)?))
        .await
}
