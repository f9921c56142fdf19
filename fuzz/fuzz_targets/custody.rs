//! `custody.jsonl` as `verify_bundle` reads it: one audit event a line, each re-hashed with
//! the canonical-JSON rule, the chain's order and links, and the comparison with the
//! custody log in a real bundle's manifest.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::verify_with(varde_core::bundle::CUSTODY, data);
});
