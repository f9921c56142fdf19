//! The Tauri commands: each takes the state, calls one core function and maps the error.
//! Grouped as the UI's screens use them.

pub mod bundle;
pub mod cases;
pub mod drafts;
pub mod evidence;
pub mod guidance;
pub mod session;

use std::sync::{Arc, Mutex};

use serde::Serialize;
use tauri::State;
use ts_rs::TS;
use varde_core::Progress;

use crate::error::IpcResult;
use crate::state::{AppState, guard};

/// Progress of the long operation under way (ingest, verify, export, import).
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct ProgressEvent {
    /// Bytes done.
    pub done: f64,
    /// Bytes in all.
    pub total: f64,
}

/// A progress callback for core that records the latest figures in the state, where the
/// window polls them (`progress`). Polling rather than pushing: a pushed message is a
/// script evaluated in the page, and under WebDriver those raced with the test's own
/// commands and stalled them.
pub fn forward(slot: Arc<Mutex<Option<ProgressEvent>>>) -> impl FnMut(Progress) + Send {
    if let Ok(mut s) = slot.lock() {
        *s = Some(ProgressEvent {
            done: 0.0,
            total: 0.0,
        });
    }
    move |p: Progress| {
        if let Ok(mut s) = slot.lock() {
            *s = Some(ProgressEvent {
                done: p.done as f64,
                total: p.total as f64,
            });
        }
    }
}

/// The latest progress of the long operation under way, if any.
#[tauri::command]
pub fn progress(state: State<'_, AppState>) -> IpcResult<Option<ProgressEvent>> {
    Ok(*guard(&state.progress)?)
}
