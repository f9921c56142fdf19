//! Search across every case of the locker: names, aliases and handles, phone numbers in any
//! spacing, the wording, descriptions and places. SQLite's FTS5 (in the bundled
//! SQLCipher), table `search` (migration 6). The index is derived data: each write's
//! changed cases, persons and incidents (the rows the seal triggers noted, see
//! `seal.rs`) are re-indexed in the same transaction by [`Write::audit`], and a locker
//! upgraded to version 6 is indexed once at open.
//!
//! Phone numbers: every run of digits in a text (with spaces, dots, dashes or a leading
//! `+` between them, five digits or more) is also indexed as one token of its digits, and
//! a Norwegian number with its country code (`47…`, `0047…`) also without it. A query that
//! is a phone number is matched the same way, so «934 12 877», «93412877» and
//! «+47 934 12 877» find each other. Written by hand: no library normalises "a number as a
//! person types it" in running text, and the rule is a dozen lines.
//!
//! [`Write::audit`]: crate::locker::Locker

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::Result;
use crate::locker::Locker;

/// The most hits a search returns.
pub const MAX_HITS: i64 = 200;

/// What kind of record a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum HitKind {
    /// A case (its title, reference or notes).
    Case,
    /// A person of a case (name, aliases, contact details, notes).
    Person,
    /// An incident (place, platform, description, wording, witnesses).
    Incident,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// What was found.
    pub kind: HitKind,
    /// Its id (the case's, person's or incident's).
    pub id: i64,
    /// The case it is in.
    pub case_reference: String,
    /// That case's title.
    pub case_title: String,
    /// A short piece of the matching text, as stored (the UI marks nothing up).
    pub snippet: String,
}

/// The phone-number tokens of a text: each run of five or more digits (allowing spaces,
/// dots, dashes and a leading `+`), and a Norwegian number also without its country code.
pub fn digit_tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut gap = false;
    let flush = |run: &mut String, out: &mut Vec<String>| {
        if run.len() >= 5 {
            out.push(run.clone());
            for prefix in ["0047", "47"] {
                if let Some(rest) = run.strip_prefix(prefix)
                    && rest.len() == 8
                {
                    out.push(rest.to_string());
                }
            }
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
            gap = false;
        } else if matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}') && !run.is_empty() && !gap {
            // One separator between digit groups («934 12 877»); two end the number.
            gap = true;
        } else if c == '+' && run.is_empty() {
        } else {
            flush(&mut run, &mut out);
            gap = false;
        }
    }
    flush(&mut run, &mut out);
    out.sort();
    out.dedup();
    out
}

/// The index row of a record: its rowid is derived from the record's kind and id, so
/// replacing or removing it is a lookup, not a scan (FTS5 indexes only its text columns).
fn search_rowid(kind: HitKind, rid: i64) -> i64 {
    let code = match kind {
        HitKind::Case => 1,
        HitKind::Person => 2,
        HitKind::Incident => 3,
    };
    rid * 4 + code
}

fn index_row(tx: &Connection, kind: HitKind, rid: i64, case_id: i64, text: &str) -> Result<()> {
    unindex(tx, kind, rid)?;
    let kind_s: &'static str = kind.into();
    tx.prepare_cached(
        "INSERT INTO search (rowid, kind, rid, case_id, text, digits) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        search_rowid(kind, rid),
        kind_s,
        rid,
        case_id,
        text,
        digit_tokens(text).join(" ")
    ])?;
    Ok(())
}

fn unindex(tx: &Connection, kind: HitKind, rid: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
        .execute([search_rowid(kind, rid)])?;
    Ok(())
}

/// The text of JSON columns (aliases, contact details, witnesses) for the index.
fn json_text(json: &str) -> String {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(json) {
        walk(&v, &mut out);
    }
    out.join(" · ")
}

/// Re-index one changed row of `table` (`cases`, `persons`, `incidents`; other tables are
/// not searched). Called for every row a write changed, in its transaction.
pub(crate) fn reindex(tx: &Connection, table: &str, rid: i64) -> Result<()> {
    match table {
        "cases" => {
            let row: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT reference, title, notes FROM cases WHERE id = ?1",
                    [rid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            match row {
                Some((reference, title, notes)) => index_row(
                    tx,
                    HitKind::Case,
                    rid,
                    rid,
                    &format!("{reference} · {title} · {notes}"),
                ),
                None => unindex(tx, HitKind::Case, rid),
            }
        }
        "persons" => {
            type P = (
                i64,
                Option<String>,
                Option<String>,
                Option<String>,
                String,
                String,
                String,
                Option<String>,
                String,
            );
            let row: Option<P> = tx
                .query_row(
                    "SELECT case_id, name, title, department, contacts, notes, aliases, home_municipality, health_observations
                     FROM persons WHERE id = ?1",
                    [rid],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get(7)?,
                            r.get(8)?,
                        ))
                    },
                )
                .optional()?;
            match row {
                Some((case_id, name, title, dept, contacts, notes, aliases, home, health)) => {
                    let parts = [
                        name.unwrap_or_default(),
                        json_text(&aliases),
                        json_text(&contacts),
                        title.unwrap_or_default(),
                        dept.unwrap_or_default(),
                        home.unwrap_or_default(),
                        notes,
                        health,
                    ];
                    let text: Vec<&str> = parts
                        .iter()
                        .map(String::as_str)
                        .filter(|s| !s.is_empty())
                        .collect();
                    index_row(tx, HitKind::Person, rid, case_id, &text.join(" · "))
                }
                None => unindex(tx, HitKind::Person, rid),
            }
        }
        "incidents" => {
            type I = (i64, String, Option<String>, String, Option<String>, String);
            let row: Option<I> = tx
                .query_row(
                    "SELECT case_id, place, platform, description, wording, witnesses FROM incidents WHERE id = ?1",
                    [rid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )
                .optional()?;
            match row {
                Some((case_id, place, platform, description, wording, witnesses)) => {
                    let parts = [
                        wording.unwrap_or_default(),
                        description,
                        place,
                        platform.unwrap_or_default(),
                        json_text(&witnesses),
                    ];
                    let text: Vec<&str> = parts
                        .iter()
                        .map(String::as_str)
                        .filter(|s| !s.is_empty())
                        .collect();
                    index_row(tx, HitKind::Incident, rid, case_id, &text.join(" · "))
                }
                None => unindex(tx, HitKind::Incident, rid),
            }
        }
        _ => Ok(()),
    }
}

/// Index every case, person and incident when the index is empty but records exist (a
/// locker upgraded to schema 6). One transaction; derived data, so no audit event.
pub(crate) fn build_if_missing(conn: &mut Connection) -> Result<()> {
    // EXISTS stops at the first row: a count of the index would read all of it at every open.
    let needed: bool = conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM search)
            AND (EXISTS (SELECT 1 FROM cases) OR EXISTS (SELECT 1 FROM persons) OR EXISTS (SELECT 1 FROM incidents))",
        [],
        |r| r.get(0),
    )?;
    if !needed {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for table in ["cases", "persons", "incidents"] {
        let ids: Vec<i64> = {
            let mut stmt = tx.prepare(&format!("SELECT id FROM {table}"))?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        for id in ids {
            reindex(&tx, table, id)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The FTS5 query for what a person typed: a phone number is matched on its digits (with
/// and without the country code, as a prefix); anything else word by word, each word as a
/// prefix, all words required. Quotes are escaped, so no FTS syntax gets through.
fn fts_query(q: &str) -> Option<String> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    let phone_like = q
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    if phone_like && digits.len() >= 3 {
        let mut variants = vec![digits.clone()];
        for prefix in ["0047", "47"] {
            if let Some(rest) = digits.strip_prefix(prefix)
                && rest.len() == 8
            {
                variants.push(rest.to_string());
            }
        }
        let alts: Vec<String> = variants.iter().map(|d| format!("digits : {d}*")).collect();
        return Some(alts.join(" OR "));
    }
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    Some(format!("text : ({})", words.join(" AND ")))
}

impl Locker {
    /// Search every case of the locker. Hits are ordered by relevance; at most
    /// [`MAX_HITS`].
    pub fn search(&self, query: &str) -> Result<Vec<SearchHit>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.kind, s.rid, c.reference, c.title, snippet(search, 3, '', '', ' … ', 12)
             FROM search s JOIN cases c ON c.id = s.case_id
             WHERE search MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![fts, MAX_HITS], |r| {
            let kind: String = r.get(0)?;
            Ok(SearchHit {
                kind: kind.parse().unwrap_or(HitKind::Case),
                id: r.get(1)?,
                case_reference: r.get(2)?,
                case_title: r.get(3)?,
                snippet: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The other cases in which a threat actor appears: a threat actor there with the same
    /// name, alias or phone number. A repeat actor is what an officer must see.
    pub fn actor_in_other_cases(&self, person_id: i64) -> Result<Vec<String>> {
        let p = self.person(person_id)?;
        let mut names: Vec<String> = p
            .name
            .iter()
            .chain(p.aliases.iter())
            .map(|s| s.trim().to_lowercase())
            .filter(|s| s.chars().count() >= 3)
            .collect();
        names.sort();
        names.dedup();
        let own_text = [
            p.aliases.join(" "),
            p.contacts
                .iter()
                .map(|c| c.value.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ]
        .join(" ");
        let digits = digit_tokens(&own_text);
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.reference, p.name, p.aliases, p.contacts FROM persons p JOIN cases c ON c.id = p.case_id
             WHERE p.kind = 'threat_actor' AND p.case_id != ?1 ORDER BY c.reference",
        )?;
        let rows = stmt.query_map([p.case_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (reference, name, aliases, contacts) = row?;
            let aliases: Vec<String> = serde_json::from_str(&aliases).unwrap_or_default();
            let theirs: Vec<String> = name
                .iter()
                .chain(aliases.iter())
                .map(|s| s.trim().to_lowercase())
                .collect();
            let their_digits =
                digit_tokens(&format!("{} {}", aliases.join(" "), json_text(&contacts)));
            let same_name = theirs.iter().any(|n| names.contains(n));
            let same_number = their_digits
                .iter()
                .any(|d| d.len() >= 8 && digits.contains(d));
            if (same_name || same_number) && !out.contains(&reference) {
                out.push(reference);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_in_any_spacing_give_the_same_tokens() {
        for typed in [
            "93412877",
            "934 12 877",
            "+47 934 12 877",
            "0047 93412877",
            "934.12.877",
        ] {
            assert!(
                digit_tokens(typed).contains(&"93412877".to_string()),
                "{typed}: {:?}",
                digit_tokens(typed)
            );
        }
        assert_eq!(digit_tokens("kl 21 14"), Vec::<String>::new());
        // Two numbers in one text stay two.
        let two = digit_tokens("ringte fra 934 12 877, så fra 400 00 000");
        assert!(
            two.contains(&"93412877".to_string()) && two.contains(&"40000000".to_string()),
            "{two:?}"
        );
    }

    #[test]
    fn a_query_is_never_fts_syntax() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(
            fts_query("+47 934 12 877").as_deref(),
            Some("digits : 4793412877* OR digits : 93412877*")
        );
        assert_eq!(
            fts_query("kniv \"NEAR(x)").as_deref(),
            Some("text : (\"kniv\"* AND \"\"\"NEAR(x)\"*)")
        );
    }
}
