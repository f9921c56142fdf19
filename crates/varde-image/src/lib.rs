//! Varde's one image decoder. Every image original that Varde turns into pixels — a
//! thumbnail in the app's gallery, a thumbnail or a page in the report, a redacted copy —
//! goes through [`decode`]: the format is checked, a decompression bomb is refused from
//! its header before any pixel is decoded, the decoder's allocations are capped, and the
//! image is turned upright by its EXIF orientation (as the app's viewer shows it, so a
//! box drawn there lands where it was drawn).
//!
//! The original's bytes are only read here; nothing in this crate writes a file.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage, Rgba};

/// Originals larger than this are not decoded.
pub const MAX_ORIGINAL_BYTES: u64 = 64 * 1024 * 1024;
/// Images with more pixels than this are not decoded (decompression bombs).
const MAX_PIXELS: u64 = 100_000_000;
/// Below this many pixels an image is always decoded, however small its file.
const SMALL_PIXELS: u64 = 4_000_000;
/// Above [`SMALL_PIXELS`], at most this many pixels per byte of the file. A real
/// screenshot of flat colour compresses to a few hundred pixels per byte; a 53-byte WebP
/// declaring 22 megapixels (found by the fuzzer: seconds of decoding each time) is 400,000.
const MAX_PIXELS_PER_BYTE: u64 = 4096;
/// The most boxes one redacted copy may have.
pub const MAX_REGIONS: usize = 200;

/// Why an image could not be turned into pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageError {
    /// The original is larger than [`MAX_ORIGINAL_BYTES`] or has too many pixels.
    TooLarge,
    /// The format is not one Varde decodes (PNG, JPEG, GIF, WebP).
    Unsupported,
    /// The bytes could not be decoded.
    Undecodable,
}

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ImageError::TooLarge => "the image is too large to decode",
            ImageError::Unsupported => "the image's format is not PNG, JPEG, GIF or WebP",
            ImageError::Undecodable => "the image could not be decoded",
        })
    }
}

impl std::error::Error for ImageError {}

/// Whether Varde decodes images of this media type.
pub fn is_supported(media_type: &str) -> bool {
    matches!(
        media_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// Refuse to decode an image of `w` × `h` pixels from a file of `bytes` bytes when it is
/// a decompression bomb: more than [`MAX_PIXELS`], or, past [`SMALL_PIXELS`], more pixels
/// per byte than any real photo or screenshot has.
pub fn check_size(w: u32, h: u32, bytes: u64) -> Result<(), ImageError> {
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_PIXELS
        || (pixels > SMALL_PIXELS && pixels > bytes.saturating_mul(MAX_PIXELS_PER_BYTE))
    {
        return Err(ImageError::TooLarge);
    }
    Ok(())
}

/// The dimensions an image's header declares, without decoding it (as stored, before
/// any EXIF orientation).
pub fn declared_size(original: &[u8]) -> Option<(u32, u32)> {
    ImageReader::new(Cursor::new(original))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// Decode an image original under the limits, upright by its EXIF orientation.
pub fn decode(original: &[u8]) -> Result<DynamicImage, ImageError> {
    if original.len() as u64 > MAX_ORIGINAL_BYTES {
        return Err(ImageError::TooLarge);
    }
    let reader = || {
        ImageReader::new(Cursor::new(original))
            .with_guessed_format()
            .map_err(|_| ImageError::Undecodable)
    };
    match reader()?.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) => {}
        Some(_) => return Err(ImageError::Unsupported),
        None => return Err(ImageError::Undecodable),
    }
    // The header alone says how large the decoded image would be.
    let (w, h) = reader()?
        .into_dimensions()
        .map_err(|_| ImageError::Undecodable)?;
    check_size(w, h, original.len() as u64)?;
    let mut reader = reader()?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + 16 * 1024 * 1024);
    reader.limits(limits);
    let failed = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => ImageError::TooLarge,
        _ => ImageError::Undecodable,
    };
    let mut decoder = reader.into_decoder().map_err(failed)?;
    // An unreadable orientation is no reason to refuse the pixels: shown as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(failed)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// A JPEG made from an image: its bytes and its size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jpeg {
    /// The JPEG file.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A JPEG of an image original, upright, scaled down (never up) to fit `max_w` × `max_h`,
/// transparency flattened onto white.
pub fn scaled_jpeg(
    original: &[u8],
    max_w: u32,
    max_h: u32,
    quality: u8,
) -> Result<Jpeg, ImageError> {
    let img = decode(original)?;
    let img = if img.width() > max_w || img.height() > max_h {
        img.resize(max_w, max_h, FilterType::Triangle)
    } else {
        img
    };
    let rgb = on_white(&img);
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality);
    rgb.write_with_encoder(encoder)
        .map_err(|_| ImageError::Undecodable)?;
    Ok(Jpeg {
        bytes,
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

/// A rectangle of an upright image, in its pixels: `x`, `y` of the top-left corner, `w`
/// wide and `h` high.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

/// Why a set of regions cannot be redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionError {
    /// No region was given.
    None,
    /// More than [`MAX_REGIONS`].
    TooMany,
    /// A region (by its place in the list, from 0) is empty or reaches past the image.
    Outside {
        /// Which region.
        index: usize,
        /// The upright image's width.
        width: u32,
        /// The upright image's height.
        height: u32,
    },
}

/// A redacted copy: a PNG made from the upright pixels alone, every region filled opaque
/// black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    /// The PNG file: no EXIF, GPS, text chunk, colour profile or thumbnail of the original.
    pub png: Vec<u8>,
    /// Width in pixels (upright).
    pub width: u32,
    /// Height in pixels (upright).
    pub height: u32,
}

/// The error of [`redact`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedactError {
    /// The original could not be decoded.
    Image(ImageError),
    /// The regions do not fit the image.
    Regions(RegionError),
}

/// Check regions against an upright image of `width` × `height`.
pub fn check_regions(regions: &[Region], width: u32, height: u32) -> Result<(), RegionError> {
    if regions.is_empty() {
        return Err(RegionError::None);
    }
    if regions.len() > MAX_REGIONS {
        return Err(RegionError::TooMany);
    }
    for (index, r) in regions.iter().enumerate() {
        let fits = r.w > 0
            && r.h > 0
            && u64::from(r.x) + u64::from(r.w) <= u64::from(width)
            && u64::from(r.y) + u64::from(r.h) <= u64::from(height);
        if !fits {
            return Err(RegionError::Outside {
                index,
                width,
                height,
            });
        }
    }
    Ok(())
}

/// Make a redacted copy of an image original: decoded upright, each region filled with
/// opaque black (never blurred or pixelated, which can be undone), encoded afresh as PNG.
/// An animated GIF gives its first frame.
pub fn redact(original: &[u8], regions: &[Region]) -> Result<Redacted, RedactError> {
    let img = decode(original).map_err(RedactError::Image)?;
    check_regions(regions, img.width(), img.height()).map_err(RedactError::Regions)?;
    let png = if img.color().has_alpha() {
        let mut rgba = img.into_rgba8();
        for r in regions {
            for y in r.y..r.y + r.h {
                for x in r.x..r.x + r.w {
                    rgba.put_pixel(x, y, Rgba([0, 0, 0, 255]));
                }
            }
        }
        encode_png(&rgba, image::ExtendedColorType::Rgba8)
    } else {
        let mut rgb = img.into_rgb8();
        for r in regions {
            for y in r.y..r.y + r.h {
                for x in r.x..r.x + r.w {
                    rgb.put_pixel(x, y, image::Rgb([0, 0, 0]));
                }
            }
        }
        encode_png(&rgb, image::ExtendedColorType::Rgb8)
    }
    .map_err(RedactError::Image)?;
    Ok(png)
}

/// PNG of raw pixels, with nothing else in the file (the encoder writes no metadata
/// unless asked to).
fn encode_png<P: image::Pixel<Subpixel = u8>>(
    img: &image::ImageBuffer<P, Vec<u8>>,
    color: image::ExtendedColorType,
) -> Result<Redacted, ImageError> {
    use image::ImageEncoder as _;
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(img.as_raw(), img.width(), img.height(), color)
        .map_err(|_| ImageError::Undecodable)?;
    Ok(Redacted {
        png,
        width: img.width(),
        height: img.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, alpha: bool) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            Rgba([
                (x % 256) as u8 | 1,
                (y % 256) as u8 | 1,
                200,
                if alpha && x < 3 { 40 } else { 255 },
            ])
        });
        let img = if alpha {
            DynamicImage::ImageRgba8(img)
        } else {
            DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(img).to_rgb8())
        };
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("png");
        out
    }

    /// A JPEG of `w` × `h` with an EXIF APP1 segment holding only an orientation tag.
    fn jpeg_with_orientation(w: u32, h: u32, orientation: u16) -> Vec<u8> {
        let rgb = RgbImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                image::Rgb([250, 250, 250])
            } else {
                image::Rgb([10, 10, 250])
            }
        });
        let mut jpeg = Vec::new();
        rgb.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut jpeg, 95,
        ))
        .expect("jpeg");
        // Big-endian TIFF: header, one IFD with one SHORT entry (0x0112 Orientation).
        let mut tiff =
            b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01".to_vec();
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        varde_read::samples::jpeg_with_exif(&jpeg, &tiff)
    }

    #[test]
    fn a_bomb_is_refused_from_its_header() {
        assert!(check_size(1080, 2400, 30_000).is_ok());
        assert!(check_size(1000, 1000, 60).is_ok());
        assert_eq!(check_size(4700, 4700, 53), Err(ImageError::TooLarge));
        use base64::Engine as _;
        let bomb = base64::engine::general_purpose::STANDARD
            .decode("UklGRlJJRgBXRUJQVlA4TL0AAAAvDzUDFM1VICICGRkZGRkZGRkZGRkZGRkZGRkZAACbBwA=")
            .expect("base64");
        let started = std::time::Instant::now();
        assert_eq!(decode(&bomb).err(), Some(ImageError::TooLarge));
        assert!(started.elapsed() < std::time::Duration::from_millis(200));
        assert_eq!(
            check_size(20_000, 20_000, 1 << 30),
            Err(ImageError::TooLarge)
        );
    }

    #[test]
    fn garbage_other_formats_and_truncated_files_are_refused() {
        assert_eq!(
            decode(b"not an image at all").err(),
            Some(ImageError::Undecodable)
        );
        let tiff = b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00";
        assert_eq!(decode(tiff).err(), Some(ImageError::Unsupported));
        let p = png(300, 300, false);
        assert_eq!(
            decode(&p[..p.len() / 2]).err(),
            Some(ImageError::Undecodable)
        );
    }

    #[test]
    fn an_exif_orientation_turns_the_image_upright() {
        // Stored 40 × 20, white left half; orientation 6 (rotate 90° clockwise to view).
        let img = decode(&jpeg_with_orientation(40, 20, 6)).expect("decode");
        assert_eq!((img.width(), img.height()), (20, 40));
        let rgb = img.to_rgb8();
        // After a clockwise turn the stored left half is on top.
        assert!(rgb.get_pixel(10, 5).0[2] > 200 && rgb.get_pixel(10, 5).0[0] > 200);
        assert!(rgb.get_pixel(10, 35).0[0] < 60);
        let plain = decode(&jpeg_with_orientation(40, 20, 1)).expect("decode");
        assert_eq!((plain.width(), plain.height()), (40, 20));
    }

    #[test]
    fn a_scaled_jpeg_fits_and_never_grows() {
        let j = scaled_jpeg(&png(1200, 600, true), 400, 1000, 85).expect("jpeg");
        assert_eq!((j.width, j.height), (400, 200));
        let back = image::load_from_memory(&j.bytes).expect("decode");
        assert_eq!((back.width(), back.height()), (400, 200));
        let small = scaled_jpeg(&png(120, 80, false), 400, 1000, 85).expect("jpeg");
        assert_eq!((small.width, small.height), (120, 80));
    }

    #[test]
    fn regions_are_opaque_black_and_nothing_else_changes() {
        for alpha in [false, true] {
            let original = png(64, 48, alpha);
            let regions = [
                Region {
                    x: 0,
                    y: 0,
                    w: 10,
                    h: 5,
                },
                Region {
                    x: 30,
                    y: 20,
                    w: 34,
                    h: 28,
                },
            ];
            let copy = redact(&original, &regions).expect("redact");
            assert_eq!((copy.width, copy.height), (64, 48));
            let before = image::load_from_memory(&original)
                .expect("original")
                .to_rgba8();
            let after = image::load_from_memory(&copy.png).expect("copy").to_rgba8();
            for (x, y, p) in after.enumerate_pixels() {
                let inside = regions
                    .iter()
                    .any(|r| x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h);
                if inside {
                    assert_eq!(p.0, [0, 0, 0, 255], "({x}, {y}) alpha={alpha}");
                } else {
                    assert_eq!(p, before.get_pixel(x, y), "({x}, {y}) alpha={alpha}");
                }
            }
        }
    }

    #[test]
    fn the_copy_holds_no_metadata_and_is_upright() {
        let original = jpeg_with_orientation(40, 20, 6);
        let copy = redact(
            &original,
            &[Region {
                x: 0,
                y: 0,
                w: 20,
                h: 10,
            }],
        )
        .expect("redact");
        assert_eq!((copy.width, copy.height), (20, 40));
        // Only the chunks of the pixels: IHDR, IDAT…, IEND.
        let mut chunks = Vec::new();
        let mut at = 8;
        while at + 8 <= copy.png.len() {
            let len = u32::from_be_bytes(copy.png[at..at + 4].try_into().expect("4")) as usize;
            chunks.push(String::from_utf8_lossy(&copy.png[at + 4..at + 8]).into_owned());
            at += 12 + len;
        }
        chunks.dedup();
        assert_eq!(chunks, ["IHDR", "IDAT", "IEND"]);
    }

    #[test]
    fn regions_must_fit_the_upright_image() {
        let original = png(64, 48, false);
        let r = |x, y, w, h| Region { x, y, w, h };
        assert_eq!(
            redact(&original, &[]).err(),
            Some(RedactError::Regions(RegionError::None))
        );
        assert_eq!(
            redact(&original, &[r(0, 0, 10, 10), r(60, 0, 5, 5)]).err(),
            Some(RedactError::Regions(RegionError::Outside {
                index: 1,
                width: 64,
                height: 48
            }))
        );
        assert_eq!(
            redact(&original, &[r(0, 0, 0, 10)]).err(),
            Some(RedactError::Regions(RegionError::Outside {
                index: 0,
                width: 64,
                height: 48
            }))
        );
        assert!(redact(&original, &[r(0, 0, 64, 48)]).is_ok());
        let many = vec![r(0, 0, 1, 1); MAX_REGIONS + 1];
        assert_eq!(
            redact(&original, &many).err(),
            Some(RedactError::Regions(RegionError::TooMany))
        );
        assert_eq!(
            redact(b"garbage", &[r(0, 0, 1, 1)]).err(),
            Some(RedactError::Image(ImageError::Undecodable))
        );
    }
}
