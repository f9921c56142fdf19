//! For the targets that fuzz one file of a bundle: a real bundle, unpacked once into a
//! scratch folder, in which the target replaces that file before `verify_bundle` reads the
//! folder. A folder is read by the same code as a zip once listed, so the file goes through
//! exactly the checks it would meet in a zip, against a real bundle's other files.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The officer's bundle of the seed corpus (`examples/seeds.rs`).
const BUNDLE: &[u8] = include_bytes!("../seeds/bundle_zip/police.zip");

/// The unpacked bundle, in `$TMPDIR` (`scripts/fuzz` points that at a folder it removes).
fn unpacked() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let scratch = tempfile::Builder::new()
            .prefix("varde-fuzz-")
            .tempdir()
            .expect("a scratch folder");
        let dir = scratch.path().join("bundle");
        zip::ZipArchive::new(Cursor::new(BUNDLE))
            .and_then(|mut z| z.extract(&dir))
            .expect("the seed bundle unpacks");
        (scratch, dir)
    })
    .1
}

/// Write `bytes` as the bundle's file `name` and verify the bundle. Problems are the
/// expected outcome; a panic is the bug.
pub fn verify_with(name: &str, bytes: &[u8]) {
    let dir = unpacked();
    std::fs::write(dir.join(name), bytes).expect("write the input");
    let report = varde_core::verify_bundle(dir).expect("the folder is readable");
    // The file was replaced, so SHA256SUMS no longer matches it.
    assert!(
        !report.ok() || bytes == original(name),
        "{name} verified after a change"
    );
}

/// The seed bundle's own copy of `name`.
fn original(name: &str) -> Vec<u8> {
    use std::io::Read as _;
    let mut out = Vec::new();
    zip::ZipArchive::new(Cursor::new(BUNDLE))
        .and_then(|mut z| {
            z.by_name(name)?.read_to_end(&mut out)?;
            Ok(())
        })
        .expect("the seed bundle holds the file");
    out
}
