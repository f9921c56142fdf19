//! Reading a bundle that may be hostile: a zip file or a folder, listed and checked
//! before a byte of content is read. A zip's raw structure is checked first
//! ([`zipcheck`](super::zipcheck)): local headers against the central directory, entries
//! contiguous and non-overlapping, nothing before, between or after them, and the total
//! size capped relative to the file's size; only then does the `zip` crate read it.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::{unsafe_path, zipcheck};

/// At most this many entries in a bundle.
pub(crate) const MAX_ENTRIES: usize = 200_000;
/// At most this many bytes in all, expanded (64 GiB).
pub(crate) const MAX_TOTAL: u64 = 64 << 30;
/// A deflated entry may expand at most this many times, and all of a zip's entries together
/// at most this many times the size of the zip file (so that entries sharing one deflate
/// stream cannot make a small file expand to gigabytes).
pub(crate) const MAX_RATIO: u64 = 1000;

/// One file in a bundle.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub name: String,
    pub size: u64,
}

pub(crate) enum Source {
    Zip(Box<zip::ZipArchive<BufReader<File>>>),
    Dir(PathBuf),
}

/// A reader that fails if the data runs past the size the entry declared.
struct Bounded<R> {
    inner: R,
    left: u64,
    name: String,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(format!(
                "{} holds more data than it declares (a decompression bomb?)",
                self.name
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

impl Source {
    /// Open and list a bundle. `Err` holds every problem found in its structure; nothing
    /// should be read from a bundle with problems.
    pub(crate) fn open(path: &Path) -> std::result::Result<(Source, Vec<Entry>), Vec<String>> {
        let meta = fs::symlink_metadata(path)
            .map_err(|e| vec![format!("{} cannot be read: {e}", path.display())])?;
        if meta.is_dir() {
            let entries = list_dir(path)?;
            return Ok((Source::Dir(path.to_path_buf()), entries));
        }
        if !meta.is_file() {
            return Err(vec![format!(
                "{} is neither a zip file nor a folder",
                path.display()
            )]);
        }
        let mut f = File::open(path).map_err(|e| vec![format!("{}: {e}", path.display())])?;
        // The structure first, on the same open file that is read afterwards.
        zipcheck::check(&mut f)?;
        f.seek(SeekFrom::Start(0))
            .map_err(|e| vec![format!("{}: {e}", path.display())])?;
        // The zip crate's own words («Zip32CDEBlock») mean nothing to a person: say what it
        // means instead.
        let mut zip = zip::ZipArchive::new(BufReader::new(f)).map_err(|e| {
            if e.to_string().to_lowercase().contains("duplicate") {
                vec!["the zip holds the same path twice (duplicate paths)".to_string()]
            } else {
                vec![
                    "the zip is damaged or truncated: its table of contents cannot be read"
                        .to_string(),
                ]
            }
        })?;
        let mut problems = Vec::new();
        if zip.has_duplicate_names() {
            problems.push("the zip holds the same path twice (duplicate paths)".to_string());
        }
        if zip.len() > MAX_ENTRIES {
            return Err(vec![format!(
                "the zip has {} entries, more than the {MAX_ENTRIES} a bundle may have",
                zip.len()
            )]);
        }
        let mut entries = Vec::with_capacity(zip.len());
        let mut seen = HashSet::new();
        let mut total = 0u64;
        for i in 0..zip.len() {
            let f = match zip.by_index_raw(i) {
                Ok(f) => f,
                Err(e) => {
                    problems.push(format!("zip entry {i} cannot be read: {e}"));
                    continue;
                }
            };
            let name = match std::str::from_utf8(f.name_raw()) {
                Ok(n) => n.to_string(),
                Err(_) => {
                    problems.push(format!("zip entry {i} has a name that is not UTF-8"));
                    continue;
                }
            };
            let shown = name.escape_debug().to_string();
            let is_link = f.is_symlink() || f.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000);
            if is_link {
                problems.push(format!("{shown} is a link, which a bundle may not hold"));
                continue;
            }
            let dir = name.ends_with('/');
            let bare = name.trim_end_matches('/');
            if let Some(why) = unsafe_path(bare) {
                problems.push(format!("the path {shown:?} {why}"));
                continue;
            }
            if !seen.insert(bare.to_string()) {
                problems.push(format!("{shown} appears twice (duplicate path)"));
                continue;
            }
            if dir || f.is_dir() {
                continue;
            }
            if f.encrypted() {
                problems.push(format!("{shown} is encrypted"));
                continue;
            }
            match f.compression() {
                zip::CompressionMethod::Stored => {
                    if f.size() != f.compressed_size() {
                        problems.push(format!("{shown} is stored but its sizes disagree"));
                    }
                }
                zip::CompressionMethod::Deflated => {
                    if f.size() > f.compressed_size().max(1).saturating_mul(MAX_RATIO) {
                        problems.push(format!(
                            "{shown} would expand {} times (more than {MAX_RATIO}:1, a decompression bomb)",
                            f.size() / f.compressed_size().max(1)
                        ));
                    }
                }
                other => {
                    problems.push(format!("{shown} uses an unsupported compression ({other})"))
                }
            }
            total = total.saturating_add(f.size());
            entries.push(Entry {
                name: bare.to_string(),
                size: f.size(),
            });
        }
        if total > MAX_TOTAL {
            problems.push(format!(
                "the zip would expand to {total} bytes, more than the {MAX_TOTAL} a bundle may have (a decompression bomb)"
            ));
        }
        if problems.is_empty() {
            Ok((Source::Zip(Box::new(zip)), entries))
        } else {
            Err(problems)
        }
    }

    /// Read one entry; fails if it holds more than `size` bytes.
    pub(crate) fn reader<'a>(
        &'a mut self,
        name: &str,
        size: u64,
    ) -> std::io::Result<Box<dyn Read + 'a>> {
        match self {
            Source::Zip(z) => {
                let f = z.by_name(name).map_err(std::io::Error::other)?;
                Ok(Box::new(Bounded {
                    inner: f,
                    left: size,
                    name: name.to_string(),
                }))
            }
            Source::Dir(root) => {
                let p = root.join(name);
                let meta = fs::symlink_metadata(&p)?;
                if !meta.is_file() {
                    return Err(std::io::Error::other(format!("{name} is not a plain file")));
                }
                Ok(Box::new(Bounded {
                    inner: BufReader::new(File::open(p)?),
                    left: size,
                    name: name.to_string(),
                }))
            }
        }
    }

    /// Read a small entry whole (at most `max` bytes).
    pub(crate) fn read_small(&mut self, e: &Entry, max: u64) -> std::io::Result<Vec<u8>> {
        if e.size > max {
            return Err(std::io::Error::other(format!(
                "{} is {} bytes, more than the {max} expected",
                e.name, e.size
            )));
        }
        let mut out = Vec::with_capacity(e.size as usize);
        self.reader(&e.name, e.size)?.read_to_end(&mut out)?;
        Ok(out)
    }
}

fn list_dir(root: &Path) -> std::result::Result<Vec<Entry>, Vec<String>> {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let list = fs::read_dir(&dir).map_err(|e| vec![format!("{}: {e}", dir.display())])?;
        for item in list {
            let item = item.map_err(|e| vec![format!("{}: {e}", dir.display())])?;
            let Some(name) = item.file_name().to_str().map(str::to_string) else {
                problems.push(format!(
                    "{} has a name that is not UTF-8",
                    item.path().display()
                ));
                continue;
            };
            let rel = format!("{prefix}{name}");
            let meta = match fs::symlink_metadata(item.path()) {
                Ok(m) => m,
                Err(e) => {
                    problems.push(format!("{rel}: {e}"));
                    continue;
                }
            };
            if meta.file_type().is_symlink() {
                problems.push(format!("{rel} is a link, which a bundle may not hold"));
            } else if let Some(why) = unsafe_path(&rel) {
                problems.push(format!("the path {rel:?} {why}"));
            } else if meta.is_dir() {
                stack.push((item.path(), format!("{rel}/")));
            } else if meta.is_file() {
                entries.push(Entry {
                    name: rel,
                    size: meta.len(),
                });
            } else {
                problems.push(format!("{rel} is not a plain file"));
            }
            if entries.len() > MAX_ENTRIES {
                return Err(vec![format!(
                    "the folder has more than the {MAX_ENTRIES} files a bundle may have"
                )]);
            }
        }
    }
    if problems.is_empty() {
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    } else {
        Err(problems)
    }
}
