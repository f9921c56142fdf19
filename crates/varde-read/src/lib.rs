//! Reads what Varde keeps. Given the bytes of an original, [`read`] returns what can be
//! read from it — an e-mail's headers, body and attachments, a chat export's messages, a
//! photo's EXIF, a recording's duration — as [`Derived`] data. The original is never
//! changed: this crate only borrows its bytes.
//!
//! Every reader runs on untrusted input. Each is bounded ([`MAX_INPUT`] and the limits in
//! the readers), returns [`ReadError`] instead of panicking, and never needs the network
//! or the file system. A file that cannot be read is still evidence: the caller stores it
//! and records the error's code.
//!
//! Libraries made for the format do the parsing where one exists (mail-parser, cfb,
//! kamadak-exif, symphonia, quick-xml, zip). Chat exports have no library: their
//! readers are written here, from the shapes the apps export, and tested on made-up
//! samples of each.

use serde::{Deserialize, Serialize};

mod chat;
mod email;
mod exif;
mod media;
mod messenger;
mod msg;
#[cfg(any(test, feature = "samples"))]
pub mod samples;
mod sms;
mod text;
mod whatsapp;

pub use chat::sha256_text;
pub use chat::{Chat, ChatFormat, Message};
pub use email::{Attachment, Email, Mailbox};
pub use exif::{Gps, Image};
pub use media::Media;

/// The version of what this crate derives. Raised whenever a reader's output changes, so a
/// locker can tell data read by an older Varde from data read by this one.
pub const READER_VERSION: u32 = 1;

/// The largest original that is read at all (the reader for a kind may set a lower bound).
/// Larger files are stored as evidence but not read.
pub const MAX_INPUT: u64 = 256 << 20;

/// What Varde read from an original.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Derived {
    /// An e-mail (`.eml` or Outlook `.msg`).
    Email(Email),
    /// A chat export: a thread of messages.
    Chat(Chat),
    /// A photo's EXIF.
    Image(Image),
    /// A recording's format and length (`kind` "audio"; a video is one with `has_video`).
    #[serde(rename = "audio")]
    Media(Media),
}

impl Derived {
    /// The kind as a word (`email`, `chat`, `image`, `audio`).
    pub fn kind(&self) -> &'static str {
        match self {
            Derived::Email(_) => "email",
            Derived::Chat(_) => "chat",
            Derived::Image(_) => "image",
            Derived::Media(_) => "audio",
        }
    }

    /// The messages, for an e-mail (one) or a chat (all); empty otherwise.
    pub fn messages(&self) -> Vec<Message> {
        match self {
            Derived::Chat(c) => c.messages.clone(),
            Derived::Email(e) => vec![e.as_message()],
            _ => Vec::new(),
        }
    }
}

/// Which reader a file was given to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// RFC 5322 e-mail.
    Eml,
    /// Outlook message.
    Msg,
    /// WhatsApp «Eksporter chat», text.
    WhatsappText,
    /// WhatsApp «Eksporter chat», zip with media.
    WhatsappZip,
    /// Android «SMS Backup & Restore» XML.
    SmsBackup,
    /// Facebook Messenger / Instagram JSON from «Last ned informasjonen din».
    Messenger,
    /// A photo (JPEG, HEIF, PNG, TIFF, WebP).
    Image,
    /// A recording (WAV, MP3, M4A, OGG, FLAC, MP4, MKV …).
    Media,
}

impl Format {
    /// The format as a word (as serialized).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Eml => "eml",
            Format::Msg => "msg",
            Format::WhatsappText => "whatsapp_text",
            Format::WhatsappZip => "whatsapp_zip",
            Format::SmsBackup => "sms_backup",
            Format::Messenger => "messenger",
            Format::Image => "image",
            Format::Media => "media",
        }
    }

    /// The library (or this crate) that reads the format, with its version line.
    pub fn parser(self) -> &'static str {
        match self {
            Format::Eml => "mail-parser 0.11",
            Format::Msg => "cfb 0.16 + varde-read (MAPI properties)",
            Format::WhatsappText | Format::WhatsappZip => "varde-read (WhatsApp export)",
            Format::SmsBackup => "quick-xml 0.42 + varde-read (SMS Backup & Restore)",
            Format::Messenger => "serde_json 1 + varde-read (Messenger export)",
            Format::Image => "kamadak-exif 0.6",
            Format::Media => "symphonia 0.6",
        }
    }
}

/// Why an original could not be read. The original is kept as it is either way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ReadError {
    /// Larger than the reader accepts.
    #[error("too large to read ({size} bytes; the limit is {limit})")]
    TooLarge {
        /// The size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Not valid for its format.
    #[error("not a valid {format:?} file: {detail}")]
    Malformed {
        /// The format it was taken for.
        format: Format,
        /// What was wrong, in the parser's words (English, for the log).
        detail: String,
    },
    /// Valid, but with nothing to read (a chat export without messages).
    #[error("no messages in the {format:?} file")]
    Empty {
        /// The format.
        format: Format,
    },
    /// A zip from WhatsApp without its chat text.
    #[error("the zip holds no WhatsApp chat text")]
    NoChatInZip,
}

impl ReadError {
    /// The stable code of the error (`too_large`, `malformed`, `empty`, `no_chat_in_zip`).
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::TooLarge { .. } => "too_large",
            ReadError::Malformed { .. } => "malformed",
            ReadError::Empty { .. } => "empty",
            ReadError::NoChatInZip => "no_chat_in_zip",
        }
    }

    pub(crate) fn malformed(format: Format, detail: impl std::fmt::Display) -> Self {
        let mut detail = detail.to_string();
        text::truncate(&mut detail, 300);
        ReadError::Malformed { format, detail }
    }
}

/// The outcome of reading one original.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The reader the file was given to.
    pub format: Format,
    /// What was read, or why it could not be.
    pub result: Result<Derived, ReadError>,
}

/// Which reader a file goes to, from its sniffed media type, its name and its bytes (the
/// first 64 KiB, and a zip's directory); `None` when Varde reads nothing from files like it
/// (a PDF, a plain note).
pub fn detect(media_type: &str, name: &str, bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let starts = |magic: &[u8]| head.starts_with(magic);
    if media_type == "message/rfc822" || ext == "eml" {
        return Some(Format::Eml);
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // A compound file: Outlook's .msg (Word and Excel 97 use the same container).
        return (ext == "msg" || msg::looks_like_msg(head)).then_some(Format::Msg);
    }
    if media_type == "application/zip" {
        return whatsapp::zip_has_chat_name(bytes).then_some(Format::WhatsappZip);
    }
    if media_type.starts_with("image/") {
        return Some(Format::Image);
    }
    if media_type.starts_with("audio/") || media_type.starts_with("video/") {
        return Some(Format::Media);
    }
    if media_type == "text/plain" || media_type == "text/xml" || media_type == "application/json" {
        let s = text::utf8_prefix(head);
        let trimmed = s.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with("<?xml") || trimmed.starts_with("<smses") {
            return sms::looks_like_backup(trimmed).then_some(Format::SmsBackup);
        }
        if trimmed.starts_with('{') {
            return messenger::looks_like_export(trimmed).then_some(Format::Messenger);
        }
        if whatsapp::looks_like_export(s) {
            return Some(Format::WhatsappText);
        }
    }
    None
}

/// Read an original. `media_type` is the sniffed type, `name` the file name as given. Returns
/// `None` when Varde reads nothing from files like it.
pub fn read(media_type: &str, name: &str, bytes: &[u8]) -> Option<Reading> {
    let format = detect(media_type, name, bytes)?;
    let size = bytes.len() as u64;
    let result = if size > MAX_INPUT {
        Err(ReadError::TooLarge {
            size,
            limit: MAX_INPUT,
        })
    } else {
        match format {
            Format::Eml => email::read(bytes).map(Derived::Email),
            Format::Msg => msg::read(bytes).map(Derived::Email),
            Format::WhatsappText => whatsapp::read_text(bytes).map(Derived::Chat),
            Format::WhatsappZip => whatsapp::read_zip(bytes).map(Derived::Chat),
            Format::SmsBackup => sms::read(bytes).map(Derived::Chat),
            Format::Messenger => messenger::read(bytes).map(Derived::Chat),
            Format::Image => exif::read(bytes).map(Derived::Image),
            Format::Media => media::read(bytes, &name.to_ascii_lowercase()).map(Derived::Media),
        }
    };
    Some(Reading { format, result })
}

/// The bytes of an e-mail's attachment `index` (as listed in [`Email::attachments`]) and
/// its file name.
pub fn attachment(
    format: Format,
    bytes: &[u8],
    index: u32,
) -> Result<(Option<String>, Vec<u8>), ReadError> {
    match format {
        Format::Eml => email::attachment(bytes, index),
        Format::Msg => msg::attachment(bytes, index),
        other => Err(ReadError::malformed(
            other,
            "only an e-mail has attachments",
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn files_varde_does_not_read_are_left_alone() {
        assert_eq!(detect("application/pdf", "brev.pdf", b"%PDF-1.7"), None);
        assert_eq!(
            detect("text/plain", "notat.txt", b"Ring Ola i morgen.\n"),
            None
        );
        assert!(read("application/pdf", "brev.pdf", b"%PDF-1.7").is_none());
    }

    #[test]
    fn a_file_over_the_limit_is_not_read() {
        let big = vec![b'a'; (MAX_INPUT + 1) as usize];
        let r = read("message/rfc822", "stor.eml", &big).expect("detected");
        assert_eq!(r.result.unwrap_err().code(), "too_large");
    }
}
