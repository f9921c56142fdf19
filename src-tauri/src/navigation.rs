//! The window never leaves the app. Every navigation of the webview — a `tel:` or
//! `mailto:` link, a web address, a `file:` URL, a form, `location = …` — is refused
//! unless it stays on the app's own origin. A desktop cannot place a phone call, and a
//! webview that navigated to `tel:112` showed "The URL can't be shown" with no way back:
//! the officer lost the app at the moment of an emergency. Phone numbers are shown large
//! and copied instead (see `ui/src/components/PhoneNumber.svelte`).

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

/// The plugin that guards every webview of the app.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|_webview, url| {
            let allowed = is_app_origin(url);
            if !allowed {
                eprintln!(
                    "varde-app: refused to leave the app for a {}: address",
                    url.scheme()
                );
            }
            allowed
        })
        .build()
}

/// True for the app's own pages: `tauri://localhost` (Linux, macOS), `http(s)://tauri.localhost`
/// (Windows). There is no dev server: the app always serves its built UI.
pub fn is_app_origin(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    match url.scheme() {
        "tauri" => host == "localhost",
        "http" | "https" if host == "tauri.localhost" => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(s: &str) -> bool {
        is_app_origin(&Url::parse(s).expect("url"))
    }

    #[test]
    fn only_the_apps_own_pages_are_allowed() {
        assert!(allowed("tauri://localhost"));
        assert!(allowed("tauri://localhost/index.html#case"));
        assert!(allowed("http://tauri.localhost/"));
        for away in [
            "tel:112",
            "tel:+4702800",
            "mailto:someone@example.org",
            "https://www.politiet.no/",
            "http://localhost:5173/",
            "file:///etc/passwd",
            "tauri://evil.example/",
            "about:blank",
            "data:text/html,hi",
            "javascript:alert(1)",
            "https://tauri.localhost.example.org/",
        ] {
            assert!(!allowed(away), "{away} must be refused");
        }
    }
}
