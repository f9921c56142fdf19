//! What Varde reads from an original (varde-read) on arbitrary bytes, given to every
//! reader: e-mail, Outlook .msg, WhatsApp text and zip, SMS backup, Messenger JSON, EXIF
//! and recordings. An error is the expected outcome for most inputs; a panic, or a reading
//! that does not serialise, is the bug.

#![no_main]

use libfuzzer_sys::fuzz_target;

/// One (media type, name) per reader, so each sees every input.
const AS: &[(&str, &str)] = &[
    ("message/rfc822", "x.eml"),
    ("application/x-ole-storage", "x.msg"),
    ("text/plain", "chat.txt"),
    ("application/zip", "chat.zip"),
    ("text/xml", "sms.xml"),
    ("application/json", "message_1.json"),
    ("image/jpeg", "x.jpg"),
    ("audio/x-wav", "x.wav"),
];

fuzz_target!(|data: &[u8]| {
    for (media_type, name) in AS {
        if let Some(r) = varde_read::read(media_type, name, data)
            && let Ok(d) = r.result
        {
            serde_json::to_string(&d).expect("a reading serialises");
            let _ = d.messages();
        }
    }
});
