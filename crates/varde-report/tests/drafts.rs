//! Drafts laid out: the PDF's pages hold the document's text (an emoji, a control
//! character, a long hash), and the `.docx` is a Word document with the same text.

#![allow(clippy::unwrap_used, missing_docs)]

use std::io::Read as _;

use varde_core::drafts::{Block, Document, DraftKind, Row, Section};
use varde_core::guidance::Lang;

fn doc() -> Document {
    Document {
        kind: DraftKind::PoliceReport,
        lang: Lang::Nb,
        title: "Anmeldelse".into(),
        subtitle: "Utkast laget av Varde.".into(),
        meta: vec![Row {
            label: "Til".into(),
            value: "Oslo politidistrikt <&> \"AS\"".into(),
        }],
        notices: vec!["Den anmeldte kan få se saksdokumentene.".into()],
        sections: vec![Section {
            heading: "4. Hva som har skjedd".into(),
            blocks: vec![
                Block::Heading {
                    text: "Hendelse 1".into(),
                },
                Block::Rows {
                    rows: vec![Row {
                        label: "Tid".into(),
                        value: "20.11.2026 kl. 21:14".into(),
                    }],
                },
                Block::Quote {
                    text: "Jeg vet hvor du bor 🔥\nneste linje \u{7}".into(),
                },
                Block::List {
                    items: vec!["Straffeloven § 263 – trusler".into()],
                },
                Block::Hashes {
                    rows: vec![Row {
                        label: "Hendelse 1 · skjermbilde.png".into(),
                        value: "2d4566582844690f8634a8b2534ea5221560038c6c0650c99140759bad603ae2"
                            .into(),
                    }],
                },
                Block::Signature {
                    labels: vec!["Sted og dato".into(), "Underskrift".into()],
                },
            ],
        }],
        footer: "Laget med Varde".into(),
        created_at: "2026-11-25T10:00:00+01:00".into(),
    }
}

#[test]
fn the_pdf_holds_the_draft_text() {
    let r = varde_report::drafts::layout(&doc()).unwrap();
    let text = r.page_texts().join("\n");
    for s in [
        "Anmeldelse",
        "Oslo politidistrikt",
        "kan få se saksdokumentene",
        "4. Hva som har skjedd",
        "20.11.2026 kl. 21:14",
        "Jeg vet hvor du bor",
        "🔥",
        "⟨U+0007⟩",
        "2d4566582844690f8634a8b2534ea5221560038c6c0650c99140759bad603ae2",
        "Underskrift",
    ] {
        assert!(text.contains(s), "{s:?} in {text}");
    }
    let pdf = r.to_pdf().unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn the_docx_is_a_word_document_with_the_same_text() {
    let bytes = varde_report::docx::write(&doc()).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for s in [
        "Anmeldelse",
        "Oslo politidistrikt",
        "20.11.2026 kl. 21:14",
        "Jeg vet hvor du bor 🔥",
        "neste linje",
        "Straffeloven § 263 – trusler",
        "2d4566582844690f8634a8b2534ea5221560038c6c0650c99140759bad603ae2",
    ] {
        assert!(xml.contains(s), "{s:?}");
    }
    // Markup characters are escaped; a control character is shown as its code point.
    assert!(xml.contains("&lt;&amp;&gt;"));
    assert!(xml.contains("⟨U+0007⟩") && !xml.contains('\u{7}'));
    // The line break in the quote is a break, not lost.
    assert!(xml.contains("<w:br"));
    assert!(zip.by_name("[Content_Types].xml").is_ok());
}
