//! The one way these tests make a locker: key derivation cheap enough for a test, a fixed
//! clock, and only what a test cares about named (its mode, owner, passphrase, time).

use std::path::Path;

use chrono::DateTime;
use varde_core::model::Mode;
use varde_core::{FixedClock, InitOptions, KdfParams, Locker};

/// The passphrase of a test locker unless a test names its own.
pub(crate) const PASS: &str = "test passphrase blue kettle";

/// The time a test locker's clock says unless a test names its own.
const NOW: &str = "2026-11-22T10:00:00+01:00";

/// A clock fixed at `t` (RFC 3339).
pub(crate) fn clock_at(t: &str) -> Box<FixedClock> {
    Box::new(FixedClock(DateTime::parse_from_rfc3339(t).unwrap()))
}

/// A clock fixed at the default time.
pub(crate) fn clock() -> Box<FixedClock> {
    clock_at(NOW)
}

/// A test locker's settings; `..Default::default()` for the rest.
pub(crate) struct TestLocker<'a> {
    pub mode: Mode,
    pub owner: &'a str,
    pub passphrase: &'a str,
    pub at: &'a str,
}

impl Default for TestLocker<'_> {
    fn default() -> Self {
        TestLocker {
            mode: Mode::Officer,
            owner: "Officer",
            passphrase: PASS,
            at: NOW,
        }
    }
}

impl TestLocker<'_> {
    /// Make the locker in `dir`.
    pub(crate) fn init(&self, dir: &Path) -> Locker {
        Locker::init(
            dir,
            self.passphrase,
            InitOptions {
                mode: self.mode,
                owner: self.owner.into(),
                kdf: KdfParams::FAST_FOR_TESTS,
            },
            clock_at(self.at),
        )
        .unwrap()
    }
}

/// An officer's locker with the defaults.
pub(crate) fn new_locker(dir: &Path) -> Locker {
    TestLocker::default().init(dir)
}
