//! Made-up samples of every format Varde reads, for tests here and in the crates that use
//! this one (feature `samples`) and for the end-to-end tests' fixture files. No real
//! person's messages: names, numbers and addresses are invented (`example.net`,
//! `firma.example`, +47 912 34 567).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Cursor, Write};

use exif::{Field, In, Rational, Tag, Value};

// --- email

/// A made-up threat by e-mail: multipart, a Norwegian subject as an encoded word,
/// quoted-printable body, a PNG attachment, two Received lines and the receiving
/// server's Authentication-Results.
pub fn eml() -> Vec<u8> {
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    format!(
        "Return-Path: <anonym.avsender@example.net>\r\n\
Received: from mx.example.net (mx.example.net [192.0.2.10])\r\n\tby mail.firma.example (Postfix) with ESMTPS id 4A1B2C3\r\n\tfor <kari.hansen@firma.example>; Sat, 21 Nov 2026 21:14:05 +0100 (CET)\r\n\
Received: from [198.51.100.7] by mx.example.net; Sat, 21 Nov 2026 20:14:03 +0000\r\n\
Authentication-Results: mail.firma.example;\r\n\tspf=pass smtp.mailfrom=example.net;\r\n\tdkim=none; dmarc=none\r\n\
From: =?UTF-8?Q?Ukjent_avsender?= <anonym.avsender@example.net>\r\n\
To: Kari Hansen <kari.hansen@firma.example>\r\n\
Cc: post@firma.example\r\n\
Subject: =?UTF-8?B?RHUgc2thbCBmw6UgYmV0YWxlIGZvciBkZXR0ZQ==?=\r\n\
Date: Sat, 21 Nov 2026 21:14:03 +0100\r\n\
Message-ID: <20261121201403.ABC123@example.net>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"grense\"\r\n\
\r\n\
--grense\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Jeg vet hvor du bor. Du skal f=C3=A5 svi for det du gjorde =F0=9F=94=AA\r\n\
Neste gang st=C3=A5r jeg utenfor d=C3=B8ra.\r\n\
--grense\r\n\
Content-Type: image/png; name=\"bilde av huset.png\"\r\n\
Content-Disposition: attachment; filename=\"bilde av huset.png\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
{png}\r\n\
--grense--\r\n"
    )
    .into_bytes()
}

// --- exif

pub(crate) fn field(tag: Tag, value: Value) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value,
    }
}

pub(crate) fn ascii_value(s: &str) -> Value {
    Value::Ascii(vec![s.as_bytes().to_vec()])
}

pub(crate) fn dms(d: u32, m: u32, s_hundredths: u32) -> Value {
    Value::Rational(vec![
        Rational { num: d, denom: 1 },
        Rational { num: m, denom: 1 },
        Rational {
            num: s_hundredths,
            denom: 100,
        },
    ])
}

/// A made-up phone photo: a real 8×8 JPEG with EXIF (time with offset, camera, and a
/// GPS position in Oslo).
pub fn jpeg() -> Vec<u8> {
    let fields = [
        field(Tag::Make, ascii_value("Apple")),
        field(Tag::Model, ascii_value("iPhone 15")),
        field(Tag::DateTimeOriginal, ascii_value("2026:11:21 21:14:03")),
        field(Tag::OffsetTimeOriginal, ascii_value("+01:00")),
        field(Tag::GPSLatitudeRef, ascii_value("N")),
        field(Tag::GPSLatitude, dms(59, 54, 4200)),
        field(Tag::GPSLongitudeRef, ascii_value("E")),
        field(Tag::GPSLongitude, dms(10, 45, 1800)),
    ];
    let mut w = exif::experimental::Writer::new();
    for f in &fields {
        w.push_field(f);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    w.write(&mut tiff, false).expect("exif");
    let tiff = tiff.into_inner();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
        .encode(&[128u8; 8 * 8 * 3], 8, 8, image::ExtendedColorType::Rgb8)
        .expect("jpeg");
    jpeg_with_exif(&jpeg, &tiff)
}

/// `jpeg` with `tiff` (an EXIF block, TIFF-encoded) as its APP1 segment: SOI, then the
/// EXIF, then the rest of the JPEG.
pub fn jpeg_with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(tiff.len() + 8).expect("small").to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A made-up screenshot of a chat: a name bar on top (the part one blacks out), two
/// bubbles below; 480 × 640, PNG.
pub fn chat_screenshot() -> Vec<u8> {
    let img = image::RgbImage::from_fn(480, 640, |x, y| {
        let inside = |x0, y0, x1, y1| x >= x0 && x < x1 && y >= y0 && y < y1;
        if inside(0, 0, 480, 80) {
            // The name bar, with a lighter «name» in it.
            if inside(90, 25, 330, 55) {
                image::Rgb([235, 240, 250])
            } else {
                image::Rgb([30, 90, 160])
            }
        } else if inside(20, 120, 360, 200) || inside(20, 240, 300, 300) {
            image::Rgb([225, 228, 232])
        } else if inside(140, 340, 460, 420) {
            image::Rgb([0, 132, 255])
        } else {
            image::Rgb([250, 250, 252])
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

// --- media

/// A made-up voicemail: 2.5 s of 8 kHz mono 16-bit PCM in a WAV.
pub fn wav() -> Vec<u8> {
    let rate: u32 = 8000;
    let samples = rate * 5 / 2;
    let data_len = samples * 2;
    let mut w = Vec::new();
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + data_len).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes()); // PCM
    w.extend_from_slice(&1u16.to_le_bytes()); // mono
    w.extend_from_slice(&rate.to_le_bytes());
    w.extend_from_slice(&(rate * 2).to_le_bytes());
    w.extend_from_slice(&2u16.to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        let v = ((f64::from(i) / 8.0).sin() * 8000.0) as i16;
        w.extend_from_slice(&v.to_le_bytes());
    }
    w
}

/// The voicemail of [`wav`] with the date a phone's recorder writes into its RIFF `INFO`
/// list (`ICRD`, the creation date).
pub fn wav_recorded(icrd: &str) -> Vec<u8> {
    let mut w = wav();
    let mut value = icrd.as_bytes().to_vec();
    value.push(0);
    if value.len() % 2 == 1 {
        value.push(0);
    }
    let mut list = b"INFOICRD".to_vec();
    list.extend_from_slice(&(icrd.len() as u32 + 1).to_le_bytes());
    list.extend_from_slice(&value);
    w.extend_from_slice(b"LIST");
    w.extend_from_slice(&(list.len() as u32).to_le_bytes());
    w.extend_from_slice(&list);
    let riff = (w.len() - 8) as u32;
    w[4..8].copy_from_slice(&riff.to_le_bytes());
    w
}

// --- messenger

/// A made-up export as Facebook writes it: newest first, Norwegian letters and an
/// emoji written byte by byte.
pub const MESSENGER_JSON: &str = r#"{
  "participants": [{"name": "Ola Nordmann"}, {"name": "Kari Hansen"}],
  "messages": [
{"sender_name": "Ola Nordmann", "timestamp_ms": 1795292160000, "photos": [{"uri": "your_facebook_activity/messages/inbox/olanordmann_10/photos/4711.jpg", "creation_timestamp": 1795292160}], "is_geoblocked_for_viewer": false},
{"sender_name": "Kari Hansen", "timestamp_ms": 1795292100000, "content": "Slutt \u00c3\u00a5 skrive til meg.", "is_geoblocked_for_viewer": false},
{"sender_name": "Ola Nordmann", "timestamp_ms": 1795292040000, "content": "Du f\u00c3\u00a5r se hva som skjer p\u00c3\u00a5 m\u00c3\u00b8tet \u00f0\u009f\u0094\u00aa", "is_geoblocked_for_viewer": false}
  ],
  "title": "Ola Nordmann",
  "is_still_participant": true,
  "thread_path": "inbox/olanordmann_10",
  "magic_words": []
}"#;

// --- msg

pub(crate) fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

pub(crate) fn put(cf: &mut cfb::CompoundFile<Cursor<Vec<u8>>>, path: &str, data: &[u8]) {
    let mut s = cf.create_stream(path).expect("stream");
    s.write_all(data).expect("write");
}

pub(crate) fn props(header: usize, entries: &[(u16, u16, [u8; 8])]) -> Vec<u8> {
    let mut b = vec![0u8; header];
    for (id, kind, v) in entries {
        b.extend_from_slice(&((u32::from(*id) << 16) | u32::from(*kind)).to_le_bytes());
        b.extend_from_slice(&6u32.to_le_bytes());
        b.extend_from_slice(v);
    }
    b
}

/// A made-up Outlook message as Outlook saves a received e-mail: internet headers,
/// subject, sender, a body, one To and one Cc recipient, and a PDF attachment.
pub fn msg(with_headers: bool) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
    if with_headers {
        let headers = "Received: from mx.example.net by exchange.firma.example with SMTP;\r\n Mon, 23 Nov 2026 07:02:11 +0100\r\nAuthentication-Results: exchange.firma.example; spf=fail smtp.mailfrom=example.net\r\nFrom: Ukjent <trussel@example.net>\r\nTo: Kari Hansen <kari.hansen@firma.example>\r\nDate: Mon, 23 Nov 2026 07:02:09 +0100\r\nMessage-ID: <msg-42@example.net>\r\nSubject: Siste advarsel\r\n";
        put(&mut cf, "/__substg1.0_007D001F", &utf16(headers));
    }
    put(
        &mut cf,
        "/__substg1.0_0037001F",
        &utf16("Siste advarsel – les dette"),
    );
    put(&mut cf, "/__substg1.0_0C1A001F", &utf16("Ukjent"));
    put(
        &mut cf,
        "/__substg1.0_5D01001F",
        &utf16("trussel@example.net"),
    );
    put(
        &mut cf,
        "/__substg1.0_1000001F",
        &utf16("Dette er siste advarsel. Slutt å grave i saken, ellers skjer det noe med deg."),
    );
    // 2026-11-23 06:02:09 UTC as a FILETIME.
    let ft: u64 = (1_795_413_729 + 11_644_473_600) * 10_000_000;
    put(
        &mut cf,
        "/__properties_version1.0",
        &props(
            32,
            &[(
                crate::msg::CLIENT_SUBMIT_TIME,
                crate::msg::PT_SYSTIME,
                ft.to_le_bytes(),
            )],
        ),
    );
    for (i, (name, address, kind)) in [
        ("Kari Hansen", "kari.hansen@firma.example", 1u32),
        ("Sikkerhet", "sikkerhet@firma.example", 2),
    ]
    .iter()
    .enumerate()
    {
        let dir = format!("/__recip_version1.0_#{i:08X}");
        cf.create_storage(&dir).expect("storage");
        put(
            &mut cf,
            &format!("{dir}/__substg1.0_3001001F"),
            &utf16(name),
        );
        put(
            &mut cf,
            &format!("{dir}/__substg1.0_39FE001F"),
            &utf16(address),
        );
        let mut v = [0u8; 8];
        v[..4].copy_from_slice(&kind.to_le_bytes());
        put(
            &mut cf,
            &format!("{dir}/__properties_version1.0"),
            &props(8, &[(crate::msg::RECIPIENT_TYPE, crate::msg::PT_LONG, v)]),
        );
    }
    let dir = "/__attach_version1.0_#00000000";
    cf.create_storage(dir).expect("storage");
    put(
        &mut cf,
        &format!("{dir}/__substg1.0_3707001F"),
        &utf16("kart over området.pdf"),
    );
    put(
        &mut cf,
        &format!("{dir}/__substg1.0_370E001F"),
        &utf16("application/pdf"),
    );
    put(
        &mut cf,
        &format!("{dir}/__substg1.0_37010102"),
        b"%PDF-1.4\n% made-up attachment\n",
    );
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}

// --- sms

/// A made-up backup: a received threat over two lines, the employee's reply, an MMS
/// with a photo and a caption.
pub const SMS_BACKUP_XML: &str = r#"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<!--File Created By SMS Backup & Restore v10.20.002-->
<smses count="3" backup_set="8d0f" backup_date="1795330000000" type="full">
  <sms protocol="0" address="+4791234567" date="1795292040000" type="1" subject="null" body="Du slipper ikke unna.&#10;Jeg vet hvor du parkerer 😠" toa="null" sc_toa="null" service_center="+4792001000" read="1" status="-1" locked="0" date_sent="1795292039000" sub_id="1" readable_date="21. nov. 2026 21:14:00" contact_name="(Unknown)" />
  <sms protocol="0" address="+4791234567" date="1795292160000" type="2" subject="null" body="Ikke kontakt meg igjen." toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" sub_id="1" readable_date="21. nov. 2026 21:16:00" contact_name="(Unknown)" />
  <mms date="1795292100000" ct_t="application/vnd.wap.multipart.related" msg_box="1" address="+4791234567" contact_name="(Unknown)" readable_date="21. nov. 2026 21:15:00">
<parts>
  <part seq="-1" ct="application/smil" name="null" chset="null" cl="smil.xml" text="&lt;smil&gt;&lt;/smil&gt;" />
  <part seq="0" ct="image/jpeg" name="IMG_20261121_211500.jpg" chset="null" cl="IMG_20261121_211500.jpg" data="/9j/4AAQ" />
  <part seq="0" ct="text/plain" name="null" chset="106" cl="txt000.txt" text="Bilen din?" />
</parts>
<addrs><addr address="+4791234567" type="137" charset="106" /></addrs>
  </mms>
</smses>
"#;

// --- whatsapp

/// Android, Norwegian: a notice, a multi-line threat, an omitted photo, an attached one.
pub const WHATSAPP_ANDROID_NB: &str = "21.11.2026, 21:10 - Meldinger og anrop er ende-til-ende-kryptert. Ingen utenfor denne chatten, ikke engang WhatsApp, kan lese eller lytte til dem.
21.11.2026, 21:12 - Kari Hansen: Hvem er dette?
21.11.2026, 21:14 - +47 912 34 567: Du vet godt hvem jeg er.
Jeg vet hvor du bor 🔪
Pass deg.
21.11.2026, 21:15 - +47 912 34 567: <Media utelatt>
22.11.2026, 07:01 - +47 912 34 567: IMG-20261122-WA0003.jpg (fil vedlagt)
Se hvem som står utenfor
";

/// iPhone, English (US): seconds, 12-hour clock with U+202F before PM, LRM marks.
pub const WHATSAPP_IOS_EN: &str = "[11/21/26, 9:10:00\u{202F}PM] Kari Hansen: \u{200E}Messages and calls are end-to-end encrypted.
[11/21/26, 9:14:03\u{202F}PM] +47 912 34 567: You know who I am.
I know where you live
[11/21/26, 9:15:41\u{202F}PM] +47 912 34 567: \u{200E}<attached: 00000012-PHOTO-2026-11-21-21-15-41.jpg>
[11/22/26, 12:01:00\u{202F}AM] Kari Hansen: Stop this
";

/// WhatsApp's zip export from Android: the Norwegian chat text and the photo it names.
pub fn whatsapp_zip() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("WhatsApp-chat med +47 912 34 567.txt", opts)
        .unwrap();
    w.write_all(WHATSAPP_ANDROID_NB.as_bytes()).unwrap();
    w.start_file("IMG-20261122-WA0003.jpg", opts).unwrap();
    w.write_all(&jpeg()).unwrap();
    w.finish().unwrap().into_inner()
}

/// Every sample as a file name and its bytes (for the end-to-end tests' fixtures).
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("trussel.eml", eml()),
        ("siste advarsel.msg", msg(true)),
        (
            "WhatsApp-chat med +47 912 34 567.txt",
            WHATSAPP_ANDROID_NB.as_bytes().to_vec(),
        ),
        ("_chat.txt", WHATSAPP_IOS_EN.as_bytes().to_vec()),
        ("WhatsApp-chat.zip", whatsapp_zip()),
        ("sms-20261122.xml", SMS_BACKUP_XML.as_bytes().to_vec()),
        ("message_1.json", MESSENGER_JSON.as_bytes().to_vec()),
        ("IMG_0042.jpg", jpeg()),
        ("skjermbilde-chat.png", chat_screenshot()),
        ("telefonsvarer.wav", wav()),
        ("samtale.wav", wav_recorded("2026-11-21T21:14:00")),
    ]
}
