//! # varde-report
//!
//! The police report (`report.pdf` in a bundle): one case rendered to an A4 PDF, Norwegian
//! bokmål by default or English, with [typst](https://typst.app) used as a library.
//!
//! The template is plain typst markup (`templates/report.typ`, compiled into the crate);
//! the data goes in as a virtual `/data.json` and thumbnails as virtual image files. The
//! typst world here has no file system, no packages and no network, and its fonts are the
//! ones embedded in the binary: rendering fetches nothing. Text in any script with a
//! shipped font (emoji, Arabic, Hebrew, CJK and more) is set in a fallback font; what no
//! font can show (a control character, a private-use code point) is shown as its code
//! point, `⟨U+0007⟩`, so no text makes a report fail.
//!
//! The input is the bundle's [`Manifest`] (everything the report shows is in it) and a
//! way to read an original by its SHA-256, for thumbnails:
//!
//! ```no_run
//! # fn demo(manifest: &varde_core::Manifest) -> Result<(), varde_report::Error> {
//! use varde_report::{Lang, render};
//! let pdf = render(manifest, &mut |_sha256| std::fs::read("original"), Lang::Nb)?;
//! assert!(pdf.starts_with(b"%PDF-"));
//! # Ok(()) }
//! ```
//!
//! For [`Locker::export_bundle`](varde_core::Locker::export_bundle), pass [`TypstRenderer`]
//! (it implements [`varde_core::ReportRenderer`]).

pub mod docx;
pub mod drafts;
mod fonts;
mod page;
pub mod person_report;
pub mod receipt;
mod sanitise;
pub mod thumbs;
mod view;
mod world;

use std::collections::HashMap;
use std::fmt::Display;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Datetime;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use varde_core::guidance::Lang;
use varde_core::{Manifest, ReportRenderer};

use view::Thumb;
pub use view::{MAX_PAGES, MAX_THREAD_ROWS, MAX_THUMBS, THREAD_SUMMARY_MIN};
use world::ReportWorld;

/// The template, compiled into the crate.
pub const TEMPLATE: &str = include_str!("../templates/report.typ");

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The template did not compile or lay out (a bug in the template, or data it cannot
    /// handle); the messages are typst's.
    #[error("the report template failed: {0}")]
    Template(String),
    /// The PDF could not be written.
    #[error("the report PDF could not be written: {0}")]
    Pdf(String),
    /// The report's data could not be serialised.
    #[error("the report data could not be prepared: {0}")]
    Data(#[from] serde_json::Error),
}

/// A rendered document, before it is written as PDF (kept for tests that read its text).
pub struct Rendered {
    document: PagedDocument,
    generated_at: Option<Datetime>,
}

impl Rendered {
    /// How many pages it has.
    pub fn page_count(&self) -> usize {
        self.document.pages().len()
    }

    /// The text of each page, in layout order (runs of text joined by spaces or new lines).
    pub fn page_texts(&self) -> Vec<String> {
        self.document
            .pages()
            .iter()
            .map(|p| {
                let mut out = String::new();
                frame_text(&p.frame, &mut out);
                out
            })
            .collect()
    }

    /// One page as a self-contained SVG (text as outlines, images inline): a preview the
    /// window shows as an image before the report is written. `None` past the last page.
    pub fn page_svg(&self, index: usize) -> Option<String> {
        let opts = typst_svg::SvgOptions::default();
        self.document
            .pages()
            .get(index)
            .map(|p| typst_svg::svg(p, &opts))
    }

    /// Write it as PDF (PDF/A-2b: fonts embedded, metadata in XMP, no external content).
    pub fn to_pdf(&self) -> Result<Vec<u8>, Error> {
        let standards = PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| Error::Pdf(e.message().to_string()))?;
        let options = PdfOptions {
            timestamp: self.generated_at.map(Timestamp::new_utc),
            standards,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&self.document, &options)
            .map_err(|errs| Error::Pdf(diagnostics(&errs, None, "")))
    }
}

fn frame_text(frame: &typst::layout::Frame, out: &mut String) {
    use typst::layout::FrameItem;
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => frame_text(&g.frame, out),
            FrameItem::Text(t) => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str(&t.text);
            }
            _ => {}
        }
    }
}

/// The report renderer a bundle export is given: typst, with the template of this crate.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypstRenderer;

impl ReportRenderer for TypstRenderer {
    fn render(
        &self,
        manifest: &Manifest,
        originals: &mut dyn FnMut(&str) -> varde_core::Result<Vec<u8>>,
        lang: &str,
    ) -> varde_core::Result<Vec<u8>> {
        let lang = lang.parse().unwrap_or_default();
        render(manifest, originals, lang)
            .map_err(|e| varde_core::Error::Internal(format!("the report could not be made: {e}")))
    }
}

/// Render the report of `manifest` as PDF bytes.
///
/// `originals` is asked for the bytes of image evidence items by their SHA-256, one at a
/// time and for at most [`MAX_THUMBS`] of them; each is scaled down to a small JPEG
/// thumbnail and dropped before the next is asked for. An original that cannot be read or
/// decoded gets a note in the report instead of a thumbnail; images past the cap are
/// listed with their SHA-256 like every item, and the report says so. A long thread capture
/// (at least [`THREAD_SUMMARY_MIN`] items) is one block with a compact table of its items.
pub fn render<E: Display>(
    input: &Manifest,
    originals: &mut dyn FnMut(&str) -> Result<Vec<u8>, E>,
    lang: Lang,
) -> Result<Vec<u8>, Error> {
    layout(input, originals, lang)?.to_pdf()
}

/// Lay the report out without writing the PDF (see [`render`]).
pub fn layout<E: Display>(
    input: &Manifest,
    originals: &mut dyn FnMut(&str) -> Result<Vec<u8>, E>,
    lang: Lang,
) -> Result<Rendered, Error> {
    let generated = chrono::DateTime::parse_from_rfc3339(&input.created_at).ok();
    let today = generated.as_ref().map(day_of);
    let mut world = ReportWorld::new(TEMPLATE, today);

    // Thumbnails for at most `MAX_THUMBS` images in report order, and a page of its own in
    // the appendix for at most `MAX_PAGES` (thread members included). Each original is read
    // once, one at a time, and dropped before the next; the others are listed with their
    // SHA-256 only, and their originals are not read.
    let thumb_list: Vec<&varde_core::bundle::manifest::EvidenceEntry> =
        view::thumbnail_candidates(input)
            .into_iter()
            .take(view::MAX_THUMBS)
            .collect();
    let thumb_ids: std::collections::HashSet<i64> = thumb_list.iter().map(|e| e.id).collect();
    let appendix: Vec<&varde_core::bundle::manifest::EvidenceEntry> = view::appendix_images(input)
        .into_iter()
        .take(view::MAX_PAGES)
        .map(|(_, e)| e)
        .collect();
    let page_ids: std::collections::HashSet<i64> = appendix.iter().map(|e| e.id).collect();
    // Every original wanted, once: the thumbnails' in their order, then the other pages'.
    let mut wanted = thumb_list;
    wanted.extend(appendix.iter().filter(|e| !thumb_ids.contains(&e.id)));
    let mut thumbs = HashMap::new();
    let mut pages = HashMap::new();
    for (n, e) in wanted.into_iter().enumerate() {
        let made: Result<Vec<u8>, thumbs::NoThumb> = if !thumbs::is_thumbnailable(&e.media_type) {
            Err(thumbs::NoThumb::Unsupported)
        } else if e.size > thumbs::MAX_ORIGINAL_BYTES {
            Err(thumbs::NoThumb::TooLarge)
        } else {
            originals(&e.sha256).map_err(|_| thumbs::NoThumb::Unreadable)
        };
        let mut make = |scale: fn(&[u8]) -> Result<thumbs::Thumbnail, thumbs::NoThumb>,
                        dir: &str| {
            match made.as_deref().map_err(|w| *w).and_then(scale) {
                Ok(t) => {
                    let path = format!("/{dir}/{n}.jpg");
                    world.add_file(&path, t.jpeg);
                    Thumb::Image {
                        path,
                        width: t.width,
                        height: t.height,
                    }
                }
                Err(why) => Thumb::Missing(why.key()),
            }
        };
        if thumb_ids.contains(&e.id) {
            thumbs.insert(e.id, make(thumbs::thumbnail, "thumbs"));
        }
        if page_ids.contains(&e.id) {
            pages.insert(e.id, make(thumbs::page_image, "pages"));
        }
    }

    let document = compile(&mut world, TEMPLATE, || {
        Ok(view::build(input, lang, &thumbs, &pages))
    })?;
    let generated_at = generated.and_then(|t| utc_datetime(&t));
    Ok(Rendered {
        document,
        generated_at,
    })
}

/// The day of a time, as the typst world's `today()`.
fn day_of(t: &chrono::DateTime<chrono::FixedOffset>) -> (i32, u8, u8) {
    use chrono::Datelike;
    let d = t.date_naive();
    (d.year(), d.month() as u8, d.day() as u8)
}

/// A time as typst's UTC datetime (the PDF's date).
fn utc_datetime(t: &chrono::DateTime<chrono::FixedOffset>) -> Option<Datetime> {
    use chrono::{Datelike, Timelike};
    let u = t.to_utc();
    Datetime::from_ymd_hms(
        u.year(),
        u.month() as u8,
        u.day() as u8,
        u.hour() as u8,
        u.minute() as u8,
        u.second() as u8,
    )
}

/// Compile `world` with the data from `data` as `/data.json`, with placeholders for what
/// cannot be shown. Should typst still set some text without its glyphs (a missing glyph,
/// which PDF/A forbids, or a mark its base's font lacks), lay it out again with those
/// characters replaced too (twice at most).
fn compile(
    world: &mut ReportWorld,
    template: &str,
    data: impl Fn() -> Result<serde_json::Value, Error>,
) -> Result<PagedDocument, Error> {
    let mut fixes = sanitise::Fixes::default();
    loop {
        let mut value = data()?;
        sanitise::value(&mut value, &fixes);
        world.add_file("/data.json", serde_json::to_vec(&value)?);

        let Warned { output, .. } = typst::compile::<PagedDocument>(&*world);
        // Compilation results are memoised process-wide; drop what this one left behind.
        typst::comemo::evict(0);
        let document =
            output.map_err(|errs| Error::Template(diagnostics(&errs, Some(world), template)))?;
        if !fixes.learn(&sanitise::missing_glyphs(&document)) {
            return Ok(document);
        }
    }
}

/// Typst's messages, with the template line each points at.
fn diagnostics(errs: &[SourceDiagnostic], world: Option<&ReportWorld>, template: &str) -> String {
    use typst::WorldExt;
    errs.iter()
        .map(|e| {
            let mut s = e.message.to_string();
            if let Some(range) = world.and_then(|w| w.range(e.span)) {
                let line = template[..range.start.min(template.len())].lines().count();
                s = format!("line {line}: {s}");
            }
            for h in &e.hints {
                s.push_str("; hint: ");
                s.push_str(&h.v);
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}
