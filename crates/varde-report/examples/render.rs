//! Render the report of an unpacked bundle folder again, from its `manifest.json` and the
//! originals under it: `cargo run -p varde-report --release --example render -- BUNDLE_DIR
//! OUT.pdf [nb|en]`. Prints the page count and how long it took.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use varde_core::Manifest;
use varde_report::Lang;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out, rest @ ..] = args.as_slice() else {
        bail!("usage: render BUNDLE_DIR OUT.pdf [nb|en]");
    };
    let lang: Lang = match rest.first() {
        Some(l) => l.parse().context("the language is nb or en")?,
        None => Lang::Nb,
    };
    let dir = PathBuf::from(dir);
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(dir.join("manifest.json")).context("reading manifest.json")?,
    )
    .context("parsing manifest.json")?;
    let paths: std::collections::HashMap<String, String> = manifest
        .evidence
        .iter()
        .map(|e| (e.sha256.clone(), e.path.clone()))
        .collect();
    let started = Instant::now();
    let rendered = varde_report::layout(
        &manifest,
        &mut |sha: &str| match paths.get(sha) {
            Some(p) => std::fs::read(dir.join(p)).map_err(|e| e.to_string()),
            None => Err("not in the manifest".to_owned()),
        },
        lang,
    )?;
    let pdf = rendered.to_pdf()?;
    std::fs::write(out, &pdf).with_context(|| format!("writing {out}"))?;
    println!(
        "{out}: {} pages, {} bytes, {:?}",
        rendered.page_count(),
        pdf.len(),
        started.elapsed()
    );
    Ok(())
}
