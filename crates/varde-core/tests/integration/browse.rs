//! Browsing a large locker: the benchmark behind "a case of 100,000 incidents and 400,000
//! evidence items opens in under 50 ms, and a small case beside it as fast as alone" (run
//! by `scripts/bench-browse`), and small checks that pages stay consistent.

use std::time::{Duration, Instant};

use varde_core::{AddOptions, CaseFilter, Locker, NewIncident};

fn locker(dir: &std::path::Path) -> Locker {
    super::fixture::TestLocker {
        owner: "Bench",
        passphrase: "benchmark passphrase",
        at: "2026-11-01T12:00:00+01:00",
        ..Default::default()
    }
    .init(&dir.join("locker"))
}

fn new_incident(i: usize) -> NewIncident {
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
        perceived: if i.is_multiple_of(3) {
            vec![varde_core::model::Perception::Threatening]
        } else {
            vec![]
        },
        ..Default::default()
    }
}

/// Make a case with `incidents` incidents, each with the `files` as evidence: the first
/// through the app's own calls, the rest in writes of a thousand incidents.
fn fill(l: &mut Locker, title: &str, incidents: usize, files: &[std::path::PathBuf]) -> String {
    let case = l.create_case(title, "").unwrap().reference;
    let first = l.add_incident(&case, new_incident(0)).unwrap().id;
    let stored: Vec<_> = l
        .add_evidence(first, files, &AddOptions::default(), &mut |_| {})
        .unwrap()
        .into_iter()
        .map(|a| a.evidence)
        .collect();
    for start in (1..incidents).step_by(1000) {
        let batch = (start..incidents.min(start + 1000))
            .map(new_incident)
            .collect();
        l.log_incidents_in_bulk(&case, batch, &stored).unwrap();
    }
    case
}

/// The calls the case page makes when it opens (the first `OPEN_CALLS`), then a jump to
/// the end of each list, each timed.
fn open_case(l: &Locker, case: &str) -> Vec<(&'static str, Duration)> {
    let mut times = Vec::new();
    let mut timed = |what: &'static str, f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        times.push((what, t.elapsed()));
    };
    let mut inc_total = 0;
    let mut ev_total = 0;
    timed("case", &mut || drop(l.case(case).unwrap()));
    timed("checklist", &mut || drop(l.checklist(case).unwrap()));
    timed("prompts", &mut || drop(l.prompts(case).unwrap()));
    timed("incident_rows, first page", &mut || {
        inc_total = l.incident_rows(case, 0, 100).unwrap().total
    });
    timed("case_summaries", &mut || {
        drop(l.case_summaries(&CaseFilter::default()).unwrap())
    });
    timed("incident_rows, last page", &mut || {
        drop(
            l.incident_rows(case, (inc_total - 100).max(0), 100)
                .unwrap(),
        )
    });
    timed("evidence_rows, first page", &mut || {
        ev_total = l.evidence_rows(case, None, 0, 100).unwrap().total
    });
    timed("evidence_rows, last page", &mut || {
        drop(
            l.evidence_rows(case, None, (ev_total - 100).max(0), 100)
                .unwrap(),
        )
    });
    timed("case_audit, first page", &mut || {
        drop(l.case_audit(case, 0, 100).unwrap())
    });
    times
}

const OPEN_CALLS: usize = 5;

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
fn a_page_from_either_end_is_the_same_slice_of_the_list() {
    // A page in the far half of a list is read backwards from its end (browse.rs, Slice):
    // every page, at every offset and size, must be exactly that slice of the whole list,
    // in the list's order. Two cases' incidents interleave by id, their times run against
    // their ids, and some evidence is in threads, so each order is tested.
    let dir = tempfile::tempdir().unwrap();
    let mut l = locker(dir.path());
    let a = l.create_case("A", "").unwrap().reference;
    let b = l.create_case("B", "").unwrap().reference;
    let mut in_a = Vec::new();
    for k in 0..9 {
        let id = l.add_incident(&a, new_incident(40 - k)).unwrap().id;
        l.add_incident(&b, new_incident(k)).unwrap();
        let files: Vec<_> = (0..k % 4)
            .map(|j| {
                let f = dir.path().join(format!("{k}-{j}.png"));
                std::fs::write(&f, format!("file {k}-{j}")).unwrap();
                f
            })
            .collect();
        let thread = AddOptions {
            thread_platform: Some("SMS".into()),
            thread_id: Some(format!("tråd {}", k % 2)),
            ..Default::default()
        };
        let opts = if k % 2 == 1 {
            thread
        } else {
            AddOptions::default()
        };
        if !files.is_empty() {
            l.add_evidence(id, &files, &opts, &mut |_| {}).unwrap();
        }
        in_a.push(id);
    }
    let ids = |rows: &[varde_core::model::Evidence]| rows.iter().map(|e| e.id).collect::<Vec<_>>();
    let incidents: Vec<i64> = l.list_incidents(&a).unwrap().iter().map(|i| i.id).collect();
    let evidence = ids(&l.list_evidence(&a, None).unwrap());
    let of_one = ids(&l.list_evidence(&a, Some(in_a[7])).unwrap());
    assert_eq!((incidents.len(), evidence.len(), of_one.len()), (9, 12, 3));
    for limit in [1, 2, 5, 100] {
        for offset in 0..15 {
            let want = |all: &[i64]| {
                let from = (offset as usize).min(all.len());
                all[from..(from + limit as usize).min(all.len())].to_vec()
            };
            let page = l.incident_rows(&a, offset, limit).unwrap();
            let got: Vec<i64> = page.rows.iter().map(|r| r.incident.id).collect();
            assert_eq!(got, want(&incidents), "incidents {offset}+{limit}");
            let got = ids(&l.evidence_rows(&a, None, offset, limit).unwrap().rows);
            assert_eq!(got, want(&evidence), "evidence {offset}+{limit}");
            let got = ids(&l
                .evidence_rows(&a, Some(in_a[7]), offset, limit)
                .unwrap()
                .rows);
            assert_eq!(
                got,
                want(&of_one),
                "one incident's evidence {offset}+{limit}"
            );
        }
    }
}

#[test]
fn a_page_s_total_follows_every_write() {
    // Totals are counted once and kept until the locker changes (memo.rs).
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.png");
    std::fs::write(&f, b"\x89PNG\r\n\x1a\n one").unwrap();
    let g = dir.path().join("b.png");
    std::fs::write(&g, b"\x89PNG\r\n\x1a\n two").unwrap();
    let mut l = locker(dir.path());
    let case = fill(&mut l, "Sak", 3, &[f]);
    let totals = |l: &Locker| {
        (
            l.incident_rows(&case, 0, 10).unwrap().total,
            l.evidence_rows(&case, None, 0, 10).unwrap().total,
            l.case_audit(&case, 0, 10).unwrap().total,
        )
    };
    let (incidents, evidence, events) = totals(&l);
    assert_eq!((incidents, evidence), (3, 3));
    let id = l.add_incident(&case, new_incident(3)).unwrap().id;
    assert_eq!(totals(&l), (4, 3, events + 1));
    l.add_evidence(id, &[g], &AddOptions::default(), &mut |_| {})
        .unwrap();
    let (_, evidence, after) = totals(&l);
    assert_eq!(evidence, 4);
    assert!(after > events + 1, "{after}");
    assert_eq!(l.evidence_rows(&case, Some(id), 0, 10).unwrap().total, 1);
}

#[test]
fn a_write_in_one_case_shows_in_it_and_leaves_the_other_right() {
    // Kept answers are dropped per case (memo.rs): a write in one case must show in that
    // case's list line, totals and prompts at once while the other's stay right, and a
    // write about no case (a contact in the directory) must show in every case.
    use varde_core::NewPerson;
    use varde_core::model::PersonKind;
    let dir = tempfile::tempdir().unwrap();
    let files = screenshots(dir.path(), 1);
    let mut l = locker(dir.path());
    let a = fill(&mut l, "Sak A", 3, &files);
    let b = fill(&mut l, "Sak B", 2, &files);
    let line = |l: &Locker, case: &str| {
        l.case_summaries(&CaseFilter::default())
            .unwrap()
            .into_iter()
            .find(|s| s.case.reference == case)
            .unwrap()
    };
    let open = |l: &Locker, case: &str| -> Vec<String> {
        l.open_prompts(case)
            .unwrap()
            .into_iter()
            .map(|p| p.key)
            .collect()
    };
    let (a0, b0) = (line(&l, &a), line(&l, &b));
    let (a_prompts, b_prompts) = (open(&l, &a), open(&l, &b));
    assert_eq!((a0.incidents, b0.incidents), (3, 2));
    assert!(!a0.emergency && !b0.emergency);
    assert_eq!(l.incident_rows(&b, 0, 10).unwrap().total, 2);

    // An incident in A: A's line, total and prompts change, B's stay as they were.
    l.add_incident(
        &a,
        NewIncident {
            ongoing_emergency: true,
            ..new_incident(99)
        },
    )
    .unwrap();
    let (a1, b1) = (line(&l, &a), line(&l, &b));
    assert_eq!((a1.incidents, b1.incidents), (4, 2));
    assert!(a1.emergency && !b1.emergency);
    assert_eq!(open(&l, &a)[0], "emergency_112");
    assert_ne!(open(&l, &a), a_prompts);
    assert_eq!(open(&l, &b), b_prompts);
    assert_eq!(l.incident_rows(&a, 0, 10).unwrap().total, 4);
    assert_eq!(l.incident_rows(&b, 0, 10).unwrap().total, 2);

    // A threat actor in B with a health concern: B's concern-report prompt. Then a local
    // contact, a write about no case: it must appear in B's prompt at once.
    l.add_person(
        &b,
        NewPerson {
            kind: Some(PersonKind::ThreatActor),
            name: Some("Per Person".into()),
            home_municipality: Some("Bærum".into()),
            health_concern: Some("Skriver om stemmer som gir ordre".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let contacts = |l: &Locker| -> Vec<String> {
        l.prompts(&b)
            .unwrap()
            .into_iter()
            .find(|p| p.key == "health_concern_report")
            .expect("a concern-report prompt in B")
            .details
            .actors[0]
            .contacts
            .iter()
            .map(|c| c.name.nb.clone())
            .collect()
    };
    assert!(!contacts(&l).contains(&"Kommuneoverlegen i Bærum".to_string()));
    assert_eq!(line(&l, &a).incidents, 4);
    l.add_contact(varde_core::guidance::NewContact {
        name: "Kommuneoverlegen i Bærum".into(),
        kind: varde_core::guidance::ContactKind::Health,
        phone: "67 00 00 00".into(),
        email: String::new(),
        municipalities: vec!["Bærum".into()],
        note: String::new(),
    })
    .unwrap();
    assert!(contacts(&l).contains(&"Kommuneoverlegen i Bærum".to_string()));

    // The emergency in A marked done: the prompt leaves A's list line.
    l.act_on_prompt(
        &a,
        "emergency_112",
        varde_core::guidance::PromptAct::new(varde_core::guidance::ActionKind::Done),
    )
    .unwrap();
    assert!(!line(&l, &a).emergency);
    assert!(!open(&l, &a).contains(&"emergency_112".to_string()));
}

/// A search the way the app's search box makes it, timed (median of 5) with its hit count.
fn search(l: &Locker, query: &str) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut hits = 0;
    for _ in 0..5 {
        let t = Instant::now();
        hits = l.search(query).unwrap().len();
        times.push(t.elapsed());
    }
    (median(times), hits)
}

/// Open a case five times: per call, the median time.
fn open_median(l: &Locker, case: &str) -> Vec<(&'static str, Duration)> {
    let runs: Vec<_> = (0..5).map(|_| open_case(l, case)).collect();
    (0..runs[0].len())
        .map(|i| (runs[0][i].0, median(runs.iter().map(|r| r[i].1).collect())))
        .collect()
}

/// Opening a case right after a write (an incident logged in `write_to`), which drops
/// every answer kept since the last one (`memo.rs`): the median of five.
fn open_after_a_write(l: &mut Locker, write_to: &str, case: &str) -> Duration {
    let times = (0..5)
        .map(|i| {
            l.add_incident(write_to, new_incident(500_000 + i)).unwrap();
            open_and_scroll(&open_case(l, case)).0
        })
        .collect();
    median(times)
}

/// Opening (the first calls) and scrolling (the rest), each the sum of its calls' medians.
fn open_and_scroll(calls: &[(&str, Duration)]) -> (Duration, Duration) {
    let sum = |c: &[(&str, Duration)]| c.iter().map(|(_, d)| *d).sum();
    (sum(&calls[..OPEN_CALLS]), sum(&calls[OPEN_CALLS..]))
}

/// A benchmark's size from the environment, or its default.
fn env_or(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `per` small made-up screenshots in `dir`, the files every benchmark incident carries.
fn screenshots(dir: &std::path::Path, per: usize) -> Vec<std::path::PathBuf> {
    (0..per)
        .map(|i| {
            let p = dir.join(format!("skjermbilde-{i}.png"));
            std::fs::write(&p, format!("\u{89}PNG\r\n\u{1a}\n screenshot {i}")).unwrap();
            p
        })
        .collect()
}

#[test]
#[ignore = "benchmark: scripts/bench-browse"]
fn browse_benchmark() {
    let incidents = env_or("BENCH_INCIDENTS", 100_000);
    let per = env_or("BENCH_EVIDENCE_PER", 4);
    let dir = tempfile::tempdir().unwrap();
    let files = screenshots(dir.path(), per);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let searches = [
        ("a word in every incident", "angre"),
        ("a word in one incident", "Hendelse 7"),
        ("a phone number", "+47 912 34 567"),
    ];

    // The baseline: a locker holding only the small case.
    let mut l = locker(dir.path());
    let small = fill(&mut l, "Liten sak", 10, &files);
    let small_calls = open_median(&l, &small);
    let (small_open, small_scroll) = open_and_scroll(&small_calls);
    let small_search: Vec<_> = searches.iter().map(|(_, q)| search(&l, q)).collect();
    let small_cold = open_after_a_write(&mut l, &small, &small);

    let t = Instant::now();
    let large = fill(&mut l, "Stor sak", incidents, &files);
    let filled = t.elapsed().as_secs_f64();
    drop(l);
    let t = Instant::now();
    let mut l = Locker::open(
        &dir.path().join("locker"),
        "benchmark passphrase",
        Box::new(varde_core::SystemClock),
    )
    .unwrap();
    let unlock = ms(t.elapsed());
    let beside_calls = open_median(&l, &small);
    let (small_open2, small_scroll2) = open_and_scroll(&beside_calls);
    let large_calls = open_median(&l, &large);
    let (large_open, large_scroll) = open_and_scroll(&large_calls);
    let small_cold2 = open_after_a_write(&mut l, &small, &small);
    let large_cold = open_after_a_write(&mut l, &small, &large);
    let large_search: Vec<_> = searches.iter().map(|(_, q)| search(&l, q)).collect();
    let db = std::fs::metadata(dir.path().join("locker").join("locker.db"))
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or(0.0);

    println!(
        "filled {incidents} incidents and {} evidence items in {filled:.1} s (writes of 1,000 incidents); locker.db {db:.0} MB; unlock {unlock:.0} ms (test key derivation)",
        incidents * per
    );
    println!();
    println!(
        "| what (median of 5) | baseline: the 10-incident case alone in its locker | the same case beside {incidents} incidents | the case of {incidents} incidents / {} evidence | large case vs baseline |",
        incidents * per
    );
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| open the case | {:.1} ms | {:.1} ms | {:.1} ms | {:.1}× |",
        ms(small_open),
        ms(small_open2),
        ms(large_open),
        ms(large_open) / ms(small_open)
    );
    println!(
        "| open the case right after a write | {:.1} ms | {:.1} ms | {:.1} ms | {:.1}× |",
        ms(small_cold),
        ms(small_cold2),
        ms(large_cold),
        ms(large_cold) / ms(small_cold)
    );
    println!(
        "| scroll to the end | {:.1} ms | {:.1} ms | {:.1} ms | {:.1}× |",
        ms(small_scroll),
        ms(small_scroll2),
        ms(large_scroll),
        ms(large_scroll) / ms(small_scroll)
    );
    println!();
    println!("| call (median of 5) | alone | beside | large |");
    println!("|---|---:|---:|---:|");
    for ((a, b), c) in small_calls.iter().zip(&beside_calls).zip(&large_calls) {
        println!(
            "| {} | {:.1} ms | {:.1} ms | {:.1} ms |",
            a.0,
            ms(a.1),
            ms(b.1),
            ms(c.1)
        );
    }
    println!();
    println!(
        "| search (median of 5) | 10 incidents: time, hits | {incidents} more: time, hits | ratio |"
    );
    println!("|---|---:|---:|---:|");
    for (((what, q), (ts, hs)), (tl, hl)) in searches.iter().zip(&small_search).zip(&large_search) {
        println!(
            "| {what} («{q}») | {:.1} ms, {hs} | {:.1} ms, {hl} | {:.1}× |",
            ms(*ts),
            ms(*tl),
            ms(*tl) / ms(*ts)
        );
    }
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

/// An incident found by search once, also after an edit; and a locker whose index was
/// written by schema 13 (rowids of the insert order) is rebuilt when it opens, its stale
/// rows gone.
#[test]
fn search_follows_an_edit_and_an_older_index_is_rebuilt() {
    use super::locker::{PASS, clock, populated};
    let dir = tempfile::tempdir().unwrap();
    let (mut l, case, inc) = populated(dir.path());
    let hits = |l: &Locker, q: &str| {
        l.search(q)
            .unwrap()
            .into_iter()
            .filter(|h| h.kind == varde_core::HitKind::Incident)
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(hits(&l, "Truende"), vec![inc]);
    l.edit_incident(
        inc,
        varde_core::IncidentPatch {
            description: Some("Truende SMS om bilen".into()),
            reason: Some("Skrivefeil".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(hits(&l, "Truende"), vec![inc], "one row after the edit");
    assert_eq!(hits(&l, "bilen"), vec![inc]);

    let case_id = l.case(&case).unwrap().id;
    l.raw_connection()
        .execute_batch(&format!(
            "DELETE FROM search;
             INSERT INTO search (rowid, kind, rid, case_id, text, digits)
               VALUES (7, 'incident', {inc}, {case_id}, 'utdatert tekst', '');
             PRAGMA user_version = 13;"
        ))
        .unwrap();
    drop(l);
    let l = Locker::open(dir.path(), PASS, clock()).unwrap();
    assert!(hits(&l, "utdatert").is_empty(), "the old rows are gone");
    assert_eq!(hits(&l, "bilen"), vec![inc], "rebuilt from the records");
    assert!(super::locker::problems(&l).is_empty());
}

/// The events a case's audit page should hold, newest first, worked out from the whole
/// log: those about the case, its incidents and its evidence.
fn expected_audit(l: &Locker, case: &str) -> Vec<i64> {
    let mut subjects = vec![format!("case:{case}")];
    for i in l.list_incidents(case).unwrap() {
        subjects.push(format!("incident:{}", i.id));
    }
    for e in l.evidence_rows(case, None, 0, 100).unwrap().rows {
        subjects.push(format!("evidence:{}", e.id));
    }
    let mut seqs: Vec<i64> = l
        .audit_log(None)
        .unwrap()
        .into_iter()
        .filter(|e| subjects.contains(&e.subject))
        .map(|e| e.seq)
        .collect();
    seqs.reverse();
    seqs
}

fn audit_page(l: &Locker, case: &str) -> (i64, Vec<i64>) {
    let page = l.case_audit(case, 0, 100).unwrap();
    (page.total, page.rows.iter().map(|e| e.seq).collect())
}

#[test]
fn a_case_audit_page_holds_its_events_from_an_older_locker_and_after_a_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = (0..2)
        .map(|i| {
            let p = dir.path().join(format!("s-{i}.png"));
            std::fs::write(&p, format!("\u{89}PNG\r\n\u{1a}\n screenshot {i}")).unwrap();
            p
        })
        .collect();
    let path = dir.path().join("l");
    let mut l = super::locker::new_locker(&path);
    let a = fill(&mut l, "Sak A", 3, &files[..1]);
    let b = fill(&mut l, "Sak B", 2, &files[1..]);
    let first = l.list_incidents(&a).unwrap()[0].id;
    l.edit_incident(
        first,
        varde_core::IncidentPatch {
            place: Some("Resepsjonen".into()),
            ..Default::default()
        },
    )
    .unwrap();
    for case in [&a, &b] {
        let want = expected_audit(&l, case);
        assert!(want.len() > 3, "{want:?}");
        assert_eq!(audit_page(&l, case), (want.len() as i64, want));
    }
    let pages = (audit_page(&l, &a), audit_page(&l, &b));

    // A locker of schema 14 had no case_events: migrated, it shows the same pages.
    l.raw_connection()
        .execute_batch("DROP TABLE case_events; PRAGMA user_version = 14;")
        .unwrap();
    drop(l);
    let mut l = Locker::open(&path, super::locker::PASS, super::locker::clock()).unwrap();
    assert_eq!((audit_page(&l, &a), audit_page(&l, &b)), pages);

    // Case A deleted: nothing is left of its page, and a case made after it has its own
    // events only.
    let a_id = l.case(&a).unwrap().id;
    l.delete_case(&a, "Saken er avsluttet").unwrap();
    let left: i64 = l
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM case_events WHERE case_id = ?1",
            [a_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "the deleted case's events are still noted");
    let c = fill(&mut l, "Sak C", 1, &files[..1]);
    let want = expected_audit(&l, &c);
    assert_eq!(audit_page(&l, &c), (want.len() as i64, want));
    assert_eq!(audit_page(&l, &b), pages.1);
}

/// Makes the locker `scripts/bench-app` opens in the app: one case of `BENCH_INCIDENTS`
/// (1,000) incidents with `BENCH_EVIDENCE_PER` (4) files each, at `BENCH_APP_LOCKER`,
/// passphrase «benchmark passphrase».
#[test]
#[ignore = "benchmark fixture: scripts/bench-app"]
fn fill_app_benchmark_locker() {
    let Ok(at) = std::env::var("BENCH_APP_LOCKER") else {
        panic!("set BENCH_APP_LOCKER to the folder to make");
    };
    let (incidents, per) = (
        env_or("BENCH_INCIDENTS", 1000),
        env_or("BENCH_EVIDENCE_PER", 4),
    );
    let dir = tempfile::tempdir().unwrap();
    let files = screenshots(dir.path(), per);
    let mut l = super::fixture::TestLocker {
        owner: "Bench",
        passphrase: "benchmark passphrase",
        at: "2026-11-01T12:00:00+01:00",
        ..Default::default()
    }
    .init(std::path::Path::new(&at));
    let case = fill(&mut l, "Stor sak", incidents, &files);
    println!("{case}: {incidents} incidents, {per} files each");
}
