//! What the template is given to show: every string of the report's data as it is, except
//! code points that cannot or must not be shown as they are, which become a visible
//! placeholder with the code point, `⟨U+0007⟩`. The manifest is not touched; only the copy
//! of its text that goes into the PDF is.
//!
//! A placeholder stands for a control character (line ends are kept, and a tab becomes a
//! wide space), an explicit bidi embedding, override or isolate (invisible, and they reorder
//! the text around them: a file name `faktura\u{202E}gnp.exe` reads as `fakturaexe.png`), a
//! private-use code point, a noncharacter, an unassigned code point, and anything no font
//! of the report has a glyph for. What typst still cannot set from one font (a combining
//! mark on an emoji, say) is found on the laid-out pages ([`missing_glyphs`]) and replaced
//! in another pass ([`Fixes`]), so no text makes a report fail or lose a character unseen.

use std::collections::HashSet;

use serde_json::Value;
use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

use crate::fonts;

/// How a tab appears: typst would set it with no width at all, so `a\tb` would read `ab`.
const TAB: char = '\u{2003}';

/// How `c` appears when it cannot be shown: `⟨U+0007⟩`.
pub fn placeholder(c: char) -> String {
    format!("⟨U+{:04X}⟩", c as u32)
}

/// What was learnt from laid-out pages that still had missing glyphs.
#[derive(Default)]
pub struct Fixes {
    /// Characters to show as placeholders wherever they are.
    chars: HashSet<char>,
    /// Clusters (a base and what combines with it) to show as their first character
    /// followed by placeholders for the rest.
    clusters: Vec<String>,
    /// How many times something was learnt.
    rounds: usize,
}

impl Fixes {
    /// Learn from the clusters typst set with missing glyphs. The first time, a cluster of
    /// several characters keeps its first one and only the others become placeholders;
    /// the second time, every character of a failing cluster does. Returns false when
    /// there is nothing more to try.
    pub fn learn(&mut self, missing: &[String]) -> bool {
        if missing.is_empty() || self.rounds == 2 {
            return false;
        }
        self.rounds += 1;
        for cluster in missing {
            let mut chars = cluster.chars().filter(|&c| significant(c));
            match (chars.next(), chars.next()) {
                (Some(c), None) => {
                    self.chars.insert(c);
                }
                (Some(_), Some(_)) if self.rounds == 1 => self.clusters.push(cluster.clone()),
                _ => self
                    .chars
                    .extend(cluster.chars().filter(|&c| significant(c))),
            }
        }
        true
    }
}

/// Replace, in every string of `data`, what cannot be shown by placeholders.
pub fn value(data: &mut Value, fixes: &Fixes) {
    match data {
        Value::String(s) => {
            if let Some(clean) = text(s, fixes) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| value(v, fixes)),
        Value::Object(map) => map.values_mut().for_each(|v| value(v, fixes)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// `s` with placeholders, or `None` when it can be shown as it is.
pub fn text(s: &str, fixes: &Fixes) -> Option<String> {
    let needs_cluster_fix = fixes.clusters.iter().any(|c| s.contains(c.as_str()));
    if !needs_cluster_fix && s.chars().all(|c| shown(c) && !fixes.chars.contains(&c)) {
        return None;
    }
    let mut s = s.to_owned();
    for cluster in &fixes.clusters {
        let mut chars = cluster.chars();
        let mut fixed: String = chars.next().into_iter().collect();
        for c in chars {
            fixed.push_str(&placeholder(c));
        }
        s = s.replace(cluster.as_str(), &fixed);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\t' {
            out.push(TAB);
        } else if shown(c) && !fixes.chars.contains(&c) {
            out.push(c);
        } else {
            out.push_str(&placeholder(c));
        }
    }
    Some(out)
}

/// Whether `c` is shown as it is.
fn shown(c: char) -> bool {
    match c {
        ' '..='~' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => true,
        // C0 and C1 controls and DEL.
        c if c.is_control() => false,
        // Explicit bidi embeddings, overrides and isolates. The marks (U+200E, U+200F,
        // U+061C) are kept: they only say which way one spot goes.
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => false,
        // Private use: no agreed meaning, so nothing a reader could check.
        '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}' => false,
        // Noncharacters.
        c if matches!(c as u32, 0xFDD0..=0xFDEF) || (c as u32) & 0xFFFE == 0xFFFE => false,
        // Default ignorables that are unassigned (typst would drop them unseen).
        '\u{2065}'
        | '\u{FFF0}'..='\u{FFF8}'
        | '\u{E0000}'
        | '\u{E0002}'..='\u{E001F}'
        | '\u{E0080}'..='\u{E00FF}'
        | '\u{E01F0}'..='\u{E0FFF}' => false,
        // Joiners, variation selectors, soft hyphens and the like have no glyph of their
        // own: shaping uses them (an emoji sequence, an Arabic joining) and drops them.
        c if typst::text::is_default_ignorable(c) => true,
        // Unassigned code points have no glyph in any font, nor do scripts we ship no
        // font for.
        c => fonts::covers(c),
    }
}

/// The text of every glyph on the pages that typst could not set from its font: a missing
/// glyph (`.notdef`, which PDF/A forbids), or a cluster of characters (a base and marks)
/// of which the font has only some, so that one of them is not drawn.
pub fn missing_glyphs(document: &PagedDocument) -> Vec<String> {
    let mut out = Vec::new();
    for page in document.pages() {
        frame_missing(&page.frame, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn frame_missing(frame: &Frame, out: &mut Vec<String>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => frame_missing(&g.frame, out),
            FrameItem::Text(t) => {
                let coverage = &t.font.font().info().coverage;
                for g in &t.glyphs {
                    let Some(cluster) = t.text.get(g.range()) else {
                        continue;
                    };
                    let mut drawn = cluster.chars().filter(|&c| significant(c));
                    let partial = drawn.clone().nth(1).is_some()
                        && drawn.any(|c| !coverage.contains(c as u32));
                    if g.id == 0 || partial {
                        out.push(cluster.to_owned());
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `c` is one a glyph is drawn for (not a space, a joiner, a selector).
fn significant(c: char) -> bool {
    !c.is_whitespace() && !typst::text::is_default_ignorable(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        text(s, &Fixes::default()).unwrap_or_else(|| s.to_owned())
    }

    #[test]
    fn shows_what_fonts_have_and_marks_the_rest() {
        for s in [
            "Bjørn Ærø «sitat» — 14 234",
            "🔪 سأقتلك אני אהרוג אותך 我会杀了你 お前 죽여",
            "👨\u{200D}👩\u{200D}👧 ❤\u{FE0F}",
            "lines\nand\r\nline ends\u{2028}kept",
            "a soft\u{AD}hyphen, a zero\u{200B}width space, a mark \u{200F}",
        ] {
            assert_eq!(text(s, &Fixes::default()), None, "{s:?}");
        }
        assert_eq!(clean("bell\u{7}"), "bell⟨U+0007⟩");
        assert_eq!(clean("a\tb"), "a\u{2003}b");
        assert_eq!(
            clean("\u{0}\u{1B}\u{7F}\u{85}\u{9F}"),
            "⟨U+0000⟩⟨U+001B⟩⟨U+007F⟩⟨U+0085⟩⟨U+009F⟩"
        );
        assert_eq!(clean("x\u{E000}\u{F0000}"), "x⟨U+E000⟩⟨U+F0000⟩");
        assert_eq!(clean("faktura\u{202E}gnp.exe"), "faktura⟨U+202E⟩gnp.exe");
        assert_eq!(clean("\u{2066}x\u{2069}"), "⟨U+2066⟩x⟨U+2069⟩");
        assert_eq!(
            clean("\u{FFFF}\u{FDD0}\u{1FFFE}"),
            "⟨U+FFFF⟩⟨U+FDD0⟩⟨U+1FFFE⟩"
        );
        assert_eq!(
            clean("\u{378}\u{2065}\u{E0000}"),
            "⟨U+0378⟩⟨U+2065⟩⟨U+E0000⟩"
        );
        // Linear B: assigned, but no font of ours has it.
        assert_eq!(clean("\u{10000}"), "⟨U+10000⟩");
    }

    #[test]
    fn learns_from_missing_glyphs_in_two_rounds() {
        let mut fixes = Fixes::default();
        assert!(!fixes.learn(&[]));
        assert!(fixes.learn(&["🔪\u{301}".to_owned(), "\u{1F600}".to_owned()]));
        // Round one: the cluster keeps its base, a lone character becomes a placeholder.
        assert_eq!(
            text("a 🔪\u{301} and 🔪 and \u{1F600}", &fixes).as_deref(),
            Some("a 🔪⟨U+0301⟩ and 🔪 and ⟨U+1F600⟩")
        );
        // Round two: every character of a cluster that still fails.
        assert!(fixes.learn(&["🔪\u{301}".to_owned()]));
        assert_eq!(
            text("🔪\u{301} 🔪", &fixes).as_deref(),
            Some("⟨U+1F52A⟩⟨U+0301⟩ ⟨U+1F52A⟩")
        );
        assert!(!fixes.learn(&["x".to_owned()]), "two rounds at most");
    }

    #[test]
    fn every_string_of_the_data_and_nothing_else() {
        let mut data = serde_json::json!({
            "name\u{7}": "a\u{7}",
            "list": ["b\u{7}", 7, null, {"deep": "c\u{E000}"}],
        });
        value(&mut data, &Fixes::default());
        assert_eq!(
            data,
            serde_json::json!({
                "name\u{7}": "a⟨U+0007⟩",
                "list": ["b⟨U+0007⟩", 7, null, {"deep": "c⟨U+E000⟩"}],
            })
        );
    }
}
