//! E-mail (`.eml`, RFC 5322 with MIME) read with mail-parser: the headers an investigator
//! asks for, the text of the body and the attachments with their own hashes.

use mail_parser::{Address, MessageParser, MimeHeaders};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::chat::Message;
use crate::{Format, ReadError, text};

/// The most body text kept (a threat is a few lines; a newsletter is not evidence text).
const MAX_BODY: usize = 2 << 20;
/// The most attachments listed.
const MAX_ATTACHMENTS: usize = 500;
/// The most header lines of one kind kept (Received, Authentication-Results).
const MAX_TRACE: usize = 100;

/// A mailbox as the header gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Mailbox {
    /// The display name.
    pub name: Option<String>,
    /// The address.
    pub address: Option<String>,
}

impl Mailbox {
    /// `Navn <adresse>`, or whichever of the two is there.
    pub fn display(&self) -> String {
        match (&self.name, &self.address) {
            (Some(n), Some(a)) if !n.is_empty() => format!("{n} <{a}>"),
            (_, Some(a)) => a.clone(),
            (Some(n), None) => n.clone(),
            (None, None) => String::new(),
        }
    }
}

/// An attachment of an e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attachment {
    /// Its place among the e-mail's attachments, from 0 (used to extract it).
    pub index: u32,
    /// Its file name, when it has one.
    pub name: Option<String>,
    /// Its declared media type.
    pub media_type: String,
    /// Its size in bytes, decoded.
    pub size: u64,
    /// SHA-256 of its decoded bytes.
    pub sha256: String,
}

/// An e-mail as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Email {
    /// From.
    pub from: Vec<Mailbox>,
    /// To.
    pub to: Vec<Mailbox>,
    /// Cc.
    pub cc: Vec<Mailbox>,
    /// The Date header as RFC 3339, keeping the sender's offset; `None` when missing or invalid.
    pub date: Option<String>,
    /// The Date header as written.
    pub date_raw: Option<String>,
    /// Subject, decoded.
    pub subject: Option<String>,
    /// Message-ID.
    pub message_id: Option<String>,
    /// The Received headers as written (unfolded), newest (the receiving server's) first.
    pub received: Vec<String>,
    /// Authentication-Results as recorded by the receiving servers (SPF, DKIM, DMARC).
    pub authentication_results: Vec<String>,
    /// The body as plain text.
    pub body_text: String,
    /// The body text was made from HTML (the e-mail has no plain-text part).
    pub body_from_html: bool,
    /// The body text was cut at 2 MiB.
    pub body_truncated: bool,
    /// The attachments.
    pub attachments: Vec<Attachment>,
}

impl Email {
    /// The e-mail as one message (for `evidence messages` and incidents made from it).
    pub fn as_message(&self) -> Message {
        let sender = self
            .from
            .first()
            .map(Mailbox::display)
            .filter(|s| !s.is_empty());
        Message::new(0, sender, self.date.clone(), self.body_text.clone())
    }
}

fn mailboxes(a: Option<&Address<'_>>) -> Vec<Mailbox> {
    a.map(|a| {
        a.iter()
            .take(MAX_ATTACHMENTS)
            .map(|m| Mailbox {
                name: m.name().map(str::to_string),
                address: m.address().map(str::to_string),
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Unfold a header value as written: line breaks with their indentation become one space.
pub(crate) fn unfold(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, line) in raw.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if i > 0 {
            let t = line.trim_start();
            if t.is_empty() {
                continue;
            }
            out.push(' ');
            out.push_str(t);
        } else {
            out.push_str(line.trim_start());
        }
    }
    out.trim().to_string()
}

fn parse(bytes: &[u8]) -> Result<mail_parser::Message<'_>, ReadError> {
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| ReadError::malformed(Format::Eml, "no message headers"))?;
    let has = |h: mail_parser::HeaderName<'_>| msg.header(h).is_some();
    use mail_parser::HeaderName as H;
    if ![
        H::From,
        H::Date,
        H::Subject,
        H::MessageId,
        H::Received,
        H::To,
    ]
    .into_iter()
    .any(has)
    {
        return Err(ReadError::malformed(
            Format::Eml,
            "none of From, To, Date, Subject, Message-ID or Received",
        ));
    }
    Ok(msg)
}

/// Read an `.eml`.
pub(crate) fn read(bytes: &[u8]) -> Result<Email, ReadError> {
    let msg = parse(bytes)?;
    from_message(&msg)
}

/// What an e-mail's headers say, from a parsed message (an `.eml`, or the internet headers
/// an Outlook `.msg` keeps).
pub(crate) fn from_message(msg: &mail_parser::Message<'_>) -> Result<Email, ReadError> {
    let mut received = Vec::new();
    let mut auth = Vec::new();
    let mut date_raw = None;
    for (name, value) in msg.headers_raw() {
        if name.eq_ignore_ascii_case("Received") && received.len() < MAX_TRACE {
            received.push(unfold(value));
        } else if name.eq_ignore_ascii_case("Authentication-Results") && auth.len() < MAX_TRACE {
            auth.push(unfold(value));
        } else if name.eq_ignore_ascii_case("Date") && date_raw.is_none() {
            date_raw = Some(unfold(value));
        }
    }
    let date = msg.date().filter(|d| d.is_valid()).and_then(|d| {
        // Check it through chrono: mail-parser accepts e.g. 31 February.
        chrono::DateTime::parse_from_rfc3339(&d.to_rfc3339())
            .ok()
            .map(|t| t.to_rfc3339())
    });
    let (mut body_text, body_from_html) = match msg.text_body.first() {
        Some(&id) => {
            let from_html = msg.parts.get(id as usize).is_some_and(|p| p.is_text_html());
            (
                msg.body_text(0).map(|c| c.into_owned()).unwrap_or_default(),
                from_html,
            )
        }
        None => (String::new(), false),
    };
    // Line ends as text has them (the original keeps its CRLF).
    if body_text.contains('\r') {
        body_text = body_text.replace("\r\n", "\n");
    }
    let body_truncated = body_text.len() > MAX_BODY;
    text::truncate(&mut body_text, MAX_BODY);
    let attachments = msg
        .attachments()
        .take(MAX_ATTACHMENTS)
        .enumerate()
        .map(|(i, part)| {
            let contents = part.contents();
            Attachment {
                index: u32::try_from(i).unwrap_or(u32::MAX),
                name: part.attachment_name().map(str::to_string),
                media_type: part
                    .content_type()
                    .map(|c| match c.subtype() {
                        Some(s) => format!("{}/{}", c.ctype(), s),
                        None => c.ctype().to_string(),
                    })
                    .unwrap_or_else(|| "application/octet-stream".into())
                    .to_ascii_lowercase(),
                size: contents.len() as u64,
                sha256: hex::encode(Sha256::digest(contents)),
            }
        })
        .collect();
    Ok(Email {
        from: mailboxes(msg.from()),
        to: mailboxes(msg.to()),
        cc: mailboxes(msg.cc()),
        date,
        date_raw,
        subject: msg.subject().map(str::to_string),
        message_id: msg.message_id().map(str::to_string),
        received,
        authentication_results: auth,
        body_text,
        body_from_html,
        body_truncated,
        attachments,
    })
}

/// The decoded bytes of attachment `index` and its name.
pub(crate) fn attachment(bytes: &[u8], index: u32) -> Result<(Option<String>, Vec<u8>), ReadError> {
    let msg = parse(bytes)?;
    let part = msg
        .attachments()
        .nth(index as usize)
        .ok_or_else(|| ReadError::malformed(Format::Eml, format!("no attachment {index}")))?;
    Ok((
        part.attachment_name().map(str::to_string),
        part.contents().to_vec(),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_multipart_email_with_a_norwegian_subject_is_read_field_by_field() {
        let e = read(&crate::samples::eml()).expect("read");
        assert_eq!(e.from.len(), 1);
        assert_eq!(e.from[0].name.as_deref(), Some("Ukjent avsender"));
        assert_eq!(
            e.from[0].address.as_deref(),
            Some("anonym.avsender@example.net")
        );
        assert_eq!(e.to[0].display(), "Kari Hansen <kari.hansen@firma.example>");
        assert_eq!(e.cc[0].address.as_deref(), Some("post@firma.example"));
        assert_eq!(e.subject.as_deref(), Some("Du skal få betale for dette"));
        assert_eq!(e.date.as_deref(), Some("2026-11-21T21:14:03+01:00"));
        assert_eq!(
            e.date_raw.as_deref(),
            Some("Sat, 21 Nov 2026 21:14:03 +0100")
        );
        assert_eq!(
            e.message_id.as_deref(),
            Some("20261121201403.ABC123@example.net")
        );
        assert_eq!(e.received.len(), 2);
        assert!(
            e.received[0].starts_with(
                "from mx.example.net (mx.example.net [192.0.2.10]) by mail.firma.example"
            ),
            "{}",
            e.received[0]
        );
        assert_eq!(
            e.authentication_results,
            vec![
                "mail.firma.example; spf=pass smtp.mailfrom=example.net; dkim=none; dmarc=none"
                    .to_string()
            ]
        );
        assert_eq!(
            e.body_text.trim_end(),
            "Jeg vet hvor du bor. Du skal få svi for det du gjorde 🔪\nNeste gang står jeg utenfor døra."
        );
        assert!(!e.body_from_html);
        assert_eq!(e.attachments.len(), 1);
        let a = &e.attachments[0];
        assert_eq!(a.name.as_deref(), Some("bilde av huset.png"));
        assert_eq!(a.media_type, "image/png");
        let (name, bytes) = attachment(&crate::samples::eml(), 0).expect("attachment");
        assert_eq!(name.as_deref(), Some("bilde av huset.png"));
        assert!(bytes.starts_with(b"\x89PNG"));
        assert_eq!(a.size, bytes.len() as u64);
        assert_eq!(a.sha256, hex::encode(Sha256::digest(&bytes)));
        let m = e.as_message();
        assert_eq!(
            m.sender.as_deref(),
            Some("Ukjent avsender <anonym.avsender@example.net>")
        );
        assert_eq!(m.time.as_deref(), Some("2026-11-21T21:14:03+01:00"));
    }

    #[test]
    fn an_html_only_email_gives_its_text_and_says_so() {
        let raw = b"From: a@example.net\r\nTo: b@example.net\r\nSubject: Hei\r\nDate: Mon, 2 Nov 2026 08:00:00 +0100\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<html><body><p>Du f\xe5r se.</p></body></html>\r\n";
        let e = read(raw).expect("read");
        assert!(e.body_from_html);
        assert!(e.body_text.contains("Du får se."), "{:?}", e.body_text);
        assert!(e.attachments.is_empty());
    }

    #[test]
    fn an_invalid_date_is_kept_as_written_only() {
        let raw = b"From: a@example.net\r\nDate: Tue, 31 Feb 2026 25:61:00 +0100\r\n\r\nhei\r\n";
        let e = read(raw).expect("read");
        assert_eq!(e.date, None);
        assert_eq!(
            e.date_raw.as_deref(),
            Some("Tue, 31 Feb 2026 25:61:00 +0100")
        );
    }

    #[test]
    fn bytes_that_are_no_email_are_malformed() {
        assert_eq!(read(b"").unwrap_err().code(), "malformed");
        assert_eq!(read(b"\x00\x01\x02").unwrap_err().code(), "malformed");
    }
}
