//! Facebook Messenger and Instagram, from «Last ned informasjonen din» in JSON:
//!
//! ```json
//! {"participants": [{"name": "Ola"}, {"name": "Kari"}],
//!  "messages": [{"sender_name": "Ola", "timestamp_ms": 1795292040000, "content": "f\u00c3\u00a5"}],
//!  "title": "Ola", "thread_path": "inbox/ola_123"}
//! ```
//!
//! Messages come newest first, and every text is UTF-8 written byte by byte as Latin-1
//! characters («f\u00c3\u00a5» for «få»); both are undone here. The newer export of
//! end-to-end encrypted chats (`senderName`, `text`, `timestamp`, plain participants) is
//! read too.

use serde::Deserialize;

use crate::chat::{Chat, ChatFormat, Message};
use crate::{Format, ReadError, text};

#[derive(Deserialize)]
#[serde(untagged)]
enum Participant {
    Named { name: String },
    Plain(String),
}

#[derive(Deserialize, Default)]
struct Uri {
    #[serde(default)]
    uri: String,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(alias = "senderName")]
    sender_name: Option<String>,
    #[serde(alias = "timestamp")]
    timestamp_ms: Option<i64>,
    #[serde(alias = "text")]
    content: Option<String>,
    #[serde(default)]
    photos: Vec<Uri>,
    #[serde(default)]
    videos: Vec<Uri>,
    #[serde(default)]
    audio_files: Vec<Uri>,
    #[serde(default)]
    files: Vec<Uri>,
    #[serde(default)]
    media: Vec<Uri>,
}

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    participants: Vec<Participant>,
    messages: Vec<Raw>,
    #[serde(alias = "threadName")]
    title: Option<String>,
}

pub(crate) fn looks_like_export(head: &str) -> bool {
    head.contains("\"messages\"")
        && (head.contains("\"participants\"") || head.contains("\"sender_name\""))
}

/// Read an export.
pub(crate) fn read(bytes: &[u8]) -> Result<Chat, ReadError> {
    let export: Export =
        serde_json::from_slice(bytes).map_err(|e| ReadError::malformed(Format::Messenger, e))?;
    if export.messages.is_empty() {
        return Err(ReadError::Empty {
            format: Format::Messenger,
        });
    }
    let mut repaired = false;
    let mut fix = |s: String| match text::repair_mojibake(&s) {
        Some(f) => {
            repaired = true;
            f
        }
        None => s,
    };
    let participants: Vec<String> = export
        .participants
        .into_iter()
        .map(|p| match p {
            Participant::Named { name } | Participant::Plain(name) => name,
        })
        .map(&mut fix)
        .collect();
    let title = export.title.map(&mut fix);
    let mut raw = export.messages;
    // Oldest first (the export is newest first); stable, so equal times keep their order
    // reversed back to how they were sent.
    raw.reverse();
    raw.sort_by_key(|m| m.timestamp_ms.unwrap_or(i64::MIN));
    let messages: Vec<Message> = raw
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let time = m
                .timestamp_ms
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
            let media = [&m.photos, &m.videos, &m.audio_files, &m.files, &m.media]
                .into_iter()
                .flatten()
                .map(|u| u.uri.rsplit('/').next().unwrap_or(&u.uri).to_string())
                .find(|n| !n.is_empty());
            let mut msg = Message::new(
                i,
                m.sender_name.map(&mut fix),
                time,
                m.content.map(&mut fix).unwrap_or_default(),
            );
            msg.media = media;
            msg
        })
        .collect();
    Ok(Chat {
        app: ChatFormat::Messenger,
        title,
        participants: if participants.is_empty() {
            Chat::participants_from_messages(&messages)
        } else {
            participants
        },
        messages,
        media_files: Vec::new(),
        repaired_encoding: repaired,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_messenger_export_is_read_oldest_first_with_its_letters_repaired() {
        assert_eq!(
            crate::detect(
                "application/json",
                "message_1.json",
                crate::samples::MESSENGER_JSON.as_bytes()
            ),
            Some(Format::Messenger)
        );
        let c = read(crate::samples::MESSENGER_JSON.as_bytes()).expect("read");
        assert_eq!(c.app, ChatFormat::Messenger);
        assert!(c.repaired_encoding);
        assert_eq!(c.title.as_deref(), Some("Ola Nordmann"));
        assert_eq!(
            c.participants,
            vec!["Ola Nordmann".to_string(), "Kari Hansen".to_string()]
        );
        assert_eq!(c.messages.len(), 3);
        assert_eq!(c.messages[0].text, "Du får se hva som skjer på møtet 🔪");
        assert_eq!(
            c.messages[0].time.as_deref(),
            Some("2026-11-21T20:14:00.000Z")
        );
        assert_eq!(c.messages[1].text, "Slutt å skrive til meg.");
        assert_eq!(c.messages[1].sender.as_deref(), Some("Kari Hansen"));
        assert_eq!(c.messages[2].media.as_deref(), Some("4711.jpg"));
        assert_eq!(c.messages[2].text, "");
    }

    #[test]
    fn the_newer_export_of_encrypted_chats_is_read() {
        let e2ee = r#"{"participants":["Ola Nordmann","Kari Hansen"],"threadName":"Ola Nordmann","messages":[{"isUnsent":false,"media":[],"reactions":[],"senderName":"Ola Nordmann","text":"Du får se","timestamp":1795292040000,"type":"text"}]}"#;
        let c = read(e2ee.as_bytes()).expect("read");
        assert!(!c.repaired_encoding);
        assert_eq!(c.messages[0].text, "Du får se");
        assert_eq!(c.title.as_deref(), Some("Ola Nordmann"));
    }

    #[test]
    fn broken_or_empty_exports_are_reported() {
        assert_eq!(
            read(br#"{"participants":[],"messages":[]}"#)
                .unwrap_err()
                .code(),
            "empty"
        );
        assert_eq!(
            read(br#"{"participants":[{"name":"x"}],"messages":[{"sender_name":"#)
                .unwrap_err()
                .code(),
            "malformed"
        );
    }
}
