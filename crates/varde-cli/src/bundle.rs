//! `varde export`, `varde verify-bundle`, `varde import`: evidence bundles.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use clap::Args;
use varde_core::guidance::{EmployeeInformed, Lang, RecipientKind};
use varde_core::{ExportOptions, ReportRenderer, verify_bundle};

use crate::args::{Cli, choice};
use crate::commands::open;
use crate::exit;
use crate::output::{self, ProgressLine, human_size};

/// The renderer of `report.pdf`: typst, with fonts compiled in (crates/varde-report).
fn report_renderer() -> impl ReportRenderer {
    varde_report::TypstRenderer
}

/// `varde export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The case reference (not with --self-log)
    #[arg(
        long,
        required_unless_present = "self_log",
        conflicts_with = "self_log"
    )]
    pub case: Option<String>,
    /// Only these incidents (ids, comma-separated) [default: all of the case's]
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub incidents: Vec<i64>,
    /// Where to write: FILE.zip, an existing directory (the zip is named
    /// <case>_<yyyy-mm-dd>.zip in it), or a new path without .zip for the bundle as a folder
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Who receives the bundle (recorded in the disclosure ledger)
    /// [default with --self-log: the security officer]
    #[arg(long, required_unless_present = "self_log")]
    pub recipient: Option<String>,
    /// What kind of recipient [default: police; with --self-log: other]
    #[arg(long, value_parser = choice::<RecipientKind>())]
    pub recipient_kind: Option<RecipientKind>,
    /// The legal basis, a key from `varde disclosure bases` [default with --self-log: consent]
    #[arg(long, value_name = "KEY")]
    pub basis: Option<String>,
    /// The legal basis in words (required with --basis other or without --basis)
    #[arg(long, value_name = "TEXT")]
    pub basis_text: Option<String>,
    /// The consent the export rests on, with --basis consent (`varde disclosure consent list`)
    #[arg(long, value_name = "CONSENT_ID")]
    pub consent: Option<i64>,
    /// Whether the threatened employee was told [default: not_yet; with --self-log: yes]
    #[arg(long, value_parser = choice::<EmployeeInformed>())]
    pub employee_informed: Option<EmployeeInformed>,
    /// Include the threatened employee's private contact details (left out by default)
    #[arg(long)]
    pub include_private_contacts: bool,
    /// The report's language
    #[arg(long, value_parser = choice::<Lang>(), default_value = "nb")]
    pub lang: Lang,
    /// Export this self-log locker's log for the security officer
    #[arg(long)]
    pub self_log: bool,
    /// Send these images as their latest redacted copy instead of the original (evidence
    /// ids, comma-separated; `all`: every item of the export that has one). Not for the
    /// police or a self-log, which get the originals
    #[arg(long, value_delimiter = ',', value_name = "ID,...|all", value_parser = redacted_value)]
    pub redacted: Vec<Redacted>,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

/// One value of `--redacted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redacted {
    /// Every item of the export that has a redacted copy.
    All,
    /// This evidence item.
    Item(i64),
}

fn redacted_value(s: &str) -> Result<Redacted, String> {
    match s.trim() {
        "all" => Ok(Redacted::All),
        n => n
            .parse()
            .map(Redacted::Item)
            .map_err(|_| format!("«{s}» is not an evidence id or `all`")),
    }
}

/// The evidence ids of `--redacted`.
fn redacted_items(
    locker: &varde_core::Locker,
    case: &str,
    given: &[Redacted],
) -> anyhow::Result<Vec<i64>> {
    if given.contains(&Redacted::All) {
        return Ok(locker
            .case_redactions(case)?
            .iter()
            .map(|r| r.evidence)
            .collect());
    }
    Ok(given
        .iter()
        .filter_map(|g| match g {
            Redacted::Item(id) => Some(*id),
            Redacted::All => None,
        })
        .collect())
}

/// `varde verify-bundle`.
#[derive(Debug, Args)]
pub struct VerifyBundleArgs {
    /// The bundle: a .zip file or an unpacked folder
    pub path: PathBuf,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

/// `varde import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The bundle: a .zip file or an unpacked folder
    pub path: PathBuf,
    /// The case to import into
    #[arg(long)]
    pub case: String,
    /// Import only if the bundle's signing key has this fingerprint (as the sender read it
    /// out to you; spaces are ignored)
    #[arg(long, value_name = "HEX")]
    pub expect_fingerprint: Option<String>,
    /// Accept a signing key that differs from the one earlier bundles of the same source
    /// locker had — only after the sender has confirmed the new fingerprint
    #[arg(long)]
    pub accept_new_key: bool,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

/// `varde export ...`
pub fn export(cli: &Cli, a: &ExportArgs) -> anyhow::Result<i32> {
    let mut locker = open(cli)?;
    // The core refuses --self-log on an officer's locker and its absence on a self-log.
    let case = if a.self_log {
        locker.self_log_case()?.reference
    } else {
        a.case.clone().unwrap_or_default()
    };
    let start = locker.export_defaults(a.lang)?;
    let opts = ExportOptions {
        incidents: (!a.incidents.is_empty()).then(|| a.incidents.clone()),
        recipient: a.recipient.clone().unwrap_or(start.recipient),
        recipient_kind: a.recipient_kind.unwrap_or(start.recipient_kind),
        legal_basis_key: a.basis.clone().or(start.legal_basis_key),
        legal_basis_text: a.basis_text.clone(),
        consent_id: a.consent,
        employee_informed: a.employee_informed.unwrap_or(start.employee_informed),
        include_private_contacts: a.include_private_contacts,
        lang: a.lang,
        self_log: a.self_log,
        redacted: redacted_items(&locker, &case, &a.redacted)?,
    };
    let mut bar = ProgressLine::new("exporting");
    let done = locker.export_bundle(&case, &opts, &a.out, &report_renderer(), &mut |p| {
        bar.update(p.done, p.total)
    });
    bar.finish();
    let done = done?;
    if a.json {
        output::json(&done)?;
    } else {
        say!("{}", done.path.display());
        say!(
            "{} files, {} originals ({})",
            done.files,
            done.evidence,
            human_size(done.evidence_bytes)
        );
        say!(
            "signing key fingerprint: {}",
            varde_core::bundle::fingerprint_grouped(&done.signing_key_fingerprint)
        );
        say!("SHA256SUMS sha256: {}", done.sha256sums);
        say!(
            "recorded in the disclosure ledger as entry {}",
            done.disclosure_id
        );
    }
    Ok(exit::OK)
}

/// `varde verify-bundle ...`
pub fn verify(a: &VerifyBundleArgs) -> anyhow::Result<i32> {
    let report = verify_bundle(&a.path)?;
    if a.json {
        output::json(&report)?;
    } else {
        if let Some(c) = &report.case_reference {
            say!("case: {c}");
        }
        if let Some(fp) = &report.signing_key_fingerprint {
            say!(
                "signing key fingerprint: {}",
                varde_core::bundle::fingerprint_grouped(fp)
            );
        }
        say!(
            "{} files checked ({}), {} originals, {} custody events, signature {}",
            report.files_checked,
            human_size(report.bytes_checked),
            report.evidence,
            report.custody_events,
            if report.signature_valid {
                "valid"
            } else {
                "NOT valid"
            }
        );
        for p in &report.problems {
            say!("PROBLEM  {}: {}", p.item, p.message);
        }
        if report.ok() {
            say!("OK: the bundle verifies");
        } else {
            say!(
                "{} problem(s): the bundle does NOT verify",
                report.problems.len()
            );
        }
    }
    Ok(if report.ok() {
        exit::OK
    } else {
        exit::VERIFY_FAILED
    })
}

/// `varde import ...`
pub fn import(cli: &Cli, a: &ImportArgs) -> anyhow::Result<i32> {
    let mut locker = open(cli)?;
    // On a terminal: the fingerprint before anything is written, so the officer can
    // compare it with what the sender tells them, and confirm it. (Scripts pass
    // --expect-fingerprint; the import itself refuses a changed key either way.)
    let interactive = a.expect_fingerprint.is_none() && !a.json && std::io::stdin().is_terminal();
    let check = if interactive {
        verify_bundle(&a.path)?
    } else {
        varde_core::BundleReport::default()
    };
    if let (Some(fp), Some(source)) = (&check.signing_key_fingerprint, &check.source_locker_id) {
        eprintln!(
            "signing key fingerprint: {}",
            varde_core::bundle::fingerprint_grouped(fp)
        );
        match locker.key_status(source, fp)? {
            varde_core::KeyStatus::New => {
                eprintln!(
                    "no bundle from this locker was imported before: compare the fingerprint with the sender"
                )
            }
            varde_core::KeyStatus::Known { imports } => {
                eprintln!("the same key as the {imports} earlier import(s) from this locker")
            }
            varde_core::KeyStatus::Changed { known } => eprintln!(
                "WARNING: earlier bundles from this locker were signed with another key ({}); this bundle may come from someone else",
                varde_core::bundle::fingerprint_grouped(&known)
            ),
        }
        {
            eprint!("Does the fingerprint match what the sender told you? [y/N] ");
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer)?;
            if !matches!(answer.trim(), "y" | "Y" | "j" | "J" | "ja" | "yes") {
                eprintln!("nothing was imported");
                return Ok(exit::VERIFY_FAILED);
            }
        }
    }
    let opts = varde_core::ImportOptions {
        expect_fingerprint: a.expect_fingerprint.clone(),
        accept_changed_key: a.accept_new_key,
    };
    let mut bar = ProgressLine::new("importing");
    let done = locker.import_bundle_with(&a.path, &a.case, &opts, &mut |p| {
        bar.update(p.done, p.total)
    });
    bar.finish();
    let done = done?;
    if a.json {
        output::json(&done)?;
    } else {
        say!(
            "imported {} incidents and {} originals from {} into {}",
            done.incidents.len(),
            done.evidence.len(),
            done.source_case_reference,
            done.case_reference
        );
        say!(
            "signing key fingerprint: {}",
            varde_core::bundle::fingerprint_grouped(&done.signing_key_fingerprint)
        );
    }
    Ok(exit::OK)
}
