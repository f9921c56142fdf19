//! Where a bundle's bytes go: a zip file or a folder ([`Sink`]), each file streamed from a
//! reader on a second thread (`read_ahead`) and hashed on the way, under a temporary name
//! beside the target until the export renames it into place.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use sha2::{Digest, Sha256};

use super::VERIFY_SH;
use crate::error::{Error, Result};
use crate::invalid::Invalid;
use crate::locker::sync_dir;

pub(super) const CHUNK: usize = 1 << 20;

/// Where a bundle is being written.
pub(super) trait Sink {
    /// Write one file from `src`, hashing it; returns its SHA-256 and size.
    fn put(
        &mut self,
        path: &str,
        store: bool,
        size_hint: u64,
        src: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<([u8; 32], u64)>;

    /// Make everything durable.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Pieces handed from the decrypting thread to the writer.
pub(super) const PIECE: usize = 256 * 1024;

/// Run `f` over `reader` with the reading (decryption) on a second thread, so decrypting
/// overlaps hashing and writing. Memory: a few pieces in flight.
pub(super) fn read_ahead<R: Read + Send, T>(
    mut reader: R,
    f: impl FnOnce(&mut dyn Read) -> Result<T>,
) -> Result<T> {
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(8);
        let (back, spare) = mpsc::channel::<Vec<u8>>();
        scope.spawn(move || {
            loop {
                let mut buf = spare.try_recv().unwrap_or_default();
                buf.resize(PIECE, 0);
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        buf.truncate(n);
                        if tx.send(Ok(buf)).is_err() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
        });
        let mut r = ChannelReader {
            rx,
            back,
            cur: Vec::new(),
            pos: 0,
        };
        f(&mut r)
    })
}

pub(super) struct ChannelReader {
    rx: mpsc::Receiver<std::io::Result<Vec<u8>>>,
    back: mpsc::Sender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.cur.len() {
            match self.rx.recv() {
                Ok(Ok(next)) => {
                    let old = std::mem::replace(&mut self.cur, next);
                    let _ = self.back.send(old);
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.cur.len() - self.pos);
        buf[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

pub(super) fn put_bytes(
    sink: &mut Box<dyn Sink>,
    sums: &mut Vec<(String, String)>,
    name: &str,
    bytes: &[u8],
    store: bool,
) -> Result<()> {
    let (h, _) = sink.put(
        name,
        store,
        bytes.len() as u64,
        &mut &bytes[..],
        &mut |_| {},
    )?;
    sums.push((name.to_string(), hex::encode(h)));
    Ok(())
}

pub(super) fn copy_hashing(
    src: &mut dyn Read,
    dst: &mut dyn std::io::Write,
    path: &str,
    progress: &mut dyn FnMut(u64),
) -> Result<([u8; 32], u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::Integrity(format!("{path}: {e}"))),
        };
        hasher.update(&buf[..n]);
        dst.write_all(&buf[..n])
            .map_err(|e| Error::io("writing", path, e))?;
        size += n as u64;
        progress(n as u64);
    }
    Ok((hasher.finalize().into(), size))
}

pub(super) struct ZipSink {
    /// `None` once finished.
    zip: Option<zip::ZipWriter<Quiet<BufWriter<File>>>>,
    time: zip::DateTime,
    path: PathBuf,
    /// Set when the sink is dropped unfinished (the export failed).
    dropped: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl ZipSink {
    pub(super) fn new(f: File, time: zip::DateTime, path: PathBuf) -> ZipSink {
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        ZipSink {
            zip: Some(zip::ZipWriter::new(Quiet {
                inner: BufWriter::with_capacity(CHUNK, f),
                dropped: dropped.clone(),
                pos: 0,
                end: 0,
            })),
            time,
            path,
            dropped,
        }
    }
}

impl Drop for ZipSink {
    fn drop(&mut self) {
        // An unfinished ZipWriter finalises itself when dropped and prints to stderr when
        // that fails. The export failed and its temp file is removed: let the writer
        // finalise into nothing, quietly.
        if self.zip.is_some() {
            self.dropped
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// A writer that discards everything once its sink was dropped unfinished, keeping track
/// of the position it would have, so the zip writer's own bookkeeping stays consistent.
pub(super) struct Quiet<W> {
    inner: W,
    dropped: std::sync::Arc<std::sync::atomic::AtomicBool>,
    pos: u64,
    end: u64,
}

impl<W> Quiet<W> {
    fn quiet(&self) -> bool {
        self.dropped.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn moved(&mut self, pos: u64) {
        self.pos = pos;
        self.end = self.end.max(pos);
    }
}

impl<W: Write> Write for Quiet<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = if self.quiet() {
            buf.len()
        } else {
            self.inner.write(buf)?
        };
        self.moved(self.pos + n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.quiet() {
            return Ok(());
        }
        self.inner.flush()
    }
}

impl<W: Seek> Seek for Quiet<W> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let pos = if self.quiet() {
            let (base, delta) = match to {
                std::io::SeekFrom::Start(n) => (n, 0),
                std::io::SeekFrom::Current(d) => (self.pos, d),
                std::io::SeekFrom::End(d) => (self.end, d),
            };
            base.checked_add_signed(delta)
                .ok_or_else(|| std::io::Error::other("seek out of range"))?
        } else {
            self.inner.seek(to)?
        };
        self.moved(pos);
        Ok(pos)
    }
}

impl Sink for ZipSink {
    fn put(
        &mut self,
        path: &str,
        store: bool,
        size_hint: u64,
        src: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<([u8; 32], u64)> {
        let method = if store {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let mode = if path == VERIFY_SH { 0o755 } else { 0o644 };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(self.time)
            .unix_permissions(mode)
            .large_file(size_hint >= 0xFFFF_0000);
        let zip = self
            .zip
            .as_mut()
            .ok_or_else(|| Error::Integrity("internal: the bundle was already finished".into()))?;
        zip.start_file(path, options)
            .map_err(|e| zip_error(&self.path, e))?;
        copy_hashing(src, zip, path, progress)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        let path = self.path.clone();
        let zip = self
            .zip
            .take()
            .ok_or_else(|| Error::Integrity("internal: the bundle was finished twice".into()))?;
        let w = zip.finish().map_err(|e| zip_error(&path, e))?;
        let f = w
            .inner
            .into_inner()
            .map_err(|e| Error::io("writing", &path, e.into_error()))?;
        f.sync_all().map_err(|e| Error::io("writing", &path, e))
    }
}

pub(super) fn zip_error(path: &Path, e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => Error::io("writing", path, io),
        other => Error::io("writing", path, std::io::Error::other(other.to_string())),
    }
}

pub(super) struct DirSink {
    pub(super) root: PathBuf,
    pub(super) dirs: BTreeSet<PathBuf>,
}

impl Sink for DirSink {
    fn put(
        &mut self,
        path: &str,
        _store: bool,
        _size_hint: u64,
        src: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<([u8; 32], u64)> {
        let dest = self.root.join(path);
        let parent = dest.parent().unwrap_or(&self.root).to_path_buf();
        crate::locker::create_private_dir(&parent)
            .map_err(|e| Error::io("creating", &parent, e))?;
        self.dirs.insert(parent);
        let f =
            crate::locker::create_new_private(&dest).map_err(|e| Error::io("writing", &dest, e))?;
        let mut w = BufWriter::with_capacity(CHUNK, f);
        let out = copy_hashing(src, &mut w, path, progress)?;
        let f = w
            .into_inner()
            .map_err(|e| Error::io("writing", &dest, e.into_error()))?;
        #[cfg(unix)]
        if path == VERIFY_SH {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = f.set_permissions(fs::Permissions::from_mode(0o755));
        }
        f.sync_all().map_err(|e| Error::io("writing", &dest, e))?;
        Ok(out)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        for d in self.dirs.iter().rev() {
            sync_dir(d).map_err(|e| Error::io("writing", d, e))?;
        }
        sync_dir(&self.root).map_err(|e| Error::io("writing", &self.root, e))
    }
}

/// Where the bundle goes: a zip file or a folder, and its final path.
pub(super) fn target(out: &Path, stem: &str) -> Result<(PathBuf, bool)> {
    let is_zip = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let (path, zip) = if is_zip {
        (out.to_path_buf(), true)
    } else if out.is_dir() {
        (out.join(format!("{stem}.zip")), true)
    } else {
        (out.to_path_buf(), false)
    };
    if path.exists() {
        return Err(Error::invalid(Invalid::OutputExists {
            path: crate::error::shorten(&path),
        }));
    }
    crate::evidence::output_parent(&path)?;
    Ok((path, zip))
}

/// A hidden temporary name beside `path`, for writing a file and renaming it into place.
pub(crate) fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bundle".into());
    path.with_file_name(format!(".{name}.{}.varde-part", uuid::Uuid::new_v4()))
}
