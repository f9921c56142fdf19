//! Drafts made from a case (a police report, a concern report): the
//! [`Document`](varde_core::Document) the core has worded, laid out with
//! `templates/draft.typ` as a PDF, and written as an editable `.docx` ([`crate::docx`]).

use typst_layout::PagedDocument;
use varde_core::{Document, DraftRenderer};

use crate::world::ReportWorld;
use crate::{Error, Rendered, compile};

/// The draft template, compiled into the crate.
pub const DRAFT_TEMPLATE: &str = include_str!("../templates/draft.typ");

/// Lay a draft out (see [`Rendered`] for its pages, text and PDF).
pub fn layout(doc: &Document) -> Result<Rendered, Error> {
    let created = chrono::DateTime::parse_from_rfc3339(&doc.created_at).ok();
    let today = created.as_ref().map(crate::day_of);
    let mut world = ReportWorld::new(DRAFT_TEMPLATE, today);
    let document: PagedDocument = compile(&mut world, DRAFT_TEMPLATE, || {
        Ok(serde_json::to_value(doc)?)
    })?;
    Ok(Rendered {
        document,
        generated_at: created.and_then(|t| crate::utc_datetime(&t)),
    })
}

/// A draft as PDF bytes (PDF/A-2b, fonts embedded, dated when it was made).
pub fn pdf(doc: &Document) -> Result<Vec<u8>, Error> {
    layout(doc)?.to_pdf()
}

/// The renderer [`Locker::save_draft`](varde_core::Locker::save_draft) is given.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypstDraftRenderer;

impl DraftRenderer for TypstDraftRenderer {
    fn pdf(&self, doc: &Document) -> varde_core::Result<Vec<u8>> {
        pdf(doc)
            .map_err(|e| varde_core::Error::Internal(format!("the draft could not be made: {e}")))
    }

    fn docx(&self, doc: &Document) -> varde_core::Result<Vec<u8>> {
        crate::docx::write(doc).map_err(|e| {
            varde_core::Error::Internal(format!("the editable draft could not be made: {e}"))
        })
    }
}
