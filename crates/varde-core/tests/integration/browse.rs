//! Browsing a large case: the benchmark behind "a case with 5,000 incidents and 20,000
//! evidence items opens in under a second" (run by `scripts/bench-browse`), and a small
//! check that pages stay consistent.

use std::time::{Duration, Instant};

use varde_core::{AddOptions, CaseFilter, FixedClock, InitOptions, KdfParams, Locker, NewIncident};

fn locker(dir: &std::path::Path) -> Locker {
    Locker::init(
        &dir.join("locker"),
        "benchmark passphrase",
        InitOptions {
            mode: varde_core::model::Mode::Officer,
            owner: "Bench".into(),
            kdf: KdfParams {
                m_cost_kib: 1024,
                t_cost: 1,
                p_cost: 1,
            },
        },
        Box::new(FixedClock(
            chrono::DateTime::parse_from_rfc3339("2026-11-01T12:00:00+01:00").unwrap(),
        )),
    )
    .unwrap()
}

/// Make a case with `incidents` incidents, each with the `files` as evidence.
fn fill(l: &mut Locker, title: &str, incidents: usize, files: &[std::path::PathBuf]) -> String {
    let case = l.create_case(title, "").unwrap().reference;
    for i in 0..incidents {
        let inc = l
            .add_incident(
                &case,
                NewIncident {
                    at: format!(
                        "2026-{:02}-{:02} {:02}:{:02}",
                        1 + (i / 28) % 10,
                        1 + i % 28,
                        i % 24,
                        i % 60
                    ),
                    channel: Some(varde_core::model::Channel::Sms),
                    place: "SMS til jobbtelefon".into(),
                    description: format!("Hendelse {i}: melding fra samme nummer"),
                    wording: Some("Du skal angre".into()),
                    perceived: if i % 3 == 0 {
                        vec![varde_core::model::Perception::Threatening]
                    } else {
                        vec![]
                    },
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
        l.add_evidence(inc, files, &AddOptions::default(), &mut |_| {})
            .unwrap();
    }
    case
}

/// The calls the case page makes when it opens, and a jump to the end of each list.
fn open_case(l: &Locker, case: &str) -> (Duration, Duration) {
    let t = Instant::now();
    l.case(case).unwrap();
    l.checklist(case).unwrap();
    l.prompts(case).unwrap();
    let inc = l.incident_rows(case, 0, 100).unwrap();
    l.case_summaries(&CaseFilter::default()).unwrap();
    let opened = t.elapsed();
    let t = Instant::now();
    l.incident_rows(case, (inc.total - 100).max(0), 100)
        .unwrap();
    let ev = l.evidence_rows(case, None, 0, 100).unwrap();
    l.evidence_rows(case, None, (ev.total - 100).max(0), 100)
        .unwrap();
    l.case_audit(case, 0, 100).unwrap();
    (opened, t.elapsed())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn pages_cover_every_incident_once() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.png");
    std::fs::write(&f, b"\x89PNG\r\n\x1a\n one").unwrap();
    let mut l = locker(dir.path());
    let case = fill(&mut l, "Sak", 23, &[f]);
    let mut seen = Vec::new();
    for offset in (0..23).step_by(10) {
        let p = l.incident_rows(&case, offset, 10).unwrap();
        assert_eq!(p.total, 23);
        seen.extend(p.rows.iter().map(|r| r.incident.id));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 23);
    assert_eq!(l.evidence_rows(&case, None, 20, 10).unwrap().rows.len(), 3);
}

#[test]
#[ignore = "benchmark: scripts/bench-browse"]
fn browse_benchmark() {
    let incidents: usize = std::env::var("BENCH_INCIDENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let per: usize = std::env::var("BENCH_EVIDENCE_PER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = (0..per)
        .map(|i| {
            let p = dir.path().join(format!("skjermbilde-{i}.png"));
            std::fs::write(&p, format!("\u{89}PNG\r\n\u{1a}\n screenshot {i}")).unwrap();
            p
        })
        .collect();
    let mut l = locker(dir.path());
    let t = Instant::now();
    let small = fill(&mut l, "Liten sak", 10, &files);
    let large = fill(&mut l, "Stor sak", incidents, &files);
    println!(
        "filled: {incidents} + 10 incidents, {} evidence items in {:.1} s",
        (incidents + 10) * per,
        t.elapsed().as_secs_f64()
    );
    drop(l);

    // Unlock as the app does, then open each case five times.
    let t = Instant::now();
    let l = Locker::open(
        &dir.path().join("locker"),
        "benchmark passphrase",
        Box::new(varde_core::SystemClock),
    )
    .unwrap();
    println!(
        "unlock: {:.0} ms (test key derivation)",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let mut s = (Vec::new(), Vec::new());
    let mut b = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let (o, j) = open_case(&l, &small);
        s.0.push(o);
        s.1.push(j);
        let (o, j) = open_case(&l, &large);
        b.0.push(o);
        b.1.push(j);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (so, sj, bo, bj) = (median(s.0), median(s.1), median(b.0), median(b.1));
    println!("open case (case, checklist, prompts, first 100 incidents, case list), median of 5:");
    println!(
        "  baseline 10 incidents / {} evidence: {:.1} ms",
        10 * per,
        ms(so)
    );
    println!(
        "  {incidents} incidents / {} evidence: {:.1} ms  (ratio {:.1}x the baseline)",
        incidents * per,
        ms(bo),
        ms(bo) / ms(so)
    );
    println!(
        "scroll to the end (last 100 incidents, first and last 100 evidence, 100 audit events):"
    );
    println!(
        "  baseline: {:.1} ms; large: {:.1} ms (ratio {:.1}x)",
        ms(sj),
        ms(bj),
        ms(bj) / ms(sj)
    );
}

#[test]
fn a_phone_number_typed_with_spaces_finds_the_actor_and_the_threats_in_every_case() {
    use varde_core::model::{ContactDetail, PersonKind};
    use varde_core::{HitKind, NewPerson};
    let dir = tempfile::tempdir().unwrap();
    let mut l = super::locker::new_locker(&dir.path().join("l"));
    let first = l
        .create_case("Trusler mot resepsjonen", "")
        .unwrap()
        .reference;
    let second = l
        .create_case("Trusler mot kundesenteret", "")
        .unwrap()
        .reference;
    let actor = l
        .add_person(
            &first,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                name: Some("Ola Nordmann".into()),
                contacts: vec![ContactDetail {
                    kind: "phone".into(),
                    value: "+47 934 12 877".into(),
                    private: false,
                }],
                ..Default::default()
            },
        )
        .unwrap();
    let again = l
        .add_person(
            &second,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                name: None,
                aliases: vec!["93412877".into()],
                ..Default::default()
            },
        )
        .unwrap();
    l.add_incident(
        &second,
        NewIncident {
            at: "2026-11-20 21:14".into(),
            place: "SMS".into(),
            channel: Some(varde_core::model::Channel::Sms),
            description: "SMS fra 934 12 877".into(),
            wording: Some("Jeg vet hvor du bor 🔪".into()),
            ..Default::default()
        },
    )
    .unwrap();
    for typed in ["93412877", "934 12 877", "+47 934 12 877", "934"] {
        let hits = l.search(typed).unwrap();
        let refs: Vec<&str> = hits.iter().map(|h| h.case_reference.as_str()).collect();
        assert!(
            refs.contains(&first.as_str()) && refs.contains(&second.as_str()),
            "{typed}: {hits:?}"
        );
        assert!(
            hits.iter().any(|h| h.kind == HitKind::Incident),
            "{typed}: {hits:?}"
        );
    }
    // Words, with Norwegian letters and the prefix of a word.
    let hits = l.search("vet hvor").unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].snippet.contains("hvor du bor"), "{hits:?}");
    assert_eq!(l.search("kundesent").unwrap()[0].kind, HitKind::Case);
    assert!(
        l.search("\"NEAR(").unwrap().is_empty(),
        "FTS syntax is not interpreted"
    );
    // A repeat actor is pointed out on the person.
    assert_eq!(
        l.actor_in_other_cases(actor.id).unwrap(),
        vec![second.clone()]
    );
    assert_eq!(
        l.actor_in_other_cases(again.id).unwrap(),
        vec![first.clone()]
    );
    // Corrections follow: the old wording is no longer found.
    let inc = l.list_incidents(&second).unwrap()[0].id;
    l.edit_incident(
        inc,
        varde_core::IncidentPatch {
            wording: Some("Du skal angre".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(l.search("hvor du bor").unwrap().is_empty());
    assert_eq!(l.search("angre").unwrap().len(), 1);
    // The index is rebuilt from the records if it is missing (an upgraded locker).
    let path = l.dir().to_path_buf();
    drop(l);
    {
        let l = Locker::open(&path, super::locker::PASS, super::locker::clock()).unwrap();
        l.raw_connection()
            .execute("DELETE FROM search", [])
            .unwrap();
    }
    let l = Locker::open(&path, super::locker::PASS, super::locker::clock()).unwrap();
    assert_eq!(l.search("934 12 877").unwrap().len(), 3);
    assert!(l.verify(&mut |_| {}).unwrap().problems.is_empty());
}

#[test]
fn the_case_list_names_the_threatened_employee() {
    use varde_core::NewPerson;
    use varde_core::model::PersonKind;
    let dir = tempfile::tempdir().unwrap();
    let mut l = super::locker::new_locker(&dir.path().join("l"));
    let c = l.create_case("Trusler", "").unwrap().reference;
    for (kind, name) in [
        (PersonKind::ThreatActor, "Ukjent"),
        (PersonKind::Employee, "Kari Nordmann"),
    ] {
        l.add_person(
            &c,
            NewPerson {
                kind: Some(kind),
                name: Some(name.into()),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let list = l.case_summaries(&CaseFilter::default()).unwrap();
    assert_eq!(list[0].employees, vec!["Kari Nordmann".to_string()]);
}
