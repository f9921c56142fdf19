//! Cases, persons, incidents and a case's audit trail.

use tauri::State;
use varde_core::model::{Case, CaseStatus, Incident, Person};
use varde_core::{
    AuditPage, CaseFilter, CaseSummary, IncidentPage, IncidentPatch, NewIncident, NewPerson,
    SenderGroup,
};

use crate::error::IpcResult;
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
