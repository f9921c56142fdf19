//! `verify_bundle` on arbitrary bytes as a zip file: the zip structure check, the `zip`
//! crate, `SHA256SUMS`, the signature, the manifest and the custody chain.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// `x.zip` in a scratch folder of `$TMPDIR`.
fn zip_path() -> &'static Path {
    static PATH: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &PATH
        .get_or_init(|| {
            let dir = tempfile::Builder::new()
                .prefix("varde-fuzz-")
                .tempdir()
                .expect("a scratch folder");
            let path = dir.path().join("x.zip");
            (dir, path)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let path = zip_path();
    std::fs::write(path, data).expect("write the input");
    // Problems in the report are the expected outcome; a panic is the bug.
    let report = varde_core::verify_bundle(path).expect("the file is readable");
    std::hint::black_box(report);
});
