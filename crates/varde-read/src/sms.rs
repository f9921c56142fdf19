//! Android «SMS Backup & Restore» XML, read with quick-xml:
//!
//! ```xml
//! <smses count="2">
//!   <sms address="+4791234567" date="1795292040000" type="1" body="…" contact_name="(Unknown)" />
//!   <mms date="1795292100000" msg_box="1" address="+4791234567">
//!     <parts><part ct="text/plain" text="…" /><part ct="image/jpeg" name="IMG_1.jpg" data="…" /></parts>
//!   </mms>
//! </smses>
//! ```
//!
//! `date` is milliseconds since 1970 (UTC); `type` / `msg_box` 1 is received, 2 is sent.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::chat::{Chat, ChatFormat, Message};
use crate::{Format, ReadError, text};

/// The most messages read.
const MAX_MESSAGES: usize = 1_000_000;

pub(crate) fn looks_like_backup(head: &str) -> bool {
    head.contains("<smses") || head.contains("<sms ")
}

fn attrs(e: &BytesStart<'_>) -> Result<Vec<(String, String)>, ReadError> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| ReadError::malformed(Format::SmsBackup, err))?;
        let key = a.key.as_ref().to_string();
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| ReadError::malformed(Format::SmsBackup, err))?
            .into_owned();
        out.push((key, value));
    }
    Ok(out)
}

fn get<'a>(a: &'a [(String, String)], key: &str) -> Option<&'a str> {
    a.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty() && *v != "null")
}

fn time(ms: Option<&str>) -> Option<String> {
    let ms: i64 = ms?.trim().parse().ok()?;
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// A message being read: received or sent, from whom, when, what.
struct Pending {
    outgoing: bool,
    address: Option<String>,
    contact: Option<String>,
    time: Option<String>,
    text: String,
    media: Option<String>,
}

impl Pending {
    fn from_attrs(a: &[(String, String)], kind_key: &str) -> Self {
        let contact = get(a, "contact_name")
            .filter(|c| *c != "(Unknown)")
            .map(str::to_string);
        Pending {
            outgoing: get(a, kind_key) == Some("2"),
            address: get(a, "address").map(str::to_string),
            contact,
            time: time(get(a, "date")),
            text: get(a, "body").unwrap_or_default().to_string(),
            media: None,
        }
    }
}

/// Read a backup.
pub(crate) fn read(bytes: &[u8]) -> Result<Chat, ReadError> {
    let s = text::decode(bytes);
    let mut reader = Reader::from_str(&s);
    let mut pending: Vec<Pending> = Vec::new();
    let mut in_mms: Option<Pending> = None;
    let mut saw_root = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| ReadError::malformed(Format::SmsBackup, e))?;
        match ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "smses" => saw_root = true,
                "sms" if pending.len() < MAX_MESSAGES => {
                    pending.push(Pending::from_attrs(&attrs(&e)?, "type"));
                }
                "mms" if pending.len() < MAX_MESSAGES => {
                    in_mms = Some(Pending::from_attrs(&attrs(&e)?, "msg_box"));
                }
                "part" => {
                    if let Some(m) = in_mms.as_mut() {
                        let a = attrs(&e)?;
                        let ct = get(&a, "ct").unwrap_or_default();
                        if ct == "text/plain" {
                            if !m.text.is_empty() {
                                m.text.push('\n');
                            }
                            m.text.push_str(get(&a, "text").unwrap_or_default());
                        } else if ct != "application/smil" && m.media.is_none() {
                            m.media = get(&a, "name")
                                .or_else(|| get(&a, "cl"))
                                .map(str::to_string);
                        }
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "mms" => {
                if let Some(m) = in_mms.take() {
                    pending.push(m);
                }
            }
            _ => {}
        }
    }
    if !saw_root {
        return Err(ReadError::malformed(
            Format::SmsBackup,
            "no <smses> element",
        ));
    }
    if pending.is_empty() {
        return Err(ReadError::Empty {
            format: Format::SmsBackup,
        });
    }
    // Oldest first; the backup's own order breaks ties.
    pending.sort_by(|a, b| a.time.cmp(&b.time));
    let mut contacts: Vec<String> = pending.iter().filter_map(|p| p.contact.clone()).collect();
    contacts.dedup();
    let messages: Vec<Message> = pending
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let sender = if p.outgoing { None } else { p.address };
            let mut m = Message::new(i, sender, p.time, p.text);
            m.outgoing = Some(p.outgoing);
            m.media = p.media;
            m
        })
        .collect();
    let mut participants = Chat::participants_from_messages(&messages);
    for c in &contacts {
        if !participants.contains(c) {
            participants.push(c.clone());
        }
    }
    Ok(Chat {
        app: ChatFormat::SmsBackup,
        title: (contacts.len() == 1).then(|| contacts[0].clone()),
        participants,
        messages,
        media_files: Vec::new(),
        repaired_encoding: false,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_sms_backup_is_read_in_time_order_with_mms_parts() {
        assert_eq!(
            crate::detect(
                "text/xml",
                "sms-20261122.xml",
                crate::samples::SMS_BACKUP_XML.as_bytes()
            ),
            Some(Format::SmsBackup)
        );
        let c = read(crate::samples::SMS_BACKUP_XML.as_bytes()).expect("read");
        assert_eq!(c.app, ChatFormat::SmsBackup);
        assert_eq!(c.messages.len(), 3);
        let threat = &c.messages[0];
        assert_eq!(threat.sender.as_deref(), Some("+4791234567"));
        assert_eq!(threat.outgoing, Some(false));
        assert_eq!(threat.time.as_deref(), Some("2026-11-21T20:14:00Z"));
        assert!(!threat.time_is_local);
        assert_eq!(
            threat.text,
            "Du slipper ikke unna.\nJeg vet hvor du parkerer 😠"
        );
        let mms = &c.messages[1];
        assert_eq!(mms.text, "Bilen din?");
        assert_eq!(mms.media.as_deref(), Some("IMG_20261121_211500.jpg"));
        let reply = &c.messages[2];
        assert_eq!(reply.sender, None);
        assert_eq!(reply.outgoing, Some(true));
        assert_eq!(c.participants, vec!["+4791234567".to_string()]);
    }

    #[test]
    fn broken_or_empty_backups_are_reported() {
        assert_eq!(
            read(b"<smses count=\"0\"></smses>").unwrap_err().code(),
            "empty"
        );
        assert_eq!(
            read(b"<smses><sms body=\"x\" date=\"1\" type=\"1\"")
                .unwrap_err()
                .code(),
            "malformed"
        );
        assert_eq!(read(b"<other/>").unwrap_err().code(), "malformed");
    }
}
