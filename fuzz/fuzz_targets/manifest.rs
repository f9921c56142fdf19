//! `manifest.json` as `verify_bundle` reads it: JSON, the format version, the [`Manifest`]
//! types, and the checks of its signing key and evidence against a real bundle's files.
//!
//! [`Manifest`]: varde_core::Manifest

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::verify_with(varde_core::bundle::MANIFEST, data);
});
