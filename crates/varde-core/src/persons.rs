//! Persons in a case: the threatened employee, threat actors, witnesses.

use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::error::{Error, Result};
use crate::fields::non_empty;
use crate::invalid::{Field, Invalid};
use crate::locker::{Locker, Write};
use crate::model::{Case, ContactDetail, Person, PersonKind};

/// What is needed to add a person.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewPerson {
    /// Their part.
    pub kind: Option<PersonKind>,
    /// Name (may be empty for an unknown threat actor).
    pub name: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Contact details.
    pub contacts: Vec<ContactDetail>,
    /// Free notes.
    pub notes: String,
    /// Aliases and handles.
    pub aliases: Vec<String>,
    /// Home municipality.
    pub home_municipality: Option<String>,
    /// Health concern and what gives reason for it.
    pub health_concern: Option<String>,
}

const SELECT_PERSON: &str =
    "SELECT id, uid, case_id, kind, name, title, department, contacts, notes, known,
    aliases, home_municipality, health_concern, health_observations, created_at FROM persons";

pub(crate) fn json_col<T: serde::de::DeserializeOwned>(
    r: &Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    serde_json::from_str(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(crate) fn row_to_person(r: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        uid: r.get(1)?,
        case_id: r.get(2)?,
        kind: r.get(3)?,
        name: r.get(4)?,
        title: r.get(5)?,
        department: r.get(6)?,
        contacts: json_col(r, 7)?,
        notes: r.get(8)?,
        known: r.get(9)?,
        aliases: json_col(r, 10)?,
        home_municipality: r.get(11)?,
        health_concern: r.get(12)?,
        health_observations: r.get(13)?,
        created_at: r.get(14)?,
    })
}

/// Parse `kind:value` (e.g. `phone:+47 900 00 000`) into a contact detail.
pub fn parse_contact(s: &str, private: bool) -> Result<ContactDetail> {
    let (kind, value) = s.split_once(':').ok_or_else(|| {
        Error::invalid(Invalid::ContactFormat {
            value: s.to_string(),
        })
    })?;
    let (kind, value) = (kind.trim(), value.trim());
    if kind.is_empty() || value.is_empty() {
        return Err(Error::invalid(Invalid::ContactFormat {
            value: s.to_string(),
        }));
    }
    Ok(ContactDetail {
        kind: kind.to_lowercase(),
        value: value.to_string(),
        private,
    })
}

/// A person's record as it will be written, after every check.
pub(crate) struct CheckedPerson {
    pub kind: PersonKind,
    pub name: Option<String>,
    pub title: Option<String>,
    pub department: Option<String>,
    pub contacts: Vec<ContactDetail>,
    pub notes: String,
    pub known: bool,
    pub aliases: Vec<String>,
    pub home_municipality: Option<String>,
    pub health_concern: bool,
    pub health_observations: String,
}

pub(crate) fn check_person(p: NewPerson) -> Result<CheckedPerson> {
    let kind = p.kind.ok_or_else(|| {
        Error::invalid(Invalid::Required {
            field: Field::PersonKind,
        })
    })?;
    let name = non_empty(p.name.as_deref());
    let known = name.is_some();
    if !known && kind != PersonKind::ThreatActor {
        return Err(Error::invalid(Invalid::NameNeeded));
    }
    let aliases: Vec<String> = p
        .aliases
        .into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    let (health_concern, health_observations) = match non_empty(p.health_concern.as_deref()) {
        Some(obs) => (true, obs),
        None => (false, String::new()),
    };
    crate::fields::person(
        None,
        name.as_deref(),
        p.title.as_deref(),
        p.department.as_deref(),
        p.home_municipality.as_deref(),
        &health_observations,
        aliases.iter().map(String::as_str),
        p.contacts
            .iter()
            .flat_map(|c| [c.kind.as_str(), c.value.as_str()]),
    )?;
    crate::fields::text(Field::Notes, None, &p.notes, crate::fields::LONG_MAX)?;
    Ok(CheckedPerson {
        kind,
        name,
        title: non_empty(p.title.as_deref()),
        department: non_empty(p.department.as_deref()),
        contacts: p.contacts,
        notes: p.notes,
        known,
        aliases,
        home_municipality: non_empty(p.home_municipality.as_deref()),
        health_concern,
        health_observations,
    })
}

/// The one INSERT into `persons` (added and imported alike); the new id.
pub(crate) fn insert_person_row(
    tx: &rusqlite::Transaction<'_>,
    uid: &str,
    case_id: i64,
    c: &CheckedPerson,
    created_at: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO persons (uid, case_id, kind, name, title, department, contacts, notes, known, aliases,
           home_municipality, health_concern, health_observations, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            uid,
            case_id,
            c.kind,
            c.name,
            c.title,
            c.department,
            serde_json::to_string(&c.contacts).unwrap_or_else(|_| "[]".into()),
            c.notes,
            c.known,
            serde_json::to_string(&c.aliases).unwrap_or_else(|_| "[]".into()),
            c.home_municipality,
            c.health_concern,
            c.health_observations,
            created_at,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Write a checked person of `case` and its audit event (`person.add`) in the write `w`;
/// its id.
pub(crate) fn insert_person(w: &mut Write<'_>, case: &Case, c: &CheckedPerson) -> Result<i64> {
    let uid = uuid::Uuid::new_v4().to_string();
    let time = w.time.clone();
    let id = insert_person_row(&w.tx, &uid, case.id, c, &time)?;
    w.audit(
        "person.add",
        &format!("case:{}", case.reference),
        json!({"person_id": id, "uid": uid, "kind": c.kind.as_str(), "known": c.known}),
    )?;
    Ok(id)
}

impl Locker {
    /// Add a person to a case.
    pub fn add_person(&mut self, case_ref: &str, p: NewPerson) -> Result<Person> {
        let case = self.case(case_ref)?;
        let c = check_person(p)?;
        let id = self.write(|w| insert_person(w, &case, &c))?;
        self.person(id)
    }

    /// Correct a person: `p` is the whole record as it should be now. The audit event
    /// names the fields that changed and the reason (not their values, so the log holds no
    /// more personal data than the record).
    pub fn edit_person(&mut self, id: i64, p: NewPerson, reason: Option<&str>) -> Result<Person> {
        let old = self.person(id)?;
        let c = check_person(p)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        crate::fields::opt_text(Field::Reason, None, reason, crate::fields::SHORT_MAX)?;
        let mut changed: Vec<&str> = Vec::new();
        macro_rules! diff {
            ($($field:ident),*) => {
                $(if old.$field != c.$field { changed.push(stringify!($field)); })*
            };
        }
        diff!(
            kind,
            name,
            title,
            department,
            contacts,
            notes,
            known,
            aliases,
            home_municipality,
            health_concern,
            health_observations
        );
        if changed.is_empty() {
            return Ok(old);
        }
        let case: String = self.conn.query_row(
            "SELECT reference FROM cases WHERE id = ?1",
            [old.case_id],
            |r| r.get(0),
        )?;
        self.write(|w| {
            w.tx.execute(
                "UPDATE persons SET kind = ?2, name = ?3, title = ?4, department = ?5, contacts = ?6, notes = ?7,
                   known = ?8, aliases = ?9, home_municipality = ?10, health_concern = ?11,
                   health_observations = ?12 WHERE id = ?1",
                params![
                    id,
                    c.kind,
                    c.name,
                    c.title,
                    c.department,
                    serde_json::to_string(&c.contacts).unwrap_or_else(|_| "[]".into()),
                    c.notes,
                    c.known,
                    serde_json::to_string(&c.aliases).unwrap_or_else(|_| "[]".into()),
                    c.home_municipality,
                    c.health_concern,
                    c.health_observations,
                ],
            )?;
            w.audit(
                "person.edit",
                &format!("case:{case}"),
                json!({"person_id": id, "uid": old.uid, "changed": changed, "reason": reason}),
            )?;
            Ok(())
        })?;
        self.person(id)
    }

    /// A person by id.
    pub fn person(&self, id: i64) -> Result<Person> {
        self.conn
            .query_row(
                &format!("{SELECT_PERSON} WHERE id = ?1"),
                [id],
                row_to_person,
            )
            .optional()?
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Person, id))
    }

    /// The persons of a case, in the order they were added.
    pub fn list_persons(&self, case_ref: &str) -> Result<Vec<Person>> {
        let case = self.case(case_ref)?;
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_PERSON} WHERE case_id = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([case.id], row_to_person)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
