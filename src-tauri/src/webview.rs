//! The webview engine's settings that Tauri's configuration does not reach.
//!
//! On Linux the window is WebKitGTK. By default it composites the page on the GPU, which
//! on a machine without a driver for its GPU (a virtual machine, a remote desktop, Xvfb)
//! means Mesa's software rasteriser and its LLVM in both the app and the web process:
//! about 100 MB more PSS on the unlock screen (`scripts/bench-app`, BENCHMARKS.md) for a
//! page of forms and lists that gains nothing from it. Varde asks for no GPU compositing,
//! and for the engine's smallest caches: every page it shows is its own.

use tauri::{Runtime, WebviewWindow};

/// Apply Varde's engine settings to a window's webview. Errors are ignored: the window
/// works with the engine's defaults, only with more memory.
pub fn tune<R: Runtime>(window: &WebviewWindow<R>) {
    let _ = window.with_webview(|webview| {
        #[cfg(target_os = "linux")]
        {
            use webkit2gtk::{
                CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
            };
            let view = webview.inner();
            if let Some(settings) = view.settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = webview;
    });
}
