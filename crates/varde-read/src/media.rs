//! A recording's container, length and creation time, read with symphonia. Only the
//! container is read; nothing is decoded or played.

use std::io::Cursor;

use serde::{Deserialize, Serialize};
use symphonia::core::formats::FormatOptions;
use symphonia::core::formats::probe::Hint;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::{MetadataOptions, StandardTag};

use crate::{Format, ReadError};

/// What a recording says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Media {
    /// The container, as symphonia names it (e.g. «Waveform Audio File Format», «ISO/IEC 14496-12 (MP4)»).
    pub container: String,
    /// Length in seconds, when the container says.
    pub duration_seconds: Option<f64>,
    /// Samples per second of the first audio track.
    pub sample_rate: Option<u32>,
    /// Channels of the first audio track.
    pub channels: Option<u32>,
    /// The file also has a video track.
    pub has_video: bool,
    /// When it was recorded, as the file's tags write it.
    pub recorded: Option<String>,
}

/// Read a recording.
pub(crate) fn read(bytes: &[u8], lower_name: &str) -> Result<Media, ReadError> {
    let mss = MediaSourceStream::new(Box::new(Cursor::new(bytes.to_vec())), Default::default());
    let mut hint = Hint::new();
    if let Some((_, ext)) = lower_name.rsplit_once('.') {
        hint.with_extension(ext);
    }
    let mut reader = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| ReadError::malformed(Format::Media, e))?;
    let container = reader.format_info().long_name.to_string();
    let tracks = reader.tracks();
    let audio = tracks
        .iter()
        .find(|t| t.codec_params.as_ref().is_some_and(|c| c.is_audio()));
    let has_video = tracks
        .iter()
        .any(|t| t.codec_params.as_ref().is_some_and(|c| c.video().is_some()));
    let main = audio.or_else(|| tracks.first());
    let duration_seconds = main.and_then(|t| {
        let tb = t.time_base?;
        let time = tb.calc_duration(t.duration?)?;
        let secs = time.as_secs_f64();
        (secs.is_finite() && secs >= 0.0).then_some(secs)
    });
    let params = audio.and_then(|t| t.codec_params.as_ref()?.audio());
    let sample_rate = params.and_then(|p| p.sample_rate);
    let channels = params
        .and_then(|p| p.channels.as_ref())
        .and_then(|c| u32::try_from(c.count()).ok());
    let mut recorded = None;
    if let Some(rev) = reader.metadata().skip_to_latest() {
        for tag in &rev.media.tags {
            if let Some(StandardTag::RecordingDate(d) | StandardTag::OriginalRecordingDate(d)) =
                &tag.std
            {
                recorded = Some(d.to_string());
                break;
            }
        }
    }
    if recorded.is_none() && bytes.starts_with(b"RIFF") {
        recorded = riff_creation_date(bytes);
    }
    Ok(Media {
        container,
        duration_seconds,
        sample_rate,
        channels,
        has_video,
        recorded,
    })
}

/// The creation date (`ICRD`) of a RIFF file's `INFO` list. symphonia 0.6 reads that list
/// but does not hand it on for WAV files, so the chunks are walked here: a RIFF file is a
/// flat list of (four-byte id, little-endian length, data, pad to even) chunks.
fn riff_creation_date(bytes: &[u8]) -> Option<String> {
    fn chunks(mut b: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
        std::iter::from_fn(move || {
            let id = b.get(..4)?;
            let len = u32::from_le_bytes(b.get(4..8)?.try_into().ok()?) as usize;
            let data = b.get(8..8usize.checked_add(len)?)?;
            b = b.get(8 + len + (len & 1)..).unwrap_or_default();
            Some((id, data))
        })
    }
    let body = bytes.get(12..)?;
    let info = chunks(body)
        .filter(|(id, d)| *id == b"LIST" && d.starts_with(b"INFO"))
        .find_map(|(_, d)| chunks(&d[4..]).find(|(id, _)| *id == b"ICRD"))?;
    let text: String = String::from_utf8_lossy(info.1)
        .trim_end_matches('\0')
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_cut_or_lying_info_list_gives_no_date_and_no_panic() {
        let whole = crate::samples::wav_recorded("2026-11-21T21:14:00");
        for cut in [whole.len() - 3, whole.len() - 20, 13, 4] {
            assert_eq!(riff_creation_date(&whole[..cut]), None);
        }
        // The tail is LIST, its length, INFO, ICRD, its length, 20 bytes of date.
        for from_end in [36, 24] {
            let mut lying = whole.clone();
            let at = lying.len() - from_end;
            lying[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
            assert_eq!(riff_creation_date(&lying), None);
        }
    }

    #[test]
    fn a_recorders_creation_date_is_the_recorded_time() {
        let m = read(
            &crate::samples::wav_recorded("2026-11-21T21:14:00"),
            "x.wav",
        )
        .unwrap();
        assert_eq!(m.recorded.as_deref(), Some("2026-11-21T21:14:00"));
        assert!((m.duration_seconds.unwrap() - 2.5).abs() < 0.01);
    }

    #[test]
    fn a_wav_recording_gives_its_length_and_format() {
        let bytes = crate::samples::wav();
        let m = read(&bytes, "telefonsvarer.wav").expect("read");
        assert_eq!(m.container, "Waveform Audio File Format");
        assert_eq!(m.sample_rate, Some(8000));
        assert_eq!(m.channels, Some(1));
        assert!(!m.has_video);
        let d = m.duration_seconds.expect("duration");
        assert!((d - 2.5).abs() < 0.001, "{d}");
    }

    #[test]
    fn a_broken_recording_is_malformed() {
        let mut bytes = crate::samples::wav();
        bytes.truncate(20);
        assert_eq!(read(&bytes, "kuttet.wav").unwrap_err().code(), "malformed");
        assert_eq!(
            read(b"not audio at all", "x.mp3").unwrap_err().code(),
            "malformed"
        );
    }
}
