//! The fonts a report is set in, all compiled into the binary: Libertinus Serif (body) and
//! DejaVu Sans Mono (hashes, paths) from `typst-assets`, then the fallback fonts in
//! `fonts/` for what those two lack: emoji, Arabic, Hebrew, CJK and a few more scripts
//! (`fonts/README.md` lists each file, its source and its licence).
//!
//! Nothing is parsed before the first report; then every font is parsed once for the life
//! of the process. The font data itself stays in the binary's read-only pages, which the
//! system loads only where a report reads them.

use std::sync::LazyLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The families the template uses from `typst-assets`; its other fonts are not loaded.
const ASSET_FAMILIES: [&str; 2] = ["libertinus serif", "dejavu sans mono"];

/// The fallback fonts, in the order the template's `fallback-fonts` lists their families.
const FALLBACKS: [(&str, &[u8]); 10] = [
    ("Noto Sans", include_bytes!("../fonts/NotoSans-Regular.ttf")),
    (
        "Noto Sans Arabic",
        include_bytes!("../fonts/NotoSansArabic-Regular.ttf"),
    ),
    (
        "Noto Sans Hebrew",
        include_bytes!("../fonts/NotoSansHebrew-Regular.ttf"),
    ),
    (
        "Noto Sans Ethiopic",
        include_bytes!("../fonts/NotoSansEthiopic-Regular.ttf"),
    ),
    (
        "Noto Sans Thai",
        include_bytes!("../fonts/NotoSansThai-Regular.ttf"),
    ),
    (
        "Noto Sans Devanagari",
        include_bytes!("../fonts/NotoSansDevanagari-Regular.ttf"),
    ),
    (
        "Noto Sans Gurmukhi",
        include_bytes!("../fonts/NotoSansGurmukhi-Regular.ttf"),
    ),
    (
        "Noto Sans Tamil",
        include_bytes!("../fonts/NotoSansTamil-Regular.ttf"),
    ),
    (
        "Droid Sans Fallback",
        include_bytes!("../fonts/DroidSansFallback.ttf"),
    ),
    (
        "Noto Emoji",
        include_bytes!("../fonts/NotoEmoji-Regular.ttf"),
    ),
];

/// Every font a report can use, and which code points at least one of them has.
pub struct Fonts {
    /// What typst selects from.
    pub book: LazyHash<FontBook>,
    /// The fonts, by their index in the book.
    pub fonts: Vec<Font>,
    /// Sorted, disjoint, inclusive ranges of the code points some font has a glyph for.
    covered: Vec<(u32, u32)>,
}

/// The report's fonts, parsed at first use.
pub static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let assets = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .filter(|f| ASSET_FAMILIES.contains(&f.info().family.to_lowercase().as_str()));
    let fallbacks = FALLBACKS
        .iter()
        .flat_map(|(_, data)| Font::iter(Bytes::new(*data)));
    let fonts: Vec<Font> = assets.chain(fallbacks).collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        covered: coverage(&fonts),
        fonts,
    }
});

/// The code points of all `fonts` as ranges.
fn coverage(fonts: &[Font]) -> Vec<(u32, u32)> {
    let mut points: Vec<u32> = fonts
        .iter()
        .flat_map(|f| f.info().coverage.iter())
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for c in points {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => ranges.push((c, c)),
        }
    }
    ranges
}

/// Whether some font of the report has a glyph for `c`.
pub fn covers(c: char) -> bool {
    let c = c as u32;
    let ranges = &FONTS.covered;
    let i = ranges.partition_point(|&(_, end)| end < c);
    ranges.get(i).is_some_and(|&(start, _)| start <= c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fallback_font_is_in_the_book_and_in_the_template() {
        let template = crate::TEMPLATE;
        let line = template
            .lines()
            .find(|l| l.starts_with("#let fallback-fonts = ("))
            .expect("the template lists its fallback fonts");
        let listed: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        let ours: Vec<&str> = FALLBACKS.iter().map(|(family, _)| *family).collect();
        assert_eq!(
            listed, ours,
            "the template's fallback-fonts and FALLBACKS differ"
        );
        for (family, data) in FALLBACKS {
            let font = Font::new(Bytes::new(data), 0).expect("a font file");
            assert_eq!(font.info().family, family);
            assert!(FONTS.book.contains_family(&family.to_lowercase()));
        }
        for family in ASSET_FAMILIES {
            assert!(FONTS.book.contains_family(family), "{family}");
        }
    }

    #[test]
    fn coverage_is_the_union_of_the_fonts() {
        for c in [
            'a', 'ø', '⟨', 'ب', 'א', '我', 'ア', '한', 'ሰ', 'ก', 'क', 'ਕ', 'த', '🔪',
        ] {
            assert!(covers(c), "{c:?}");
        }
        for c in ['\u{7}', '\u{378}', '\u{10000}'] {
            assert!(!covers(c), "{c:?}");
        }
    }
}
