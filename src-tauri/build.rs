//! Build step: Tauri generates the app context (config, icons, capabilities) at compile time.

fn main() {
    tauri_build::build()
}
