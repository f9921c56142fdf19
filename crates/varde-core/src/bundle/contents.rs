//! What a bundle holds: the incidents and items an export selects (with the redacted
//! copies that go instead of their originals), their paths under `evidence/`, and the
//! manifest built from them. Nothing here writes.

use std::collections::HashSet;

use super::ascii_name;
use super::export::ExportOptions;
use super::manifest::{
    CaseInfo, DisclosureEntry, EscalationEntry, EvidenceEntry, ExportInfo, Generator,
    HealthNotified, HealthRecord, IncidentEntry, ItemVersion, LockerInfo, MANIFEST_FORMAT_VERSION,
    Manifest, OriginEntry, PersonEntry, RedactionEntry, WitnessEntry,
};
use crate::error::{Error, Result};
use crate::guidance::escalation::HEALTH_CONCERN_REPORT;
use crate::guidance::{ActionKind, RecipientKind};
use crate::invalid::{Field, Invalid, Item, ItemKind};
use crate::locker::Locker;
use crate::model::{Case, Evidence, Incident, PersonKind};

/// How Varde knows health services were notified about a case: a concern report marked
/// done, or a ledger entry to a health recipient (a bundle's `health_notified`, and the
/// police report draft's health section).
pub(crate) fn health_records(
    history: &[crate::guidance::EscalationAction],
    ledger: &[crate::guidance::Disclosure],
) -> Vec<HealthRecord> {
    let mut out: Vec<HealthRecord> = history
        .iter()
        .filter(|a| a.rule_key == HEALTH_CONCERN_REPORT && a.action == ActionKind::Done)
        .map(|a| HealthRecord {
            at: a.acted_at.clone(),
            by: a.acted_by.clone(),
            to: a.with_whom.clone(),
            how: format!("escalation:{}", a.id),
        })
        .collect();
    out.extend(
        ledger
            .iter()
            .filter(|d| d.recipient_kind == RecipientKind::Health)
            .map(|d| HealthRecord {
                at: d.disclosed_at.clone(),
                by: d.disclosed_by.clone(),
                to: Some(d.recipient.clone()),
                how: format!("disclosure:{}", d.id),
            }),
    );
    out
}

/// The police and a self-log's officer get the originals, never redacted copies.
pub(super) fn originals_only(opts: &ExportOptions) -> bool {
    opts.self_log || opts.recipient_kind == RecipientKind::Police
}

/// The items of an export as they go out: each evidence record as it is, or, for an item
/// chosen in `ExportOptions::redacted`, a record of its latest redacted copy (the copy's
/// bytes, size and pixel size; its name `<name>-sladdet.png`) with the copy beside it.
pub(super) fn outgoing(
    evidence: Vec<Evidence>,
    chosen: &[i64],
    copies: &[crate::redaction::Redaction],
) -> Result<(Vec<Evidence>, Vec<Option<crate::redaction::Redaction>>)> {
    for id in chosen {
        if !evidence.iter().any(|e| e.id == *id) || !copies.iter().any(|r| r.evidence == *id) {
            return Err(Error::invalid(Invalid::NoRedactedCopy {
                item: Item::new(ItemKind::Evidence, id),
            }));
        }
    }
    let mut out = Vec::with_capacity(evidence.len());
    let mut beside = Vec::with_capacity(evidence.len());
    for e in evidence {
        match copies
            .iter()
            .find(|r| r.evidence == e.id && chosen.contains(&e.id))
        {
            None => {
                out.push(e);
                beside.push(None);
            }
            Some(r) => {
                let stem = e
                    .original_name
                    .rsplit_once('.')
                    .map_or(e.original_name.as_str(), |(s, _)| s);
                out.push(Evidence {
                    sha256: r.sha256.clone(),
                    size: r.size,
                    media_type: crate::redaction::REDACTED_MEDIA_TYPE.into(),
                    original_name: format!("{stem}-sladdet.png"),
                    width: Some(r.width),
                    height: Some(r.height),
                    ..e
                });
                beside.push(Some(r.clone()));
            }
        }
    }
    Ok((out, beside))
}

pub(super) fn evidence_paths(incidents: &[Incident], evidence: &[Evidence]) -> Vec<String> {
    let mut out = Vec::with_capacity(evidence.len());
    let mut used = HashSet::new();
    for inc in incidents {
        let items: Vec<usize> = (0..evidence.len())
            .filter(|&i| evidence[i].incident == inc.id)
            .collect();
        let width = items.len().to_string().len().max(2);
        for (n, &i) in items.iter().enumerate() {
            let mut p = format!(
                "evidence/{}/{:0width$}-{}",
                inc.id,
                n + 1,
                ascii_name(&evidence[i].original_name, 80)
            );
            while !used.insert(p.clone()) {
                p.push('_');
            }
            out.push((i, p));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, p)| p).collect()
}

impl Locker {
    /// The incidents an export takes (all of the case, or those chosen, checked to be in
    /// it) and their evidence; also every incident of the case.
    pub(crate) fn export_selection(
        &self,
        case: &Case,
        chosen: &Option<Vec<i64>>,
    ) -> Result<(Vec<Incident>, Vec<Incident>, Vec<Evidence>)> {
        self.export_selection_with(case, chosen, &[], false)
            .map(|(all, incidents, evidence, _)| (all, incidents, evidence))
    }

    /// [`Self::export_selection`], with the items chosen to go as their redacted copy
    /// swapped for them (refused when `originals_only`: the police and a self-log get the
    /// originals). The copies stand beside the items, in order.
    #[allow(clippy::type_complexity)]
    pub(super) fn export_selection_with(
        &self,
        case: &Case,
        chosen: &Option<Vec<i64>>,
        redacted: &[i64],
        originals_only: bool,
    ) -> Result<(
        Vec<Incident>,
        Vec<Incident>,
        Vec<Evidence>,
        Vec<Option<crate::redaction::Redaction>>,
    )> {
        if originals_only && !redacted.is_empty() {
            return Err(Error::invalid(Invalid::RedactedNotForRecipient));
        }
        let (all, incidents, evidence) = self.export_selection_plain(case, chosen)?;
        let copies = if redacted.is_empty() {
            Vec::new()
        } else {
            self.case_redactions(&case.reference)?
        };
        let (evidence, beside) = outgoing(evidence, redacted, &copies)?;
        Ok((all, incidents, evidence, beside))
    }

    pub(super) fn export_selection_plain(
        &self,
        case: &Case,
        chosen: &Option<Vec<i64>>,
    ) -> Result<(Vec<Incident>, Vec<Incident>, Vec<Evidence>)> {
        let all = self.list_incidents(&case.reference)?;
        let incidents: Vec<Incident> = match chosen {
            None => all.clone(),
            Some(ids) => {
                if ids.is_empty() {
                    return Err(Error::invalid(Invalid::NoIncidents));
                }
                for id in ids {
                    if !all.iter().any(|i| i.id == *id) {
                        return Err(Error::invalid(Invalid::NotInCase {
                            field: Field::Incidents,
                            item: Item::new(ItemKind::Incident, id),
                            case: case.reference.clone(),
                        }));
                    }
                }
                all.iter()
                    .filter(|i| ids.contains(&i.id))
                    .cloned()
                    .collect()
            }
        };
        let included: HashSet<i64> = incidents.iter().map(|i| i.id).collect();
        let evidence: Vec<Evidence> = self
            .list_evidence(&case.reference, None)?
            .into_iter()
            .filter(|e| included.contains(&e.incident))
            .collect();
        Ok((all, incidents, evidence))
    }

    pub(super) fn build_manifest(
        &self,
        case: &Case,
        opts: &ExportOptions,
        incidents: &[Incident],
        items: Items<'_>,
        bits: ManifestBits<'_>,
    ) -> Result<Manifest> {
        let Items {
            evidence,
            copies,
            paths,
        } = items;
        let persons = self
            .list_persons(&case.reference)?
            .into_iter()
            .map(|p| {
                let threat_actor = p.kind == PersonKind::ThreatActor;
                let employee = p.kind == PersonKind::Employee;
                PersonEntry {
                    id: p.id,
                    uid: p.uid,
                    kind: p.kind,
                    name: p.name,
                    known: p.known,
                    title: if employee || threat_actor {
                        p.title
                    } else {
                        None
                    },
                    department: if employee || threat_actor {
                        p.department
                    } else {
                        None
                    },
                    contacts: p
                        .contacts
                        .into_iter()
                        .filter(|c| threat_actor || !c.private || opts.include_private_contacts)
                        .collect(),
                    aliases: if threat_actor { p.aliases } else { Vec::new() },
                    home_municipality: if threat_actor {
                        p.home_municipality
                    } else {
                        None
                    },
                    health_concern: threat_actor && p.health_concern,
                    health_observations: if threat_actor {
                        p.health_observations
                    } else {
                        String::new()
                    },
                }
            })
            .collect();
        let incident_entries = incidents
            .iter()
            .map(|i| IncidentEntry {
                id: i.id,
                uid: i.uid.clone(),
                version: i.version,
                occurred_local: i.occurred_local.clone(),
                occurred_tz: i.occurred_tz.clone(),
                occurred_utc: i.occurred_utc.clone(),
                precision: i.precision,
                place: i.place.clone(),
                place_kind: i.place_kind,
                channel: i.channel,
                platform: i.platform.clone(),
                sender: i.sender.clone(),
                description: i.description.clone(),
                wording: i.wording.clone(),
                perceived: i.perceived.clone(),
                targets_individuals: i.targets_individuals,
                ongoing_emergency: i.ongoing_emergency,
                actor: i.actor_id,
                witnesses: i
                    .witnesses
                    .iter()
                    .map(|w| WitnessEntry {
                        person: w.person,
                        name: w.name.clone(),
                    })
                    .collect(),
                logged_at: i.logged_at.clone(),
                logged_by: i.logged_by.clone(),
                logged_by_role: i.logged_by_role,
                source: i.source.clone(),
            })
            .collect();
        // A photo's position goes only to the police; for anyone else the reading in the
        // manifest and the report leave it out (the original itself is unchanged).
        let gps_included = opts.recipient_kind == RecipientKind::Police;
        let mut evidence_entries = Vec::with_capacity(evidence.len());
        for ((e, path), copy) in evidence.iter().zip(paths).zip(copies) {
            let redaction = match copy {
                None => None,
                Some(r) => {
                    let original = self.evidence(e.id)?;
                    Some(RedactionEntry {
                        uid: r.uid.clone(),
                        original_sha256: original.sha256,
                        original_size: original.size,
                        original_name: original.original_name,
                        regions: r.regions.clone(),
                        made_at: r.made_at.clone(),
                        made_by: r.made_by.clone(),
                    })
                }
            };
            evidence_entries.push(EvidenceEntry {
                id: e.id,
                uid: e.uid.clone(),
                incident: e.incident,
                path: path.clone(),
                sha256: e.sha256.clone(),
                size: e.size,
                media_type: e.media_type.clone(),
                original_name: e.original_name.clone(),
                acquired_at: e.acquired_at.clone(),
                acquired_by: e.acquired_by.clone(),
                source: e.source,
                width: e.width,
                height: e.height,
                thread_platform: e.thread_platform.clone(),
                thread_id: e.thread_id.clone(),
                thread_seq: e.thread_seq,
                whole_thread: e.whole_thread,
                note: e.note.clone(),
                origin: self.evidence_origin(e.id)?,
                attachment_of: e.attachment_of.clone(),
                version: if redaction.is_some() {
                    ItemVersion::Redacted
                } else {
                    ItemVersion::Original
                },
                // What Varde read from the original (its EXIF, its text) does not go with a
                // redacted copy.
                derived: if redaction.is_some() {
                    None
                } else {
                    self.stored_reading(e.id)?
                }
                .map(|mut r| {
                    if !gps_included
                        && let crate::derived::Content::Read(d) = &mut r.content
                        && let varde_read::Derived::Image(i) = d.as_mut()
                    {
                        i.gps = None;
                    }
                    r
                }),
                redaction,
            });
        }
        let history = self.escalation_history(&case.reference)?;
        let escalations = history
            .iter()
            .map(|a| EscalationEntry {
                rule_key: a.rule_key.clone(),
                title: bits.guidance.rule(&a.rule_key).map(|r| r.title.clone()),
                action: a.action,
                acted_at: a.acted_at.clone(),
                acted_by: a.acted_by.clone(),
                with_whom: a.with_whom.clone(),
                reference: a.reference.clone(),
                reason: a.reason.clone(),
                deferred_until: a.deferred_until.clone(),
                note: a.note.clone(),
            })
            .collect();
        let ledger = self.disclosures(&case.reference)?;
        let health = health_records(&history, &ledger);
        let legal_basis_key = opts
            .legal_basis_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_string);
        let legal_basis_label = legal_basis_key
            .as_deref()
            .and_then(|k| bits.guidance.basis(k))
            .map(|b| b.label.clone());
        let legal_basis_text = opts
            .legal_basis_text
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_string();
        let recipient = opts.recipient.trim().to_string();
        let mut disclosures: Vec<DisclosureEntry> = ledger
            .into_iter()
            .map(|d| DisclosureEntry {
                uid: Some(d.uid),
                this_export: false,
                recipient: d.recipient,
                recipient_kind: d.recipient_kind,
                shared: d.shared,
                incident_ids: d.incident_ids,
                evidence_ids: d.evidence_ids,
                legal_basis_key: d.legal_basis_key,
                legal_basis_label: d.legal_basis_label,
                legal_basis_text: d.legal_basis_text,
                employee_informed: d.employee_informed,
                disclosed_at: d.disclosed_at,
                disclosed_by: d.disclosed_by,
            })
            .collect();
        disclosures.push(DisclosureEntry {
            uid: None,
            this_export: true,
            recipient: recipient.clone(),
            recipient_kind: opts.recipient_kind,
            shared: bits.shared.clone(),
            incident_ids: incidents.iter().map(|i| i.id).collect(),
            evidence_ids: evidence.iter().map(|e| e.id).collect(),
            legal_basis_key: legal_basis_key.clone(),
            legal_basis_label: legal_basis_label.clone(),
            legal_basis_text: legal_basis_text.clone(),
            employee_informed: opts.employee_informed,
            disclosed_at: bits.created_at.clone(),
            disclosed_by: self.actor.clone(),
        });

        let included: HashSet<String> = incidents
            .iter()
            .map(|i| format!("incident:{}", i.id))
            .chain(evidence.iter().map(|e| format!("evidence:{}", e.id)))
            .chain(std::iter::once(format!("case:{}", case.reference)))
            .collect();
        let all_events = self.audit_log(None)?;
        let head_seq = all_events.last().map(|e| e.seq).unwrap_or(0);
        let custody = all_events
            .into_iter()
            .filter(|e| e.action == "locker.init" || included.contains(&e.subject))
            .collect();

        Ok(Manifest {
            format_version: MANIFEST_FORMAT_VERSION,
            generator: Generator {
                name: "varde".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            created_at: bits.created_at,
            lang: opts.lang.as_str().into(),
            locker: LockerInfo {
                id: self.locker_id().to_string(),
                mode: self.mode()?,
                signing_public_key: bits.public_hex,
                signing_key_fingerprint: bits.fingerprint,
            },
            organisation: self.setting("org_name")?.unwrap_or_default(),
            officer: self.actor.clone(),
            export: ExportInfo {
                recipient,
                recipient_kind: opts.recipient_kind,
                legal_basis_key,
                legal_basis_label,
                legal_basis_text,
                employee_informed: opts.employee_informed,
                private_contacts_included: opts.include_private_contacts,
                all_incidents: bits.all_incidents,
                self_log: opts.self_log,
                gps_included: opts.recipient_kind == RecipientKind::Police,
                bundle_name: bits.bundle_name,
                custody_head_seq: head_seq,
            },
            case: CaseInfo {
                uid: case.uid.clone(),
                reference: case.reference.clone(),
                title: case.title.clone(),
                status: case.status,
                opened_at: case.opened_at.clone(),
                closed_at: case.closed_at.clone(),
            },
            persons,
            incidents: incident_entries,
            evidence: evidence_entries,
            escalations,
            health_notified: HealthNotified {
                notified: !health.is_empty(),
                records: health,
            },
            disclosures,
            custody,
        })
    }

    /// Where an imported original came from, if it was imported.
    pub(crate) fn evidence_origin(&self, evidence_id: i64) -> Result<Option<OriginEntry>> {
        use rusqlite::OptionalExtension as _;
        Ok(self
            .conn
            .query_row(
                "SELECT o.source_locker_id, o.source_uid, i.sha256sums FROM evidence_origins o
                 JOIN bundle_imports i ON i.id = o.import_id WHERE o.evidence_id = ?1",
                [evidence_id],
                |r| {
                    Ok(OriginEntry {
                        locker_id: r.get(0)?,
                        uid: r.get(1)?,
                        bundle_sha256sums: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }
}

/// The items going out: each record, its redacted copy when that goes instead, and its
/// path in the bundle (the three lists are in step).
pub(super) struct Items<'a> {
    pub(super) evidence: &'a [Evidence],
    pub(super) copies: &'a [Option<crate::redaction::Redaction>],
    pub(super) paths: &'a [String],
}

pub(super) struct ManifestBits<'g> {
    pub(super) created_at: String,
    pub(super) bundle_name: String,
    pub(super) fingerprint: String,
    pub(super) public_hex: String,
    pub(super) all_incidents: bool,
    pub(super) shared: String,
    pub(super) guidance: &'g crate::guidance::Guidance,
}
