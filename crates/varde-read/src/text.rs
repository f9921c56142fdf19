//! Small text helpers shared by the readers.

/// The longest valid UTF-8 prefix of `bytes` (a sniffed head may end inside a character).
pub(crate) fn utf8_prefix(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// Cut `s` to at most `max` bytes, at a character boundary, marking the cut with «…».
pub(crate) fn truncate(s: &mut String, max: usize) {
    if s.len() <= max {
        return;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s.push('…');
}

/// Undo the mis-encoding of Facebook's exports: each byte of the UTF-8 text was written as
/// its own character (`"f\u00c3\u00a5"` for «få»). A string is repaired only when every
/// character fits in a byte and those bytes are valid UTF-8 that differs from the string,
/// so text that was right to begin with (or is Latin-1 by intent) stays as it is.
pub(crate) fn repair_mojibake(s: &str) -> Option<String> {
    if s.is_ascii() {
        return None;
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        let b = u8::try_from(u32::from(c)).ok()?;
        bytes.push(b);
    }
    let fixed = String::from_utf8(bytes).ok()?;
    (fixed != s).then_some(fixed)
}

/// Decode a text file: UTF-8 (with or without a byte-order mark), or UTF-16 with its mark.
/// Invalid sequences become U+FFFD rather than failing the whole file.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |rest: &[u8], le: bool| {
        let units = rest.chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn mis_encoded_norwegian_is_repaired_and_right_text_is_kept() {
        assert_eq!(repair_mojibake("f\u{c3}\u{a5}").as_deref(), Some("få"));
        assert_eq!(
            repair_mojibake(
                "\u{c3}\u{a6}\u{c3}\u{b8}\u{c3}\u{a5} \u{c3}\u{86}\u{c3}\u{98}\u{c3}\u{85}"
            )
            .as_deref(),
            Some("æøå ÆØÅ")
        );
        // An emoji written byte by byte.
        assert_eq!(
            repair_mojibake("\u{f0}\u{9f}\u{94}\u{aa}").as_deref(),
            Some("🔪")
        );
        assert_eq!(repair_mojibake("få"), None);
        assert_eq!(repair_mojibake("Blåbær 🔪"), None);
        assert_eq!(repair_mojibake("plain"), None);
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        let mut s = "æøå".to_string();
        truncate(&mut s, 3);
        assert_eq!(s, "æ…");
    }

    #[test]
    fn text_files_decode_with_and_without_a_mark() {
        assert_eq!(decode(b"\xEF\xBB\xBFhei"), "hei");
        assert_eq!(decode(&[0xFF, 0xFE, b'h', 0, 0xE5, 0]), "hå");
        assert_eq!(decode(b"hei \xFF"), "hei \u{FFFD}");
    }
}
