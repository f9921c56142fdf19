//! varde-core's integration tests: one binary, one module per area, each on a temporary locker.

#![allow(clippy::unwrap_used, missing_docs)]
#![allow(
    clippy::disallowed_methods,
    reason = "tests set up files and damage lockers directly"
)]

mod browse;
mod bundle;
mod calls;
mod damage;
mod deletion;
mod derived;
mod drafts;
mod fixture;
mod guidance;
mod locker;
mod redaction;
