//! The rules every text field meets, typed or imported: one place, so a bundle cannot put
//! into a locker what a person could not type (a terminal escape, a name that climbs out
//! of a folder, a 100,000-character file name that later breaks the report).

use crate::error::{Error, Result};
use crate::invalid::{Field, FileNameProblem, Invalid, Item, ItemKind};

/// A text trimmed, or `None` when nothing is left: an empty optional field.
pub(crate) fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

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

/// Check one text field; `item` names the record when it is not the one in the form
/// (an imported incident).
pub fn text(field: Field, item: Option<&Item>, value: &str, max: usize) -> Result<()> {
    if let Some(c) = value.chars().find(|&c| is_stray_control(c)) {
        return Err(Error::invalid(Invalid::ControlCharacter {
            field,
            item: item.cloned(),
            code_point: format!("U+{:04X}", c as u32),
        }));
    }
    let n = value.chars().count();
    if n > max {
        return Err(Error::invalid(Invalid::TooLong {
            field,
            item: item.cloned(),
            length: n as u64,
            max: max as u64,
        }));
    }
    Ok(())
}

/// [`text`] for an optional field.
pub fn opt_text(field: Field, item: Option<&Item>, value: Option<&str>, max: usize) -> Result<()> {
    value.map_or(Ok(()), |v| text(field, item, v, max))
}

/// A Norwegian organisation number in its usual form: 9 digits (spaces allowed), the last
/// a modulus-11 check digit with the weights 3, 2, 7, 6, 5, 4, 3, 2 (as Brønnøysundregistrene
/// publish). Returns the 9 digits. A dozen lines, so written here rather than taken from a
/// crate.
pub fn org_number(value: &str) -> Result<String> {
    let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || {
        Error::invalid(Invalid::OrgNumber {
            value: value.trim().to_string(),
        })
    };
    if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = [3, 2, 7, 6, 5, 4, 3, 2]
        .iter()
        .zip(&d)
        .map(|(w, x)| w * x)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return Err(bad()),
        c => c,
    };
    if check != d[8] {
        return Err(bad());
    }
    Ok(digits)
}

/// A reason a person must give (for a legal hold, a deletion, a retention decision):
/// trimmed, required, at most [`LONG_MAX`] characters of text.
pub(crate) fn required_reason(reason: &str) -> Result<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(Invalid::Required {
            field: Field::Reason,
        }));
    }
    text(Field::Reason, None, reason, LONG_MAX)?;
    Ok(reason)
}

/// Check an original's file name: a single name, not a path.
pub fn file_name(item: Option<&Item>, value: &str) -> Result<()> {
    let problem = if value.is_empty() || value == "." || value == ".." {
        Some(FileNameProblem::NotAName)
    } else if value.contains(['/', '\\']) {
        Some(FileNameProblem::Separator)
    } else if value.chars().any(|c| c.is_control()) {
        Some(FileNameProblem::Control)
    } else if value.len() > FILE_NAME_MAX {
        Some(FileNameProblem::TooLong)
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => {
            let shown: String = value.chars().take(120).collect();
            Err(Error::invalid(Invalid::FileName {
                item: item.cloned(),
                value: shown.escape_debug().to_string(),
                problem,
            }))
        }
    }
}

/// The text of an incident; `item` names it when it is not the one in the form.
pub(crate) fn incident<'a>(
    item: Option<&Item>,
    place: &str,
    platform: Option<&str>,
    sender: Option<&str>,
    description: &str,
    wording: Option<&str>,
    witness_names: impl IntoIterator<Item = &'a str>,
) -> Result<()> {
    text(Field::Place, item, place, SHORT_MAX)?;
    opt_text(Field::Platform, item, platform, SHORT_MAX)?;
    opt_text(Field::Sender, item, sender, SHORT_MAX)?;
    text(Field::Description, item, description, LONG_MAX)?;
    opt_text(Field::Wording, item, wording, LONG_MAX)?;
    for n in witness_names {
        text(Field::Witness, item, n, SHORT_MAX)?;
    }
    Ok(())
}

/// The text of a person; `item` names them when they are not the one in the form.
#[allow(clippy::too_many_arguments)]
pub(crate) fn person<'a>(
    item: Option<&Item>,
    name: Option<&str>,
    title: Option<&str>,
    department: Option<&str>,
    home_municipality: Option<&str>,
    health_observations: &str,
    aliases: impl IntoIterator<Item = &'a str>,
    contacts: impl IntoIterator<Item = &'a str>,
) -> Result<()> {
    opt_text(Field::Name, item, name, SHORT_MAX)?;
    opt_text(Field::JobTitle, item, title, SHORT_MAX)?;
    opt_text(Field::Department, item, department, SHORT_MAX)?;
    opt_text(Field::HomeMunicipality, item, home_municipality, SHORT_MAX)?;
    text(
        Field::HealthObservations,
        item,
        health_observations,
        LONG_MAX,
    )?;
    for a in aliases {
        text(Field::Alias, item, a, SHORT_MAX)?;
    }
    for c in contacts {
        text(Field::Contact, item, c, SHORT_MAX)?;
    }
    Ok(())
}

/// The text of an evidence item; `item` names it when it is not the one being added.
pub(crate) fn evidence(
    item: Option<&Item>,
    original_name: &str,
    note: &str,
    thread_platform: Option<&str>,
    thread_id: Option<&str>,
) -> Result<()> {
    file_name(item, original_name)?;
    text(Field::Note, item, note, LONG_MAX)?;
    opt_text(Field::ThreadPlatform, item, thread_platform, SHORT_MAX)?;
    opt_text(Field::Thread, item, thread_id, SHORT_MAX)
}

/// Every text field of a bundle's manifest, before anything of it is imported.
pub(crate) fn manifest(m: &crate::bundle::Manifest) -> Result<()> {
    text(Field::Title, None, &m.case.title, SHORT_MAX)?;
    text(Field::Reference, None, &m.case.reference, SHORT_MAX)?;
    text(Field::Officer, None, &m.officer, SHORT_MAX)?;
    for p in &m.persons {
        person(
            Some(&Item::new(ItemKind::BundlePerson, p.id)),
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
        let item = Item::new(ItemKind::BundleIncident, i.id);
        incident(
            Some(&item),
            &i.place,
            i.platform.as_deref(),
            i.sender.as_deref(),
            &i.description,
            i.wording.as_deref(),
            i.witnesses.iter().filter_map(|w| w.name.as_deref()),
        )?;
        text(Field::LoggedBy, Some(&item), &i.logged_by, SHORT_MAX)?;
    }
    for e in &m.evidence {
        let item = Item::new(ItemKind::BundleEvidence, e.id);
        evidence(
            Some(&item),
            &e.original_name,
            &e.note,
            e.thread_platform.as_deref(),
            e.thread_id.as_deref(),
        )?;
        text(Field::AcquiredBy, Some(&item), &e.acquired_by, SHORT_MAX)?;
        text(Field::MediaType, Some(&item), &e.media_type, SHORT_MAX)?;
    }
    Ok(())
}

#[cfg(test)]
mod org_number_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn organisation_numbers_have_nine_digits_and_a_check_digit() {
        // (input, accepted as) — real numbers of public bodies, and mistakes a person makes.
        let cases: [(&str, Option<&str>); 8] = [
            ("974760673", Some("974760673")),   // Brønnøysundregistrene
            ("974 760 673", Some("974760673")), // as printed
            ("983887457", Some("983887457")),   // another valid number
            ("974760674", None),                // a wrong last digit
            ("97476067", None),                 // one digit short
            ("9747606730", None),               // one too many
            ("97476067A", None),                // a letter
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(org_number(input).ok().as_deref(), want, "{input:?}");
        }
    }
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
            assert!(text(Field::Wording, None, ok, SHORT_MAX).is_ok(), "{ok:?}");
        }
        assert!(file_name(None, "skjermbilde 2026-11-21 kl. 21.14.png").is_ok());
    }

    #[test]
    fn escapes_paths_and_lengths_are_refused() {
        for bad in ["\u{1b}]0;pwned\u{7}", "a\u{0}b", "\u{9b}31m", "\u{7f}"] {
            let item = Item::new(ItemKind::Incident, 3);
            let e = text(Field::Wording, Some(&item), bad, SHORT_MAX).unwrap_err();
            assert!(e.to_string().contains("control character"), "{e}");
        }
        assert!(text(Field::Name, None, &"a".repeat(SHORT_MAX + 1), SHORT_MAX).is_err());
        for bad in ["../../etc/passwd", "a/b", "a\\b", "..", "", "a\u{1b}b"] {
            assert!(file_name(None, bad).is_err(), "{bad:?}");
        }
        assert!(file_name(None, &"n".repeat(100_000)).is_err());
    }
}
