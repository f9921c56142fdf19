//! A typst [`World`] with no file system, no packages and no network: the main source is
//! the template compiled into the crate, the only other files are the ones handed in
//! (`/data.json` and the thumbnails), the fonts are the ones compiled into the binary
//! (`fonts.rs`), and `today()` is the report's own date.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts::FONTS;

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The file id of a path in the (virtual) project root.
pub fn file_id(path: &str) -> FileId {
    // Only fixed paths and numbered thumbnails are interned, so the interner (which keeps
    // every id for the life of the process) stays small however many reports are made.
    let vpath = VirtualPath::new(path).expect("a valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// The world one report is compiled in.
pub struct ReportWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl ReportWorld {
    /// A world with `template` as its main file at `/report.typ`.
    pub fn new(template: &str, today: Option<(i32, u8, u8)>) -> Self {
        Self {
            main: Source::new(file_id("/report.typ"), template.to_owned()),
            files: HashMap::new(),
            today: today.and_then(|(y, m, d)| Datetime::from_ymd(y, m, d)),
        }
    }

    /// Make `bytes` readable by the template at `path` (absolute, e.g. `/data.json`).
    pub fn add_file(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(file_id(path), Bytes::new(bytes));
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if self.files.contains_key(&id) {
            Err(FileError::NotSource)
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
