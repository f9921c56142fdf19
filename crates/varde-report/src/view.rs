//! The report's data as the template reads it (`/data.json`): sorted, numbered, resolved
//! (witness and actor names) and with times formatted for the language. Labels are not
//! here: enum values go in as their stored names and the template's table translates them.

use std::collections::{BTreeMap, HashMap};
use varde_core::derived::{Content, Reading};
use varde_core::model::MessageSource;
use varde_core::varde_read::{Derived, Message};

use chrono::DateTime;
use serde_json::{Value, json};
use varde_core::bundle::Manifest;
use varde_core::bundle::manifest::{EvidenceEntry, IncidentEntry, PersonEntry};
use varde_core::guidance::Lang;
use varde_core::model::PersonKind;

/// The escalation rule of a concern report to health services.
const HEALTH_RULE: &str = "health_concern_report";

/// How long a hash prefix in the custody table is.
const HASH_PREFIX: usize = 16;

/// A thread capture of at least this many items of one incident is shown as one block
/// with a compact table (sequence, name, size, acquired, SHA-256) instead of one block per
/// item: a conversation of 2,000 screenshots then takes pages, not hundreds of pages.
pub const THREAD_SUMMARY_MIN: usize = 10;

/// At most this many files of summarised threads are listed in a report, one line each;
/// the others are named by count, and every file's SHA-256 is in the bundle's `SHA256SUMS`
/// and `manifest.json`. typst lays a document out whole, so the report's memory grows with
/// what it lists (about 35 kB a line, `scripts/bench-report`): the cap keeps it bounded.
pub const MAX_THREAD_ROWS: usize = 2_000;

/// How many thumbnails a summarised thread shows (its first images).
pub const THREAD_THUMBS: usize = 4;

/// At most this many thumbnails are embedded in a report; further images are listed with
/// their SHA-256 like every other item, and the report says so.
pub const MAX_THUMBS: usize = 40;

/// A run of at least this many consecutive custody events with the same action by the same
/// actor is shown as one row (the whole log is in `custody.jsonl`).
const CUSTODY_RUN_MIN: usize = 5;

/// How an incident's evidence is shown: one block per item, or a summarised thread.
pub enum Shown<'a> {
    /// One item, with its number within the incident (from 1).
    Item(usize, &'a EvidenceEntry),
    /// A long thread capture: its items with their numbers, in bundle order.
    Thread(Vec<(usize, &'a EvidenceEntry)>),
}

/// The incidents in report order (by time of occurrence, then id).
pub fn sorted_incidents(input: &Manifest) -> Vec<&IncidentEntry> {
    let mut incidents: Vec<&IncidentEntry> = input.incidents.iter().collect();
    incidents.sort_by(|a, b| (a.occurred_utc.as_str(), a.id).cmp(&(b.occurred_utc.as_str(), b.id)));
    incidents
}

/// An incident's evidence (in bundle order) as it is shown: runs of at least
/// [`THREAD_SUMMARY_MIN`] consecutive items of the same thread become one block.
pub fn shown<'a>(list: &[&'a EvidenceEntry]) -> Vec<Shown<'a>> {
    let thread_of = |e: &EvidenceEntry| {
        (e.thread_platform.is_some() || e.thread_id.is_some())
            .then(|| (e.thread_platform.clone(), e.thread_id.clone()))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < list.len() {
        let key = thread_of(list[i]);
        let mut j = i + 1;
        if key.is_some() {
            while j < list.len() && thread_of(list[j]) == key {
                j += 1;
            }
        }
        if key.is_some() && j - i >= THREAD_SUMMARY_MIN {
            out.push(Shown::Thread((i..j).map(|k| (k + 1, list[k])).collect()));
        } else {
            out.extend((i..j).map(|k| Shown::Item(k + 1, list[k])));
        }
        i = j;
    }
    out
}

/// The image items that may get a thumbnail, in report order: every image shown on its
/// own, and the first [`THREAD_THUMBS`] images of a summarised thread. The caller makes
/// thumbnails for at most [`MAX_THUMBS`] of them.
pub fn thumbnail_candidates(input: &Manifest) -> Vec<&EvidenceEntry> {
    let by_incident = evidence_by_incident(input);
    let mut out = Vec::new();
    for inc in sorted_incidents(input) {
        let Some(list) = by_incident.get(&inc.id) else {
            continue;
        };
        for s in shown(list) {
            match s {
                Shown::Item(_, e) if e.media_type.starts_with("image/") => out.push(e),
                Shown::Item(..) => {}
                Shown::Thread(items) => out.extend(
                    items
                        .into_iter()
                        .map(|(_, e)| e)
                        .filter(|e| e.media_type.starts_with("image/"))
                        .take(THREAD_THUMBS),
                ),
            }
        }
    }
    out
}

/// The most images given a page of their own in the appendix; past it, the report says
/// how many are shown, and every image is still listed with its SHA-256.
pub const MAX_PAGES: usize = 60;

/// Every image in report order with its number (`incident.item`), thread members
/// included: the appendix shows them one per page.
pub fn appendix_images(input: &Manifest) -> Vec<(String, &EvidenceEntry)> {
    let by_incident = evidence_by_incident(input);
    let mut out = Vec::new();
    for (i, inc) in sorted_incidents(input).into_iter().enumerate() {
        let Some(list) = by_incident.get(&inc.id) else {
            continue;
        };
        for (j, e) in list.iter().enumerate() {
            if e.media_type.starts_with("image/") {
                out.push((format!("{}.{}", i + 1, j + 1), *e));
            }
        }
    }
    out
}

fn appendix_view(input: &Manifest, lang: Lang, pages: &HashMap<i64, Thumb>) -> Value {
    let all = appendix_images(input);
    let items: Vec<Value> = all
        .iter()
        .take(MAX_PAGES)
        .map(|(no, e)| {
            let (page, no_page) = image_json(pages.get(&e.id));
            json!({
                "no": no,
                "name": e.original_name,
                "sha256": e.sha256,
                "path": e.path,
                "acquired_at": fmt_time(&e.acquired_at, lang),
                "thread": (e.thread_platform.is_some() || e.thread_id.is_some()).then(|| json!({
                    "platform": e.thread_platform, "id": e.thread_id, "seq": e.thread_seq,
                })),
                "whole_thread": e.whole_thread,
                "page": page,
                "no_page": no_page,
            })
        })
        .collect();
    json!({
        "items": items,
        "total": all.len(),
        "capped": all.len() > MAX_PAGES,
        "max": MAX_PAGES,
    })
}

fn evidence_by_incident(input: &Manifest) -> HashMap<i64, Vec<&EvidenceEntry>> {
    // The manifest keeps evidence in bundle order (incident, then thread order).
    let mut by_incident: HashMap<i64, Vec<&EvidenceEntry>> = HashMap::new();
    for e in &input.evidence {
        by_incident.entry(e.incident).or_default().push(e);
    }
    by_incident
}

/// An image evidence item's thumbnail (or why there is none), by evidence id.
pub enum Thumb {
    /// Readable by the template at `path`; its size in pixels.
    Image {
        /// The virtual path.
        path: String,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The key of the note saying why there is none.
    Missing(&'static str),
}

/// Build the template's data.
pub fn build(
    input: &Manifest,
    lang: Lang,
    thumbs: &HashMap<i64, Thumb>,
    pages: &HashMap<i64, Thumb>,
) -> Value {
    let persons: HashMap<i64, &PersonEntry> = input.persons.iter().map(|p| (p.id, p)).collect();
    let name_of = |id: i64| persons.get(&id).and_then(|p| display_name(p));

    let incidents = sorted_incidents(input);
    let by_incident = evidence_by_incident(input);
    let mut rows = RowBudget {
        left: MAX_THREAD_ROWS,
        capped: false,
    };

    let incident_views: Vec<Value> = incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| {
            let no = i + 1;
            let list = by_incident
                .get(&inc.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let evidence: Vec<Value> = shown(list)
                .into_iter()
                .map(|s| match s {
                    Shown::Item(j, e) => evidence_view(&format!("{no}.{j}"), e, lang, thumbs),
                    Shown::Thread(items) => thread_view(no, &items, lang, thumbs, &mut rows),
                })
                .collect();
            let witnesses: Vec<String> = inc
                .witnesses
                .iter()
                .filter_map(|w| w.name.clone().or_else(|| w.person.and_then(name_of)))
                .collect();
            let (date, time) = split_local(&inc.occurred_local, lang);
            json!({
                "no": no,
                "id": inc.id,
                "version": inc.version,
                "date": date,
                "time": time,
                "tz": inc.occurred_tz,
                "utc": fmt_utc(&inc.occurred_utc, lang),
                "precision": inc.precision.as_str(),
                "place": inc.place,
                "place_kind": inc.place_kind.as_str(),
                "channel": inc.channel.as_str(),
                "platform": inc.platform,
                "witnesses": witnesses,
                "perceived": inc.perceived.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                "targets_individuals": inc.targets_individuals,
                "ongoing_emergency": inc.ongoing_emergency,
                "has_actor": inc.actor.is_some(),
                "actor": inc.actor.and_then(name_of),
                "description": inc.description,
                "wording": inc.wording.as_deref().filter(|w| !w.trim().is_empty()),
                "source": inc.source.as_ref().and_then(|m| source_view(input, m, lang)),
                "logged_at": fmt_time(&inc.logged_at, lang),
                "logged_by": inc.logged_by,
                "logged_by_role": inc.logged_by_role.as_str(),
                "evidence_count": list.len(),
                "evidence": evidence,
            })
        })
        .collect();

    let employees: Vec<Value> = input
        .persons
        .iter()
        .filter(|p| p.kind == PersonKind::Employee)
        .map(|p| {
            json!({
                "name": display_name(p),
                "title": p.title,
                "department": p.department,
                "contacts": p.contacts.iter().map(|c| json!({
                    "kind": c.kind, "value": c.value, "private": c.private,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();

    let actors: Vec<Value> = input
        .persons
        .iter()
        .filter(|p| p.kind == PersonKind::ThreatActor)
        .map(|p| {
            let count = incidents.iter().filter(|i| i.actor == Some(p.id)).count();
            json!({
                "name": p.name,
                "known": p.known,
                "aliases": p.aliases,
                "home_municipality": p.home_municipality,
                "health_concern": p.health_concern,
                "health_observations": p.health_observations,
                "incidents": count,
            })
        })
        .collect();

    let escalations: Vec<Value> = input
        .escalations
        .iter()
        .map(|a| {
            json!({
                "at": fmt_time(&a.acted_at, lang),
                "by": a.acted_by,
                "rule": a.rule_key,
                "title": a.title.as_ref().map(|t| t.get(lang)).filter(|t| !t.is_empty()),
                "action": a.action.as_str(),
                "with_whom": a.with_whom,
                "reference": a.reference,
                "reason": a.reason,
                "deferred_until": a.deferred_until.as_deref().map(|d| fmt_day(d, lang)),
                "note": a.note,
            })
        })
        .collect();

    let health_records: Vec<Value> = input
        .health_notified
        .records
        .iter()
        .map(|r| {
            json!({
                "at": fmt_time(&r.at, lang),
                "by": r.by,
                "to": r.to,
                "how": r.how.split(':').next().unwrap_or_default(),
            })
        })
        .collect();
    let health_actions: Vec<Value> = input
        .escalations
        .iter()
        .filter(|a| a.rule_key == HEALTH_RULE)
        .map(|a| {
            json!({
                "at": fmt_time(&a.acted_at, lang),
                "by": a.acted_by,
                "action": a.action.as_str(),
                "with_whom": a.with_whom,
                "reference": a.reference,
                "reason": a.reason,
                "note": a.note,
            })
        })
        .collect();
    let health_concerns: Vec<Value> = input
        .persons
        .iter()
        .filter(|p| p.kind == PersonKind::ThreatActor && p.health_concern)
        .map(|p| {
            json!({
                "name": p.name,
                "home_municipality": p.home_municipality,
                "observations": p.health_observations,
            })
        })
        .collect();

    let disclosures: Vec<Value> = input
        .disclosures
        .iter()
        .map(|d| {
            let basis = d
                .legal_basis_label
                .as_ref()
                .map(|l| l.get(lang).to_owned())
                .filter(|l| !l.is_empty());
            json!({
                "at": fmt_time(&d.disclosed_at, lang),
                "by": d.disclosed_by,
                "recipient": d.recipient,
                "recipient_kind": d.recipient_kind.as_str(),
                "shared": d.shared,
                "incidents": d.incident_ids.len(),
                "evidence": d.evidence_ids.len(),
                "basis": basis,
                "basis_text": d.legal_basis_text,
                "employee_informed": d.employee_informed.as_str(),
                "this_export": d.this_export,
            })
        })
        .collect();

    let custody = custody_rows(&input.custody, lang);
    let images = input
        .evidence
        .iter()
        .filter(|e| e.media_type.starts_with("image/"))
        .count();
    let embedded = thumbs
        .values()
        .filter(|t| matches!(t, Thumb::Image { .. }))
        .count();

    let c = &input.case;
    let x = &input.export;
    json!({
        "lang": lang.as_str(),
        "organisation": input.organisation,
        "officer": input.officer,
        "generated_at": fmt_time(&input.created_at, lang),
        "generator": format!("{} {}", capitalised(&input.generator.name), input.generator.version),
        "format_version": input.format_version,
        "export": {
            "recipient": x.recipient,
            "recipient_kind": x.recipient_kind.as_str(),
            "basis": x.legal_basis_label.as_ref().map(|l| l.get(lang)).filter(|l| !l.is_empty()),
            "basis_text": x.legal_basis_text,
            "employee_informed": x.employee_informed.as_str(),
            "private_contacts": x.private_contacts_included,
            "all_incidents": x.all_incidents,
            "self_log": x.self_log,
            "bundle_name": x.bundle_name,
        },
        "case": {
            "reference": c.reference,
            "title": c.title,
            "status": c.status.as_str(),
            "opened_at": fmt_time(&c.opened_at, lang),
            "closed_at": c.closed_at.as_deref().map(|t| fmt_time(t, lang)),
        },
        "summary": summary(input, &incidents, lang),
        "employees": employees,
        "actors": actors,
        "incidents": incident_views,
        "escalations": escalations,
        "health": {
            "notified": input.health_notified.notified,
            "records": health_records,
            "concerns": health_concerns,
            "actions": health_actions,
        },
        "disclosures": disclosures,
        "custody": custody,
        "thread_rows": { "max": MAX_THREAD_ROWS, "capped": rows.capped },
        "thumbs": {
            "images": images,
            "embedded": embedded,
            "not_embedded": images - embedded.min(images),
            "capped": thumbs.len() < images,
            "max": MAX_THUMBS,
        },
        "appendix": appendix_view(input, lang, pages),
        "custody_head": input.custody.last().map(|e| e.hash.clone()),
        "fingerprint": input.locker.signing_key_fingerprint,
        "fingerprint_grouped": varde_core::bundle::fingerprint_grouped(&input.locker.signing_key_fingerprint),
    })
}

/// `varde` as `Varde`.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The name to show: the name, or the first alias in brackets, or none (unknown).
fn display_name(p: &PersonEntry) -> Option<String> {
    p.name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| p.aliases.first().map(|a| format!("({a})")))
}

/// How many more files of summarised threads a report may list, and whether any were left
/// out (see [`MAX_THREAD_ROWS`]).
struct RowBudget {
    left: usize,
    capped: bool,
}

/// A long thread capture as one block: what is common to its items once, then one compact
/// row per item with everything the police need to find and check it.
fn thread_view(
    incident_no: usize,
    items: &[(usize, &EvidenceEntry)],
    lang: Lang,
    thumbs: &HashMap<i64, Thumb>,
    budget: &mut RowBudget,
) -> Value {
    let first = items.first().map(|(_, e)| *e);
    let common = |f: &dyn Fn(&EvidenceEntry) -> String| -> Option<String> {
        let v = f(first?);
        items.iter().all(|(_, e)| f(e) == v).then_some(v)
    };
    let by = common(&|e| e.acquired_by.clone());
    let folder = common(&|e| {
        e.path
            .rsplit_once('/')
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default()
    })
    .filter(|d| !d.is_empty());
    let seqs: Vec<i64> = items.iter().filter_map(|(_, e)| e.thread_seq).collect();
    let (seq_from, seq_to) = (seqs.iter().min().copied(), seqs.iter().max().copied());
    // Sequence numbers missing between the first and the last: a gap in the capture.
    let mut gaps: Vec<String> = Vec::new();
    let mut sorted = seqs.clone();
    sorted.sort_unstable();
    sorted.dedup();
    for w in sorted.windows(2) {
        if w[1] > w[0] + 1 {
            gaps.push(if w[1] == w[0] + 2 {
                (w[0] + 1).to_string()
            } else {
                format!("{}–{}", w[0] + 1, w[1] - 1)
            });
        }
    }
    let total: u64 = items.iter().map(|(_, e)| e.size).sum();
    let strip: Vec<Value> = items
        .iter()
        .filter_map(|(j, e)| match thumbs.get(&e.id) {
            Some(Thumb::Image {
                path,
                width,
                height,
            }) => Some(json!({
                "no": format!("{incident_no}.{j}"),
                "seq": e.thread_seq,
                "path": path, "width": width, "height": height,
            })),
            _ => None,
        })
        .collect();
    let listed = items.len().min(budget.left);
    budget.left -= listed;
    budget.capped |= listed < items.len();
    let rows: Vec<Value> = items[..listed]
        .iter()
        .map(|(j, e)| {
            let file = match &folder {
                Some(d) => e.path.strip_prefix(d.as_str()).unwrap_or(&e.path),
                None => &e.path,
            };
            json!({
                "no": format!("{incident_no}.{j}"),
                "seq": e.thread_seq,
                "name": e.original_name,
                "file": (file != e.original_name).then_some(file),
                "size": fmt_size(e.size, lang),
                "bytes": e.size,
                "media_type": e.media_type,
                "acquired_at": fmt_time(&e.acquired_at, lang),
                "acquired_by": by.is_none().then_some(&e.acquired_by),
                "sha256": e.sha256,
                "note": item_note(e, lang),
                "imported": e.origin.is_some(),
                "whole_thread": e.whole_thread,
            })
        })
        .collect();
    let (last_no, last) = items
        .last()
        .map(|(j, e)| (*j, Some(*e)))
        .unwrap_or((0, None));
    json!({
        "kind": "thread",
        "no_from": format!("{incident_no}.{}", items.first().map(|(j, _)| *j).unwrap_or(0)),
        "no_to": format!("{incident_no}.{last_no}"),
        "count": items.len(),
        "platform": first.and_then(|e| e.thread_platform.clone()),
        "id": first.and_then(|e| e.thread_id.clone()),
        "seq_from": seq_from,
        "seq_to": seq_to,
        "gaps": gaps,
        "whole_thread": items.iter().all(|(_, e)| e.whole_thread),
        "size": fmt_size(total, lang),
        "bytes": total,
        "acquired_from": first.map(|e| fmt_time(&e.acquired_at, lang)),
        "acquired_to": last.map(|e| fmt_time(&e.acquired_at, lang)),
        "acquired_by": by,
        "folder": folder,
        "media_types": common(&|e| e.media_type.clone()),
        "source": common(&|e| e.source.as_str().to_owned()),
        "thumbs": strip,
        "rows": rows,
        "listed": listed,
    })
}

/// The custody log's rows: each event, except that a run of [`CUSTODY_RUN_MIN`] or more
/// consecutive events with the same action by the same actor (2,000 screenshots added in
/// one go) is one row naming the first and the last.
fn custody_rows(events: &[varde_core::AuditEvent], lang: Lang) -> Vec<Value> {
    let prefix = |h: &str| h.chars().take(HASH_PREFIX).collect::<String>();
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let a = &events[i];
        let mut j = i + 1;
        while j < events.len() && events[j].action == a.action && events[j].actor == a.actor {
            j += 1;
        }
        if j - i >= CUSTODY_RUN_MIN {
            let b = &events[j - 1];
            out.push(json!({
                "seq": format!("{}–{}", a.seq, b.seq),
                "time": fmt_time(&a.time, lang),
                "time_to": fmt_time(&b.time, lang),
                "actor": a.actor,
                "action": a.action,
                "count": j - i,
                "subject": a.subject,
                "subject_to": b.subject,
                "hash": prefix(&a.hash),
                "hash_to": prefix(&b.hash),
            }));
        } else {
            out.extend(events[i..j].iter().map(|e| {
                json!({
                    "seq": e.seq.to_string(),
                    "time": fmt_time(&e.time, lang),
                    "actor": e.actor,
                    "action": e.action,
                    "subject": e.subject,
                    "hash": prefix(&e.hash),
                })
            }));
        }
        i = j;
    }
    out
}

/// A scaled image for the template (its path and size), or the key of why there is none.
fn image_json(t: Option<&Thumb>) -> (Option<Value>, Option<&'static str>) {
    match t {
        Some(Thumb::Image {
            path,
            width,
            height,
        }) => (
            Some(json!({ "path": path, "width": width, "height": height })),
            None,
        ),
        Some(Thumb::Missing(why)) => (None, Some(*why)),
        None => (None, None),
    }
}

/// An item's note; a redacted copy says so first, and names its original, so no reader
/// takes the copy for the evidence.
fn item_note(e: &EvidenceEntry, lang: Lang) -> String {
    let Some(r) = &e.redaction else {
        return e.note.clone();
    };
    let n = r.regions.len();
    let said = match lang {
        Lang::Nb => format!(
            "Sladdet kopi ({n} felt svertet, laget av {}) av originalen «{}», SHA-256 {}. Originalen er beviset og er ikke med i pakken.",
            r.made_by, r.original_name, r.original_sha256
        ),
        Lang::En => format!(
            "Redacted copy ({n} {} blacked out, made by {}) of the original «{}», SHA-256 {}. The original is the evidence and is not in the bundle.",
            if n == 1 { "box" } else { "boxes" },
            r.made_by,
            r.original_name,
            r.original_sha256
        ),
    };
    if e.note.is_empty() {
        said
    } else {
        format!("{said} {}", e.note)
    }
}

fn evidence_view(no: &str, e: &EvidenceEntry, lang: Lang, thumbs: &HashMap<i64, Thumb>) -> Value {
    let (thumb, no_thumb) = image_json(thumbs.get(&e.id));
    let thread = (e.thread_platform.is_some() || e.thread_id.is_some() || e.thread_seq.is_some())
        .then(|| {
            json!({
                "platform": e.thread_platform,
                "id": e.thread_id,
                "seq": e.thread_seq,
            })
        });
    json!({
        "kind": "item",
        "no": no,
        "id": e.id,
        "name": e.original_name,
        "path": e.path,
        "sha256": e.sha256,
        "size": fmt_size(e.size, lang),
        "bytes": e.size,
        "media_type": e.media_type,
        "width": e.width,
        "height": e.height,
        "acquired_at": fmt_time(&e.acquired_at, lang),
        "acquired_by": e.acquired_by,
        "source": e.source.as_str(),
        "thread": thread,
        "whole_thread": e.whole_thread,
        "note": item_note(e, lang),
        "imported": e.origin.is_some(),
        "thumb": thumb,
        "no_thumb": no_thumb,
        "derived": e.derived.as_ref().map(|r| derived_view(r, lang)),
    })
}

/// Messages shown on each side of a marked message.
pub const CONTEXT_MESSAGES: usize = 3;
/// The most characters of an e-mail's text in the report (the whole text is in the original).
pub const MAX_BODY_CHARS: usize = 6000;

/// A message time as the report shows it: the phone's clock as shown, or the instant in
/// the report's form with its offset.
fn message_time(m: &Message, lang: Lang) -> String {
    match &m.time {
        None => "—".into(),
        Some(t) if m.time_is_local => {
            let (date, time) = split_local(&t.replacen('T', " ", 1), lang);
            match time {
                Some(time) => format!("{date} {time}"),
                None => date,
            }
        }
        Some(t) => fmt_time(t, lang),
    }
}

/// The thread around the message an incident was made from: the message highlighted, a
/// few before and after, and whether its text still matches the hash the incident names.
fn source_view(input: &Manifest, m: &MessageSource, lang: Lang) -> Option<Value> {
    let e = input.evidence.iter().find(|e| e.sha256 == m.sha256)?;
    let derived = e.derived.as_ref()?.derived()?;
    let is_email = matches!(derived, Derived::Email(_));
    let messages = derived.messages();
    let at = m.message as usize;
    let from = at.saturating_sub(CONTEXT_MESSAGES);
    let to = (at + CONTEXT_MESSAGES + 1).min(messages.len());
    let rows: Vec<Value> = messages
        .get(from..to)
        .unwrap_or_default()
        .iter()
        .map(|x| {
            json!({
                "no": x.index + 1,
                "sender": x.sender,
                "outgoing": x.outgoing == Some(true),
                "time": message_time(x, lang),
                "text": x.text,
                "media": x.media,
                "marked": x.index as usize == at,
            })
        })
        .collect();
    let matches = messages
        .get(at)
        .is_some_and(|x| x.text_sha256 == m.text_sha256);
    Some(json!({
        "file": e.original_name,
        "path": e.path,
        "email": is_email,
        "message_no": at + 1,
        "count": messages.len(),
        "from_no": from + 1,
        "to_no": to,
        "rows": rows,
        "text_sha256": m.text_sha256,
        "matches": matches,
    }))
}

/// What Varde read from an original, for the report: an e-mail's headers and text, a
/// photo's EXIF time beside the acquisition, a recording's length, a chat's size.
fn derived_view(r: &Reading, lang: Lang) -> Value {
    let parser = r.parser.clone();
    match &r.content {
        Content::Unreadable { problem, .. } => json!({
            "kind": "unreadable", "parser": parser, "code": problem.code(),
        }),
        Content::Read(d) => match d.as_ref() {
            Derived::Email(m) => {
                let boxes = |v: &[varde_core::varde_read::Mailbox]| {
                    v.iter().map(|b| b.display()).collect::<Vec<_>>().join(", ")
                };
                let mut body: String = m.body_text.chars().take(MAX_BODY_CHARS).collect();
                let cut = body.len() < m.body_text.len();
                if cut {
                    body.push('…');
                }
                json!({
                    "kind": "email", "parser": parser,
                    "from": boxes(&m.from), "to": boxes(&m.to), "cc": boxes(&m.cc),
                    "date": m.date.as_deref().map(|d| fmt_time(d, lang)),
                    "date_raw": m.date_raw, "subject": m.subject, "message_id": m.message_id,
                    "received": m.received, "auth": m.authentication_results,
                    "body": body, "body_cut": cut, "from_html": m.body_from_html,
                    "attachments": m.attachments.iter().map(|a| json!({
                        "name": a.name, "size": fmt_size(a.size, lang), "sha256": a.sha256,
                    })).collect::<Vec<_>>(),
                })
            }
            Derived::Chat(c) => json!({
                "kind": "chat", "parser": parser, "app": c.app, "title": c.title,
                "count": c.messages.len(), "participants": c.participants.join(", "),
                "first": c.messages.first().map(|m| message_time(m, lang)),
                "last": c.messages.last().map(|m| message_time(m, lang)),
            }),
            Derived::Image(i) => json!({
                "kind": "image", "parser": parser, "has_exif": i.has_exif,
                "taken": i.taken.as_deref().map(|t| if i.taken_is_local {
                    let (date, time) = split_local(&t.replacen('T', " ", 1), lang);
                    format!("{date} {}", time.unwrap_or_default())
                } else { fmt_time(t, lang) }),
                "taken_is_local": i.taken_is_local,
                "camera": i.model.as_ref().map(|m| format!("{} {m}", i.make.clone().unwrap_or_default()).trim().to_string()),
                "software": i.software,
                "gps": i.gps.as_ref().map(|g| format!("{:.5}, {:.5}", g.latitude, g.longitude)),
            }),
            Derived::Media(m) => json!({
                "kind": "audio", "parser": parser, "container": m.container,
                "duration": m.duration_seconds.map(|d| format!("{d:.1} s")),
                "has_video": m.has_video, "recorded": m.recorded,
            }),
        },
    }
}

fn summary(input: &Manifest, incidents: &[&IncidentEntry], lang: Lang) -> Value {
    let count = |k: PersonKind| input.persons.iter().filter(|p| p.kind == k).count();
    let mut channels: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut perceived: BTreeMap<&str, usize> = BTreeMap::new();
    for i in incidents {
        let platform = i.platform.clone().unwrap_or_default();
        *channels
            .entry((i.channel.as_str().to_owned(), platform))
            .or_default() += 1;
        for p in &i.perceived {
            *perceived.entry(p.as_str()).or_default() += 1;
        }
    }
    let period = match (incidents.first(), incidents.last()) {
        (Some(a), Some(b)) => json!({
            "from": split_local(&a.occurred_local, lang).0,
            "to": split_local(&b.occurred_local, lang).0,
        }),
        _ => Value::Null,
    };
    let images = input
        .evidence
        .iter()
        .filter(|e| e.media_type.starts_with("image/"))
        .count();
    let total_bytes: u64 = input.evidence.iter().map(|e| e.size).sum();
    json!({
        "incidents": incidents.len(),
        "evidence": input.evidence.len(),
        "images": images,
        "evidence_size": fmt_size(total_bytes, lang),
        "employees": count(PersonKind::Employee),
        "actors": count(PersonKind::ThreatActor),
        "witnesses": incidents.iter().map(|i| i.witnesses.len()).sum::<usize>(),
        "emergencies": incidents.iter().filter(|i| i.ongoing_emergency).count(),
        "period": period,
        "channels": channels.into_iter().map(|((channel, platform), n)| json!({
            "channel": channel,
            "platform": (!platform.is_empty()).then_some(platform),
            "count": n,
        })).collect::<Vec<_>>(),
        "perceived": perceived.into_iter().map(|(k, n)| json!({"key": k, "count": n})).collect::<Vec<_>>(),
        "escalations": input.escalations.len(),
        "disclosures": input.disclosures.len(),
        "custody_events": input.custody.len(),
    })
}

/// `YYYY-MM-DD` as the language writes a date.
fn fmt_date(ymd: &str, lang: Lang) -> String {
    let parts: Vec<&str> = ymd.split('-').collect();
    match (lang, parts.as_slice()) {
        (Lang::Nb, [y, m, d]) => format!("{d}.{m}.{y}"),
        _ => ymd.to_owned(),
    }
}

/// `YYYY-MM-DD` (or RFC 3339) as a day in the language.
fn fmt_day(day: &str, lang: Lang) -> String {
    match day.get(..10) {
        Some(d) if day.len() == 10 => fmt_date(d, lang),
        _ => fmt_time(day, lang),
    }
}

/// An incident's local `YYYY-MM-DD HH:MM` (or `YYYY-MM-DD`) as date and time.
fn split_local(local: &str, lang: Lang) -> (String, Option<String>) {
    match local.split_once([' ', 'T']) {
        Some((d, t)) => (fmt_date(d, lang), Some(t.chars().take(5).collect())),
        None => (fmt_date(local, lang), None),
    }
}

/// An RFC 3339 time in Norwegian time (Europe/Oslo) with its offset from UTC, whatever
/// offset it was recorded with: `14.03.2026 08:12:05 (UTC+01:00)` (nb) or
/// `2026-03-14 08:12:05 (UTC+01:00)` (en). One convention for every time of the report,
/// stated on its first page. Anything that is not RFC 3339 is shown as given.
pub fn fmt_time(rfc3339: &str, lang: Lang) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(rfc3339) else {
        return rfc3339.to_owned();
    };
    let t = t.with_timezone(&chrono_tz::Europe::Oslo);
    let date = fmt_date(&t.format("%Y-%m-%d").to_string(), lang);
    format!("{date} {} (UTC{})", t.format("%H:%M:%S"), t.format("%:z"))
}

/// An RFC 3339 time in UTC, for the one line of an incident that gives it beside the
/// local time: `14.03.2026 07:12 UTC`.
pub fn fmt_utc(rfc3339: &str, lang: Lang) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(rfc3339) else {
        return rfc3339.to_owned();
    };
    let t = t.to_utc();
    let date = fmt_date(&t.format("%Y-%m-%d").to_string(), lang);
    format!("{date} {} UTC", t.format("%H:%M"))
}

/// A byte count for people: `1,4 MB` (nb) or `1.4 MB`, and exact below 1 kB.
pub fn fmt_size(bytes: u64, lang: Lang) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1000.0;
    let mut unit = UNITS[0];
    for u in &UNITS[1..] {
        if v < 1000.0 {
            break;
        }
        v /= 1000.0;
        unit = u;
    }
    let s = format!("{v:.1} {unit}");
    match lang {
        Lang::Nb => s.replace('.', ","),
        Lang::En => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times_and_sizes_per_language() {
        assert_eq!(
            fmt_time("2026-03-14T08:12:05+01:00", Lang::Nb),
            "14.03.2026 08:12:05 (UTC+01:00)"
        );
        // Recorded in UTC (a machine set to UTC) or in summer: shown in Oslo time.
        assert_eq!(
            fmt_time("2026-03-14T07:12:05Z", Lang::En),
            "2026-03-14 08:12:05 (UTC+01:00)"
        );
        assert_eq!(
            fmt_time("2026-07-01T22:30:00+00:00", Lang::Nb),
            "02.07.2026 00:30:00 (UTC+02:00)"
        );
        assert_eq!(
            fmt_utc("2026-03-14T08:12:05+01:00", Lang::Nb),
            "14.03.2026 07:12 UTC"
        );
        assert_eq!(fmt_time("yesterday", Lang::En), "yesterday");
        assert_eq!(fmt_size(999, Lang::Nb), "999 B");
        assert_eq!(fmt_size(1_450_000, Lang::Nb), "1,4 MB");
        assert_eq!(fmt_size(1_450_000, Lang::En), "1.4 MB");
        assert_eq!(
            split_local("2026-03-14 08:12", Lang::Nb),
            ("14.03.2026".into(), Some("08:12".into()))
        );
        assert_eq!(
            split_local("2026-03-14", Lang::En),
            ("2026-03-14".into(), None)
        );
    }
}
