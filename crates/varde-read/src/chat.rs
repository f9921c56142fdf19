//! A thread of messages, whatever app it was exported from.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The app and shape a chat was exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ChatFormat {
    /// WhatsApp on Android: `21.11.2026, 21:14 - Navn: tekst`.
    WhatsappAndroid,
    /// WhatsApp on iPhone: `[21.11.2026, 21:14:03] Navn: tekst`.
    WhatsappIos,
    /// Android «SMS Backup & Restore».
    SmsBackup,
    /// Facebook Messenger or Instagram («Last ned informasjonen din»).
    Messenger,
}

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Message {
    /// Its place in the thread, from 0, oldest first.
    pub index: u32,
    /// Who sent it, as the export names them; `None` for the phone's owner in an SMS
    /// backup (see `outgoing`) and for the app's own notices.
    pub sender: Option<String>,
    /// Sent from the phone or account the export was made on (when the export says).
    pub outgoing: Option<bool>,
    /// When: RFC 3339 with its offset when the export gives an instant; otherwise the
    /// phone's local time as shown, `YYYY-MM-DDTHH:MM[:SS]`, and `time_is_local` is true.
    pub time: Option<String>,
    /// `time` is the phone's clock time with no zone.
    pub time_is_local: bool,
    /// The text exactly as exported (several lines stay several lines).
    pub text: String,
    /// A photo, recording or file the message carries, by the name the export gives it.
    pub media: Option<String>,
    /// The media file is in the export (a zip with media), not just named.
    pub media_included: bool,
    /// SHA-256 of `text` (UTF-8), to find the message again in the original.
    pub text_sha256: String,
}

impl Message {
    pub(crate) fn new(
        index: usize,
        sender: Option<String>,
        time: Option<String>,
        text: String,
    ) -> Self {
        let text_sha256 = sha256_text(&text);
        Message {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            sender,
            outgoing: None,
            time,
            time_is_local: false,
            text,
            media: None,
            media_included: false,
            text_sha256,
        }
    }
}

/// SHA-256 of a message's text, lower-case hex.
pub fn sha256_text(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A chat export read into its thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Chat {
    /// The app and shape it was exported in.
    pub app: ChatFormat,
    /// The thread's title when the export has one (a group name, the other person).
    pub title: Option<String>,
    /// Everyone who wrote in the thread, in order of first message (or as the export lists them).
    pub participants: Vec<String>,
    /// The messages, oldest first.
    pub messages: Vec<Message>,
    /// Media files included in the export (a zip): name and size in bytes.
    pub media_files: Vec<(String, u64)>,
    /// Texts were repaired from the export's mis-encoded UTF-8 (Messenger).
    pub repaired_encoding: bool,
}

impl Chat {
    pub(crate) fn participants_from_messages(messages: &[Message]) -> Vec<String> {
        let mut seen = Vec::<String>::new();
        for m in messages {
            if let Some(s) = &m.sender
                && !seen.contains(s)
            {
                seen.push(s.clone());
            }
        }
        seen
    }
}
