//! Writes the seed corpus of the fuzz targets into `fuzz/seeds/<target>/`:
//!
//! - `bundle_zip`: two real bundles made by Varde (an officer's case for the police, and an
//!   employee's self-log), exported with the test renderer's one-page PDF;
//! - `manifest`, `custody`: their `manifest.json` and `custody.jsonl`;
//! - `thumbnail`: small PNG (RGBA, grey, palette), JPEG, GIF (two frames) and WebP images.
//!
//! The seeds are committed; run this again only when the bundle format changes:
//!
//! ```text
//! cargo run --manifest-path fuzz/Cargo.toml --no-default-features --example seeds
//! ```

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use chrono::DateTime;
use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, Frame, ImageFormat, Rgba, RgbaImage};
use varde_core::bundle::test_support::OnePageRenderer;
use varde_core::guidance::{ActionKind, EmployeeInformed, Lang, PromptAct, RecipientKind};
use varde_core::model::{Channel, ContactDetail, Mode, Perception, PersonKind};
use varde_core::{
    AddOptions, ExportOptions, FixedClock, InitOptions, KdfParams, Locker, NewIncident, NewPerson,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let work = tempfile::tempdir()?;

    let police = police_bundle(work.path())?;
    let self_log = self_log_bundle(work.path())?;
    for (name, zip) in [("police", &police), ("selflog", &self_log)] {
        let bytes = std::fs::read(zip)?;
        write(&seeds, "bundle_zip", &format!("{name}.zip"), &bytes)?;
        write(
            &seeds,
            "manifest",
            &format!("{name}.json"),
            &entry(&bytes, "manifest.json")?,
        )?;
        write(
            &seeds,
            "custody",
            &format!("{name}.jsonl"),
            &entry(&bytes, "custody.jsonl")?,
        )?;
    }

    write(
        &seeds,
        "thumbnail",
        "rgba.png",
        &encode(&picture(24, 16), ImageFormat::Png)?,
    )?;
    let grey = image::DynamicImage::ImageRgba8(picture(20, 20)).into_luma8();
    let mut png = Vec::new();
    grey.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)?;
    write(&seeds, "thumbnail", "grey.png", &png)?;
    write(&seeds, "thumbnail", "palette.png", &palette_png()?)?;
    let rgb = image::DynamicImage::ImageRgba8(picture(32, 24)).into_rgb8();
    let mut jpeg = Vec::new();
    rgb.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)?;
    write(&seeds, "thumbnail", "photo.jpg", &jpeg)?;
    write(&seeds, "thumbnail", "two-frames.gif", &gif()?)?;
    write(
        &seeds,
        "thumbnail",
        "lossless.webp",
        &encode(&picture(16, 16), ImageFormat::WebP)?,
    )?;
    Ok(())
}

/// A gradient with a transparent left edge (screenshots often have some alpha).
fn picture(w: u32, h: u32) -> RgbaImage {
    RgbaImage::from_fn(w, h, |x, y| {
        Rgba([
            (x * 255 / w) as u8,
            (y * 255 / h) as u8,
            96,
            if x < 3 { 40 } else { 255 },
        ])
    })
}

fn encode(img: &RgbaImage, format: ImageFormat) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format)?;
    Ok(out)
}

/// An 8-bit paletted PNG with a tRNS chunk, written by hand (the `image` crate writes none).
fn palette_png() -> Result<Vec<u8>> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc32(&out[start..]).to_be_bytes());
    }
    let (w, h) = (8u32, 4u32);
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 3, 0, 0, 0]);
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0);
        raw.extend((0..w).map(|x| ((x + y) % 4) as u8));
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"PLTE",
        &[255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255],
    );
    chunk(&mut out, b"tRNS", &[255, 128, 0]);
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

/// A zlib stream of one stored (uncompressed) deflate block.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01, 0x01];
    let len = data.len() as u16;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn gif() -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = GifEncoder::new(&mut out);
        enc.set_repeat(Repeat::Infinite)?;
        for shift in [0, 8] {
            let mut img = picture(12, 10);
            for p in img.pixels_mut() {
                p.0[0] = p.0[0].wrapping_add(shift * 16);
            }
            enc.encode_frame(Frame::from_parts(
                img,
                0,
                0,
                Delay::from_numer_denom_ms(100, 1),
            ))?;
        }
    }
    Ok(out)
}

fn write(seeds: &Path, target: &str, name: &str, bytes: &[u8]) -> Result<()> {
    let dir = seeds.join(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(name), bytes)?;
    println!("{target}/{name}: {} bytes", bytes.len());
    Ok(())
}

/// One file of a zip.
fn entry(zip: &[u8], name: &str) -> Result<Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(zip))?;
    let mut out = Vec::new();
    z.by_name(name)?.read_to_end(&mut out)?;
    Ok(out)
}

fn locker(dir: &Path, mode: Mode, owner: &str) -> Result<Locker> {
    let clock = FixedClock(DateTime::parse_from_rfc3339("2026-11-22T10:00:00+01:00")?);
    Ok(Locker::init(
        dir,
        "seed corpus passphrase",
        InitOptions {
            mode,
            owner: owner.into(),
            kdf: KdfParams {
                m_cost_kib: 1024,
                t_cost: 1,
                p_cost: 1,
            },
        },
        Box::new(clock),
    )?)
}

fn options() -> ExportOptions {
    ExportOptions {
        incidents: None,
        recipient: "Oslo politidistrikt".into(),
        recipient_kind: RecipientKind::Police,
        legal_basis_key: Some("legitimate_interest_legal_claims".into()),
        legal_basis_text: None,
        consent_id: None,
        employee_informed: EmployeeInformed::Yes,
        include_private_contacts: false,
        lang: Lang::Nb,
        self_log: false,
    }
}

/// An officer's case: two persons, two incidents with a PNG, a JPEG and an e-mail, and an
/// escalation acted on.
fn police_bundle(work: &Path) -> Result<PathBuf> {
    let mut l = locker(&work.join("officer"), Mode::Officer, "Sikkerhetsleder")?;
    let r = l.create_case("Trusler mot resepsjonen", "")?.reference;
    l.add_person(
        &r,
        NewPerson {
            kind: Some(PersonKind::Employee),
            name: Some("Kari Nordmann".into()),
            contacts: vec![ContactDetail {
                kind: "phone".into(),
                value: "+47 900 00 001".into(),
                private: true,
            }],
            ..Default::default()
        },
    )?;
    let actor = l.add_person(
        &r,
        NewPerson {
            kind: Some(PersonKind::ThreatActor),
            name: Some("Ola Uvennlig".into()),
            aliases: vec!["@ola_u".into()],
            ..Default::default()
        },
    )?;
    let a = l.add_incident(
        &r,
        NewIncident {
            at: "2026-11-20 14:30".into(),
            place: "Messenger".into(),
            channel: Some(Channel::SocialMedia),
            platform: Some("Messenger".into()),
            description: "Truende meldinger".into(),
            wording: Some("Du skal få svi, «Kari»".into()),
            perceived: vec![Perception::Threatening],
            actor_id: Some(actor.id),
            ..Default::default()
        },
    )?;
    let b = l.add_incident(
        &r,
        NewIncident {
            at: "2026-11-21".into(),
            place: "E-post".into(),
            channel: Some(Channel::Email),
            description: "E-post, plagsom".into(),
            perceived: vec![Perception::Bothersome],
            ..Default::default()
        },
    )?;
    let png = encode(&picture(24, 16), ImageFormat::Png)?;
    let rgb = image::DynamicImage::ImageRgba8(picture(24, 16)).into_rgb8();
    let mut jpeg = Vec::new();
    rgb.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)?;
    let thread = AddOptions {
        thread_platform: Some("Messenger".into()),
        thread_id: Some("Ola U".into()),
        whole_thread: true,
        ..Default::default()
    };
    l.add_evidence_from_reader(a.id, "Skjermbilde 1.png", &mut &png[..], &thread)?;
    l.add_evidence_from_reader(a.id, "Skjermbilde 2.jpg", &mut &jpeg[..], &thread)?;
    let mail = "From: x@example.org\nSubject: hei\n\nDu vet hvor jeg finner deg.\n";
    l.add_evidence_from_reader(
        b.id,
        "melding.eml",
        &mut mail.as_bytes(),
        &AddOptions::default(),
    )?;
    l.act_on_prompt(
        &r,
        "police_report",
        PromptAct {
            with_whom: Some("Oslo politidistrikt".into()),
            reference: Some("12345678".into()),
            ..PromptAct::new(ActionKind::Done)
        },
    )?;
    let out = work.join("police.zip");
    l.export_bundle(&r, &options(), &out, &OnePageRenderer, &mut |_| {})?;
    Ok(out)
}

/// An employee's self-log with one incident and a GIF.
fn self_log_bundle(work: &Path) -> Result<PathBuf> {
    let mut me = locker(&work.join("self"), Mode::SelfLog, "Kari")?;
    let r = me.self_log_case()?.reference;
    let inc = me.add_incident(
        &r,
        NewIncident {
            at: "2026-11-19 21:10".into(),
            place: "SMS".into(),
            channel: Some(Channel::Sms),
            description: "SMS om kvelden".into(),
            ..Default::default()
        },
    )?;
    me.add_evidence_from_reader(inc.id, "sms.gif", &mut &gif()?[..], &AddOptions::default())?;
    let opts = ExportOptions {
        recipient: "Sikkerhetsansvarlig".into(),
        recipient_kind: RecipientKind::Other,
        legal_basis_key: Some("consent".into()),
        self_log: true,
        ..options()
    };
    let out = work.join("selflog.zip");
    me.export_bundle(&r, &opts, &out, &OnePageRenderer, &mut |_| {})?;
    Ok(out)
}
