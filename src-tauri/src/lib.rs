//! # varde-app
//!
//! Varde's desktop window: a thin Tauri shell over `varde-core`. Each command takes the
//! state, calls one core function on a blocking thread and maps the error to
//! `{ code, message }` ([`error::IpcError`]). The UI (`ui/`) reaches these commands only
//! through `ui/src/api/`; its TypeScript types are generated from the Rust types
//! (`ui/src/bindings/`, checked by a test).

pub mod commands;
pub mod error;
pub mod navigation;
pub mod state;
mod thumbs;
pub mod webview;

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod ipc_tests;

use tauri::{Manager, Runtime};

/// Register the state, plugins and commands on a builder. The binary passes the real
/// builder; tests pass `tauri::test::mock_builder()`.
pub fn run_app<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    use commands::{bundle, cases, drafts, evidence, guidance, session};
    builder
        .manage(state::AppState::default())
        .plugin(navigation::guard())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                webview::tune(&window);
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window locks the locker: keys forgotten, viewer copies removed.
            if let tauri::WindowEvent::Destroyed = event {
                let _ = window.state::<state::AppState>().lock_all();
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::progress,
            session::default_locker,
            session::session,
            session::locker_create,
            session::locker_open,
            session::locker_lock,
            session::profile_set,
            session::passphrase_rule,
            session::passphrase_measure,
            cases::cases_list,
            cases::case_create,
            cases::case_get,
            cases::case_edit,
            cases::case_set_status,
            cases::case_set_review,
            cases::case_legal_hold,
            cases::case_deletion_preview,
            cases::case_delete,
            cases::case_keep,
            cases::receipts_list,
            cases::receipt_save,
            cases::retention_months,
            cases::retention_set,
            cases::persons_list,
            cases::person_add,
            cases::person_edit,
            cases::incident_rows,
            cases::incident_add,
            cases::incident_origin,
            cases::incident_get,
            cases::incident_edit,
            cases::incident_versions,
            cases::search,
            cases::actor_other_cases,
            cases::case_audit,
            evidence::evidence_rows,
            evidence::evidence_add_paths,
            evidence::evidence_add_bytes,
            evidence::incident_log,
            evidence::thread_edit,
            evidence::evidence_thumbnail,
            evidence::evidence_open,
            evidence::evidence_view,
            evidence::evidence_redact,
            evidence::evidence_redactions,
            evidence::case_redactions,
            evidence::redaction_view,
            evidence::evidence_reading,
            evidence::attachment_extract,
            evidence::message_draft,
            evidence::incident_from_message,
            evidence::call_draft,
            evidence::call_note,
            evidence::evidence_check,
            evidence::locker_verify,
            guidance::checklist,
            guidance::checklist_set,
            guidance::prompts,
            guidance::emergencies,
            guidance::prompt_act,
            guidance::contacts,
            guidance::contact_add,
            guidance::contact_edit,
            guidance::contact_remove,
            guidance::disclosures,
            guidance::disclosure_informed,
            guidance::disclosures_awaiting,
            guidance::consents,
            guidance::consent_add,
            guidance::consent_withdraw,
            cases::unlinked_senders,
            cases::link_sender,
            guidance::disclosure_bases,
            guidance::health_bases,
            bundle::bundle_export,
            bundle::bundle_preview,
            bundle::bundle_name,
            bundle::export_defaults,
            bundle::bundle_check,
            bundle::bundle_import,
            drafts::draft_preview,
            drafts::draft_save,
            drafts::draft_sent,
        ])
}

/// Run the desktop app.
pub fn run() -> Result<(), tauri::Error> {
    run_app(tauri::Builder::default()).run(tauri::generate_context!())
}
