//! Renders a sample case (60 incidents, Norwegian letters, an image, a long wording) in
//! both languages and checks what a reader would: a PDF, several pages, the case reference
//! and the page numbers in the text. A case with emoji, Arabic, Hebrew and CJK text and
//! characters no font has must render too.
//!
//! Set `VARDE_REPORT_SAMPLE_DIR` to a folder to keep the PDFs (`report-sample-nb.pdf`,
//! `report-sample-en.pdf`, `report-scripts-nb.pdf`, …) for looking at them.

use std::collections::HashMap;
use std::io::Cursor;
use std::process::Command;
use std::time::Instant;

use serde_json::json;
use sha2::{Digest, Sha256};
use varde_core::AuditEvent;
use varde_core::Manifest;
use varde_core::bundle::manifest::{
    CaseInfo, DisclosureEntry, EscalationEntry, EvidenceEntry, ExportInfo, Generator,
    HealthNotified, HealthRecord, IncidentEntry, LockerInfo, PersonEntry, WitnessEntry,
};
use varde_core::guidance::{ActionKind, EmployeeInformed, RecipientKind, Text};
use varde_core::model::{
    CaseStatus, Channel, ContactDetail, EvidenceSource, LoggedByRole, Mode, Perception, PersonKind,
    PlaceKind, Precision,
};
use varde_report::Lang;

const REFERENCE: &str = "V-2026-0042";

const LONG_WORDING: &str = "Jeg vet hvor du bor, Bjørn. Jeg har sett deg gå fra kontoret i \
Storgata hver eneste dag denne uka, og jeg vet at du tar bussen hjem klokka fem. Hvis \
Nordlys Kraft ikke gir meg pengene tilbake innen fredag, skal jeg sørge for at både du og \
alle de andre på kundesenteret får merke det. Dette er ingen spøk. Æ, ø og å — ÆØÅ — \
skal stå akkurat slik de ble skrevet, med «sitattegn» og alt.";

fn sha(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn screenshot_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        // A phone screenshot's shape: a header bar, message bubbles, a light background.
        let bubble = (y / 90) % 2 == 0 && x > 40 && x < w - 120 && y % 90 > 15;
        if y < 80 {
            image::Rgba([31, 58, 95, 255])
        } else if bubble {
            image::Rgba([220, 232, 245, 255])
        } else {
            image::Rgba([250, 250, 250, 255])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode png");
    out
}

fn person(id: i64, kind: PersonKind, name: Option<&str>) -> PersonEntry {
    PersonEntry {
        id,
        uid: format!("person-{id}"),
        kind,
        name: name.map(str::to_owned),
        known: name.is_some(),
        title: None,
        department: None,
        contacts: vec![],
        aliases: vec![],
        home_municipality: None,
        health_concern: false,
        health_observations: String::new(),
    }
}

struct Sample {
    input: Manifest,
    originals: HashMap<String, Vec<u8>>,
}

fn sample() -> Sample {
    let case = CaseInfo {
        uid: "case-1".into(),
        reference: REFERENCE.into(),
        title: "Trusler mot kundesenteret i Tromsø".into(),
        status: CaseStatus::Open,
        opened_at: "2026-01-05T08:30:00+01:00".into(),
        closed_at: None,
    };

    let mut employee = person(1, PersonKind::Employee, Some("Bjørn Ærø Håkonsen"));
    employee.title = Some("Kundeansvarlig".into());
    employee.department = Some("Kundesenteret, Tromsø".into());
    employee.contacts = vec![ContactDetail {
        kind: "email".into(),
        value: "bjorn.hakonsen@nordlys-kraft.example".into(),
        private: false,
    }];
    let mut actor = person(2, PersonKind::ThreatActor, Some("Øystein Kværnø"));
    actor.aliases = vec![
        "+47 400 00 000".into(),
        "oystein.k@example.net".into(),
        "@strømkunden_1981".into(),
    ];
    actor.home_municipality = Some("Bærum".into());
    actor.health_concern = true;
    actor.health_observations = "Skriver om å bli overvåket gjennom strømmåleren, sender \
        mange meldinger midt på natta og virker forvirret i telefonsamtaler."
        .into();
    let mut unknown = person(3, PersonKind::ThreatActor, None);
    unknown.known = false;
    unknown.aliases = vec!["@anonym_nordlending".into()];
    let witness = person(4, PersonKind::Witness, Some("Siri Løkkeberg"));

    let channels = [
        (Channel::Email, None),
        (Channel::Sms, None),
        (Channel::SocialMedia, Some("Facebook")),
        (Channel::PhoneCall, None),
        (Channel::InPerson, None),
        (Channel::Letter, None),
    ];
    let mut incidents = Vec::new();
    let mut evidence = Vec::new();
    let mut originals = HashMap::new();
    for n in 0..60_i64 {
        let day = 1 + (n % 28);
        let month = 1 + n / 28;
        let (channel, platform) = channels[(n % 6) as usize];
        let local = format!(
            "2026-{month:02}-{day:02} {:02}:{:02}",
            8 + n % 10,
            (n * 7) % 60
        );
        let utc = format!(
            "2026-{month:02}-{day:02}T{:02}:{:02}:00Z",
            7 + n % 10,
            (n * 7) % 60
        );
        let id = 100 + n;
        incidents.push(IncidentEntry {
            id,
            uid: format!("incident-{id}"),
            version: 1,
            occurred_local: local,
            occurred_tz: "Europe/Oslo".into(),
            occurred_utc: utc,
            precision: if n % 9 == 4 {
                Precision::Approximate
            } else {
                Precision::Exact
            },
            source: None,
            logged_at: format!("2026-{month:02}-{day:02}T18:00:00+01:00"),
            logged_by: "Åse Ødegård".into(),
            logged_by_role: if n % 4 == 0 {
                LoggedByRole::Employee
            } else {
                LoggedByRole::Officer
            },
            place: if n % 2 == 0 {
                "Kundesenteret, Storgata 1, Tromsø".into()
            } else {
                "Hjemme hos den ansatte, Kvaløysletta".into()
            },
            place_kind: if n % 2 == 0 {
                PlaceKind::Workplace
            } else {
                PlaceKind::Home
            },
            channel,
            platform: platform.map(str::to_owned),
            sender: None,
            description: format!(
                "Hendelse nummer {} i rekken. Meldingen kom mens den ansatte var på jobb; \
                 han ble urolig og varslet sikkerhetsansvarlig med én gang.",
                n + 1
            ),
            wording: Some(if n == 0 {
                LONG_WORDING.into()
            } else if n == 1 {
                "Hei.\nJeg ser deg.\n\nHilsen en venn".into()
            } else {
                format!("Du skal få svi for dette, Håkonsen (melding {}).", n + 1)
            }),
            perceived: match n % 3 {
                0 => vec![Perception::Threatening, Perception::Frightening],
                1 => vec![Perception::Bothersome],
                _ => vec![Perception::Threatening],
            },
            targets_individuals: n % 2 == 0,
            ongoing_emergency: false,
            actor: Some(if n % 5 == 3 { 3 } else { 2 }),
            witnesses: if n % 3 == 0 {
                vec![
                    WitnessEntry {
                        person: Some(4),
                        name: Some("Siri Løkkeberg".into()),
                    },
                    WitnessEntry {
                        person: None,
                        name: Some("Gøril Ås".into()),
                    },
                ]
            } else {
                vec![]
            },
        });
        // Evidence: the first incident has a thread of three screenshots; a few others
        // have one file each.
        let files: Vec<(String, String, Vec<u8>)> = if n == 0 {
            (1..=3)
                .map(|s| {
                    (
                        format!("skjermbilde-{s}.png"),
                        "image/png".to_owned(),
                        screenshot_png(1080, 1400 + 200 * s),
                    )
                })
                .collect()
        } else if n % 10 == 5 {
            vec![(
                format!("samtale-{n}.m4a"),
                "audio/mp4".to_owned(),
                format!("not really audio {n}").into_bytes(),
            )]
        } else if n % 10 == 7 {
            vec![(
                format!("epost-{n}.eml"),
                "message/rfc822".to_owned(),
                format!("From: oystein.k@example.net\nSubject: Svar {n}\n\nHei.").into_bytes(),
            )]
        } else {
            vec![]
        };
        for (seq, (name, media_type, bytes)) in files.into_iter().enumerate() {
            let eid = 1000 + id * 10 + seq as i64;
            let hash = sha(&bytes);
            let is_thread = n == 0;
            evidence.push(EvidenceEntry {
                path: format!("evidence/{id}/{:02}-{name}", seq + 1),
                id: eid,
                uid: format!("evidence-{eid}"),
                incident: id,
                sha256: hash.clone(),
                size: bytes.len() as u64,
                media_type,
                original_name: name,
                acquired_at: "2026-01-01T19:04:33+01:00".into(),
                acquired_by: "Åse Ødegård".into(),
                source: EvidenceSource::File,
                width: is_thread.then_some(1080),
                height: is_thread.then_some(1600 + 200 * seq as u32),
                thread_platform: is_thread.then(|| "Facebook Messenger".into()),
                thread_id: is_thread.then(|| "Samtale med @strømkunden_1981".into()),
                thread_seq: is_thread.then_some(seq as i64 + 1),
                whole_thread: is_thread,
                note: String::new(),
                origin: None,
                attachment_of: None,
                derived: None,
                version: Default::default(),
                redaction: None,
            });
            originals.insert(hash, bytes);
        }
    }
    // An image whose original cannot be read: the report says so instead of a thumbnail.
    evidence.push(EvidenceEntry {
        path: "evidence/102/01-bilde.jpg".into(),
        id: 9001,
        uid: "evidence-9001".into(),
        incident: 102,
        sha256: "ab".repeat(32),
        size: 48_213,
        media_type: "image/jpeg".into(),
        original_name: "bilde av bilen utenfor.jpg".into(),
        acquired_at: "2026-01-03T10:00:00+01:00".into(),
        acquired_by: "Bjørn Ærø Håkonsen".into(),
        source: EvidenceSource::Bundle,
        width: None,
        height: None,
        thread_platform: None,
        thread_id: None,
        thread_seq: None,
        whole_thread: false,
        note: "Fra den ansattes egen logg.".into(),
        origin: None,
        attachment_of: None,
        derived: None,
        version: Default::default(),
        redaction: None,
    });

    let escalations = vec![
        EscalationEntry {
            rule_key: "police_report".into(),
            title: None,
            action: ActionKind::Done,
            acted_at: "2026-01-06T10:15:00+01:00".into(),
            acted_by: "Åse Ødegård".into(),
            with_whom: Some("Troms politidistrikt".into()),
            reference: Some("14234567".into()),
            reason: None,
            deferred_until: None,
            note: "Anmeldt ved Tromsø politistasjon.".into(),
        },
        EscalationEntry {
            rule_key: "health_concern_report".into(),
            title: Some(Text {
                nb: "Send bekymringsmelding til kommunelegen".into(),
                en: "Send a concern report to the municipal doctor".into(),
            }),
            action: ActionKind::Done,
            acted_at: "2026-01-07T09:00:00+01:00".into(),
            acted_by: "Åse Ødegård".into(),
            with_whom: Some("Kommuneoverlegen i Bærum".into()),
            reference: None,
            reason: Some("Meldingene tyder på alvorlig psykisk lidelse uten behandling.".into()),
            deferred_until: None,
            note: String::new(),
        },
        EscalationEntry {
            rule_key: "public_appearance_notify".into(),
            title: None,
            action: ActionKind::Deferred,
            acted_at: "2026-01-08T11:00:00+01:00".into(),
            acted_by: "Åse Ødegård".into(),
            with_whom: None,
            reference: None,
            reason: None,
            deferred_until: Some("2026-04-01".into()),
            note: "Tas opp på neste oppfølgingsmøte.".into(),
        },
    ];
    let disclosures = vec![DisclosureEntry {
        uid: None,
        this_export: true,
        recipient: "Troms politidistrikt".into(),
        recipient_kind: RecipientKind::Police,
        shared: "Bevispakke med alle hendelser og bevis".into(),
        incident_ids: (100..160).collect(),
        evidence_ids: vec![1, 2, 3],
        legal_basis_key: Some("complaint".into()),
        legal_basis_label: Some(Text {
            nb: "Anmeldelse (straffeprosessloven § 223)".into(),
            en: "Police report (Criminal Procedure Act § 223)".into(),
        }),
        legal_basis_text: String::new(),
        employee_informed: EmployeeInformed::Yes,
        disclosed_at: "2026-03-02T14:00:00+01:00".into(),
        disclosed_by: "Åse Ødegård".into(),
    }];
    let mut custody = Vec::new();
    let mut prev = "0".repeat(64);
    for seq in 1..=40_i64 {
        let hash = sha(format!("{prev}{seq}").as_bytes());
        custody.push(AuditEvent {
            seq,
            time: format!("2026-01-{:02}T12:{:02}:00+01:00", 1 + seq % 28, seq % 60),
            actor: "Åse Ødegård".into(),
            action: if seq % 2 == 0 {
                "evidence.add"
            } else {
                "incident.add"
            }
            .into(),
            subject: format!("incident:{}", 100 + seq),
            details: json!({}),
            prev_hash: prev.clone(),
            hash: hash.clone(),
        });
        prev = hash;
    }

    Sample {
        input: Manifest {
            format_version: 1,
            generator: Generator {
                name: "varde".into(),
                version: "0.1.0".into(),
            },
            // Recorded by a machine set to UTC: the report shows it in Norwegian time.
            created_at: "2026-03-02T13:00:00Z".into(),
            lang: "nb".into(),
            locker: LockerInfo {
                id: "locker-1".into(),
                mode: Mode::Officer,
                signing_public_key: "00".repeat(32),
                signing_key_fingerprint: sha(b"the public key"),
            },
            organisation: "Nordlys Kraft AS".into(),
            officer: "Åse Ødegård".into(),
            export: ExportInfo {
                recipient: "Troms politidistrikt".into(),
                recipient_kind: RecipientKind::Police,
                legal_basis_key: Some("complaint".into()),
                legal_basis_label: Some(Text {
                    nb: "Anmeldelse (straffeprosessloven § 223)".into(),
                    en: "Police report (Criminal Procedure Act § 223)".into(),
                }),
                legal_basis_text: String::new(),
                employee_informed: EmployeeInformed::Yes,
                private_contacts_included: false,
                all_incidents: true,
                self_log: false,
                gps_included: true,
                bundle_name: format!("{REFERENCE}_2026-03-02.zip"),
                custody_head_seq: 40,
            },
            case,
            persons: vec![employee, actor, unknown, witness],
            incidents,
            evidence,
            escalations,
            health_notified: HealthNotified {
                notified: true,
                records: vec![HealthRecord {
                    at: "2026-01-07T09:00:00+01:00".into(),
                    by: "Åse Ødegård".into(),
                    to: Some("Kommuneoverlegen i Bærum".into()),
                    how: "escalation:2".into(),
                }],
            },
            disclosures,
            custody,
        },
        originals,
    }
}

/// What a poppler tool (`pdftotext`, `pdffonts`) prints for `pdf`, run with `args` and then
/// the file and `after`, or `None` when the tool is not installed.
fn poppler(tool: &str, args: &[&str], after: &[&str], pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("varde-report-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join(format!("{}-{tool}.pdf", sha(pdf)));
    std::fs::write(&path, pdf).ok()?;
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(after)
        .output();
    let _ = std::fs::remove_file(&path);
    let out = out.ok()?;
    assert!(out.status.success(), "{tool} failed on the report");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn pdftotext(pdf: &[u8]) -> Option<String> {
    poppler("pdftotext", &["-layout"], &["-"], pdf)
}

fn check(lang: Lang, page_word: &str, title: &str) {
    let s = sample();
    let mut asked = Vec::new();
    let started = Instant::now();
    let rendered = varde_report::layout(
        &s.input,
        &mut |sha: &str| {
            asked.push(sha.to_owned());
            s.originals.get(sha).cloned().ok_or("no such original")
        },
        lang,
    )
    .expect("layout");
    let laid_out = started.elapsed();
    let pdf = rendered.to_pdf().expect("pdf");
    println!(
        "{lang}: {} pages, {} bytes, layout {laid_out:?}, total {:?}",
        rendered.page_count(),
        pdf.len(),
        started.elapsed()
    );

    // Only the four images were asked for, each once.
    assert_eq!(asked.len(), 4, "{asked:?}");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(rendered.page_count() > 10, "60 incidents fill many pages");

    // The laid-out text (what typst put on the pages).
    let pages = rendered.page_texts();
    let last = rendered.page_count().to_string();
    for (i, text) in pages.iter().enumerate() {
        assert!(
            text.contains(REFERENCE),
            "page {} lacks the reference",
            i + 1
        );
        assert!(
            text.contains(page_word),
            "page {} lacks '{page_word}'",
            i + 1
        );
        assert!(text.contains(&last), "page {} lacks the page count", i + 1);
    }
    let all = pages.join("\n");
    for needle in [
        title,
        "Øystein Kværnø",
        "Bjørn Ærø Håkonsen",
        "ÆØÅ",
        "14234567",
        "sha256sum -c SHA256SUMS",
        "Bærum",
    ] {
        assert!(all.contains(needle), "the report lacks {needle:?}");
    }
    // One time convention, stated: Norwegian time with the offset, whatever was recorded.
    let (made, convention) = match lang {
        Lang::Nb => ("02.03.2026 14:00:00 (UTC+01:00)", "norsk tid (Europe/Oslo)"),
        Lang::En => (
            "2026-03-02 14:00:00 (UTC+01:00)",
            "Norwegian time (Europe/Oslo)",
        ),
    };
    let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(made), "the report's time is not in Oslo time");
    assert!(
        flat.contains(convention),
        "the time convention is not stated"
    );

    // The PDF's own text layer, as a reader's tools see it.
    match pdftotext(&pdf) {
        Some(text) => {
            assert!(text.contains(REFERENCE));
            assert!(text.contains(&format!("{page_word} 1 ")), "no page numbers");
            for needle in ["Øystein Kværnø", "Bjørn Ærø Håkonsen", "ÆØÅ", title] {
                assert!(text.contains(needle), "the PDF text lacks {needle:?}");
            }
            let first_hash = &s.input.evidence[0].sha256;
            assert!(text.contains(first_hash.as_str()), "a SHA-256 is not whole");
        }
        None => println!("pdftotext is not installed: the PDF text layer was not checked"),
    }

    if let Ok(dir) = std::env::var("VARDE_REPORT_SAMPLE_DIR") {
        let path = std::path::Path::new(&dir).join(format!("report-sample-{lang}.pdf"));
        std::fs::write(&path, &pdf).expect("write the sample");
        println!("wrote {}", path.display());
    }
}

#[test]
fn renders_the_sample_in_norwegian() {
    check(Lang::Nb, "Side", "Bevisrapport til politiet");
}

#[test]
fn renders_the_sample_in_english() {
    check(Lang::En, "Page", "Evidence report for the police");
}

#[test]
fn a_report_for_hr_is_not_titled_for_the_police() {
    let mut s = sample();
    s.input.export.recipient = "HR-avdelingen".into();
    s.input.export.recipient_kind = RecipientKind::Employer;
    let pdf = varde_core::ReportRenderer::render(
        &varde_report::TypstRenderer,
        &s.input,
        &mut |_: &str| Err(varde_core::Error::Internal("no originals here".into())),
        "nb",
    )
    .expect("render");
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("Bevisrapport"), "{text}");
    assert!(!text.contains("Bevisrapport til politiet"), "{text}");
    assert!(text.contains("HR-avdelingen"));
}

#[test]
fn an_empty_case_renders() {
    let mut s = sample();
    s.input.incidents.clear();
    s.input.evidence.clear();
    s.input.escalations.clear();
    s.input.disclosures.clear();
    s.input.custody.clear();
    s.input.persons.retain(|p| p.kind == PersonKind::Employee);
    s.input.health_notified = HealthNotified {
        notified: false,
        records: vec![],
    };
    // Through the trait an export uses, in English.
    let pdf = varde_core::ReportRenderer::render(
        &varde_report::TypstRenderer,
        &s.input,
        &mut |_: &str| Err(varde_core::Error::Internal("no originals here".into())),
        "en",
    )
    .expect("render");
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(text) = pdftotext(&pdf) {
        assert!(
            text.contains("Evidence report for the police"),
            "not in English"
        );
        assert!(text.contains("No actions are recorded."));
    }
}

/// Threat wording as it arrives: an emoji, Arabic, Hebrew, Chinese, Japanese and Korean, a
/// ZWJ emoji sequence (a family), a bell and a private-use code point.
const HOSTILE: &str = "🔪 سأقتلك אני אהרוג אותך 我会杀了你 お前を殺してやる 죽여버리겠다 \
    👨\u{200D}👩\u{200D}👧 bell\u{7}here private\u{E000}use";

/// Any text in a case exports: scripts the main font lacks are set in the fallback fonts,
/// and what no font can show is a visible code point, never a failed export.
#[test]
fn any_text_renders_with_fallback_fonts_and_placeholders() {
    let mut s = sample();
    // Three incidents are enough (and keep the debug-build test quick).
    s.input.incidents.retain(|i| i.id < 103);
    s.input.evidence.retain(|e| e.incident < 103);
    let first = &mut s.input.incidents[0];
    first.wording = Some(format!(
        "{HOSTILE}\nAn emoji with an accent 🔪\u{301}, a Hebrew letter with an Arabic vowel \
         א\u{64B}, a\ttab, a Windows line end\r\nand the end."
    ));
    first.description = format!(
        "Unassigned \u{378}, a noncharacter \u{FFFF}, a C1 control \u{85}, Linear B \u{10000}. \
         {HOSTILE}"
    );
    s.input.persons[1].name = Some("Øystein 🔪 سأقتلك אני 我会 \u{7}".into());
    // The title is in every page header too.
    s.input.case.title = "Trusler 🔪 سأقتلك 我会\u{7}".into();
    let shot = &mut s.input.evidence[0];
    shot.original_name = format!("skjermbilde {HOSTILE}.png");
    shot.path = format!("evidence/100/01-{}", shot.original_name);
    // A spoofed name: the right-to-left override would show "…gnp.exe" as "…exe.png".
    s.input.evidence[1].original_name = "faktura\u{202E}gnp.exe".into();

    let started = Instant::now();
    let rendered = varde_report::layout(
        &s.input,
        &mut |sha: &str| s.originals.get(sha).cloned().ok_or("no such original"),
        Lang::Nb,
    )
    .expect("layout");
    let pdf = rendered.to_pdf().expect("a PDF/A-2b report");
    println!(
        "{} pages, {} bytes, {:?}",
        rendered.page_count(),
        pdf.len(),
        started.elapsed()
    );
    if let Ok(dir) = std::env::var("VARDE_REPORT_SAMPLE_DIR") {
        let path = std::path::Path::new(&dir).join("report-scripts-nb.pdf");
        std::fs::write(&path, &pdf).expect("write the sample");
        println!("wrote {}", path.display());
    }

    // The laid-out text, in logical order; typst sets runs of different scripts apart, so
    // compare without spaces.
    let compact = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let all = compact(&rendered.page_texts().join(""));
    for needle in [
        "🔪",
        "سأقتلك",
        "אני אהרוג אותך",
        "我会杀了你",
        "お前を殺してやる",
        "죽여버리겠다",
        "👨\u{200D}👩\u{200D}👧",
        "Øystein 🔪",
        "Trusler 🔪 سأقتلك 我会⟨U+0007⟩",
        // Shown as what it is, not as whatever glyph a font had for part of it.
        "accent 🔪⟨U+0301⟩",
        "vowel א⟨U+064B⟩",
        // A tab is a wide space, not nothing.
        "a\u{2003}tab",
        "bell⟨U+0007⟩here",
        "private⟨U+E000⟩use",
        "faktura⟨U+202E⟩gnp.exe",
        "Unassigned ⟨U+0378⟩",
        "noncharacter ⟨U+FFFF⟩",
        "C1 control ⟨U+0085⟩",
        "Linear B ⟨U+10000⟩",
    ] {
        assert!(
            all.contains(&compact(needle)),
            "the report lacks {needle:?}: {all}"
        );
    }
    for raw in ['\u{7}', '\u{E000}', '\u{202E}', '\u{85}', '\t'] {
        assert!(!all.contains(raw), "{raw:?} went into the PDF as it is");
    }

    // What a reader's tools find in the PDF.
    match pdftotext(&pdf) {
        Some(text) => {
            for needle in ["⟨U+0007⟩", "⟨U+E000⟩", "🔪", "我会杀了你", "죽여버리겠다"]
            {
                assert!(text.contains(needle), "the PDF text lacks {needle:?}");
            }
        }
        None => println!("pdftotext is not installed: the PDF text layer was not checked"),
    }
    match poppler("pdffonts", &[], &[], &pdf) {
        Some(fonts) => {
            for font in [
                "LibertinusSerif",
                "NotoEmoji",
                "NotoSansArabic",
                "NotoSansHebrew",
                "DroidSansFallback",
            ] {
                assert!(fonts.contains(font), "{font} is not embedded: {fonts}");
            }
        }
        None => println!("pdffonts is not installed: the embedded fonts were not checked"),
    }
}

/// Add image `k` to incident `incident` of the sample: a distinct copy of `base`, a member
/// of one Messenger thread when `thread` (numbered from 1, with 300 missing).
fn add_image(s: &mut Sample, base: &[u8], k: i64, incident: i64, thread: bool) {
    let mut bytes = base.to_vec();
    bytes.extend_from_slice(&k.to_le_bytes()); // distinct bytes, still a PNG
    let hash = sha(&bytes);
    let seq = if k >= 300 { k + 1 } else { k };
    let name = if thread {
        format!("Skjermbilde {seq:04} på Messenger.png")
    } else {
        format!("bilde-{k}.png")
    };
    s.input.evidence.push(EvidenceEntry {
        path: format!("evidence/{incident}/{k:04}-{}", name.replace(' ', "_")),
        id: 50_000 + k + if thread { 0 } else { 10_000 },
        uid: format!("evidence-x{k}-{thread}"),
        incident,
        sha256: hash.clone(),
        size: bytes.len() as u64,
        media_type: "image/png".into(),
        original_name: name,
        acquired_at: format!("2026-02-01T10:{:02}:{:02}+01:00", (k / 60) % 60, k % 60),
        acquired_by: "Bjørn Ærø Håkonsen".into(),
        source: EvidenceSource::File,
        width: Some(360),
        height: Some(640),
        thread_platform: thread.then(|| "Messenger".into()),
        thread_id: thread.then(|| "Øystein K.".into()),
        thread_seq: thread.then_some(seq),
        whole_thread: thread,
        note: String::new(),
        origin: None,
        attachment_of: None,
        derived: None,
        version: Default::default(),
        redaction: None,
    });
    s.originals.insert(hash, bytes);
}

/// A thread capture of 600 screenshots (one missing from the numbering) and 50 more
/// images: the thread is one block with a compact table, at most `MAX_THUMBS` originals
/// are read for thumbnails and the report says the rest are listed by hash, and still every
/// item's SHA-256, size and acquisition are in it.
#[test]
fn a_long_thread_is_one_block_and_thumbnails_are_capped() {
    let mut s = sample();
    let base = screenshot_png(360, 640);
    for k in 1..=600 {
        add_image(&mut s, &base, k, 105, true);
    }
    for k in 1..=50 {
        add_image(&mut s, &base, k, 107, false);
    }
    let mut asked = 0;
    let started = Instant::now();
    let rendered = varde_report::layout(
        &s.input,
        &mut |sha: &str| {
            asked += 1;
            s.originals.get(sha).cloned().ok_or("no such original")
        },
        Lang::Nb,
    )
    .expect("layout");
    println!(
        "{} pages, layout {:?}",
        rendered.page_count(),
        started.elapsed()
    );
    // Each original is read once: for its thumbnail, its appendix page, or both. The first
    // MAX_PAGES images in report order get a page; the thumbnails are the first
    // MAX_THUMBS candidates, some of which are among those.
    assert!(
        (varde_report::MAX_PAGES..=varde_report::MAX_THUMBS + varde_report::MAX_PAGES)
            .contains(&asked),
        "originals read: {asked}"
    );
    let all = rendered.page_texts().join("\n");
    assert!(
        all.contains(&format!("De første {} av", varde_report::MAX_PAGES)),
        "the appendix states its cap"
    );
    let images = s
        .input
        .evidence
        .iter()
        .filter(|e| e.media_type.starts_with("image/"))
        .count();
    // One of the first images' originals cannot be read, so 39 of the 40 tried are shown.
    let cap_line = format!(
        "Miniatyrbilder vises for {} av {images} bilder. Alle bilder er listet med SHA-256",
        varde_report::MAX_THUMBS - 1
    );
    assert!(
        all.contains(&cap_line),
        "no line about the thumbnail cap: {}",
        &all[all.find("Miniatyrbilder").unwrap_or(0)..][..200]
    );
    assert!(all.contains("Tråd: Messenger, Øystein K. (600 filer)"));
    assert!(all.contains("Mangler i nummerrekken 300"), "the gap");
    assert!(all.contains("Skjermbilde 0601 på Messenger.png"));
    for e in s.input.evidence.iter().filter(|e| e.id >= 50_000) {
        // pdftotext may break a long hash at the margin, so each half is looked for.
        assert!(
            all.contains(&e.sha256[..32]) && all.contains(&e.sha256[32..]),
            "{} lacks its SHA-256",
            e.original_name
        );
    }
    let pages = rendered.page_count();
    let pdf = rendered.to_pdf().expect("pdf");
    if let Ok(dir) = std::env::var("VARDE_REPORT_SAMPLE_DIR") {
        let path = std::path::Path::new(&dir).join("report-long-thread-nb.pdf");
        std::fs::write(&path, &pdf).expect("write the sample");
        println!("wrote {}", path.display());
    }
    // 600 rows in a compact table take a few dozen pages, not one block each; the appendix
    // adds one page per image up to its cap.
    assert!(pages < 100 + varde_report::MAX_PAGES, "{pages} pages");
}

/// A thread longer than the report lists ([`varde_report::MAX_THREAD_ROWS`] files in all):
/// the first files are listed with their SHA-256, the report says how many are not and
/// where their hashes are, and the rest are not laid out (which keeps its memory bounded).
#[test]
fn a_thread_longer_than_the_cap_is_counted_not_listed() {
    let max = varde_report::MAX_THREAD_ROWS as i64;
    let mut s = sample();
    let base = screenshot_png(360, 640);
    for k in 1..=max + 25 {
        add_image(&mut s, &base, k, 105, true);
    }
    let rendered = varde_report::layout(
        &s.input,
        &mut |sha: &str| s.originals.get(sha).cloned().ok_or("no such original"),
        Lang::Nb,
    )
    .expect("layout");
    let all = rendered.page_texts().join("\n");
    let total = max + 25;
    assert!(
        all.contains(&format!(
            "De første {max} av {total} filene i tråden er listet her"
        )),
        "no line about the cap: {}",
        &all[all.find("De første").unwrap_or(0)..][..200]
    );
    let thread: Vec<&EvidenceEntry> = s.input.evidence.iter().filter(|e| e.id > 50_000).collect();
    let listed = &thread[max as usize - 1];
    let unlisted = &thread[max as usize];
    assert!(all.contains(&listed.sha256[..32]), "the last listed file");
    assert!(
        !all.contains(&unlisted.sha256[..32]),
        "a file past the cap is listed: {}",
        &all[all
            .find(&unlisted.sha256[..32])
            .unwrap_or(0)
            .saturating_sub(300)..][..400]
    );
}

/// Counts the bytes this test binary has allocated and not yet freed, and the most at
/// once: the report's memory measured without a second process and without the noise of
/// the allocator's own caches.
#[global_allocator]
static HEAP: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

/// The report's memory and time against the number of items in one thread capture: the
/// sample case (60 incidents) as the baseline, then with 200, 2,000 and 20,000 screenshots
/// of one thread and an audit event for each. Peak heap above what the manifest itself
/// holds, for laying out and writing the PDF. `scripts/bench-report` runs it (release).
#[test]
#[ignore = "a benchmark: scripts/bench-report"]
fn report_memory_benchmark() {
    let sizes: Vec<i64> = std::env::var("BENCH_REPORT_ITEMS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![200, 2_000, 20_000]);
    let base = screenshot_png(360, 640);
    let measure = |items: i64| {
        let mut s = sample();
        for k in 1..=items {
            add_image(&mut s, &base, k, 105, true);
        }
        let mut prev = s
            .input
            .custody
            .last()
            .map(|e| e.hash.clone())
            .unwrap_or_default();
        let first = s.input.custody.len() as i64 + 1;
        for k in 0..items {
            let hash = sha(format!("{prev}{k}").as_bytes());
            s.input.custody.push(AuditEvent {
                seq: first + k,
                time: format!("2026-02-01T10:{:02}:{:02}+01:00", (k / 60) % 60, k % 60),
                actor: "Åse Ødegård".into(),
                action: "evidence.add".into(),
                subject: format!("evidence:{}", 50_001 + k),
                details: json!({}),
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        HEAP.reset_peak_usage();
        let before = HEAP.current_usage();
        let started = Instant::now();
        let rendered = varde_report::layout(
            &s.input,
            &mut |sha: &str| s.originals.get(sha).cloned().ok_or("no such original"),
            Lang::Nb,
        )
        .expect("layout");
        let pages = rendered.page_count();
        let laid_out = HEAP.peak_usage() - before;
        let pdf = rendered.to_pdf().expect("pdf");
        let seconds = started.elapsed().as_secs_f64();
        drop(rendered);
        let peak = HEAP.peak_usage() - before;
        let mb = |b: usize| b as f64 / 1_048_576.0;
        (pages, pdf.len(), seconds, mb(laid_out), mb(peak))
    };
    let (p0, b0, t0, l0, m0) = measure(0);
    println!(
        "| items in the thread | pages | PDF MB | seconds | peak heap MB, layout | peak heap MB, with the PDF | vs baseline |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| 0 (baseline: the sample case) | {p0} | {:.1} | {t0:.2} | {l0:.0} | {m0:.0} | 1.00× |",
        b0 as f64 / 1e6
    );
    for items in sizes {
        let (p, b, t, l, m) = measure(items);
        println!(
            "| {items} | {p} | {:.1} | {t:.2} | {l:.0} | {m:.0} | {:.2}× |",
            b as f64 / 1e6,
            m / m0
        );
    }
}
