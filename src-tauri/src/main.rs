//! The `varde-app` binary: Varde's desktop window.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    match varde_app::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("varde-app: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
