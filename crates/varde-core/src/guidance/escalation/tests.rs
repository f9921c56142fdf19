//! Table-driven tests of every rule, and of acting on prompts.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::guidance::contacts::directory;
use crate::guidance::content::{Audience, ChecklistItem, Guidance};
use crate::model::{LoggedByRole, Precision};

fn case(status: CaseStatus) -> Case {
    Case {
        id: 1,
        uid: "c".into(),
        reference: "V-2026-0001".into(),
        title: "t".into(),
        status,
        opened_at: "2026-01-01T00:00:00+01:00".into(),
        closed_at: None,
        notes: String::new(),
        review_on: None,
        retention_review_on: None,
        legal_hold: None,
    }
}

fn person(id: i64, kind: PersonKind) -> Person {
    Person {
        id,
        uid: format!("p{id}"),
        case_id: 1,
        kind,
        name: Some(format!("Person {id}")),
        title: None,
        department: None,
        contacts: vec![],
        notes: String::new(),
        known: true,
        aliases: vec![],
        home_municipality: None,
        health_concern: false,
        health_observations: String::new(),
        created_at: String::new(),
    }
}

fn actor(id: i64) -> Person {
    person(id, PersonKind::ThreatActor)
}

fn concerned(id: i64, municipality: Option<&str>) -> Person {
    Person {
        home_municipality: municipality.map(str::to_string),
        health_concern: true,
        health_observations: "Usammenhengende meldinger om stråling".into(),
        ..actor(id)
    }
}

/// A mild incident: not perceived as anything, not targeting, no actor.
fn mild(id: i64) -> Incident {
    Incident {
        id,
        uid: format!("i{id}"),
        case_id: 1,
        version: 1,
        occurred_local: format!("2026-01-{:02} 10:00", id.clamp(1, 28)),
        occurred_tz: "Europe/Oslo".into(),
        occurred_utc: String::new(),
        precision: Precision::Exact,
        logged_at: String::new(),
        logged_by: "Test".into(),
        logged_by_role: LoggedByRole::Officer,
        place: "e-post".into(),
        place_kind: crate::model::PlaceKind::Online,
        channel: Channel::Email,
        platform: None,
        sender: None,
        source: None,
        description: format!("Hendelse {id}"),
        wording: None,
        perceived: vec![],
        targets_individuals: false,
        ongoing_emergency: false,
        actor_id: None,
        witnesses: vec![],
    }
}

fn emergency(id: i64) -> Incident {
    Incident {
        ongoing_emergency: true,
        ..mild(id)
    }
}

fn perceived(id: i64, p: Perception) -> Incident {
    Incident {
        perceived: vec![p],
        ..mild(id)
    }
}

fn targeting(id: i64) -> Incident {
    Incident {
        targets_individuals: true,
        ..mild(id)
    }
}

fn from(id: i64, actor: i64) -> Incident {
    Incident {
        actor_id: Some(actor),
        wording: Some(format!("ord {id}")),
        ..mild(id)
    }
}

fn threat_from(id: i64, actor: i64) -> Incident {
    Incident {
        perceived: vec![Perception::Threatening],
        ..from(id, actor)
    }
}

struct Scenario {
    name: &'static str,
    status: CaseStatus,
    persons: Vec<Person>,
    incidents: Vec<Incident>,
    /// The public-appearance item is done for every row.
    appearance_done: bool,
}

fn sc(name: &'static str, persons: Vec<Person>, incidents: Vec<Incident>) -> Scenario {
    Scenario {
        name,
        status: CaseStatus::Open,
        persons,
        incidents,
        appearance_done: true,
    }
}

fn checklist_for(g: &Guidance, s: &Scenario) -> Vec<ChecklistEntry> {
    let item: &ChecklistItem = g.item(PUBLIC_APPEARANCE_ITEM).unwrap();
    assert_eq!(item.audience, Audience::Employee);
    let employees: Vec<Option<i64>> = s
        .persons
        .iter()
        .filter(|p| p.kind == PersonKind::Employee)
        .map(|p| Some(p.id))
        .collect();
    let rows = if employees.is_empty() {
        vec![None]
    } else {
        employees
    };
    rows.into_iter()
        .map(|person_id| ChecklistEntry {
            item: item.clone(),
            person_id,
            person_name: None,
            state: if s.appearance_done {
                ChecklistState::Done
            } else {
                ChecklistState::NotStarted
            },
            note: String::new(),
            set_by: None,
            set_at: None,
        })
        .collect()
}

fn run(s: &Scenario) -> Vec<Prompt> {
    let g = Guidance::shipped().unwrap();
    let c = case(s.status);
    let checklist = checklist_for(&g, s);
    let contacts = directory(&g, vec![]);
    evaluate(
        &g,
        &CaseFacts {
            case: &c,
            persons: &s.persons,
            incidents: &s.incidents,
            checklist: &checklist,
            contacts: &contacts,
        },
    )
}

fn keys(s: &Scenario) -> Vec<String> {
    run(s).into_iter().map(|p| p.key).collect()
}

/// For each rule: scenarios that must raise it and scenarios that must not.
#[test]
fn every_rule_raises_when_it_should_and_only_then() {
    let table: Vec<(&str, Vec<Scenario>, Vec<Scenario>)> = vec![
        (
            EMERGENCY,
            vec![
                sc("one emergency", vec![], vec![emergency(1)]),
                sc(
                    "emergency among others",
                    vec![actor(5)],
                    vec![mild(1), threat_from(2, 5), emergency(3)],
                ),
            ],
            vec![
                sc("no incidents", vec![], vec![]),
                sc(
                    "serious but not ongoing",
                    vec![],
                    vec![perceived(1, Perception::Threatening), targeting(2)],
                ),
            ],
        ),
        (
            NON_EMERGENCY,
            vec![
                sc("one mild incident", vec![], vec![mild(1)]),
                sc(
                    "threats",
                    vec![],
                    vec![perceived(1, Perception::Frightening)],
                ),
            ],
            vec![
                sc("no incidents", vec![], vec![]),
                sc("an emergency", vec![], vec![mild(1), emergency(2)]),
            ],
        ),
        (
            POLICE_REPORT,
            vec![
                sc(
                    "threatening",
                    vec![],
                    vec![perceived(1, Perception::Threatening)],
                ),
                sc(
                    "frightening",
                    vec![],
                    vec![perceived(1, Perception::Frightening)],
                ),
                sc(
                    "bothersome",
                    vec![],
                    vec![perceived(1, Perception::Bothersome)],
                ),
                sc("targets individuals", vec![], vec![targeting(1)]),
                sc(
                    "two incidents from the same actor",
                    vec![actor(5)],
                    vec![from(1, 5), from(2, 5)],
                ),
            ],
            vec![
                sc("no incidents", vec![], vec![]),
                sc("one mild incident", vec![], vec![mild(1)]),
                sc(
                    "several mild incidents, no actor",
                    vec![],
                    vec![mild(1), mild(2), mild(3)],
                ),
                sc(
                    "one mild incident from an actor",
                    vec![actor(5)],
                    vec![from(1, 5)],
                ),
                sc(
                    "one mild incident from each of two actors",
                    vec![actor(5), actor(6)],
                    vec![from(1, 5), from(2, 6)],
                ),
            ],
        ),
        (
            HEALTH_CONCERN_REPORT,
            vec![
                sc(
                    "concern, known municipality",
                    vec![concerned(5, Some("Oslo"))],
                    vec![],
                ),
                sc(
                    "concern, unknown municipality",
                    vec![concerned(5, None)],
                    vec![],
                ),
            ],
            vec![
                sc("actor without concern", vec![actor(5)], vec![from(1, 5)]),
                sc(
                    "a concern about an employee is not about an actor",
                    vec![Person {
                        health_concern: true,
                        ..person(4, PersonKind::Employee)
                    }],
                    vec![],
                ),
            ],
        ),
        (
            MUNICIPALITY_MISSING,
            vec![
                sc("concern, no municipality", vec![concerned(5, None)], vec![]),
                sc(
                    "concern, blank municipality",
                    vec![concerned(5, Some("  "))],
                    vec![],
                ),
            ],
            vec![
                sc(
                    "concern, municipality known",
                    vec![concerned(5, Some("Asker"))],
                    vec![],
                ),
                sc("no concern, no municipality", vec![actor(5)], vec![]),
            ],
        ),
        (
            POLICE_REPORT_HEALTH,
            vec![
                sc(
                    "threat from a concerned actor",
                    vec![concerned(5, Some("Oslo"))],
                    vec![threat_from(1, 5)],
                ),
                sc(
                    "bothersome from a concerned actor, municipality unknown",
                    vec![concerned(5, None)],
                    vec![Incident {
                        perceived: vec![Perception::Bothersome],
                        ..from(1, 5)
                    }],
                ),
            ],
            vec![
                sc(
                    "concern but no incidents",
                    vec![concerned(5, Some("Oslo"))],
                    vec![],
                ),
                sc(
                    "concern, only mild incidents from the actor",
                    vec![concerned(5, Some("Oslo"))],
                    vec![from(1, 5), from(2, 5)],
                ),
                sc(
                    "threats from an actor without concern",
                    vec![actor(5)],
                    vec![threat_from(1, 5)],
                ),
                sc(
                    "threats from someone else than the concerned actor",
                    vec![concerned(5, Some("Oslo")), actor(6)],
                    vec![threat_from(1, 6)],
                ),
            ],
        ),
        (
            PUBLIC_APPEARANCE,
            vec![
                Scenario {
                    appearance_done: false,
                    ..sc(
                        "item not started, open case",
                        vec![person(4, PersonKind::Employee)],
                        vec![],
                    )
                },
                Scenario {
                    appearance_done: false,
                    status: CaseStatus::Monitoring,
                    ..sc(
                        "item not started, monitored case, no employee",
                        vec![],
                        vec![],
                    )
                },
            ],
            vec![
                sc("item done", vec![person(4, PersonKind::Employee)], vec![]),
                Scenario {
                    appearance_done: false,
                    status: CaseStatus::Closed,
                    ..sc("closed case", vec![person(4, PersonKind::Employee)], vec![])
                },
            ],
        ),
    ];
    let mut covered: Vec<&str> = Vec::new();
    for (rule, raise, quiet) in &table {
        covered.push(rule);
        assert!(!raise.is_empty() && !quiet.is_empty(), "{rule}");
        for s in raise {
            assert!(
                keys(s).iter().any(|k| k == rule),
                "{rule} should be raised: {}",
                s.name
            );
        }
        for s in quiet {
            assert!(
                !keys(s).iter().any(|k| k == rule),
                "{rule} should not be raised: {}",
                s.name
            );
        }
    }
    covered.sort_unstable();
    let mut all = RULE_KEYS.to_vec();
    all.sort_unstable();
    assert_eq!(covered, all, "every rule has rows in the table");
}

#[test]
fn emergency_beats_everything() {
    let s = Scenario {
        appearance_done: false,
        ..sc(
            "everything at once",
            vec![concerned(5, None), person(4, PersonKind::Employee)],
            vec![
                threat_from(1, 5),
                threat_from(2, 5),
                targeting(3),
                emergency(4),
            ],
        )
    };
    let prompts = run(&s);
    assert_eq!(prompts[0].key, EMERGENCY);
    assert_eq!(prompts[0].severity, Severity::Critical);
    assert_eq!(prompts[0].phone.as_deref(), Some("112"));
    assert_eq!(prompts[0].incident_ids(), [4]);
    assert!(prompts.len() >= 5);
    for w in prompts.windows(2) {
        assert!(w[0].priority >= w[1].priority);
    }
    // Never 02800 beside an emergency.
    assert!(!prompts.iter().any(|p| p.key == NON_EMERGENCY));
}

#[test]
fn persistent_is_two_or_more_incidents_from_the_same_actor() {
    let s = sc(
        "repeat",
        vec![actor(5), actor(6)],
        vec![from(1, 5), mild(2), from(3, 5), from(4, 6)],
    );
    let p = run(&s)
        .into_iter()
        .find(|p| p.key == POLICE_REPORT)
        .unwrap();
    assert_eq!(p.incident_ids(), [1, 3]);
    assert!(p.triggers.iter().all(|t| matches!(
        t,
        Trigger::Persistent {
            actor: 5,
            incidents_from_actor: 2,
            ..
        }
    )));
}

#[test]
fn a_mild_incident_only_offers_02800() {
    let s = sc("mild", vec![], vec![mild(1)]);
    assert_eq!(keys(&s), [NON_EMERGENCY]);
}

#[test]
fn health_prompts_gather_contacts_and_statements() {
    let s = sc(
        "threats and concern",
        vec![concerned(5, Some("bærum kommune")), actor(6)],
        vec![threat_from(1, 5), from(2, 5), threat_from(3, 6)],
    );
    let prompts = run(&s);
    let report = prompts
        .iter()
        .find(|p| p.key == HEALTH_CONCERN_REPORT)
        .unwrap();
    let actor = &report.details.actors[0];
    assert_eq!(actor.person_id, 5);
    let phones: Vec<&str> = actor.contacts.iter().map(|c| c.phone.as_str()).collect();
    assert!(phones.contains(&"67 50 59 99"), "{phones:?}");
    assert!(!phones.contains(&"23 48 70 90"));

    let details = prompts
        .iter()
        .find(|p| p.key == POLICE_REPORT_HEALTH)
        .unwrap();
    assert_eq!(details.incident_ids(), [1]);
    // Every incident from that actor is gathered, with its wording; not the other actor's.
    let gathered: Vec<(i64, Option<&str>)> = details
        .details
        .statements
        .iter()
        .map(|s| (s.incident_id, s.wording.as_deref()))
        .collect();
    assert_eq!(gathered, [(1, Some("ord 1")), (2, Some("ord 2"))]);
    assert_eq!(
        details.details.actors[0].observations,
        "Usammenhengende meldinger om stråling"
    );

    let oslo = run(&sc("oslo", vec![concerned(5, Some("Oslo"))], vec![]));
    let c = &oslo[0].details.actors[0].contacts;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].phone, "23 48 70 90");
}

#[test]
fn a_health_concern_with_unknown_municipality_asks_for_it() {
    let prompts = run(&sc(
        "unknown",
        vec![concerned(5, None), concerned(6, Some("Asker"))],
        vec![],
    ));
    let ask = prompts
        .iter()
        .find(|p| p.key == MUNICIPALITY_MISSING)
        .unwrap();
    assert_eq!(ask.triggers, [Trigger::MunicipalityMissing { person: 5 }]);
    let report = prompts
        .iter()
        .find(|p| p.key == HEALTH_CONCERN_REPORT)
        .unwrap();
    assert_eq!(report.details.actors.len(), 2);
    assert!(report.details.actors[0].contacts.is_empty());
}

#[test]
fn acting_checks_its_input() {
    let (_d, mut l) = crate::guidance::testing::locker();
    let c = l.create_case("Sak", "").unwrap().reference;
    let bad = [
        (
            POLICE_REPORT,
            PromptAct::new(ActionKind::Declined),
            "reason",
        ),
        (
            POLICE_REPORT,
            PromptAct {
                until: Some("2026-04-01".into()),
                ..PromptAct::new(ActionKind::Done)
            },
            "only for a prompt put off",
        ),
        (
            POLICE_REPORT,
            PromptAct {
                until: Some("2026-03-10".into()),
                ..PromptAct::new(ActionKind::Deferred)
            },
            "after today",
        ),
        (
            POLICE_REPORT,
            PromptAct {
                until: Some("next week".into()),
                ..PromptAct::new(ActionKind::Deferred)
            },
            "YYYY-MM-DD",
        ),
        (
            POLICE_REPORT,
            PromptAct {
                at: Some("2026-03-11 10:00".into()),
                ..PromptAct::new(ActionKind::Done)
            },
            "future",
        ),
        (
            "no_such_rule",
            PromptAct::new(ActionKind::Done),
            "not found",
        ),
    ];
    for (key, act, expected) in bad {
        let err = l.act_on_prompt(&c, key, act).unwrap_err().to_string();
        assert!(err.contains(expected), "{expected:?} not in {err:?}");
    }
    assert!(l.escalation_history(&c).unwrap().is_empty());
    // A rule not raised can still be recorded (a report made before Varde asked).
    let a = l
        .act_on_prompt(
            &c,
            POLICE_REPORT,
            PromptAct {
                until: Some("20.03.2026".into()),
                ..PromptAct::new(ActionKind::Deferred)
            },
        )
        .unwrap();
    assert_eq!(a.deferred_until.as_deref(), Some("2026-03-20"));
    assert!(a.triggers.is_empty());
    let ev = l.audit_log(Some(&format!("case:{c}"))).unwrap();
    assert_eq!(ev.last().unwrap().action, "escalation.act");
    assert_eq!(ev.last().unwrap().details["rule"], POLICE_REPORT);
}

fn acted(action: ActionKind, triggers: &[&str], until: Option<&str>) -> EscalationAction {
    EscalationAction {
        id: 1,
        rule_key: POLICE_REPORT.into(),
        action,
        acted_at: String::new(),
        acted_by: String::new(),
        recorded_at: String::new(),
        with_whom: None,
        reference: None,
        reason: None,
        deferred_until: until.map(str::to_string),
        note: String::new(),
        triggers: triggers.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn an_acted_on_prompt_stays_quiet_until_something_new_raises_it() {
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let before = run(&sc("one", vec![], vec![targeting(1)]));
    let p1 = before.iter().find(|p| p.key == POLICE_REPORT).unwrap();
    let after = run(&sc("two", vec![], vec![targeting(1), targeting(2)]));
    let p2 = after.iter().find(|p| p.key == POLICE_REPORT).unwrap();
    let rows = [
        (p1, None, PromptState::Open),
        (
            p1,
            Some(acted(ActionKind::Done, &["incident:1"], None)),
            PromptState::Done,
        ),
        (
            p1,
            Some(acted(ActionKind::Declined, &["incident:1"], None)),
            PromptState::Declined,
        ),
        (
            p1,
            Some(acted(ActionKind::Deferred, &["incident:1"], None)),
            PromptState::Deferred,
        ),
        (
            p1,
            Some(acted(
                ActionKind::Deferred,
                &["incident:1"],
                Some("2026-03-11"),
            )),
            PromptState::Deferred,
        ),
        (
            p1,
            Some(acted(
                ActionKind::Deferred,
                &["incident:1"],
                Some("2026-03-10"),
            )),
            PromptState::Open,
        ),
        (
            p2,
            Some(acted(ActionKind::Done, &["incident:1"], None)),
            PromptState::Open,
        ),
        (
            p2,
            Some(acted(ActionKind::Declined, &["incident:1"], None)),
            PromptState::Open,
        ),
        (
            p2,
            Some(acted(ActionKind::Done, &["incident:1", "incident:2"], None)),
            PromptState::Done,
        ),
    ];
    for (i, (p, a, expected)) in rows.iter().enumerate() {
        assert_eq!(prompt_state(p, a.as_ref(), day(10)), *expected, "row {i}");
    }
}

#[test]
fn open_emergencies_lists_cases_with_an_ongoing_emergency_until_closed() {
    let (_d, mut l) = crate::guidance::testing::locker();
    let calm = l.create_case("Rolig", "").unwrap().reference;
    crate::guidance::testing::incident(&mut l, &calm);
    let urgent = l.create_case("Akutt", "").unwrap().reference;
    l.add_incident(
        &urgent,
        crate::incidents::NewIncident {
            at: "2026-03-01 10:00".into(),
            place: "Resepsjonen".into(),
            channel: Some(crate::model::Channel::InPerson),
            description: "Står i resepsjonen og truer".into(),
            ongoing_emergency: true,
            ..Default::default()
        },
    )
    .unwrap();
    let found = l.open_emergencies().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0.reference, urgent);
    assert_eq!(found[0].1.key, super::EMERGENCY);
    l.set_case_status(&urgent, crate::model::CaseStatus::Closed, "", None)
        .unwrap();
    assert!(l.open_emergencies().unwrap().is_empty());
}

#[test]
fn a_report_made_with_a_case_number_asks_for_further_information_not_a_new_report() {
    let (_d, mut l) = crate::guidance::testing::locker();
    let c = l.create_case("Sak", "").unwrap().reference;
    let threat = |l: &mut crate::locker::Locker, at: &str| {
        l.add_incident(
            &c,
            crate::incidents::NewIncident {
                at: at.into(),
                place: "SMS".into(),
                channel: Some(crate::model::Channel::Sms),
                description: "Trussel".into(),
                perceived: vec![Perception::Threatening],
                ..Default::default()
            },
        )
        .unwrap()
    };
    threat(&mut l, "2026-03-01 10:00");
    let report = |l: &crate::locker::Locker| {
        l.prompts(&c)
            .unwrap()
            .into_iter()
            .find(|p| p.key == POLICE_REPORT)
            .unwrap()
    };
    assert_eq!(report(&l).title.nb, "Virksomheten bør anmelde forholdet");
    l.act_on_prompt(
        &c,
        POLICE_REPORT,
        PromptAct {
            with_whom: Some("Oslo politidistrikt".into()),
            reference: Some("24-123456".into()),
            ..PromptAct::new(ActionKind::Done)
        },
    )
    .unwrap();
    assert_eq!(report(&l).state, PromptState::Done);
    // A new threat after the report: open again, worded as further information.
    threat(&mut l, "2026-03-05 18:30");
    let again = report(&l);
    assert_eq!(again.state, PromptState::Open);
    assert_eq!(
        again.title.nb,
        "Gi politiet tilleggsopplysninger i sak 24-123456"
    );
    assert!(again.body.nb.contains("som tilleggsopplysninger i saken"));
    assert_eq!(again.follow_up_of.as_deref(), Some("24-123456"));
}
