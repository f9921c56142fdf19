//! Getting passphrases: a file, an environment variable, or a prompt without echo.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use varde_core::Error;
use zeroize::Zeroizing;

fn from_file(path: &Path) -> anyhow::Result<Zeroizing<String>> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
        Error::invalid(varde_core::Invalid::PassphraseFile {
            path: varde_core::error::shorten(path),
            problem: e.to_string(),
        })
    })?);
    let line = text.lines().next().unwrap_or("");
    Ok(Zeroizing::new(line.trim_end_matches('\r').to_string()))
}

fn prompt(label: &str) -> anyhow::Result<Zeroizing<String>> {
    Ok(Zeroizing::new(
        rpassword::prompt_password(label).context("reading the passphrase")?,
    ))
}

/// The passphrase of an existing locker.
pub fn current(file: Option<&Path>) -> anyhow::Result<Zeroizing<String>> {
    if let Some(f) = file {
        return from_file(f);
    }
    if let Ok(p) = std::env::var("VARDE_PASSPHRASE") {
        return Ok(Zeroizing::new(p));
    }
    if std::io::stdin().is_terminal() {
        return prompt("Passphrase: ");
    }
    Err(Error::PassphraseMissing.into())
}

/// A new passphrase: from `file`, `env`, or asked twice at a prompt.
pub fn new(file: Option<&Path>, env: &str) -> anyhow::Result<Zeroizing<String>> {
    if let Some(f) = file {
        return from_file(f);
    }
    if let Ok(p) = std::env::var(env) {
        return Ok(Zeroizing::new(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(varde_core::Invalid::NewPassphraseMissing).into());
    }
    let first = prompt("New passphrase: ")?;
    varde_core::locker::check_new_passphrase(&first)?;
    let again = prompt("Repeat the new passphrase: ")?;
    if *first != *again {
        return Err(Error::invalid(varde_core::Invalid::PassphrasesDiffer).into());
    }
    Ok(first)
}
