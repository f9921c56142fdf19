//! A photo's EXIF, read with kamadak-exif (JPEG, HEIF, PNG, TIFF, WebP): when it was
//! taken, by what camera, and where, when the phone recorded it.

use exif::{In, Tag, Value};
use serde::{Deserialize, Serialize};

use crate::{Format, ReadError};

/// A GPS position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Gps {
    /// Latitude in degrees, north positive.
    pub latitude: f64,
    /// Longitude in degrees, east positive.
    pub longitude: f64,
    /// Altitude in metres above sea level, when recorded.
    pub altitude_m: Option<f64>,
}

/// What a photo says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Image {
    /// The photo has EXIF at all (a screenshot usually has none).
    pub has_exif: bool,
    /// When it was taken: RFC 3339 when the offset is recorded, else the camera's clock time
    /// `YYYY-MM-DDTHH:MM:SS` with `taken_is_local` set.
    pub taken: Option<String>,
    /// `taken` is the camera's clock time with no zone.
    pub taken_is_local: bool,
    /// Camera maker.
    pub make: Option<String>,
    /// Camera model.
    pub model: Option<String>,
    /// Software that wrote the file (an editor's name means it was edited before it came in).
    pub software: Option<String>,
    /// Where it was taken.
    pub gps: Option<Gps>,
}

fn ascii(exif: &exif::Exif, tag: Tag) -> Option<String> {
    let f = exif.get_field(tag, In::PRIMARY)?;
    match &f.value {
        Value::Ascii(v) => {
            let s = String::from_utf8_lossy(v.first()?)
                .trim_matches(|c: char| c == '\0' || c.is_whitespace())
                .to_string();
            (!s.is_empty()).then_some(s)
        }
        _ => None,
    }
}

fn degrees(exif: &exif::Exif, tag: Tag, reference: Tag, negative: &str) -> Option<f64> {
    let f = exif.get_field(tag, In::PRIMARY)?;
    let Value::Rational(r) = &f.value else {
        return None;
    };
    if r.len() < 3 || r.iter().any(|x| x.denom == 0) {
        return None;
    }
    let v = r[0].to_f64() + r[1].to_f64() / 60.0 + r[2].to_f64() / 3600.0;
    let sign = match ascii(exif, reference) {
        Some(s) if s.eq_ignore_ascii_case(negative) => -1.0,
        _ => 1.0,
    };
    let v = sign * v;
    v.is_finite().then_some(v)
}

fn taken(exif: &exif::Exif) -> Option<(String, bool)> {
    let raw = ascii(exif, Tag::DateTimeOriginal).or_else(|| ascii(exif, Tag::DateTime))?;
    let t = chrono::NaiveDateTime::parse_from_str(&raw, "%Y:%m:%d %H:%M:%S").ok()?;
    let local = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let offset = ascii(exif, Tag::OffsetTimeOriginal).or_else(|| ascii(exif, Tag::OffsetTime));
    match offset.and_then(|o| chrono::DateTime::parse_from_rfc3339(&format!("{local}{o}")).ok()) {
        Some(with) => Some((with.to_rfc3339(), false)),
        None => Some((local, true)),
    }
}

/// Read a photo's EXIF.
pub(crate) fn read(bytes: &[u8]) -> Result<Image, ReadError> {
    let exif = match exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) {
        Ok(e) => e,
        Err(exif::Error::NotFound(_)) => {
            return Ok(Image {
                has_exif: false,
                taken: None,
                taken_is_local: false,
                make: None,
                model: None,
                software: None,
                gps: None,
            });
        }
        Err(e) => return Err(ReadError::malformed(Format::Image, e)),
    };
    let (taken, taken_is_local) = match taken(&exif) {
        Some((t, local)) => (Some(t), local),
        None => (None, false),
    };
    let gps = match (
        degrees(&exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, "S"),
        degrees(&exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, "W"),
    ) {
        (Some(latitude), Some(longitude)) => Some(Gps {
            latitude,
            longitude,
            altitude_m: exif.get_field(Tag::GPSAltitude, In::PRIMARY).and_then(|f| {
                match &f.value {
                    Value::Rational(r) if r.first().is_some_and(|x| x.denom != 0) => {
                        Some(r[0].to_f64())
                    }
                    _ => None,
                }
            }),
        }),
        _ => None,
    };
    Ok(Image {
        has_exif: true,
        taken,
        taken_is_local,
        make: ascii(&exif, Tag::Make),
        model: ascii(&exif, Tag::Model),
        software: ascii(&exif, Tag::Software),
        gps,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_phone_photo_gives_its_time_camera_and_position() {
        let bytes = crate::samples::jpeg();
        assert_eq!(
            crate::detect("image/jpeg", "IMG_0042.jpg", &bytes),
            Some(Format::Image)
        );
        let i = read(&bytes).expect("read");
        assert!(i.has_exif);
        assert_eq!(i.taken.as_deref(), Some("2026-11-21T21:14:03+01:00"));
        assert!(!i.taken_is_local);
        assert_eq!(i.make.as_deref(), Some("Apple"));
        assert_eq!(i.model.as_deref(), Some("iPhone 15"));
        let gps = i.gps.expect("gps");
        assert!(
            (gps.latitude - (59.0 + 54.0 / 60.0 + 42.0 / 3600.0)).abs() < 1e-9,
            "{}",
            gps.latitude
        );
        assert!((gps.longitude - (10.0 + 45.0 / 60.0 + 18.0 / 3600.0)).abs() < 1e-9);
        assert_eq!(gps.altitude_m, None);
    }

    #[test]
    fn a_screenshot_without_exif_says_so_and_a_broken_one_is_malformed() {
        let mut png = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut png),
            &[0u8; 4 * 4 * 3],
            4,
            4,
            image::ExtendedColorType::Rgb8,
        )
        .expect("png");
        let i = read(&png).expect("read");
        assert!(!i.has_exif);
        assert_eq!(i.taken, None);
        let mut broken = crate::samples::jpeg();
        // Cut inside the EXIF segment.
        broken.truncate(40);
        assert_eq!(read(&broken).unwrap_err().code(), "malformed");
    }
}
