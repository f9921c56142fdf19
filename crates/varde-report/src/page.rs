//! A page of the draft template's shape (a [`Document`](varde_core::Document) without a
//! draft kind), for the documents the report crate words itself: the deletion receipt and
//! the access request's report.

use serde::Serialize;
use varde_core::drafts::{Row, Section};

use crate::world::ReportWorld;
use crate::{Error, Lang, Rendered, compile};

/// What `templates/draft.typ` lays out.
#[derive(Serialize)]
pub(crate) struct Page {
    pub lang: Lang,
    pub title: String,
    pub subtitle: String,
    pub meta: Vec<Row>,
    pub notices: Vec<String>,
    pub sections: Vec<Section>,
    pub footer: String,
    /// When it was made (RFC 3339), also the PDF's date.
    pub created_at: String,
}

/// A label–value row.
pub(crate) fn row(label: &str, value: impl Into<String>) -> Row {
    Row {
        label: label.to_string(),
        value: value.into(),
    }
}

/// Lay a page out with the draft template.
pub(crate) fn layout(doc: &Page) -> Result<Rendered, Error> {
    let created = chrono::DateTime::parse_from_rfc3339(&doc.created_at).ok();
    let today = created.as_ref().map(crate::day_of);
    let mut world = ReportWorld::new(crate::drafts::DRAFT_TEMPLATE, today);
    let document = compile(&mut world, crate::drafts::DRAFT_TEMPLATE, || {
        Ok(serde_json::to_value(doc)?)
    })?;
    Ok(Rendered {
        document,
        generated_at: created.and_then(|t| crate::utc_datetime(&t)),
    })
}
