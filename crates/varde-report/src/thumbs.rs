//! Thumbnails of image evidence: decoded from the original, scaled down, re-encoded as
//! JPEG. One at a time; the original's bytes are dropped as soon as the thumbnail exists.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits, RgbImage};

/// Width in pixels of a thumbnail (at most).
pub const THUMB_WIDTH: u32 = 400;
/// Height in pixels of a thumbnail (at most): tall phone screenshots stay readable.
pub const THUMB_MAX_HEIGHT: u32 = 1000;
/// Originals larger than this are not decoded for a thumbnail.
pub const MAX_ORIGINAL_BYTES: u64 = 64 * 1024 * 1024;
/// Images with more pixels than this are not decoded (decompression bombs).
const MAX_PIXELS: u64 = 100_000_000;
/// Below this many pixels an image is always decoded, however small its file.
const SMALL_PIXELS: u64 = 4_000_000;
/// Above [`SMALL_PIXELS`], at most this many pixels per byte of the file. A real
/// screenshot of flat colour compresses to a few hundred pixels per byte; a 53-byte WebP
/// declaring 22 megapixels (found by the fuzzer: seconds of decoding each time) is 400,000.
const MAX_PIXELS_PER_BYTE: u64 = 4096;
/// JPEG quality of thumbnails.
const JPEG_QUALITY: u8 = 85;

/// Why an image item has no thumbnail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoThumb {
    /// The original is larger than [`MAX_ORIGINAL_BYTES`] or has too many pixels.
    TooLarge,
    /// The format is not one the report decodes (PNG, JPEG, GIF, WebP).
    Unsupported,
    /// The bytes could not be decoded.
    Undecodable,
    /// The original could not be read.
    Unreadable,
}

impl NoThumb {
    /// The key of the note in the template's label table.
    pub fn key(self) -> &'static str {
        match self {
            NoThumb::TooLarge => "too_large",
            NoThumb::Unsupported => "unsupported",
            NoThumb::Undecodable => "undecodable",
            NoThumb::Unreadable => "unreadable",
        }
    }
}

/// Refuse to decode an image of `w` × `h` pixels from a file of `bytes` bytes when it is
/// a decompression bomb: more than [`MAX_PIXELS`], or, past [`SMALL_PIXELS`], more pixels
/// per byte than any real photo or screenshot has. The report and the app's gallery use it.
pub fn check_size(w: u32, h: u32, bytes: u64) -> Result<(), NoThumb> {
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_PIXELS
        || (pixels > SMALL_PIXELS && pixels > bytes.saturating_mul(MAX_PIXELS_PER_BYTE))
    {
        return Err(NoThumb::TooLarge);
    }
    Ok(())
}

/// The dimensions an image's header declares, without decoding it.
pub fn declared_size(original: &[u8]) -> Option<(u32, u32)> {
    ImageReader::new(Cursor::new(original))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// Whether the report tries to make a thumbnail for this media type.
pub fn is_thumbnailable(media_type: &str) -> bool {
    matches!(
        media_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// A thumbnail: JPEG bytes and their size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// The JPEG.
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The largest image on an appendix page, in pixels (readable at A4: about 170 dpi across
/// the text width).
pub const PAGE_WIDTH: u32 = 1200;
/// The tallest image on an appendix page, in pixels (a long phone screenshot is cut down
/// in proportion, never cropped).
pub const PAGE_MAX_HEIGHT: u32 = 1800;

/// Make a JPEG thumbnail at most [`THUMB_WIDTH`] × [`THUMB_MAX_HEIGHT`] pixels.
pub fn thumbnail(original: &[u8]) -> Result<Thumbnail, NoThumb> {
    scaled(original, THUMB_WIDTH, THUMB_MAX_HEIGHT)
}

/// Make a JPEG of an image for its own page in the report's appendix, at most
/// [`PAGE_WIDTH`] × [`PAGE_MAX_HEIGHT`] pixels.
pub fn page_image(original: &[u8]) -> Result<Thumbnail, NoThumb> {
    scaled(original, PAGE_WIDTH, PAGE_MAX_HEIGHT)
}

/// A JPEG of an image scaled down (never up) to fit `max_w` × `max_h`.
fn scaled(original: &[u8], max_w: u32, max_h: u32) -> Result<Thumbnail, NoThumb> {
    if original.len() as u64 > MAX_ORIGINAL_BYTES {
        return Err(NoThumb::TooLarge);
    }
    let reader = || {
        ImageReader::new(Cursor::new(original))
            .with_guessed_format()
            .map_err(|_| NoThumb::Undecodable)
    };
    match reader()?.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) => {}
        Some(_) => return Err(NoThumb::Unsupported),
        None => return Err(NoThumb::Undecodable),
    }
    // The header alone says how large the decoded image would be.
    let (w, h) = reader()?
        .into_dimensions()
        .map_err(|_| NoThumb::Undecodable)?;
    check_size(w, h, original.len() as u64)?;
    let mut reader = reader()?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + 16 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => NoThumb::TooLarge,
        _ => NoThumb::Undecodable,
    })?;
    let img = if img.width() > max_w || img.height() > max_h {
        img.resize(max_w, max_h, FilterType::Triangle)
    } else {
        img
    };
    let rgb = on_white(&img);
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    rgb.write_with_encoder(encoder)
        .map_err(|_| NoThumb::Undecodable)?;
    Ok(Thumbnail {
        jpeg: out,
        width: rgb.width(),
        height: rgb.height(),
    })
}

/// Flatten transparency onto white (JPEG has no alpha; screenshots often have some).
fn on_white(img: &DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let blend = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        image::Rgb([blend(p[0]), blend(p[1]), blend(p[2])])
    })
}

#[cfg(test)]
mod size_tests {
    use super::*;

    fn base64_decode(s: &str) -> Vec<u8> {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .expect("base64")
    }

    #[test]
    fn a_bomb_is_refused_and_a_real_screenshot_is_not() {
        // A phone screenshot of flat colour: 1080 × 2400 in 30 KB.
        assert!(check_size(1080, 2400, 30_000).is_ok());
        // Small images are always fine.
        assert!(check_size(1000, 1000, 60).is_ok());
        // The fuzzer's 53-byte WebP declaring 22 megapixels.
        assert_eq!(check_size(4700, 4700, 53), Err(NoThumb::TooLarge));
        let bomb = base64_decode(
            "UklGRlJJRgBXRUJQVlA4TL0AAAAvDzUDFM1VICICGRkZGRkZGRkZGRkZGRkZGRkZAACbBwA=",
        );
        assert_eq!(thumbnail(&bomb), Err(NoThumb::TooLarge));
        assert_eq!(check_size(20_000, 20_000, 1 << 30), Err(NoThumb::TooLarge));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([
                (x % 256) as u8,
                (y % 256) as u8,
                128,
                if x < 10 { 0 } else { 255 },
            ])
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("encode png");
        out
    }

    #[test]
    fn scales_down_to_the_thumbnail_width() {
        let t = thumbnail(&png(1200, 600)).expect("thumbnail");
        let img = image::load_from_memory(&t.jpeg).expect("decode thumbnail");
        assert_eq!((img.width(), img.height()), (400, 200));
        assert_eq!((t.width, t.height), (400, 200));
    }

    #[test]
    fn keeps_small_images_at_their_size() {
        let t = thumbnail(&png(120, 80)).expect("thumbnail");
        let img = image::load_from_memory(&t.jpeg).expect("decode thumbnail");
        assert_eq!((img.width(), img.height()), (120, 80));
    }

    #[test]
    fn refuses_garbage_and_other_formats() {
        assert_eq!(thumbnail(b"not an image at all"), Err(NoThumb::Undecodable));
        // A TIFF header: recognised, but not a format the report decodes.
        let tiff = b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00";
        assert_eq!(thumbnail(tiff), Err(NoThumb::Unsupported));
    }

    #[test]
    fn refuses_a_truncated_png() {
        let p = png(300, 300);
        assert_eq!(thumbnail(&p[..p.len() / 2]), Err(NoThumb::Undecodable));
    }
}
