//! The rules every text field meets, typed or imported: one place, so a bundle cannot put
//! into a locker what a person could not type (a terminal escape, a name that climbs out
//! of a folder, a 100,000-character file name that later breaks the report).

use crate::error::{Error, Result};

/// Names, places, platforms, handles: at most this many characters.
pub const SHORT_MAX: usize = 500;
/// Descriptions, the exact wording, notes, observations: at most this many characters.
pub const LONG_MAX: usize = 100_000;
/// An original's file name: at most this many bytes (what common file systems allow).
pub const FILE_NAME_MAX: usize = 255;

/// A control character a person does not type: anything but line feed, carriage return and
/// tab in C0, DEL, C1.
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// Check one text field; `what` names it for the message ("the wording of incident 3").
pub fn text(what: &str, value: &str, max: usize) -> Result<()> {
    if let Some(c) = value.chars().find(|&c| is_stray_control(c)) {
        return Err(Error::invalid(format!(
            "{what} contains a control character (U+{:04X}), which Varde does not store",
            c as u32
        )));
    }
    let n = value.chars().count();
    if n > max {
        return Err(Error::invalid(format!(
            "{what} is {n} characters long; at most {max} are kept"
        )));
    }
    Ok(())
}

/// [`text`] for an optional field.
pub fn opt_text(what: &str, value: Option<&str>, max: usize) -> Result<()> {
    value.map_or(Ok(()), |v| text(what, v, max))
}

/// Check an original's file name: a single name, not a path.
pub fn file_name(what: &str, value: &str) -> Result<()> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::invalid(format!("{what} is not a file name")));
    }
    if value.contains(['/', '\\']) {
        return Err(Error::invalid(format!(
            "{what} ({}) holds a folder separator; a file name may not",
            value.escape_debug()
        )));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(format!(
            "{what} ({}) contains a control character",
            value.escape_debug()
        )));
    }
    if value.len() > FILE_NAME_MAX {
        return Err(Error::invalid(format!(
            "{what} is {} bytes long; at most {FILE_NAME_MAX} are allowed",
            value.len()
        )));
    }
    Ok(())
}

/// The text of an incident; `who` names it ("incident 3", "the new incident").
pub(crate) fn incident<'a>(
    who: &str,
    place: &str,
    platform: Option<&str>,
    description: &str,
    wording: Option<&str>,
    witness_names: impl IntoIterator<Item = &'a str>,
) -> Result<()> {
    text(&format!("the place of {who}"), place, SHORT_MAX)?;
    opt_text(&format!("the platform of {who}"), platform, SHORT_MAX)?;
    text(&format!("the description of {who}"), description, LONG_MAX)?;
    opt_text(&format!("the wording of {who}"), wording, LONG_MAX)?;
    for n in witness_names {
        text(&format!("a witness of {who}"), n, SHORT_MAX)?;
    }
    Ok(())
}

/// The text of a person; `who` names them ("person 2", "the new person").
#[allow(clippy::too_many_arguments)]
pub(crate) fn person<'a>(
    who: &str,
    name: Option<&str>,
    title: Option<&str>,
    department: Option<&str>,
    home_municipality: Option<&str>,
    health_observations: &str,
    aliases: impl IntoIterator<Item = &'a str>,
    contacts: impl IntoIterator<Item = &'a str>,
) -> Result<()> {
    opt_text(&format!("the name of {who}"), name, SHORT_MAX)?;
    opt_text(&format!("the title of {who}"), title, SHORT_MAX)?;
    opt_text(&format!("the department of {who}"), department, SHORT_MAX)?;
    opt_text(
        &format!("the home municipality of {who}"),
        home_municipality,
        SHORT_MAX,
    )?;
    text(
        &format!("the health observations of {who}"),
        health_observations,
        LONG_MAX,
    )?;
    for a in aliases {
        text(&format!("an alias of {who}"), a, SHORT_MAX)?;
    }
    for c in contacts {
        text(&format!("a contact detail of {who}"), c, SHORT_MAX)?;
    }
    Ok(())
}

/// The text of an evidence item; `what` names it ("evidence 4", "the new original").
pub(crate) fn evidence(
    what: &str,
    original_name: &str,
    note: &str,
    thread_platform: Option<&str>,
    thread_id: Option<&str>,
) -> Result<()> {
    file_name(&format!("the file name of {what}"), original_name)?;
    text(&format!("the note on {what}"), note, LONG_MAX)?;
    opt_text(
        &format!("the thread platform of {what}"),
        thread_platform,
        SHORT_MAX,
    )?;
    opt_text(&format!("the thread of {what}"), thread_id, SHORT_MAX)
}

/// Every text field of a bundle's manifest, before anything of it is imported.
pub(crate) fn manifest(m: &crate::bundle::Manifest) -> Result<()> {
    text("the case title", &m.case.title, SHORT_MAX)?;
    text("the case reference", &m.case.reference, SHORT_MAX)?;
    text("the exporting officer", &m.officer, SHORT_MAX)?;
    for p in &m.persons {
        person(
            &format!("person {}", p.id),
            p.name.as_deref(),
            p.title.as_deref(),
            p.department.as_deref(),
            p.home_municipality.as_deref(),
            &p.health_observations,
            p.aliases.iter().map(String::as_str),
            p.contacts
                .iter()
                .flat_map(|c| [c.kind.as_str(), c.value.as_str()]),
        )?;
    }
    for i in &m.incidents {
        let who = format!("incident {}", i.id);
        incident(
            &who,
            &i.place,
            i.platform.as_deref(),
            &i.description,
            i.wording.as_deref(),
            i.witnesses.iter().filter_map(|w| w.name.as_deref()),
        )?;
        text(&format!("the author of {who}"), &i.logged_by, SHORT_MAX)?;
    }
    for e in &m.evidence {
        let what = format!("evidence {}", e.id);
        evidence(
            &what,
            &e.original_name,
            &e.note,
            e.thread_platform.as_deref(),
            e.thread_id.as_deref(),
        )?;
        text(&format!("who acquired {what}"), &e.acquired_by, SHORT_MAX)?;
        text(
            &format!("the media type of {what}"),
            &e.media_type,
            SHORT_MAX,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn what_a_person_types_passes() {
        for ok in [
            "Jeg vet hvor du bor 🔪",
            "سأقتلك",
            "我会杀了你",
            "linje 1\nlinje 2\tfane",
            "",
        ] {
            assert!(text("x", ok, SHORT_MAX).is_ok(), "{ok:?}");
        }
        assert!(file_name("x", "skjermbilde 2026-11-21 kl. 21.14.png").is_ok());
    }

    #[test]
    fn escapes_paths_and_lengths_are_refused() {
        for bad in ["\u{1b}]0;pwned\u{7}", "a\u{0}b", "\u{9b}31m", "\u{7f}"] {
            let e = text("the wording of incident 3", bad, SHORT_MAX).unwrap_err();
            assert!(e.to_string().contains("control character"), "{e}");
        }
        assert!(text("x", &"a".repeat(SHORT_MAX + 1), SHORT_MAX).is_err());
        for bad in ["../../etc/passwd", "a/b", "a\\b", "..", "", "a\u{1b}b"] {
            assert!(file_name("x", bad).is_err(), "{bad:?}");
        }
        assert!(file_name("x", &"n".repeat(100_000)).is_err());
    }
}
