//! Thumbnails of image evidence: decoded from the original by `varde-image` (under its
//! limits, upright by the EXIF orientation), scaled down, re-encoded as JPEG. One at a
//! time; the original's bytes are dropped as soon as the thumbnail exists.

pub use varde_image::MAX_ORIGINAL_BYTES;
use varde_image::{ImageError, Jpeg};

/// Width in pixels of a thumbnail (at most).
pub const THUMB_WIDTH: u32 = 400;
/// Height in pixels of a thumbnail (at most): tall phone screenshots stay readable.
pub const THUMB_MAX_HEIGHT: u32 = 1000;
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

impl From<ImageError> for NoThumb {
    fn from(e: ImageError) -> Self {
        match e {
            ImageError::TooLarge => NoThumb::TooLarge,
            ImageError::Unsupported => NoThumb::Unsupported,
            ImageError::Undecodable => NoThumb::Undecodable,
        }
    }
}

/// Whether the report tries to make a thumbnail for this media type.
pub fn is_thumbnailable(media_type: &str) -> bool {
    varde_image::is_supported(media_type)
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

fn scaled(original: &[u8], max_w: u32, max_h: u32) -> Result<Thumbnail, NoThumb> {
    let Jpeg {
        bytes,
        width,
        height,
    } = varde_image::scaled_jpeg(original, max_w, max_h, JPEG_QUALITY)?;
    Ok(Thumbnail {
        jpeg: bytes,
        width,
        height,
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
    fn a_bomb_gets_no_thumbnail() {
        let bomb = base64_decode(
            "UklGRlJJRgBXRUJQVlA4TL0AAAAvDzUDFM1VICICGRkZGRkZGRkZGRkZGRkZGRkZAACbBwA=",
        );
        assert_eq!(thumbnail(&bomb), Err(NoThumb::TooLarge));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageFormat;
    use std::io::Cursor;

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
