//! The bundle's text files: `LES-MEG.txt`, `incidents.csv`, `custody.jsonl`, `verify.sh`.

use super::manifest::{MANIFEST_FORMAT_VERSION, Manifest};
use crate::audit::{AuditEvent, canonical_json};

const README_TEMPLATE: &str = include_str!("../../../../assets/bundle/LES-MEG.txt");
const VERIFY_SH_TEMPLATE: &str = include_str!("../../../../assets/bundle/verify.sh");
const VERIFY_PS1_TEMPLATE: &str = include_str!("../../../../assets/bundle/verify.ps1");
const VERIFY_HTML_TEMPLATE: &str = include_str!("../../../../assets/bundle/verify.html");

fn fill(template: &str, m: &Manifest) -> String {
    let or_dash = |s: &str| {
        if s.trim().is_empty() {
            "-".to_string()
        } else {
            s.to_string()
        }
    };
    template
        .replace(
            "{{CASE}}",
            &format!("{} – {}", m.case.reference, m.case.title),
        )
        .replace("{{BUNDLE}}", &m.export.bundle_name)
        .replace("{{CREATED}}", &m.created_at)
        .replace("{{OFFICER}}", &or_dash(&m.officer))
        .replace("{{ORGANISATION}}", &or_dash(&m.organisation))
        .replace("{{LOCKER_ID}}", &m.locker.id)
        .replace(
            "{{FINGERPRINT_GROUPED}}",
            &super::fingerprint_grouped(&m.locker.signing_key_fingerprint),
        )
        .replace("{{VERSION}}", &m.generator.version)
        .replace("{{FORMAT_VERSION}}", &MANIFEST_FORMAT_VERSION.to_string())
        .replace(
            "{{EVIDENCE_FILES_NB}}",
            &counted(m.evidence.len(), "fil", "filer"),
        )
        .replace(
            "{{EVIDENCE_FILES_EN}}",
            &counted(m.evidence.len(), "file", "files"),
        )
        .replace("{{HEAD_SEQ}}", &m.export.custody_head_seq.to_string())
}

/// A count with its noun, by the plural rule of bokmål and English (CLDR: `one` is
/// exactly 1): `counted(1, "fil", "filer")` is «1 fil», `counted(3, …)` «3 filer».
pub(crate) fn counted(count: usize, one: &str, other: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { other })
}

/// `LES-MEG.txt`: Norwegian, then English.
pub(crate) fn readme(m: &Manifest) -> String {
    fill(README_TEMPLATE, m)
}

/// Text for an HTML page: the five characters HTML gives a meaning, as references.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `verify.html`: one self-contained page that checks the unzipped folder with the
/// browser's WebCrypto (SHA-256 of every file, the Ed25519 signature, the fingerprint).
/// Its Content-Security-Policy allows no connection and only its own script, by hash.
pub(crate) fn verify_html(m: &Manifest) -> String {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let page = VERIFY_HTML_TEMPLATE
        .replace(
            "{{CASE}}",
            &html_escape(&format!("{} – {}", m.case.reference, m.case.title)),
        )
        .replace("{{BUNDLE}}", &html_escape(&m.export.bundle_name))
        .replace(
            "{{FINGERPRINT_GROUPED}}",
            &super::fingerprint_grouped(&m.locker.signing_key_fingerprint),
        );
    let script = page
        .split_once("<script>")
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(s, _)| s)
        .unwrap_or_default();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
    page.replace("{{SCRIPT_HASH}}", &format!("sha256-{hash}"))
}

/// `verify.sh`.
pub(crate) fn verify_sh(m: &Manifest) -> String {
    fill(VERIFY_SH_TEMPLATE, m)
}

/// `verify.ps1`.
pub(crate) fn verify_ps1(m: &Manifest) -> String {
    fill(VERIFY_PS1_TEMPLATE, m)
}

/// `custody.jsonl`: one canonical JSON event per line, LF.
pub(crate) fn custody_jsonl(events: &[AuditEvent]) -> String {
    let mut out = String::new();
    for e in events {
        let v = serde_json::json!({
            "seq": e.seq,
            "time": e.time,
            "actor": e.actor,
            "action": e.action,
            "subject": e.subject,
            "details": e.details,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        });
        out.push_str(&canonical_json(&v));
        out.push('\n');
    }
    out
}

/// One CSV cell: a leading `'` before what a spreadsheet would run as a formula, quoted
/// when needed (RFC 4180).
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `incidents.csv`: UTF-8 with a BOM (so spreadsheets read Norwegian letters right), CRLF
/// line ends, a header row, one row per incident.
pub(crate) fn incidents_csv(m: &Manifest) -> String {
    let mut out = String::from('\u{feff}');
    out.push_str(
        "id,uid,occurred_local,occurred_tz,occurred_utc,precision,place,place_kind,channel,platform,\
         description,wording,perceived,targets_individuals,ongoing_emergency,actor,witnesses,\
         logged_at,logged_by,logged_by_role,evidence_files\r\n",
    );
    for i in &m.incidents {
        let actor = i
            .actor
            .and_then(|a| m.person(a))
            .map(|p| {
                p.name
                    .clone()
                    .or_else(|| p.aliases.first().cloned())
                    .unwrap_or_else(|| "(unknown)".into())
            })
            .unwrap_or_default();
        let witnesses: Vec<String> = i
            .witnesses
            .iter()
            .filter_map(|w| {
                w.name
                    .clone()
                    .or_else(|| w.person.and_then(|p| m.person(p)?.name.clone()))
            })
            .collect();
        let files: Vec<&str> = m.evidence_of(i.id).map(|e| e.path.as_str()).collect();
        let perceived: Vec<&str> = i.perceived.iter().map(|p| p.as_str()).collect();
        let row = [
            i.id.to_string(),
            i.uid.clone(),
            i.occurred_local.clone(),
            i.occurred_tz.clone(),
            i.occurred_utc.clone(),
            i.precision.to_string(),
            i.place.clone(),
            i.place_kind.to_string(),
            i.channel.to_string(),
            i.platform.clone().unwrap_or_default(),
            i.description.clone(),
            i.wording.clone().unwrap_or_default(),
            perceived.join(" "),
            i.targets_individuals.to_string(),
            i.ongoing_emergency.to_string(),
            actor,
            witnesses.join("; "),
            i.logged_at.clone(),
            i.logged_by.clone(),
            i.logged_by_role.to_string(),
            files.join(" "),
        ];
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("sa \"hei\""), "\"sa \"\"hei\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("linje\nto"), "\"linje\nto\"");
    }
}
