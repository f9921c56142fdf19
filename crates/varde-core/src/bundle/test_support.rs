//! For tests of bundles (feature `test-support`): a report renderer that needs no PDF
//! library.

use super::{Manifest, ReportRenderer};
use crate::error::Result;

/// A valid one-page PDF showing `text` (ASCII) in Helvetica: enough for a bundle in tests.
pub fn one_page_pdf(text: &str) -> Vec<u8> {
    let content = format!("BT /F1 24 Tf 72 770 Td ({text}) Tj ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Renders [`one_page_pdf`] with the case reference and reads no original.
#[derive(Debug, Clone, Copy, Default)]
pub struct OnePageRenderer;

impl ReportRenderer for OnePageRenderer {
    fn render(
        &self,
        manifest: &Manifest,
        _originals: &mut dyn FnMut(&str) -> Result<Vec<u8>>,
        _lang: &str,
    ) -> Result<Vec<u8>> {
        Ok(one_page_pdf(&manifest.case.reference))
    }
}
