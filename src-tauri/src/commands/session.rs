//! Unlock, create, lock; the locker's profile.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;
use varde_core::model::Mode;
use varde_core::{InitOptions, KdfParams, Locker, Profile, SystemClock};

use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, guard};

/// The open locker, as the UI shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Session {
    /// The locker's folder.
    pub dir: String,
    /// Its unique id.
    pub locker_id: String,
    /// Officer locker or personal self-log.
    pub mode: Mode,
    /// Owner and organisation.
    pub profile: Profile,
    /// The fingerprint of the key that signs this locker's bundles.
    pub signing_key_fingerprint: String,
    /// The self-log's one case (self-log lockers only).
    pub self_log_case: Option<String>,
    /// Where bundles are saved unless the user picks another place.
    pub export_dir: String,
}

/// What is needed to create a locker.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewLocker {
    /// The folder (must not exist, or be empty).
    pub dir: String,
    /// At least 12 characters.
    pub passphrase: String,
    /// Officer locker or personal self-log.
    pub mode: Mode,
    /// The owner's name.
    pub owner: String,
    /// The organisation (may be empty).
    pub org_name: String,
}

fn session_of(l: &mut Locker) -> Result<Session, IpcError> {
    let mode = l.mode()?;
    let self_log_case = match mode {
        Mode::SelfLog => Some(l.self_log_case()?.reference),
        Mode::Officer => None,
    };
    Ok(Session {
        dir: l.dir().display().to_string(),
        locker_id: l.locker_id().to_string(),
        mode,
        profile: l.profile()?,
        signing_key_fingerprint: l.signing_key_fingerprint()?,
        self_log_case,
        export_dir: dirs::document_dir()
            .or_else(dirs::home_dir)
            .unwrap_or_else(std::env::temp_dir)
            .display()
            .to_string(),
    })
}

/// Where a new locker goes unless the user picks another folder, and whether one is there.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DefaultLocker {
    /// The folder.
    pub dir: String,
    /// A locker already exists there.
    pub exists: bool,
}

/// The default locker folder: `varde/locker` in the user's data folder.
#[tauri::command]
pub fn default_locker() -> IpcResult<DefaultLocker> {
    let base = std::env::var_os("VARDE_LOCKER")
        .map(PathBuf::from)
        .or_else(Locker::default_dir)
        .ok_or_else(|| IpcError::internal("no home folder"))?;
    Ok(DefaultLocker {
        exists: base.join("locker.json").is_file(),
        dir: base.display().to_string(),
    })
}

/// The open locker, or `None` when locked.
#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> IpcResult<Option<Session>> {
    let locker = state.locker.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut g = guard(&locker)?;
        g.as_mut().map(session_of).transpose()
    })
    .await
    .map_err(IpcError::internal)?
}

/// Create a locker and open it.
#[tauri::command]
pub async fn locker_create(state: State<'_, AppState>, req: NewLocker) -> IpcResult<Session> {
    state.lock_all()?;
    let slot = state.locker.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let owner = req.owner.trim();
        let mut l = Locker::init(
            &PathBuf::from(&req.dir),
            &req.passphrase,
            InitOptions {
                mode: req.mode,
                owner: owner.to_string(),
                kdf: KdfParams::default(),
            },
            Box::new(SystemClock),
        )?;
        if !req.org_name.trim().is_empty() {
            l.set_profile(&Profile {
                owner: owner.to_string(),
                org_name: req.org_name.clone(),
                ..Profile::default()
            })?;
        }
        let s = session_of(&mut l)?;
        *guard(&slot)? = Some(l);
        Ok(s)
    })
    .await
    .map_err(IpcError::internal)?
}

/// Open a locker with its passphrase. A wrong passphrase changes nothing.
#[tauri::command]
pub async fn locker_open(
    state: State<'_, AppState>,
    dir: String,
    passphrase: String,
) -> IpcResult<Session> {
    state.lock_all()?;
    let slot = state.locker.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut l = Locker::open_default(&PathBuf::from(dir), &passphrase)?;
        let s = session_of(&mut l)?;
        *guard(&slot)? = Some(l);
        Ok(s)
    })
    .await
    .map_err(IpcError::internal)?
}

/// Lock: close the locker, forget the keys, remove decrypted viewer copies.
#[tauri::command]
pub async fn locker_lock(state: State<'_, AppState>) -> IpcResult<()> {
    state.lock_all()
}

/// Change the owner's name or the organisation.
#[tauri::command]
pub async fn profile_set(state: State<'_, AppState>, profile: Profile) -> IpcResult<Profile> {
    state
        .with_locker(move |l| Ok(l.set_profile(&profile)?))
        .await
}

/// The one passphrase rule of the core, for the UI to show before the user types.
#[tauri::command]
pub fn passphrase_rule() -> varde_core::PassphraseRule {
    varde_core::PASSPHRASE_RULE
}

/// How a candidate passphrase measures against the rule (a strength meter as one types).
#[tauri::command]
pub async fn passphrase_measure(passphrase: String) -> IpcResult<varde_core::PassphraseCheck> {
    tauri::async_runtime::spawn_blocking(move || varde_core::measure_passphrase(&passphrase))
        .await
        .map_err(IpcError::internal)
}
