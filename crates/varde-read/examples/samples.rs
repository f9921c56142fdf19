//! Write the made-up samples of every format Varde reads into a directory (the end-to-end
//! tests' fixtures): `cargo run -p varde-read --features samples --example samples -- DIR`.

#![allow(clippy::unwrap_used, missing_docs)]

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: samples DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in varde_read::samples::all() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}
