//! The checklist, escalation prompts, the contacts directory and the disclosure ledger.

use serde::Serialize;
use tauri::State;
use ts_rs::TS;
use varde_core::guidance::{
    BasisUse, Checklist, ChecklistEntry, ChecklistState, Consent, ContactPatch, DirectoryEntry,
    Disclosure, EscalationAction, LegalBasis, NewConsent, NewContact, Prompt, PromptAct, SourceDoc,
};

use crate::error::IpcResult;
use crate::state::AppState;

/// A case's checklist with progress.
#[tauri::command]
pub async fn checklist(state: State<'_, AppState>, reference: String) -> IpcResult<Checklist> {
    state
        .with_locker(move |l| Ok(l.checklist(&reference)?))
        .await
}

/// Set one checklist entry's state and note.
#[tauri::command]
pub async fn checklist_set(
    state: State<'_, AppState>,
    reference: String,
    person_id: Option<i64>,
    key: String,
    item_state: ChecklistState,
    note: Option<String>,
) -> IpcResult<ChecklistEntry> {
    state
        .with_locker(move |l| {
            Ok(l.set_checklist_item(&reference, person_id, &key, item_state, note.as_deref())?)
        })
        .await
}

/// Every prompt of a case with its state; open ones first, by priority.
#[tauri::command]
pub async fn prompts(state: State<'_, AppState>, reference: String) -> IpcResult<Vec<Prompt>> {
    state.with_locker(move |l| Ok(l.prompts(&reference)?)).await
}

/// An open emergency prompt in some case: shown above everything.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Emergency {
    /// The case.
    pub case_reference: String,
    /// The case's title.
    pub case_title: String,
    /// The prompt ("Ring 112").
    pub prompt: Prompt,
}

/// Open emergency prompts across all cases that are not closed.
#[tauri::command]
pub async fn emergencies(state: State<'_, AppState>) -> IpcResult<Vec<Emergency>> {
    state
        .with_locker(move |l| {
            Ok(l.open_emergencies()?
                .into_iter()
                .map(|(case, prompt)| Emergency {
                    case_reference: case.reference,
                    case_title: case.title,
                    prompt,
                })
                .collect())
        })
        .await
}

/// Record what was done about a prompt: done, declined (with a reason) or deferred.
#[tauri::command]
pub async fn prompt_act(
    state: State<'_, AppState>,
    reference: String,
    key: String,
    act: PromptAct,
) -> IpcResult<EscalationAction> {
    state
        .with_locker(move |l| Ok(l.act_on_prompt(&reference, &key, act)?))
        .await
}

/// The contacts directory: shipped, the organisation's own, then local.
#[tauri::command]
pub async fn contacts(state: State<'_, AppState>) -> IpcResult<Vec<DirectoryEntry>> {
    state.with_locker(move |l| Ok(l.contacts()?)).await
}

/// Add a local contact.
#[tauri::command]
pub async fn contact_add(
    state: State<'_, AppState>,
    contact: NewContact,
) -> IpcResult<DirectoryEntry> {
    state
        .with_locker(move |l| Ok(l.add_contact(contact)?))
        .await
}

/// Change a local contact (shipped and organisation entries are not editable here).
#[tauri::command]
pub async fn contact_edit(
    state: State<'_, AppState>,
    id: i64,
    patch: ContactPatch,
) -> IpcResult<DirectoryEntry> {
    state
        .with_locker(move |l| Ok(l.edit_contact(id, patch)?))
        .await
}

/// Remove a local contact.
#[tauri::command]
pub async fn contact_remove(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    state.with_locker(move |l| Ok(l.remove_contact(id)?)).await
}

/// A case's disclosure ledger.
#[tauri::command]
pub async fn disclosures(
    state: State<'_, AppState>,
    reference: String,
) -> IpcResult<Vec<Disclosure>> {
    state
        .with_locker(move |l| Ok(l.disclosures(&reference)?))
        .await
}

/// The case's disclosures still waiting for the employee to be told (the reminder).
#[tauri::command]
pub async fn disclosures_awaiting(
    state: State<'_, AppState>,
    reference: String,
) -> IpcResult<Vec<Disclosure>> {
    state
        .with_locker(move |l| Ok(l.awaiting_informing(&reference)?))
        .await
}

/// Record that the employee was told about a disclosure recorded «not yet informed».
#[tauri::command]
pub async fn disclosure_informed(
    state: State<'_, AppState>,
    id: i64,
    at: Option<String>,
    how: String,
) -> IpcResult<Disclosure> {
    state
        .with_locker(move |l| Ok(l.record_employee_informed(id, at.as_deref(), &how)?))
        .await
}

/// A case's consents, with their withdrawals and the disclosures resting on them.
#[tauri::command]
pub async fn consents(state: State<'_, AppState>, reference: String) -> IpcResult<Vec<Consent>> {
    state
        .with_locker(move |l| Ok(l.consents(&reference)?))
        .await
}

/// Record a person's consent to a disclosure.
#[tauri::command]
pub async fn consent_add(
    state: State<'_, AppState>,
    reference: String,
    consent: NewConsent,
) -> IpcResult<Consent> {
    state
        .with_locker(move |l| Ok(l.record_consent(&reference, consent)?))
        .await
}

/// Record that a consent was withdrawn: nothing more may be shared on it.
#[tauri::command]
pub async fn consent_withdraw(
    state: State<'_, AppState>,
    id: i64,
    at: Option<String>,
    how: String,
) -> IpcResult<Consent> {
    state
        .with_locker(move |l| Ok(l.withdraw_consent(id, at.as_deref(), &how)?))
        .await
}

/// The legal bases a disclosure (and an export) can be made on, and the source documents.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Bases {
    /// The bases.
    pub bases: Vec<LegalBasis>,
    /// The documents the guidance refers to.
    pub sources: Vec<SourceDoc>,
}

/// What health services may share with the police, shown read-only on the health prompts
/// (for the officer's understanding; nothing is chosen from it).
#[tauri::command]
pub async fn health_bases(state: State<'_, AppState>) -> IpcResult<Bases> {
    state
        .with_locker(move |l| {
            let g = l.guidance()?;
            Ok(Bases {
                bases: g.bases_for(BasisUse::HealthDisclosure).cloned().collect(),
                sources: g.sources.clone(),
            })
        })
        .await
}

/// The legal bases for disclosures, with the documents they come from.
#[tauri::command]
pub async fn disclosure_bases(state: State<'_, AppState>) -> IpcResult<Bases> {
    state
        .with_locker(move |l| {
            let g = l.guidance()?;
            let employer = l.profile()?.employer();
            Ok(Bases {
                bases: g.disclosure_bases(employer).cloned().collect(),
                sources: g.sources.clone(),
            })
        })
        .await
}
