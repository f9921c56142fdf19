//! The contacts directory: the shipped organisational entries (and an organisation's own
//! from its guidance files) plus the officer's local contacts in the locker.

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::content::{Contact, ContactKind, Guidance, Origin, Source, Text};
use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid};
use crate::locker::Locker;
use crate::persons::json_col;

/// One entry of the directory, shipped or local.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DirectoryEntry {
    /// The stable key of a shipped or organisational entry.
    pub key: Option<String>,
    /// The id of a local contact.
    pub id: Option<i64>,
    /// Where it comes from.
    pub origin: Origin,
    /// What kind of contact.
    pub kind: ContactKind,
    /// The organisation, service or person.
    pub name: Text,
    /// As dialled; empty when not known.
    pub phone: String,
    /// E-mail; empty when not known.
    pub email: String,
    /// The municipalities served; empty: national or not tied to one.
    pub municipalities: Vec<String>,
    /// When to use it.
    pub note: Text,
    /// Where a shipped entry comes from.
    pub source: Option<Source>,
    /// A shipped placeholder the officer should fill in with a local contact.
    pub to_fill_in: bool,
    /// An acute service (help now), not where a concern report goes. Local contacts: no.
    #[serde(default)]
    pub acute: bool,
}

impl DirectoryEntry {
    fn from_content(c: &Contact) -> Self {
        let email = c.email.clone().unwrap_or_default();
        DirectoryEntry {
            key: Some(c.key.clone()),
            id: None,
            origin: c.origin,
            kind: c.kind,
            name: c.name.clone(),
            to_fill_in: c.phone.trim().is_empty() && email.trim().is_empty(),
            phone: c.phone.clone(),
            email,
            municipalities: c.municipalities.clone(),
            note: c.note.clone(),
            source: Some(c.source.clone()),
            acute: c.acute,
        }
    }

    /// Does this entry serve `municipality`? Compared without case, a trailing
    /// "kommune", and with æ/ø/å folded, so "Bærum", "baerum" and "Bærum kommune" match.
    pub fn serves(&self, municipality: &str) -> bool {
        let m = fold_municipality(municipality);
        !m.is_empty()
            && self
                .municipalities
                .iter()
                .any(|x| fold_municipality(x) == m)
    }

    /// A short label: the key or `local:<id>`.
    pub fn handle(&self) -> String {
        match (&self.key, self.id) {
            (Some(k), _) => k.clone(),
            (None, Some(id)) => format!("local:{id}"),
            (None, None) => String::new(),
        }
    }
}

/// Normalise a municipality name for comparison.
pub fn fold_municipality(s: &str) -> String {
    let lower = s.trim().to_lowercase();
    let lower = lower.strip_suffix(" kommune").unwrap_or(&lower).trim();
    lower
        .replace('æ', "ae")
        .replace('ø', "oe")
        .replace('å', "aa")
}

/// A local contact to add.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewContact {
    /// The organisation, service or person (e.g. "Kommunelegen i Asker").
    pub name: String,
    /// What kind of contact.
    pub kind: ContactKind,
    /// Phone, as dialled.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// The municipalities served.
    pub municipalities: Vec<String>,
    /// When to use it.
    pub note: String,
}

/// Changes to a local contact; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactPatch {
    /// New name.
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<ContactKind>,
    /// New phone.
    pub phone: Option<String>,
    /// New e-mail.
    pub email: Option<String>,
    /// New municipalities (replacing the old ones).
    pub municipalities: Option<Vec<String>>,
    /// New note.
    pub note: Option<String>,
}

const SELECT_LOCAL: &str =
    "SELECT id, name, kind, phone, email, municipalities, note FROM local_contacts";

fn row_to_local(r: &Row<'_>) -> rusqlite::Result<DirectoryEntry> {
    let note: String = r.get(6)?;
    Ok(DirectoryEntry {
        key: None,
        id: Some(r.get(0)?),
        origin: Origin::Local,
        name: Text::same(r.get::<_, String>(1)?),
        kind: r.get(2)?,
        phone: r.get(3)?,
        email: r.get(4)?,
        municipalities: json_col(r, 5)?,
        note: Text::same(note),
        source: None,
        to_fill_in: false,
        acute: false,
    })
}

fn clean_municipalities(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in v {
        let m = m.trim().to_string();
        if !m.is_empty()
            && !out
                .iter()
                .any(|o| fold_municipality(o) == fold_municipality(&m))
        {
            out.push(m);
        }
    }
    out
}

fn check(c: &NewContact) -> Result<()> {
    if c.name.trim().is_empty() {
        return Err(Error::invalid(Invalid::Required { field: Field::Name }));
    }
    if c.phone.trim().is_empty() && c.email.trim().is_empty() {
        return Err(Error::invalid(Invalid::PhoneOrEmail));
    }
    if !c.email.trim().is_empty() && !c.email.contains('@') {
        return Err(Error::invalid(Invalid::NotAnEmail {
            value: c.email.trim().to_string(),
        }));
    }
    Ok(())
}

/// The whole directory from content and local rows: shipped and organisational entries
/// first, then local contacts in the order they were added.
pub(crate) fn directory(guidance: &Guidance, local: Vec<DirectoryEntry>) -> Vec<DirectoryEntry> {
    guidance
        .contacts
        .iter()
        .map(DirectoryEntry::from_content)
        .chain(local)
        .collect()
}

impl Locker {
    pub(crate) fn local_contacts(&self) -> Result<Vec<DirectoryEntry>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_LOCAL} ORDER BY id"))?;
        let rows = stmt.query_map([], row_to_local)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The contacts directory: shipped entries, the organisation's own, then local ones.
    pub fn contacts(&self) -> Result<Vec<DirectoryEntry>> {
        Ok(directory(&self.guidance()?, self.local_contacts()?))
    }

    /// A local contact by id.
    pub fn local_contact(&self, id: i64) -> Result<DirectoryEntry> {
        self.conn
            .query_row(&format!("{SELECT_LOCAL} WHERE id = ?1"), [id], row_to_local)
            .optional()?
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Contact, id))
    }

    /// Add a local contact (e.g. the municipal doctor, the district's business contact,
    /// the organisation's own security staff).
    pub fn add_contact(&mut self, c: NewContact) -> Result<DirectoryEntry> {
        check(&c)?;
        let municipalities = clean_municipalities(c.municipalities);
        let id = self.write(|w| {
            w.tx.execute(
                "INSERT INTO local_contacts (name, kind, phone, email, municipalities, note, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![
                    c.name.trim(),
                    c.kind,
                    c.phone.trim(),
                    c.email.trim(),
                    serde_json::to_string(&municipalities).unwrap_or_else(|_| "[]".into()),
                    c.note.trim(),
                    w.time,
                ],
            )?;
            let id = w.tx.last_insert_rowid();
            w.audit(
                "contact.add",
                &format!("contact:{id}"),
                json!({"kind": c.kind.as_str(), "name": c.name.trim()}),
            )?;
            Ok(id)
        })?;
        self.local_contact(id)
    }

    /// Change a local contact. Shipped entries cannot be changed: add a local one.
    pub fn edit_contact(&mut self, id: i64, p: ContactPatch) -> Result<DirectoryEntry> {
        let old = self.local_contact(id)?;
        let new = NewContact {
            name: p.name.unwrap_or_else(|| old.name.nb.clone()),
            kind: p.kind.unwrap_or(old.kind),
            phone: p.phone.unwrap_or_else(|| old.phone.clone()),
            email: p.email.unwrap_or_else(|| old.email.clone()),
            municipalities: p
                .municipalities
                .unwrap_or_else(|| old.municipalities.clone()),
            note: p.note.unwrap_or_else(|| old.note.nb.clone()),
        };
        check(&new)?;
        let municipalities = clean_municipalities(new.municipalities.clone());
        let mut changed = Vec::new();
        if new.name.trim() != old.name.nb {
            changed.push("name");
        }
        if new.kind != old.kind {
            changed.push("kind");
        }
        if new.phone.trim() != old.phone {
            changed.push("phone");
        }
        if new.email.trim() != old.email {
            changed.push("email");
        }
        if municipalities != old.municipalities {
            changed.push("municipalities");
        }
        if new.note.trim() != old.note.nb {
            changed.push("note");
        }
        if changed.is_empty() {
            return Ok(old);
        }
        self.write(|w| {
            w.tx.execute(
                "UPDATE local_contacts SET name = ?2, kind = ?3, phone = ?4, email = ?5, municipalities = ?6,
                   note = ?7, updated_at = ?8 WHERE id = ?1",
                params![
                    id,
                    new.name.trim(),
                    new.kind,
                    new.phone.trim(),
                    new.email.trim(),
                    serde_json::to_string(&municipalities).unwrap_or_else(|_| "[]".into()),
                    new.note.trim(),
                    w.time,
                ],
            )?;
            w.audit(
                "contact.edit",
                &format!("contact:{id}"),
                json!({"changed": changed}),
            )?;
            Ok(())
        })?;
        self.local_contact(id)
    }

    /// Remove a local contact.
    pub fn remove_contact(&mut self, id: i64) -> Result<()> {
        let old = self.local_contact(id)?;
        self.write(|w| {
            w.tx.execute("DELETE FROM local_contacts WHERE id = ?1", [id])?;
            w.audit(
                "contact.remove",
                &format!("contact:{id}"),
                json!({"kind": old.kind.as_str(), "name": old.name.nb}),
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::guidance::testing::locker;

    fn doctor() -> NewContact {
        NewContact {
            name: "Kommunelegen i Asker".into(),
            kind: ContactKind::Health,
            phone: "66 00 00 00".into(),
            email: String::new(),
            municipalities: vec!["Asker".into(), " asker kommune ".into()],
            note: "Bekymringsmeldinger".into(),
        }
    }

    #[test]
    fn the_directory_has_shipped_and_local_entries() {
        let (_d, mut l) = locker();
        let shipped = l.contacts().unwrap();
        assert!(shipped.iter().all(|c| c.origin == Origin::Shipped));
        assert!(shipped.iter().any(|c| c.phone == "112"));
        let placeholder = shipped
            .iter()
            .find(|c| c.kind == ContactKind::PoliceBusinessContact)
            .unwrap();
        assert!(placeholder.to_fill_in);

        let added = l.add_contact(doctor()).unwrap();
        assert_eq!(added.municipalities, ["Asker"], "duplicates folded");
        assert!(added.serves("ASKER") && !added.serves("Bærum"));
        let all = l.contacts().unwrap();
        assert_eq!(all.len(), shipped.len() + 1);
        assert_eq!(all.last().unwrap().id, added.id);
        assert_eq!(added.handle(), format!("local:{}", added.id.unwrap()));
    }

    #[test]
    fn edit_and_remove_are_audited() {
        let (_d, mut l) = locker();
        let id = l.add_contact(doctor()).unwrap().id.unwrap();
        let e = l
            .edit_contact(
                id,
                ContactPatch {
                    phone: Some("66 11 11 11".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(e.phone, "66 11 11 11");
        assert_eq!(e.name.nb, "Kommunelegen i Asker");
        // No change, no event.
        l.edit_contact(id, ContactPatch::default()).unwrap();
        l.remove_contact(id).unwrap();
        assert!(matches!(l.local_contact(id), Err(Error::NotFound { .. })));
        let actions: Vec<String> = l
            .audit_log(Some(&format!("contact:{id}")))
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["contact.add", "contact.edit", "contact.remove"]);
        assert!(l.remove_contact(id).is_err());
    }

    #[test]
    fn a_contact_needs_a_name_and_a_way_to_reach_it() {
        let (_d, mut l) = locker();
        for bad in [
            NewContact {
                name: " ".into(),
                ..doctor()
            },
            NewContact {
                phone: String::new(),
                ..doctor()
            },
            NewContact {
                email: "nobody".into(),
                ..doctor()
            },
        ] {
            assert!(matches!(l.add_contact(bad), Err(Error::Invalid(_))));
        }
    }

    #[test]
    fn municipality_names_fold() {
        for (a, b) in [
            ("Bærum", "baerum"),
            ("Bærum kommune", "BÆRUM"),
            ("Tromsø", "tromsoe"),
        ] {
            assert_eq!(fold_municipality(a), fold_municipality(b));
        }
        assert_ne!(fold_municipality("Asker"), fold_municipality("Oslo"));
    }
}
