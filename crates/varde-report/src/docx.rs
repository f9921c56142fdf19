//! A draft as an editable Word document (`.docx`), with [docx-rs](https://docs.rs/docx-rs).
//!
//! Why `.docx`: the officer edits the draft before sending it, in the office suite of the
//! company — Microsoft Word in most Norwegian companies, LibreOffice or Google Docs
//! elsewhere, all of which open `.docx`; an `.odt` opens in Word too but less faithfully,
//! and plain text loses the headings and the quotes. The layout is deliberately plain
//! (headings, tables without borders for label–value rows, indented italic quotes) so
//! that it survives editing in any of them. The text is the same [`Document`] the PDF is
//! made from.

use docx_rs::{
    BreakType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Style, StyleType, Table,
    TableCell, TableRow, WidthType,
};
use varde_core::Document;
use varde_core::drafts::{Block, Row};

/// Why the `.docx` could not be written.
#[derive(Debug, thiserror::Error)]
#[error("the .docx could not be written: {0}")]
pub struct DocxError(String);

const ACCENT: &str = "1F3A5F";
const MUTED: &str = "5F5F5F";
/// A4 text width with 2.2 cm margins, in twentieths of a point.
const TEXT_WIDTH: usize = 9_410;
const LABEL_WIDTH: usize = 3_100;

/// The bytes of the `.docx`.
pub fn write(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let mut d = Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii("Calibri")
                .hi_ansi("Calibri")
                .cs("Calibri"),
        )
        .default_size(22)
        .page_margin(
            PageMargin::new()
                .top(1360)
                .bottom(1360)
                .left(1247)
                .right(1247),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(44)
                .bold()
                .color(ACCENT),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .size(28)
                .bold()
                .color(ACCENT),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("heading 2")
                .size(23)
                .bold()
                .color(ACCENT),
        );

    d = d.add_paragraph(text_par(&doc.title).style("Title"));
    d = d.add_paragraph(
        Paragraph::new().add_run(
            Run::new()
                .add_text(xml_safe(&doc.subtitle))
                .italic()
                .color(MUTED)
                .size(20),
        ),
    );
    d = d.add_table(rows_table(&doc.meta));
    for n in &doc.notices {
        d = d.add_paragraph(
            text_par(n)
                .bold()
                .line_spacing(LineSpacing::new().before(200).after(200)),
        );
    }
    for s in &doc.sections {
        d = d.add_paragraph(
            text_par(&s.heading)
                .style("Heading1")
                .keep_next(true)
                .line_spacing(LineSpacing::new().before(280).after(120)),
        );
        for b in &s.blocks {
            d = match b {
                Block::Paragraph { text } => d.add_paragraph(text_par(text)),
                Block::Heading { text } => d.add_paragraph(
                    text_par(text)
                        .style("Heading2")
                        .keep_next(true)
                        .line_spacing(LineSpacing::new().before(200).after(80)),
                ),
                Block::Rows { rows } => d.add_table(rows_table(rows)),
                Block::Hashes { rows } => d.add_table(hash_table(rows)),
                Block::Quote { text } => {
                    d.add_paragraph(Paragraph::new().add_run(lines_run(text).italic()).indent(
                        Some(567),
                        None,
                        None,
                        None,
                    ))
                }
                Block::List { items } => items.iter().fold(d, |d, i| {
                    d.add_paragraph(
                        Paragraph::new()
                            .add_run(lines_run(&format!("•\t{i}")))
                            .indent(
                                Some(425),
                                Some(docx_rs::SpecialIndentType::Hanging(283)),
                                None,
                                None,
                            ),
                    )
                }),
                Block::Signature { labels } => labels.iter().fold(d, |d, l| {
                    d.add_paragraph(
                        Paragraph::new()
                            .add_run(Run::new().add_text("_______________________________________"))
                            .line_spacing(LineSpacing::new().before(600)),
                    )
                    .add_paragraph(
                        Paragraph::new()
                            .add_run(Run::new().add_text(xml_safe(l)).color(MUTED).size(18)),
                    )
                }),
            };
        }
    }
    d = d.add_paragraph(
        Paragraph::new()
            .add_run(
                Run::new()
                    .add_text(xml_safe(&doc.footer))
                    .color(MUTED)
                    .size(16),
            )
            .line_spacing(LineSpacing::new().before(480)),
    );

    let mut out = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut out)
        .map_err(|e| DocxError(e.to_string()))?;
    Ok(out.into_inner())
}

/// A run of text with its line breaks kept.
fn lines_run(text: &str) -> Run {
    let mut run = Run::new();
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(xml_safe(line.trim_end_matches('\r')));
    }
    run
}

/// XML 1.0 cannot hold most control characters, and a document with one does not open;
/// they are shown as their code point, as in the PDF (`⟨U+0007⟩`). Tabs stay.
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c.is_control() && c != '\t') || matches!(c, '\u{FFFE}' | '\u{FFFF}') {
                format!("⟨U+{:04X}⟩", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn text_par(text: &str) -> Paragraph {
    Paragraph::new().add_run(lines_run(text))
}

/// Label–value rows as a table without borders.
fn rows_table(rows: &[Row]) -> Table {
    two_columns(rows, |v| Run::new().add_text(xml_safe(v))).clear_all_border()
}

/// File names with their SHA-256, the hash in a fixed-width font.
fn hash_table(rows: &[Row]) -> Table {
    two_columns(rows, |v| {
        Run::new()
            .add_text(xml_safe(v))
            .fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"))
            .size(16)
    })
    .clear_all_border()
}

fn two_columns(rows: &[Row], value: impl Fn(&str) -> Run) -> Table {
    let rows = rows
        .iter()
        .map(|r| {
            TableRow::new(vec![
                TableCell::new()
                    .width(LABEL_WIDTH, WidthType::Dxa)
                    .add_paragraph(Paragraph::new().add_run(lines_run(&r.label).color(MUTED))),
                TableCell::new()
                    .width(TEXT_WIDTH - LABEL_WIDTH, WidthType::Dxa)
                    .add_paragraph(Paragraph::new().add_run(if r.value.contains('\n') {
                        lines_run(&r.value)
                    } else {
                        value(&r.value)
                    })),
            ])
        })
        .collect();
    Table::new(rows)
        .set_grid(vec![LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH])
        .width(TEXT_WIDTH, WidthType::Dxa)
}
