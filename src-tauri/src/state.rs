//! What the window keeps between commands: the open locker (or none), viewer copies and
//! a cache of thumbnails.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use varde_core::Locker;

use crate::error::{IpcError, IpcResult};

/// Thumbnails kept in memory at most (each a few kB of JPEG).
const THUMB_CACHE: usize = 4000;

/// The shell's state, managed by Tauri.
#[derive(Default)]
pub struct AppState {
    /// The unlocked locker; `None` while locked. Dropping it releases the keys and the
    /// locker's exclusive lock.
    pub locker: Arc<Mutex<Option<Locker>>>,
    /// A private folder for originals opened in the system viewer; removed on lock.
    pub viewer_dir: Arc<Mutex<Option<tempfile::TempDir>>>,
    /// Thumbnails as data URLs, by SHA-256 of the original.
    pub thumbs: Arc<Mutex<HashMap<String, String>>>,
    /// Progress of the long operation under way, polled by the window.
    pub progress: Arc<Mutex<Option<crate::commands::ProgressEvent>>>,
    /// One thumbnail is decoded at a time, so a gallery scrolling past never floods memory.
    pub thumb_gate: Arc<Mutex<()>>,
}

/// Lock a mutex; a poisoned one (a panic mid-command) is reported, not propagated.
pub fn guard<T>(m: &Mutex<T>) -> IpcResult<MutexGuard<'_, T>> {
    m.lock()
        .map_err(|_| IpcError::internal("a previous command failed midway; restart Varde"))
}

impl AppState {
    /// Run `f` on the open locker on a blocking thread, so the window never waits on disk
    /// or crypto.
    pub async fn with_locker<T, F>(&self, f: F) -> IpcResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Locker) -> Result<T, IpcError> + Send + 'static,
    {
        let locker = self.locker.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut g = guard(&locker)?;
            let l = g.as_mut().ok_or_else(IpcError::not_unlocked)?;
            f(l)
        })
        .await
        .map_err(IpcError::internal)?
    }

    /// Remember a thumbnail, forgetting all when the cache is full.
    pub fn keep_thumb(&self, sha256: &str, url: &str) {
        if let Ok(mut t) = self.thumbs.lock() {
            if t.len() >= THUMB_CACHE {
                t.clear();
            }
            t.insert(sha256.to_string(), url.to_string());
        }
    }

    /// Close the locker and remove every decrypted copy and cached thumbnail.
    pub fn lock_all(&self) -> IpcResult<()> {
        guard(&self.locker)?.take();
        if let Some(dir) = guard(&self.viewer_dir)?.take() {
            // The copies are read-only; make them removable, then remove them.
            varde_core::evidence::release_viewer_copies(dir.path());
            drop(dir);
        }
        guard(&self.thumbs)?.clear();
        Ok(())
    }
}
