//! Outlook `.msg`: a compound file (read with cfb) holding MAPI properties, one stream
//! each. No maintained crate reads the properties, so the few an investigator needs are
//! read here, by their documented tags ([MS-OXMSG], [MS-OXPROPS]):
//!
//! - the internet headers the receiving server wrote (`PR_TRANSPORT_MESSAGE_HEADERS`),
//!   parsed as an e-mail's headers with mail-parser: Received, Authentication-Results,
//!   Date with its offset, Message-ID;
//! - subject, sender, recipients, body, and the submit time when there are no headers
//!   (a sent item or a draft);
//! - attachments: file name, media type and data.

use std::io::{Cursor, Read};

use sha2::{Digest, Sha256};

use crate::email::{Attachment, Email, Mailbox};
use crate::{Format, MAX_INPUT, ReadError, text};

const SUBJECT: u16 = 0x0037;
pub(crate) const CLIENT_SUBMIT_TIME: u16 = 0x0039;
const TRANSPORT_HEADERS: u16 = 0x007D;
const SENDER_NAME: u16 = 0x0C1A;
const SENDER_EMAIL: u16 = 0x0C1F;
pub(crate) const RECIPIENT_TYPE: u16 = 0x0C15;
const DISPLAY_NAME: u16 = 0x3001;
const EMAIL_ADDRESS: u16 = 0x3003;
const BODY: u16 = 0x1000;
const BODY_HTML: u16 = 0x1013;
const INTERNET_MESSAGE_ID: u16 = 0x1035;
const SMTP_ADDRESS: u16 = 0x39FE;
const SENDER_SMTP_ADDRESS: u16 = 0x5D01;
const ATTACH_DATA: u16 = 0x3701;
const ATTACH_FILENAME: u16 = 0x3704;
const ATTACH_LONG_FILENAME: u16 = 0x3707;
const ATTACH_MIME_TAG: u16 = 0x370E;

pub(crate) const PT_LONG: u16 = 0x0003;
pub(crate) const PT_SYSTIME: u16 = 0x0040;
const PT_STRING8: u16 = 0x001E;
const PT_UNICODE: u16 = 0x001F;
const PT_BINARY: u16 = 0x0102;

/// The most recipients and attachments read.
const MAX_ITEMS: usize = 500;

/// The directory of a small `.msg` is near its start: look for a property stream's name.
pub(crate) fn looks_like_msg(head: &[u8]) -> bool {
    let needle: Vec<u8> = "__substg1.0_"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    head.windows(needle.len()).any(|w| w == needle.as_slice())
}

type Cfb<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

fn stream(cf: &mut Cfb<'_>, path: &str) -> Option<Vec<u8>> {
    if !cf.is_stream(path) {
        return None;
    }
    let mut s = cf.open_stream(path).ok()?;
    let mut out = Vec::new();
    s.by_ref().take(MAX_INPUT).read_to_end(&mut out).ok()?;
    Some(out)
}

/// A string property of the storage `dir` ("" for the message itself).
fn string(cf: &mut Cfb<'_>, dir: &str, id: u16) -> Option<String> {
    let utf16 = format!("{dir}/__substg1.0_{id:04X}{PT_UNICODE:04X}");
    if let Some(b) = stream(cf, &utf16) {
        let units = b.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]]));
        let s: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        return Some(s.trim_end_matches('\0').to_string());
    }
    let ansi = format!("{dir}/__substg1.0_{id:04X}{PT_STRING8:04X}");
    stream(cf, &ansi).map(|b| {
        let s = String::from_utf8(b.clone())
            .unwrap_or_else(|_| b.iter().map(|&c| char::from(c)).collect());
        s.trim_end_matches('\0').to_string()
    })
}

fn binary(cf: &mut Cfb<'_>, dir: &str, id: u16) -> Option<Vec<u8>> {
    stream(cf, &format!("{dir}/__substg1.0_{id:04X}{PT_BINARY:04X}"))
}

/// A fixed-size property from the storage's property stream. `header` is the length of the
/// stream's header: 32 for the message, 8 for a recipient or attachment.
fn fixed(cf: &mut Cfb<'_>, dir: &str, header: usize, id: u16, kind: u16) -> Option<[u8; 8]> {
    let b = stream(cf, &format!("{dir}/__properties_version1.0"))?;
    let want = (u32::from(id) << 16) | u32::from(kind);
    b.get(header..)?.chunks_exact(16).find_map(|e| {
        let tag = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
        (tag == want).then(|| {
            let mut v = [0u8; 8];
            v.copy_from_slice(&e[8..16]);
            v
        })
    })
}

/// A FILETIME (100 ns since 1601 UTC) as RFC 3339.
fn filetime(v: [u8; 8]) -> Option<String> {
    let ticks = i64::try_from(u64::from_le_bytes(v)).ok()?;
    let unix_secs = ticks / 10_000_000 - 11_644_473_600;
    chrono::DateTime::from_timestamp(unix_secs, 0).map(|t| t.to_rfc3339())
}

fn storages(cf: &Cfb<'_>, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = cf
        .read_root_storage()
        .filter(|e| e.is_storage() && e.name().starts_with(prefix))
        .map(|e| format!("/{}", e.name()))
        .take(MAX_ITEMS)
        .collect();
    names.sort();
    names
}

fn open(bytes: &[u8]) -> Result<Cfb<'_>, ReadError> {
    let cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| ReadError::malformed(Format::Msg, e))?;
    if !cf
        .read_root_storage()
        .any(|e| e.name().starts_with("__substg1.0_"))
    {
        return Err(ReadError::malformed(
            Format::Msg,
            "a compound file without message properties (not an Outlook message)",
        ));
    }
    Ok(cf)
}

/// Read an Outlook `.msg`.
pub(crate) fn read(bytes: &[u8]) -> Result<Email, ReadError> {
    let mut cf = open(bytes)?;
    let headers = string(&mut cf, "", TRANSPORT_HEADERS).filter(|h| !h.trim().is_empty());
    // The internet headers, when the message came in by mail, say the most.
    let mut email = match &headers {
        Some(h) => {
            let raw = format!("{}\r\n\r\n", h.trim_end());
            match mail_parser::MessageParser::default().parse(raw.as_bytes()) {
                Some(m) => crate::email::from_message(&m)?,
                None => empty(),
            }
        }
        None => empty(),
    };
    if let Some(s) = string(&mut cf, "", SUBJECT) {
        email.subject = Some(s);
    }
    if email.message_id.is_none() {
        email.message_id = string(&mut cf, "", INTERNET_MESSAGE_ID).map(|s| {
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        });
    }
    if email.from.is_empty() {
        let address =
            string(&mut cf, "", SENDER_SMTP_ADDRESS).or_else(|| string(&mut cf, "", SENDER_EMAIL));
        let name = string(&mut cf, "", SENDER_NAME);
        if address.is_some() || name.is_some() {
            email.from.push(Mailbox { name, address });
        }
    }
    if email.date.is_none() {
        email.date = fixed(&mut cf, "", 32, CLIENT_SUBMIT_TIME, PT_SYSTIME).and_then(filetime);
    }
    if email.to.is_empty() && email.cc.is_empty() {
        for dir in storages(&cf, "__recip_version1.0_#") {
            let name = string(&mut cf, &dir, DISPLAY_NAME);
            let address = string(&mut cf, &dir, SMTP_ADDRESS)
                .or_else(|| string(&mut cf, &dir, EMAIL_ADDRESS));
            let kind = fixed(&mut cf, &dir, 8, RECIPIENT_TYPE, PT_LONG)
                .map(|v| u32::from_le_bytes([v[0], v[1], v[2], v[3]]))
                .unwrap_or(1);
            let mb = Mailbox { name, address };
            match kind {
                2 => email.cc.push(mb),
                1 => email.to.push(mb),
                _ => {} // Bcc: not shown to the recipient, not listed here.
            }
        }
    }
    match string(&mut cf, "", BODY).filter(|b| !b.trim().is_empty()) {
        Some(b) => {
            email.body_text = b;
            email.body_from_html = false;
        }
        None => {
            let html = binary(&mut cf, "", BODY_HTML)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .or_else(|| string(&mut cf, "", BODY_HTML));
            if let Some(h) = html {
                email.body_text = mail_parser::decoders::html::html_to_text(&h);
                email.body_from_html = true;
            }
        }
    }
    if email.body_text.contains('\r') {
        email.body_text = email.body_text.replace("\r\n", "\n");
    }
    email.body_truncated = email.body_text.len() > (2 << 20);
    text::truncate(&mut email.body_text, 2 << 20);
    email.attachments = attachments(&mut cf)
        .into_iter()
        .enumerate()
        .map(|(i, (name, media_type, data))| Attachment {
            index: u32::try_from(i).unwrap_or(u32::MAX),
            name,
            media_type,
            size: data.len() as u64,
            sha256: hex::encode(Sha256::digest(&data)),
        })
        .collect();
    Ok(email)
}

fn empty() -> Email {
    Email {
        from: Vec::new(),
        to: Vec::new(),
        cc: Vec::new(),
        date: None,
        date_raw: None,
        subject: None,
        message_id: None,
        received: Vec::new(),
        authentication_results: Vec::new(),
        body_text: String::new(),
        body_from_html: false,
        body_truncated: false,
        attachments: Vec::new(),
    }
}

/// The file attachments: name, media type, bytes. (An attached Outlook item is a storage,
/// not bytes, and is not listed.)
fn attachments(cf: &mut Cfb<'_>) -> Vec<(Option<String>, String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in storages(cf, "__attach_version1.0_#") {
        let Some(data) = binary(cf, &dir, ATTACH_DATA) else {
            continue;
        };
        let name = string(cf, &dir, ATTACH_LONG_FILENAME)
            .or_else(|| string(cf, &dir, ATTACH_FILENAME))
            .or_else(|| string(cf, &dir, DISPLAY_NAME));
        let media_type = string(cf, &dir, ATTACH_MIME_TAG)
            .map(|m| m.trim().to_ascii_lowercase())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "application/octet-stream".into());
        out.push((name, media_type, data));
    }
    out
}

/// The bytes of attachment `index` and its name.
pub(crate) fn attachment(bytes: &[u8], index: u32) -> Result<(Option<String>, Vec<u8>), ReadError> {
    let mut cf = open(bytes)?;
    attachments(&mut cf)
        .into_iter()
        .nth(index as usize)
        .map(|(name, _, data)| (name, data))
        .ok_or_else(|| ReadError::malformed(Format::Msg, format!("no attachment {index}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn an_outlook_message_is_read_from_its_internet_headers_and_properties() {
        let bytes = crate::samples::msg(true);
        assert_eq!(
            crate::detect("application/x-ole-storage", "advarsel.msg", &bytes),
            Some(Format::Msg)
        );
        let e = read(&bytes).expect("read");
        assert_eq!(e.subject.as_deref(), Some("Siste advarsel – les dette"));
        assert_eq!(e.date.as_deref(), Some("2026-11-23T07:02:09+01:00"));
        assert_eq!(e.message_id.as_deref(), Some("msg-42@example.net"));
        assert_eq!(e.from[0].display(), "Ukjent <trussel@example.net>");
        assert_eq!(
            e.to[0].address.as_deref(),
            Some("kari.hansen@firma.example")
        );
        assert_eq!(e.received.len(), 1);
        assert!(
            e.received[0].ends_with("Mon, 23 Nov 2026 07:02:11 +0100"),
            "{}",
            e.received[0]
        );
        assert_eq!(
            e.authentication_results,
            vec!["exchange.firma.example; spf=fail smtp.mailfrom=example.net".to_string()]
        );
        assert!(e.body_text.starts_with("Dette er siste advarsel."));
        assert_eq!(e.attachments.len(), 1);
        assert_eq!(
            e.attachments[0].name.as_deref(),
            Some("kart over området.pdf")
        );
        assert_eq!(e.attachments[0].media_type, "application/pdf");
        let (_, data) = attachment(&bytes, 0).expect("attachment");
        assert_eq!(e.attachments[0].sha256, hex::encode(Sha256::digest(&data)));
    }

    #[test]
    fn an_outlook_message_without_headers_uses_its_properties() {
        let e = read(&crate::samples::msg(false)).expect("read");
        assert_eq!(e.date.as_deref(), Some("2026-11-23T06:02:09+00:00"));
        assert_eq!(e.from[0].display(), "Ukjent <trussel@example.net>");
        assert_eq!(e.to.len(), 1);
        assert_eq!(e.cc[0].display(), "Sikkerhet <sikkerhet@firma.example>");
        assert!(e.received.is_empty());
    }

    #[test]
    fn a_compound_file_that_is_no_message_is_malformed() {
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        crate::samples::put(&mut cf, "/WordDocument", b"not mail");
        cf.flush().expect("flush");
        let bytes = cf.into_inner().into_inner();
        assert_eq!(read(&bytes).unwrap_err().code(), "malformed");
        let mut cut = crate::samples::msg(true);
        cut.truncate(700);
        assert_eq!(read(&cut).unwrap_err().code(), "malformed");
    }
}
