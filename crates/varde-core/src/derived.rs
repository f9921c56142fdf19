//! What Varde reads from the originals it keeps (with `varde-read`): an e-mail's headers,
//! body and attachments, a chat export's messages, a photo's EXIF, a recording's length.
//!
//! A reading is derived data, never evidence: it is stored beside the original in the
//! `derived` table, keyed by the original's SHA-256 and the reader's version, marked with
//! the parser that made it, sealed and audited like every record (`evidence.read`), and
//! can always be made again from the original. A file that cannot be read is still
//! evidence; its reading records why.
//!
//! From a reading the officer can take an e-mail's attachment out as evidence of its own
//! (naming the e-mail), and make an incident from a message, prefilled from it and linked
//! to it by the original's SHA-256, the message's index and the SHA-256 of its text.

use std::path::Path;

use chrono::{DateTime, NaiveDateTime, TimeZone};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use varde_read::{ChatFormat, Derived, Format, Message, ReadError};

use crate::error::{Error, Result};
use crate::evidence::{AddOptions, Added, Logged, NewOriginal};
use crate::incidents::NewIncident;
use crate::invalid::{Invalid, Item, ItemKind};
use crate::locker::Locker;
use crate::model::{AttachmentOf, Channel, Evidence, Incident, MessageSource};

/// The zone a phone's clock time (a WhatsApp export) is taken to be in.
const LOCAL_TZ: &str = "Europe/Oslo";

/// What Varde read from an original.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reading {
    /// The reader it went to.
    pub format: Format,
    /// The library and version line that read it.
    pub parser: String,
    /// The version of what `varde-read` derives.
    pub reader_version: u32,
    /// When it was read.
    pub read_at: String,
    /// What was read, or why it could not be.
    #[serde(flatten)]
    pub content: Content,
}

/// What a reading holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum Content {
    /// It was read (`kind`: email, chat, image, audio).
    Read(Box<Derived>),
    /// It could not be read (`kind`: unreadable); the original is kept as it is.
    Unreadable {
        /// Always `unreadable`.
        kind: UnreadableKind,
        /// Why.
        problem: ReadError,
    },
}

/// The `kind` of a reading that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum UnreadableKind {
    /// The file could not be read.
    Unreadable,
}

impl Reading {
    /// What was read, when it was.
    pub fn derived(&self) -> Option<&Derived> {
        match &self.content {
            Content::Read(d) => Some(d.as_ref()),
            Content::Unreadable { .. } => None,
        }
    }
}

/// The row of `derived` for an original: `Some(None)` when it was looked at and holds
/// nothing Varde reads.
/// A `derived` row: format, parser, read_at, data, problem.
type Row = (String, String, String, Option<String>, Option<String>);

fn stored(conn: &rusqlite::Connection, sha256: &str) -> Result<Option<Option<Reading>>> {
    let row: Option<Row> = conn
        .query_row(
            "SELECT format, parser, read_at, data, problem FROM derived WHERE sha256 = ?1 AND reader_version = ?2",
            params![sha256, varde_read::READER_VERSION],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((format, parser, read_at, data, problem)) = row else {
        return Ok(None);
    };
    if format == "none" {
        return Ok(Some(None));
    }
    let bad = |e: serde_json::Error| Error::Integrity(format!("a stored reading of {sha256}: {e}"));
    let format: Format = serde_json::from_value(json!(format)).map_err(bad)?;
    let content = match (data, problem) {
        (Some(d), _) => Content::Read(Box::new(serde_json::from_str(&d).map_err(bad)?)),
        (None, Some(p)) => Content::Unreadable {
            kind: UnreadableKind::Unreadable,
            problem: serde_json::from_str(&p).map_err(bad)?,
        },
        (None, None) => {
            return Err(Error::Integrity(format!(
                "a stored reading of {sha256} is empty"
            )));
        }
    };
    Ok(Some(Some(Reading {
        format,
        parser,
        reader_version: varde_read::READER_VERSION,
        read_at,
        content,
    })))
}

/// Media types worth giving to the readers (everything else holds nothing Varde reads).
fn worth_reading(ev: &Evidence) -> bool {
    let t = ev.media_type.as_str();
    let ext = ev
        .original_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    t == "message/rfc822"
        || t == "application/zip"
        || t == "application/x-ole-storage"
        || t == "text/plain"
        || t == "text/xml"
        || t == "application/xml"
        || t == "application/json"
        || t.starts_with("image/")
        || t.starts_with("audio/")
        || t.starts_with("video/")
        || matches!(ext.as_str(), "eml" | "msg" | "txt" | "xml" | "json")
}

impl Locker {
    /// What Varde read from an evidence item's original, read now if this version of Varde
    /// has not read it yet (audited as `evidence.read`); `None` when the file holds nothing
    /// Varde reads (a PDF, a note). A file that cannot be read gives a reading that says why.
    pub fn read_evidence(&mut self, id: i64) -> Result<Option<Reading>> {
        let ev = self.evidence(id)?;
        if let Some(r) = stored(&self.conn, &ev.sha256)? {
            return Ok(r);
        }
        let reading = if !worth_reading(&ev) {
            None
        } else if ev.size > varde_read::MAX_INPUT {
            let format = varde_read::detect(&ev.media_type, &ev.original_name, &[]);
            format.map(|format| Reading {
                format,
                parser: format.parser().into(),
                reader_version: varde_read::READER_VERSION,
                read_at: String::new(),
                content: Content::Unreadable {
                    kind: UnreadableKind::Unreadable,
                    problem: ReadError::TooLarge {
                        size: ev.size,
                        limit: varde_read::MAX_INPUT,
                    },
                },
            })
        } else {
            let bytes = self.read_original(id, varde_read::MAX_INPUT)?;
            // Media type as stored; the name is the original's (its extension helps the
            // readers of .msg and recordings).
            varde_read::read(&ev.media_type, &ev.original_name, &bytes).map(|r| Reading {
                format: r.format,
                parser: r.format.parser().into(),
                reader_version: varde_read::READER_VERSION,
                read_at: String::new(),
                content: match r.result {
                    Ok(d) => Content::Read(Box::new(d)),
                    Err(problem) => Content::Unreadable {
                        kind: UnreadableKind::Unreadable,
                        problem,
                    },
                },
            })
        };
        self.store_reading(&ev, reading)
    }

    /// Write a reading (or that there is nothing to read) in its own audited write.
    fn store_reading(
        &mut self,
        ev: &Evidence,
        reading: Option<Reading>,
    ) -> Result<Option<Reading>> {
        let (format, parser, data, problem) = match &reading {
            None => ("none".to_string(), "varde-read".to_string(), None, None),
            Some(r) => (
                r.format.as_str().to_string(),
                r.parser.clone(),
                match &r.content {
                    Content::Read(d) => Some(
                        serde_json::to_string(d).map_err(|e| Error::Integrity(e.to_string()))?,
                    ),
                    Content::Unreadable { .. } => None,
                },
                match &r.content {
                    Content::Unreadable { problem, .. } => Some(
                        serde_json::to_string(problem)
                            .map_err(|e| Error::Integrity(e.to_string()))?,
                    ),
                    Content::Read(_) => None,
                },
            ),
        };
        let sha = ev.sha256.clone();
        let id = ev.id;
        let read_at = self.write(|w| {
            let seq = w.next_seq();
            w.tx.execute(
                "INSERT INTO derived (sha256, reader_version, format, parser, read_at, data, problem, audit_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![sha, varde_read::READER_VERSION, format, parser, w.time, data, problem, seq],
            )?;
            let kind = reading.as_ref().map(|r| match &r.content {
                Content::Read(d) => d.kind(),
                Content::Unreadable { .. } => "unreadable",
            });
            w.audit(
                "evidence.read",
                &format!("evidence:{id}"),
                json!({"sha256": sha, "format": format, "parser": parser,
                       "reader_version": varde_read::READER_VERSION, "kind": kind,
                       "problem": reading.as_ref().and_then(|r| match &r.content {
                           Content::Unreadable { problem, .. } => Some(problem.code()),
                           Content::Read(_) => None,
                       })}),
            )?;
            Ok(w.time.clone())
        })?;
        Ok(reading.map(|r| Reading { read_at, ..r }))
    }

    /// A reading already made, without reading anything (for lists and the report).
    pub fn stored_reading(&self, id: i64) -> Result<Option<Reading>> {
        let ev = self.evidence(id)?;
        Ok(stored(&self.conn, &ev.sha256)?.flatten())
    }

    /// Read every item just added (a reading that fails to be stored does not undo the
    /// ingest, which is committed; it is made again when the item is next shown).
    pub(crate) fn read_added(&mut self, added: &[Added]) {
        for a in added.iter().filter(|a| !a.already_present) {
            let _ = self.read_evidence(a.evidence.id);
        }
    }

    /// The messages of an e-mail or a chat export, oldest first.
    pub fn messages(&mut self, id: i64) -> Result<Vec<Message>> {
        match self.read_evidence(id)?.as_ref().and_then(Reading::derived) {
            Some(d @ (Derived::Chat(_) | Derived::Email(_))) => Ok(d.messages()),
            _ => Err(Error::invalid(Invalid::NoMessages {
                item: Item::new(ItemKind::Evidence, id),
            })),
        }
    }

    /// Take attachment `index` out of an e-mail as evidence of its own, in the e-mail's
    /// incident, naming the e-mail it came from. Its SHA-256 is checked against the one
    /// listed when the e-mail was read.
    pub fn extract_attachment(&mut self, id: i64, index: u32) -> Result<Added> {
        let ev = self.evidence(id)?;
        let reading = self.read_evidence(id)?;
        let (format, listed) = match reading.as_ref().map(|r| (r.format, r.derived())) {
            Some((f, Some(Derived::Email(e)))) => (f, e.attachments.clone()),
            _ => {
                return Err(Error::invalid(Invalid::NoSuchAttachment {
                    item: Item::new(ItemKind::Evidence, id),
                    index,
                    count: 0,
                }));
            }
        };
        let Some(meta) = listed.get(index as usize) else {
            return Err(Error::invalid(Invalid::NoSuchAttachment {
                item: Item::new(ItemKind::Evidence, id),
                index,
                count: listed.len(),
            }));
        };
        let bytes = self.read_original(id, varde_read::MAX_INPUT)?;
        let (name, data) = varde_read::attachment(format, &bytes, index)
            .map_err(|e| Error::Integrity(format!("evidence {id}: attachment {index}: {e}")))?;
        if hex::encode(Sha256::digest(&data)) != meta.sha256 {
            return Err(Error::Integrity(format!(
                "evidence {id}: attachment {index} no longer matches the SHA-256 listed when it was read"
            )));
        }
        let name = attachment_file_name(name.as_deref(), index);
        let subject = match reading.as_ref().and_then(Reading::derived) {
            Some(Derived::Email(e)) => e.subject.clone().unwrap_or_default(),
            _ => String::new(),
        };
        let opts = AddOptions {
            note: format!(
                "Vedlegg {} i e-posten «{}» (bevis #{id})",
                index + 1,
                subject
            ),
            allow_empty: true,
            ..AddOptions::default()
        };
        let streamed = crate::evidence::stream_to_temp(
            &self.dir,
            &self.keys,
            &name,
            &mut &data[..],
            None,
            &mut |_| {},
        )?;
        let (_, mut added) = self.commit_streamed_from(
            crate::evidence::Target::Incident(ev.incident),
            vec![streamed],
            &opts,
            Some(&AttachmentOf {
                evidence: id,
                index,
            }),
        )?;
        self.read_added(&added);
        added
            .pop()
            .ok_or_else(|| Error::Integrity("internal: nothing was added".into()))
    }

    /// An incident prefilled from message `index` of an e-mail or chat export, to be
    /// checked and completed by the officer before it is logged with
    /// [`Locker::log_incident_from_message`]. Nothing is written.
    pub fn incident_from_message_draft(&mut self, id: i64, index: u32) -> Result<NewIncident> {
        let (reading, message) = self.message(id, index)?;
        Ok(draft(&reading, &message))
    }

    /// Log an incident made from message `index` of an e-mail or chat export, linked to it
    /// (the original's SHA-256, the index and the SHA-256 of its text). `incident` is the
    /// draft as the officer confirmed it; the incident goes in the case of the evidence.
    pub fn log_incident_from_message(
        &mut self,
        id: i64,
        index: u32,
        incident: NewIncident,
    ) -> Result<Incident> {
        let ev = self.evidence(id)?;
        let (_, message) = self.message(id, index)?;
        let case_ref = self.case_of_incident(ev.incident)?.reference;
        let mut checked = self.check_new_incident(&case_ref, incident)?;
        checked.source = Some(MessageSource {
            sha256: ev.sha256.clone(),
            message: index,
            text_sha256: message.text_sha256.clone(),
        });
        let new_id = self.write(|w| crate::incidents::insert_incident(w, &checked))?;
        self.incident(new_id)
    }

    /// Store an e-mail file as evidence in a new incident prefilled from it (time from its
    /// Date header, channel e-mail, place «e-post til …», the body as the exact words, the
    /// sender), in one transaction. `adjust` may change the prefilled incident first.
    pub fn log_incident_from_email(
        &mut self,
        case_ref: &str,
        path: &Path,
        adjust: &mut dyn FnMut(&mut NewIncident),
    ) -> Result<Logged> {
        // The same checks as any file added (missing, a folder, no permission, empty), with
        // their own words, before a byte is read; and no more read than a reader takes.
        let file = crate::evidence::check_file(path, false)?;
        if file.size > varde_read::MAX_INPUT {
            return Err(Error::invalid(Invalid::TooLargeToShow {
                size: file.size,
                max: varde_read::MAX_INPUT,
            }));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io("reading", path, e))?;
        let name = file.name;
        let media_type = crate::evidence::sniff_media_type(&bytes[..bytes.len().min(256 * 1024)]);
        let reading = varde_read::read(&media_type, &name, &bytes);
        let email = match reading.as_ref().map(|r| (&r.format, &r.result)) {
            Some((Format::Eml | Format::Msg, Ok(Derived::Email(e)))) => e.clone(),
            _ => {
                return Err(Error::invalid(Invalid::NotAnEmailFile {
                    path: crate::error::shorten(path),
                }));
            }
        };
        let r = Reading {
            format: reading.as_ref().map_or(Format::Eml, |r| r.format),
            parser: String::new(),
            reader_version: varde_read::READER_VERSION,
            read_at: String::new(),
            content: Content::Read(Box::new(Derived::Email(email.clone()))),
        };
        let mut incident = draft(&r, &email.as_message());
        adjust(&mut incident);
        let mut checked = self.check_new_incident(case_ref, incident)?;
        let sha = hex::encode(Sha256::digest(&bytes));
        checked.source = Some(MessageSource {
            sha256: sha.clone(),
            message: 0,
            text_sha256: email.as_message().text_sha256,
        });
        let streamed = self.stream_originals(
            &[NewOriginal::Path(path.to_path_buf())],
            &AddOptions::default(),
            &mut |_| {},
        )?;
        if streamed.first().map(|s| hex::encode(s.sha256)) != Some(sha) {
            crate::evidence::remove_temps(&streamed);
            return Err(Error::invalid(Invalid::ChangedWhileRead {
                path: crate::error::shorten(path),
            }));
        }
        let (id, added) = self.commit_streamed(
            crate::evidence::Target::New(&checked),
            streamed,
            &AddOptions::default(),
        )?;
        self.read_added(&added);
        Ok(Logged {
            incident: self.incident(id)?,
            added,
        })
    }

    fn message(&mut self, id: i64, index: u32) -> Result<(Reading, Message)> {
        let reading = self.read_evidence(id)?;
        let Some(reading) =
            reading.filter(|r| matches!(r.derived(), Some(Derived::Chat(_) | Derived::Email(_))))
        else {
            return Err(Error::invalid(Invalid::NoMessages {
                item: Item::new(ItemKind::Evidence, id),
            }));
        };
        let messages = reading.derived().map(Derived::messages).unwrap_or_default();
        let count = messages.len();
        let message = messages.into_iter().nth(index as usize).ok_or_else(|| {
            Error::invalid(Invalid::NoSuchMessage {
                item: Item::new(ItemKind::Evidence, id),
                index,
                count,
            })
        })?;
        Ok((reading, message))
    }
}

/// A file name for an attachment without one, or with one that is no file name.
fn attachment_file_name(name: Option<&str>, index: u32) -> String {
    let cleaned: String = name
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() || crate::fields::file_name(None, &cleaned).is_err() {
        format!("vedlegg-{}", index + 1)
    } else {
        cleaned
    }
}

/// The local time (`YYYY-MM-DD HH:MM`, in [`LOCAL_TZ`]) of a message time as read.
fn local_time(time: &str, is_local: bool) -> Option<String> {
    let tz: chrono_tz::Tz = LOCAL_TZ.parse().ok()?;
    if is_local {
        let t = NaiveDateTime::parse_from_str(time, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(time, "%Y-%m-%dT%H:%M"))
            .ok()?;
        return Some(t.format("%Y-%m-%d %H:%M").to_string());
    }
    let t = DateTime::parse_from_rfc3339(time).ok()?;
    Some(
        tz.from_utc_datetime(&t.naive_utc())
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    )
}

/// A recording's own time tag (RFC 3339, or a local `YYYY-MM-DD[T ]HH:MM[:SS]`) as the
/// local time `YYYY-MM-DD HH:MM` in [`LOCAL_TZ`]; a date alone or anything else: none.
pub(crate) fn recorded_local(tag: &str) -> Option<String> {
    let tag = tag.trim();
    if DateTime::parse_from_rfc3339(tag).is_ok() {
        return local_time(tag, false);
    }
    let t = tag.replacen(' ', "T", 1);
    local_time(&t, true)
}

/// The incident a message suggests: the officer confirms or corrects every field.
fn draft(reading: &Reading, m: &Message) -> NewIncident {
    let at = m
        .time
        .as_deref()
        .and_then(|t| local_time(t, m.time_is_local))
        .unwrap_or_default();
    let (channel, platform, place, description) = match reading.derived() {
        Some(Derived::Email(e)) => {
            let to =
                e.to.first()
                    .map(|t| t.address.clone().unwrap_or_else(|| t.display()))
                    .unwrap_or_default();
            let subject = e.subject.clone().unwrap_or_default();
            (
                Channel::Email,
                None,
                if to.is_empty() {
                    "e-post".to_string()
                } else {
                    format!("e-post til {to}")
                },
                if subject.is_empty() {
                    "E-post".to_string()
                } else {
                    format!("E-post med emnet «{subject}»")
                },
            )
        }
        Some(Derived::Chat(c)) => {
            let (channel, platform) = match c.app {
                ChatFormat::SmsBackup => (Channel::Sms, None),
                ChatFormat::WhatsappAndroid | ChatFormat::WhatsappIos => {
                    (Channel::SocialMedia, Some("WhatsApp".to_string()))
                }
                ChatFormat::Messenger => (Channel::SocialMedia, Some("Messenger".to_string())),
            };
            let app = platform.clone().unwrap_or_else(|| "SMS".to_string());
            let place = match &c.title {
                Some(t) => format!("{app}-tråden «{t}»"),
                None => format!("{app}-tråd"),
            };
            (
                channel,
                platform,
                place,
                format!("Melding nr. {} i {app}-tråden", m.index + 1),
            )
        }
        _ => (Channel::Other, None, String::new(), String::new()),
    };
    NewIncident {
        at,
        tz: Some(LOCAL_TZ.to_string()),
        approximate: false,
        place,
        place_kind: None,
        channel: Some(channel),
        platform,
        sender: m.sender.clone(),
        description,
        wording: (!m.text.trim().is_empty()).then(|| m.text.clone()),
        perceived: Vec::new(),
        targets_individuals: false,
        ongoing_emergency: false,
        actor_id: None,
        witnesses: Vec::new(),
    }
}
