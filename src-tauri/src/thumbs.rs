//! Thumbnails of image originals for the gallery: decoded in memory by `varde-image`
//! (under its limits, upright), scaled down, JPEG, `data:` URL. Nothing decrypted is
//! written to disk.

use std::io::Read;

use base64::Engine as _;

/// Longest side of a thumbnail, in pixels.
const SIDE: u32 = 320;

/// Whether an original of this type and size gets a thumbnail.
pub fn can_thumbnail(media_type: &str, size: u64) -> bool {
    varde_image::is_supported(media_type) && size <= varde_image::MAX_ORIGINAL_BYTES
}

/// A thumbnail of the image read from `src`; `None` when it cannot be decoded.
pub fn make(mut src: impl Read, size: u64) -> Option<String> {
    let mut bytes = Vec::with_capacity(usize::try_from(size).ok()?);
    src.read_to_end(&mut bytes).ok()?;
    let jpeg = varde_image::scaled_jpeg(&bytes, SIDE, SIDE, 80).ok()?;
    Some(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg.bytes)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_becomes_a_small_jpeg_data_url_and_garbage_none() {
        let img = image::RgbImage::from_fn(1000, 500, |x, _| image::Rgb([(x % 256) as u8, 40, 90]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        let url = make(png.as_slice(), png.len() as u64).expect("thumbnail");
        assert!(url.starts_with("data:image/jpeg;base64,"));
        let jpeg = base64::engine::general_purpose::STANDARD
            .decode(&url["data:image/jpeg;base64,".len()..])
            .expect("base64");
        let back = image::load_from_memory(&jpeg).expect("jpeg");
        assert_eq!((back.width(), back.height()), (320, 160));
        assert!(make(&b"not an image"[..], 12).is_none());
        assert!(!can_thumbnail("audio/mpeg", 10));
        assert!(!can_thumbnail(
            "image/png",
            varde_image::MAX_ORIGINAL_BYTES + 1
        ));
    }

    #[test]
    fn a_decompression_bomb_is_not_decoded() {
        // Found by the fuzzer: 53 bytes of lossless WebP declaring
        // took seconds to decode (tens of megapixels). Refused from its header, before any decoding.
        let bomb = base64::engine::general_purpose::STANDARD
            .decode("UklGRlJJRgBXRUJQVlA4TL0AAAAvDzUDFM1VICICGRkZGRkZGRkZGRkZGRkZGRkZAACbBwA=")
            .expect("base64");
        let (w, h) = varde_image::declared_size(&bomb).expect("a WebP header");
        assert!(u64::from(w) * u64::from(h) > 20_000_000, "{w} × {h}");
        let started = std::time::Instant::now();
        assert!(make(bomb.as_slice(), bomb.len() as u64).is_none());
        assert!(started.elapsed() < std::time::Duration::from_millis(200));
    }
}
