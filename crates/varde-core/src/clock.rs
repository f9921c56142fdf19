//! Time as a dependency: core functions take a [`Clock`] so tests can fix the time.

use chrono::{DateTime, FixedOffset, Local};

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    /// The current time with the local UTC offset.
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The system's wall clock in the machine's local time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "the one place the core reads the wall clock"
    )]
    fn now(&self) -> DateTime<FixedOffset> {
        Local::now().fixed_offset()
    }
}

/// A clock that always says the same time (for tests).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<FixedOffset>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.0
    }
}

/// RFC 3339 with seconds and the offset, the one time format Varde stores.
pub fn fmt_time(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}
