//! The report's thumbnailer on arbitrary bytes as an original: format sniffing, the size
//! checks from the header, decoding under the allocation limit, scaling, JPEG encoding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use varde_report::thumbs::{THUMB_MAX_HEIGHT, THUMB_WIDTH, thumbnail};

fuzz_target!(|data: &[u8]| {
    // `Err(NoThumb)` is the expected outcome for most inputs; a panic is the bug.
    if let Ok(t) = thumbnail(data) {
        assert!(
            t.width <= THUMB_WIDTH && t.height <= THUMB_MAX_HEIGHT,
            "{t:?}"
        );
        assert!(t.jpeg.starts_with(&[0xFF, 0xD8]), "not a JPEG");
    }
});
