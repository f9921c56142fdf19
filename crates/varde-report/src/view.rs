//! The report's data as the template reads it (`/data.json`): sorted, numbered, resolved
//! (witness and actor names) and with times formatted for the language. Labels are not
//! here: enum values go in as their stored names and the template's table translates them.

use std::collections::{BTreeMap, HashMap};

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
pub fn build(input: &Manifest, lang: Lang, thumbs: &HashMap<i64, Thumb>) -> Value {
    let persons: HashMap<i64, &PersonEntry> = input.persons.iter().map(|p| (p.id, p)).collect();
    let name_of = |id: i64| persons.get(&id).and_then(|p| display_name(p));

    let mut incidents: Vec<&IncidentEntry> = input.incidents.iter().collect();
    incidents.sort_by(|a, b| (a.occurred_utc.as_str(), a.id).cmp(&(b.occurred_utc.as_str(), b.id)));
    // The manifest keeps evidence in bundle order (incident, then thread order).
    let mut by_incident: HashMap<i64, Vec<&EvidenceEntry>> = HashMap::new();
    for e in &input.evidence {
        by_incident.entry(e.incident).or_default().push(e);
    }

    let incident_views: Vec<Value> = incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| {
            let no = i + 1;
            let evidence: Vec<Value> = by_incident
                .get(&inc.id)
                .map(|list| {
                    list.iter()
                        .enumerate()
                        .map(|(j, e)| evidence_view(&format!("{no}.{}", j + 1), e, lang, thumbs))
                        .collect()
                })
                .unwrap_or_default();
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
                "utc": fmt_time(&inc.occurred_utc, lang),
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
                "logged_at": fmt_time(&inc.logged_at, lang),
                "logged_by": inc.logged_by,
                "logged_by_role": inc.logged_by_role.as_str(),
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

    let custody: Vec<Value> = input
        .custody
        .iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "time": fmt_time(&e.time, lang),
                "actor": e.actor,
                "action": e.action,
                "subject": e.subject,
                "hash": e.hash.chars().take(HASH_PREFIX).collect::<String>(),
            })
        })
        .collect();

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

fn evidence_view(no: &str, e: &EvidenceEntry, lang: Lang, thumbs: &HashMap<i64, Thumb>) -> Value {
    let (thumb, no_thumb) = match thumbs.get(&e.id) {
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
    };
    let thread = (e.thread_platform.is_some() || e.thread_id.is_some() || e.thread_seq.is_some())
        .then(|| {
            json!({
                "platform": e.thread_platform,
                "id": e.thread_id,
                "seq": e.thread_seq,
            })
        });
    json!({
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
        "note": e.note,
        "imported": e.origin.is_some(),
        "thumb": thumb,
        "no_thumb": no_thumb,
    })
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

/// An RFC 3339 time as `14.03.2026 08:12 (UTC+01:00)` (nb) or `2026-03-14 08:12 (UTC+01:00)`;
/// anything else as given.
pub fn fmt_time(rfc3339: &str, lang: Lang) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(rfc3339) else {
        return rfc3339.to_owned();
    };
    let date = fmt_date(&t.format("%Y-%m-%d").to_string(), lang);
    let offset = t.offset().local_minus_utc();
    let zone = if offset == 0 {
        "UTC".to_owned()
    } else {
        format!("UTC{}", t.format("%:z"))
    };
    format!("{date} {} ({zone})", t.format("%H:%M:%S"))
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
        assert_eq!(
            fmt_time("2026-03-14T07:12:05Z", Lang::En),
            "2026-03-14 07:12:05 (UTC)"
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
