//! Cases, persons, incidents and a case's audit trail.

use std::path::PathBuf;

use tauri::State;
use varde_core::guidance::Lang;
use varde_core::model::{Case, CaseStatus, Incident, Person};
use varde_core::{
    AuditPage, CaseFilter, CaseSummary, DeletionPreview, DeletionReceipt, IncidentPage,
    IncidentPatch, NewIncident, NewPerson, SenderGroup,
};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Cases with their counts, filtered by status and search text.
#[tauri::command]
pub async fn cases_list(
    state: State<'_, AppState>,
    filter: CaseFilter,
) -> IpcResult<Vec<CaseSummary>> {
    state
        .with_locker(move |l| Ok(l.case_summaries(&filter)?))
        .await
}

/// Open a new case.
#[tauri::command]
pub async fn case_create(
    state: State<'_, AppState>,
    title: String,
    notes: String,
) -> IpcResult<Case> {
    state
        .with_locker(move |l| Ok(l.create_case(&title, &notes)?))
        .await
}

/// One case.
#[tauri::command]
pub async fn case_get(state: State<'_, AppState>, reference: String) -> IpcResult<Case> {
    state.with_locker(move |l| Ok(l.case(&reference)?)).await
}

/// Change a case's title and notes.
#[tauri::command]
pub async fn case_edit(
    state: State<'_, AppState>,
    reference: String,
    title: String,
    notes: String,
) -> IpcResult<Case> {
    state
        .with_locker(move |l| Ok(l.edit_case(&reference, Some(&title), Some(&notes))?))
        .await
}

/// Open, monitor or close a case.
#[tauri::command]
pub async fn case_set_status(
    state: State<'_, AppState>,
    reference: String,
    status: CaseStatus,
    note: String,
    retention_review: Option<String>,
) -> IpcResult<Case> {
    state
        .with_locker(move |l| {
            Ok(l.set_case_status(&reference, status, &note, retention_review.as_deref())?)
        })
        .await
}

/// Set or clear when a case's risk is to be assessed again.
#[tauri::command]
pub async fn case_set_review(
    state: State<'_, AppState>,
    reference: String,
    on: Option<String>,
    reason: String,
) -> IpcResult<Case> {
    state
        .with_locker(move |l| Ok(l.set_review_date(&reference, on.as_deref(), &reason)?))
        .await
}

/// Put a case on legal hold or lift it, with a reason.
#[tauri::command]
pub async fn case_legal_hold(
    state: State<'_, AppState>,
    reference: String,
    on: bool,
    reason: String,
) -> IpcResult<Case> {
    state
        .with_locker(move |l| Ok(l.set_legal_hold(&reference, on, &reason)?))
        .await
}

/// Keep a closed case at its retention review: a new review day and the reason.
#[tauri::command]
pub async fn case_keep(
    state: State<'_, AppState>,
    reference: String,
    until: String,
    reason: String,
) -> IpcResult<Case> {
    state
        .with_locker(move |l| Ok(l.keep_case(&reference, &until, &reason)?))
        .await
}

/// The organisation's retention rule: months after closing a case is reviewed.
#[tauri::command]
pub async fn retention_months(state: State<'_, AppState>) -> IpcResult<u32> {
    state.with_locker(move |l| Ok(l.retention_months()?)).await
}

/// Set the organisation's retention rule, with a reason.
#[tauri::command]
pub async fn retention_set(
    state: State<'_, AppState>,
    months: u32,
    reason: String,
) -> IpcResult<u32> {
    state
        .with_locker(move |l| Ok(l.set_retention_months(months, &reason)?))
        .await
}

/// What deleting a case would remove, for the confirmation that names it. Nothing changes.
#[tauri::command]
pub async fn case_deletion_preview(
    state: State<'_, AppState>,
    reference: String,
) -> IpcResult<DeletionPreview> {
    state
        .with_locker(move |l| Ok(l.deletion_preview(&reference)?))
        .await
}

/// A case deleted: its receipt, and where the receipt's files were saved (or why not:
/// the case is gone either way, and the locker keeps the receipt to save again).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct CaseDeleted {
    /// The signed receipt.
    pub receipt: DeletionReceipt,
    /// The files written: the JSON, its signature, the public key, the PDF.
    pub saved: Vec<String>,
    /// Why they could not be written, when they could not.
    pub save_error: Option<IpcError>,
}

/// Delete a case with a reason and save its receipt at `receipt_out` (`FILE.json`, with
/// `.sig`, `.pem` and `.pdf` beside it). A place that would overwrite a file is refused
/// before anything is deleted.
#[tauri::command]
pub async fn case_delete(
    state: State<'_, AppState>,
    reference: String,
    reason: String,
    receipt_out: String,
    lang: Lang,
) -> IpcResult<CaseDeleted> {
    state
        .with_locker(move |l| {
            let out = PathBuf::from(receipt_out.trim());
            varde_report::receipt::check_free(&out)?;
            let signed = l.delete_case(&reference, &reason)?;
            let (saved, save_error) = match varde_report::receipt::save(&signed, &out, lang) {
                Ok(paths) => (
                    paths.iter().map(|p| p.display().to_string()).collect(),
                    None,
                ),
                Err(e) => (Vec::new(), Some(IpcError::from(e))),
            };
            Ok(CaseDeleted {
                receipt: signed.receipt,
                saved,
                save_error,
            })
        })
        .await
}

/// The receipts of every deleted case, oldest first.
#[tauri::command]
pub async fn receipts_list(state: State<'_, AppState>) -> IpcResult<Vec<DeletionReceipt>> {
    state
        .with_locker(move |l| {
            Ok(l.deletion_receipts()?
                .into_iter()
                .map(|r| r.receipt)
                .collect())
        })
        .await
}

/// Save a kept receipt again at `out` (`FILE.json`, with `.sig`, `.pem` and `.pdf`); the
/// files written.
#[tauri::command]
pub async fn receipt_save(
    state: State<'_, AppState>,
    reference: String,
    out: String,
    lang: Lang,
) -> IpcResult<Vec<String>> {
    state
        .with_locker(move |l| {
            let signed = l.deletion_receipt(&reference)?;
            let paths = varde_report::receipt::save(&signed, &PathBuf::from(out.trim()), lang)?;
            Ok(paths.iter().map(|p| p.display().to_string()).collect())
        })
        .await
}

/// The persons of a case.
#[tauri::command]
pub async fn persons_list(state: State<'_, AppState>, reference: String) -> IpcResult<Vec<Person>> {
    state
        .with_locker(move |l| Ok(l.list_persons(&reference)?))
        .await
}

/// Add a person to a case.
#[tauri::command]
pub async fn person_add(
    state: State<'_, AppState>,
    reference: String,
    person: NewPerson,
) -> IpcResult<Person> {
    state
        .with_locker(move |l| Ok(l.add_person(&reference, person)?))
        .await
}

/// Correct a person: the whole record as it should be now, and why.
#[tauri::command]
pub async fn person_edit(
    state: State<'_, AppState>,
    id: i64,
    person: NewPerson,
    reason: Option<String>,
) -> IpcResult<Person> {
    state
        .with_locker(move |l| Ok(l.edit_person(id, person, reason.as_deref())?))
        .await
}

/// One page of a case's timeline.
#[tauri::command]
pub async fn incident_rows(
    state: State<'_, AppState>,
    reference: String,
    offset: i64,
    limit: i64,
) -> IpcResult<IncidentPage> {
    state
        .with_locker(move |l| Ok(l.incident_rows(&reference, offset, limit)?))
        .await
}

/// Log an incident.
#[tauri::command]
pub async fn incident_add(
    state: State<'_, AppState>,
    reference: String,
    incident: NewIncident,
) -> IpcResult<Incident> {
    state
        .with_locker(move |l| Ok(l.add_incident(&reference, incident)?))
        .await
}

/// Where an imported incident came from (`null` for one logged here).
#[tauri::command]
pub async fn incident_origin(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<Option<varde_core::IncidentOrigin>> {
    state.with_locker(move |l| Ok(l.incident_origin(id)?)).await
}

/// One incident.
#[tauri::command]
pub async fn incident_get(state: State<'_, AppState>, id: i64) -> IpcResult<Incident> {
    state.with_locker(move |l| Ok(l.incident(id)?)).await
}

/// Change an incident; the earlier version is kept.
#[tauri::command]
pub async fn incident_edit(
    state: State<'_, AppState>,
    id: i64,
    patch: IncidentPatch,
) -> IpcResult<Incident> {
    state
        .with_locker(move |l| Ok(l.edit_incident(id, patch)?))
        .await
}

/// The case's senders with two or more incidents and no threat actor (the suggestion to
/// record an «ukjent trusselutøver»).
#[tauri::command]
pub async fn unlinked_senders(
    state: State<'_, AppState>,
    reference: String,
) -> IpcResult<Vec<SenderGroup>> {
    state
        .with_locker(move |l| Ok(l.unlinked_senders(&reference)?))
        .await
}

/// Record an unknown threat actor for a sender and link the sender's incidents to them.
#[tauri::command]
pub async fn link_sender(
    state: State<'_, AppState>,
    reference: String,
    sender: String,
) -> IpcResult<Person> {
    state
        .with_locker(move |l| Ok(l.link_sender_to_unknown_actor(&reference, &sender, None)?))
        .await
}

/// Search every case of the locker (names, aliases, phone numbers in any spacing, wording,
/// descriptions, places).
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
) -> IpcResult<Vec<varde_core::SearchHit>> {
    state.with_locker(move |l| Ok(l.search(&query)?)).await
}

/// The other cases a threat actor appears in (same name, alias or phone number).
#[tauri::command]
pub async fn actor_other_cases(state: State<'_, AppState>, person: i64) -> IpcResult<Vec<String>> {
    state
        .with_locker(move |l| Ok(l.actor_in_other_cases(person)?))
        .await
}

/// The earlier versions of an edited incident, oldest first.
#[tauri::command]
pub async fn incident_versions(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<Vec<varde_core::incidents::IncidentVersion>> {
    state
        .with_locker(move |l| Ok(l.incident_versions(id)?))
        .await
}

/// One page of a case's audit trail, newest first.
#[tauri::command]
pub async fn case_audit(
    state: State<'_, AppState>,
    reference: String,
    offset: i64,
    limit: i64,
) -> IpcResult<AuditPage> {
    state
        .with_locker(move |l| Ok(l.case_audit(&reference, offset, limit)?))
        .await
}
