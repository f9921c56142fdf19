//! WhatsApp «Eksporter chat»: a text file (or a zip with the text and the media), one line
//! per message start. No library reads it; the shapes handled here are those the apps
//! write, on Android and iPhone, in Norwegian and English settings:
//!
//! ```text
//! 21.11.2026, 21:14 - Ola Nordmann: Du skal få svi          (Android, nb)
//! 11/21/26, 9:14 PM - Ola Nordmann: You'll pay              (Android, en-US)
//! [21.11.2026, 21:14:03] Ola Nordmann: Du skal få svi        (iPhone, nb)
//! [11/21/26, 9:14:03 PM] Ola Nordmann: You'll pay           (iPhone, en-US; U+202F before PM)
//! ```
//!
//! A line without a date continues the message above it. The day-month order of `/` dates
//! is decided for the whole file (a first number over 12 means day first; a second over 12,
//! or AM/PM, means month first; otherwise day first, as in Norway).

use std::io::{Cursor, Read};
use std::sync::LazyLock;

use regex::Regex;

use crate::chat::{Chat, ChatFormat, Message};
use crate::{Format, ReadError, text};

/// The largest chat text read (a year of daily messages is a few MB).
const MAX_TEXT: u64 = 64 << 20;
/// The most files of a zip listed.
const MAX_FILES: usize = 20_000;

const DATE: &str = r"(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})[./-](?P<c>\d{1,4})";
const TIME: &str =
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?(?:\s?(?P<ap>[AaPp])\.?\s?[Mm]\.?)?";

static IOS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\u{{200E}}?\[{DATE},?\s+{TIME}\]\s(?P<rest>.*)$"
    ))
    .expect("valid pattern")
});
static ANDROID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\u{{200E}}?{DATE},?\s+{TIME}\s[-–]\s(?P<rest>.*)$"
    ))
    .expect("valid pattern")
});
static ANDROID_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?) \((?:fil vedlagt|file attached)\)").expect("valid pattern")
});
static IOS_FILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(?:vedlagt|attached): ([^>]+)>").expect("valid pattern"));

/// One line that starts a message.
struct Start<'a> {
    line: usize,
    ios: bool,
    date: [u32; 3],
    date_sep_dot: bool,
    time: [u32; 3],
    has_seconds: bool,
    pm: Option<bool>,
    rest: &'a str,
}

fn start(line_no: usize, line: &str) -> Option<Start<'_>> {
    let (caps, ios) = match IOS.captures(line) {
        Some(c) => (c, true),
        None => (ANDROID.captures(line)?, false),
    };
    let num = |g: &str| caps.name(g).and_then(|m| m.as_str().parse::<u32>().ok());
    Some(Start {
        line: line_no,
        ios,
        date: [num("a")?, num("b")?, num("c")?],
        date_sep_dot: caps.name("sep").is_some_and(|m| m.as_str() == "."),
        time: [num("h")?, num("mi")?, num("s").unwrap_or(0)],
        has_seconds: caps.name("s").is_some(),
        pm: caps
            .name("ap")
            .map(|m| m.as_str().eq_ignore_ascii_case("p")),
        rest: caps.name("rest")?.as_str(),
    })
}

/// How the file writes its dates.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Order {
    Ymd,
    Dmy,
    Mdy,
}

fn order(starts: &[Start<'_>]) -> Order {
    if starts.iter().any(|s| s.date[0] > 31) {
        return Order::Ymd;
    }
    if starts.iter().any(|s| s.date_sep_dot) || starts.iter().any(|s| s.date[0] > 12) {
        return Order::Dmy;
    }
    if starts.iter().any(|s| s.date[1] > 12) || starts.iter().any(|s| s.pm.is_some()) {
        return Order::Mdy;
    }
    Order::Dmy
}

fn time_string(s: &Start<'_>, order: Order) -> Option<String> {
    let [a, b, c] = s.date;
    let (y, m, d) = match order {
        Order::Ymd => (a, b, c),
        Order::Dmy => (c, b, a),
        Order::Mdy => (c, a, b),
    };
    let y = if y < 100 { 2000 + y } else { y };
    let mut hour = s.time[0];
    match s.pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    let t = date.and_hms_opt(hour, s.time[1], s.time[2])?;
    Some(if s.has_seconds {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M").to_string()
    })
}

/// The first line with text starts a message (WhatsApp's exports always begin with one).
pub(crate) fn looks_like_export(head: &str) -> bool {
    head.trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| start(0, l.trim_end_matches('\r')).is_some())
}

/// Read an exported chat text.
pub(crate) fn read_text(bytes: &[u8]) -> Result<Chat, ReadError> {
    if bytes.len() as u64 > MAX_TEXT {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_TEXT,
        });
    }
    parse(&text::decode(bytes), Format::WhatsappText)
}

fn parse(s: &str, format: Format) -> Result<Chat, ReadError> {
    let lines: Vec<&str> = s.lines().map(|l| l.trim_end_matches('\r')).collect();
    let starts: Vec<Start<'_>> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| start(i, l))
        .collect();
    if starts.is_empty() {
        return Err(ReadError::Empty { format });
    }
    let order = order(&starts);
    let ios = starts.iter().filter(|s| s.ios).count() * 2 > starts.len();
    let mut messages = Vec::with_capacity(starts.len());
    for (k, st) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |n| n.line);
        let (sender, first) = match st.rest.split_once(": ") {
            Some((who, what)) if !who.is_empty() && who.chars().count() <= 100 => {
                (Some(who.trim_start_matches('\u{200E}').to_string()), what)
            }
            _ => (None, st.rest),
        };
        let mut text = first.trim_start_matches('\u{200E}').to_string();
        for l in &lines[st.line + 1..end] {
            text.push('\n');
            text.push_str(l);
        }
        let media = ANDROID_FILE
            .captures(&text)
            .or_else(|| IOS_FILE.captures(&text))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().trim().to_string());
        let mut m = Message::new(messages.len(), sender, time_string(st, order), text);
        m.time_is_local = true;
        m.media = media;
        messages.push(m);
    }
    Ok(Chat {
        app: if ios {
            ChatFormat::WhatsappIos
        } else {
            ChatFormat::WhatsappAndroid
        },
        title: None,
        participants: Chat::participants_from_messages(&messages),
        messages,
        media_files: Vec::new(),
        repaired_encoding: false,
    })
}

fn is_chat_name(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let lower = file.to_lowercase();
    lower.ends_with(".txt") && (lower.starts_with("_chat") || lower.starts_with("whatsapp"))
}

/// A zip holds a WhatsApp chat text (read from its central directory).
pub(crate) fn zip_has_chat_name(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|z| {
            z.file_names()
                .take(MAX_FILES)
                .any(|n| n.is_ok_and(|n| is_chat_name(&n)))
        })
        .unwrap_or(false)
}

/// Read a zip exported from WhatsApp: the chat text, and the media files it holds.
pub(crate) fn read_zip(bytes: &[u8]) -> Result<Chat, ReadError> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::malformed(Format::WhatsappZip, e))?;
    let mut chat_text: Option<String> = None;
    let mut media = Vec::new();
    for i in 0..z.len().min(MAX_FILES) {
        let mut f = z
            .by_index(i)
            .map_err(|e| ReadError::malformed(Format::WhatsappZip, e))?;
        if !f.is_file() {
            continue;
        }
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        if chat_text.is_none() && is_chat_name(&name) {
            if f.size() > MAX_TEXT {
                return Err(ReadError::TooLarge {
                    size: f.size(),
                    limit: MAX_TEXT,
                });
            }
            let mut buf = Vec::new();
            f.by_ref()
                .take(MAX_TEXT)
                .read_to_end(&mut buf)
                .map_err(|e| ReadError::malformed(Format::WhatsappZip, e))?;
            chat_text = Some(text::decode(&buf));
        } else {
            let file = name.rsplit('/').next().unwrap_or(&name).to_string();
            media.push((file, f.size()));
        }
    }
    let Some(t) = chat_text else {
        return Err(ReadError::NoChatInZip);
    };
    let mut chat = parse(&t, Format::WhatsappZip)?;
    for m in &mut chat.messages {
        m.media_included = m
            .media
            .as_ref()
            .is_some_and(|n| media.iter().any(|(f, _)| f == n));
    }
    chat.media_files = media;
    Ok(chat)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Write;

    use super::*;

    #[test]
    fn an_android_export_in_norwegian_is_read_message_by_message() {
        let c = read_text(crate::samples::WHATSAPP_ANDROID_NB.as_bytes()).expect("read");
        assert_eq!(c.app, ChatFormat::WhatsappAndroid);
        assert_eq!(c.messages.len(), 5);
        let notice = &c.messages[0];
        assert_eq!(notice.sender, None);
        assert_eq!(notice.time.as_deref(), Some("2026-11-21T21:10"));
        let threat = &c.messages[2];
        assert_eq!(threat.index, 2);
        assert_eq!(threat.sender.as_deref(), Some("+47 912 34 567"));
        assert_eq!(threat.time.as_deref(), Some("2026-11-21T21:14"));
        assert!(threat.time_is_local);
        assert_eq!(
            threat.text,
            "Du vet godt hvem jeg er.\nJeg vet hvor du bor 🔪\nPass deg."
        );
        assert_eq!(threat.text_sha256, crate::chat::sha256_text(&threat.text));
        assert_eq!(c.messages[3].text, "<Media utelatt>");
        assert_eq!(c.messages[3].media, None);
        assert_eq!(
            c.messages[4].media.as_deref(),
            Some("IMG-20261122-WA0003.jpg")
        );
        assert_eq!(c.messages[4].time.as_deref(), Some("2026-11-22T07:01"));
        assert_eq!(
            c.participants,
            vec!["Kari Hansen".to_string(), "+47 912 34 567".to_string()]
        );
    }

    #[test]
    fn an_iphone_export_in_english_with_narrow_spaces_is_read() {
        let c = read_text(crate::samples::WHATSAPP_IOS_EN.as_bytes()).expect("read");
        assert_eq!(c.app, ChatFormat::WhatsappIos);
        assert_eq!(c.messages.len(), 4);
        assert_eq!(c.messages[1].time.as_deref(), Some("2026-11-21T21:14:03"));
        assert_eq!(
            c.messages[1].text,
            "You know who I am.\nI know where you live"
        );
        assert_eq!(
            c.messages[2].media.as_deref(),
            Some("00000012-PHOTO-2026-11-21-21-15-41.jpg")
        );
        assert_eq!(
            c.messages[2].text,
            "<attached: 00000012-PHOTO-2026-11-21-21-15-41.jpg>"
        );
        // 12:01 AM is just after midnight.
        assert_eq!(c.messages[3].time.as_deref(), Some("2026-11-22T00:01:00"));
    }

    #[test]
    fn an_iphone_export_in_norwegian_and_an_android_one_in_english_are_read() {
        let ios_nb = "[21.11.2026, 21:14:03] Ola: Du skal få svi\n[21.11.2026, 21:15:00] Ola: \u{200E}<vedlagt: 00000013-AUDIO-2026-11-21-21-15-00.opus>\n";
        let c = read_text(ios_nb.as_bytes()).expect("read");
        assert_eq!(c.app, ChatFormat::WhatsappIos);
        assert_eq!(c.messages[0].time.as_deref(), Some("2026-11-21T21:14:03"));
        assert_eq!(
            c.messages[1].media.as_deref(),
            Some("00000013-AUDIO-2026-11-21-21-15-00.opus")
        );
        let android_en = "11/21/26, 9:14\u{202F}PM - Ola: You'll pay\n11/21/26, 9:15\u{202F}PM - Ola: <Media omitted>\n";
        let c = read_text(android_en.as_bytes()).expect("read");
        assert_eq!(c.app, ChatFormat::WhatsappAndroid);
        assert_eq!(c.messages[0].time.as_deref(), Some("2026-11-21T21:14"));
        // en-GB: day first, 24-hour clock.
        let android_gb = "21/11/2026, 21:14 - Ola: You'll pay\n";
        let c = read_text(android_gb.as_bytes()).expect("read");
        assert_eq!(c.messages[0].time.as_deref(), Some("2026-11-21T21:14"));
    }

    #[test]
    fn the_zip_export_lists_its_media_and_marks_what_it_holds() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        w.start_file("WhatsApp-chat med +47 912 34 567.txt", opts)
            .expect("file");
        w.write_all(crate::samples::WHATSAPP_ANDROID_NB.as_bytes())
            .expect("write");
        w.start_file("IMG-20261122-WA0003.jpg", opts).expect("file");
        w.write_all(b"\xFF\xD8\xFF\xE0 made-up photo")
            .expect("write");
        let bytes = w.finish().expect("finish").into_inner();
        assert_eq!(
            crate::detect("application/zip", "chat.zip", &bytes),
            Some(Format::WhatsappZip)
        );
        let c = read_zip(&bytes).expect("read");
        assert_eq!(c.messages.len(), 5);
        assert!(c.messages[4].media_included);
        assert_eq!(
            c.media_files,
            vec![("IMG-20261122-WA0003.jpg".to_string(), 18)]
        );
    }

    #[test]
    fn text_that_only_looks_like_a_chat_is_not_taken_for_one() {
        assert!(!looks_like_export("Møte 21.11.2026, 21:14 i kantina\n"));
        assert!(looks_like_export(crate::samples::WHATSAPP_ANDROID_NB));
        assert!(looks_like_export(crate::samples::WHATSAPP_IOS_EN));
        // An impossible date is kept as a message without a time, not a panic.
        let c = read_text(b"31.02.2026, 25:99 - Ola: hei\n").expect("read");
        assert_eq!(c.messages[0].time, None);
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("notat.txt", zip::write::SimpleFileOptions::default())
            .expect("file");
        let bytes = w.finish().expect("finish").into_inner();
        assert_eq!(read_zip(&bytes).unwrap_err(), ReadError::NoChatInZip);
        assert_eq!(
            read_zip(b"PK\x03\x04broken").unwrap_err().code(),
            "malformed"
        );
    }
}
