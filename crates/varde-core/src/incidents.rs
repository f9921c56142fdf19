//! Incidents: log, list, show, edit (keeping earlier versions).

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::browse::Slice;
use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid, Item, ItemKind};
use crate::locker::{Locker, Write};
use crate::model::{
    Channel, Incident, LoggedByRole, MessageSource, Mode, Perception, Person, PersonKind,
    PlaceKind, Precision, Witness,
};
use crate::persons::json_col;

/// The time zone incidents are in unless the user says otherwise.
pub const DEFAULT_TZ: &str = "Europe/Oslo";

/// What is needed to log an incident.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewIncident {
    /// Local date and time: `YYYY-MM-DD HH:MM`, `DD.MM.YYYY HH:MM`, or a date alone.
    pub at: String,
    /// IANA time zone; default Europe/Oslo.
    pub tz: Option<String>,
    /// The time is approximate.
    pub approximate: bool,
    /// Where (free text).
    pub place: String,
    /// Kind of place; guessed from the channel when not given.
    pub place_kind: Option<PlaceKind>,
    /// How it came.
    pub channel: Option<Channel>,
    /// Platform (social media and the like).
    pub platform: Option<String>,
    /// Who sent it, as it showed (number, address, handle).
    #[serde(default)]
    pub sender: Option<String>,
    /// What happened.
    pub description: String,
    /// The exact words.
    pub wording: Option<String>,
    /// How it was perceived.
    pub perceived: Vec<Perception>,
    /// Directed at individuals, named or not (the guide: «rettes mot enkeltpersoner»).
    pub targets_individuals: bool,
    /// An ongoing emergency.
    pub ongoing_emergency: bool,
    /// The threat actor (a person of the case).
    pub actor_id: Option<i64>,
    /// Witnesses.
    pub witnesses: Vec<Witness>,
}

/// Changes to an incident; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentPatch {
    /// New date and time (with `tz` and `approximate` as in [`NewIncident`]).
    pub at: Option<String>,
    /// New time zone.
    pub tz: Option<String>,
    /// New precision flag (only with `at`).
    pub approximate: Option<bool>,
    /// New place.
    pub place: Option<String>,
    /// New place kind.
    pub place_kind: Option<PlaceKind>,
    /// New channel.
    pub channel: Option<Channel>,
    /// New platform.
    pub platform: Option<String>,
    /// New sender (empty: none).
    #[serde(default)]
    pub sender: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New wording.
    pub wording: Option<String>,
    /// New perception.
    pub perceived: Option<Vec<Perception>>,
    /// New flag.
    pub targets_individuals: Option<bool>,
    /// New flag.
    pub ongoing_emergency: Option<bool>,
    /// New actor.
    pub actor_id: Option<i64>,
    /// Take away the actor (the incident is no longer linked to a threat actor).
    #[serde(default)]
    pub clear_actor: bool,
    /// Witnesses to add.
    pub add_witnesses: Vec<Witness>,
    /// The whole list of witnesses, replacing the one recorded (a correction); applied
    /// before `add_witnesses`.
    #[serde(default)]
    pub witnesses: Option<Vec<Witness>>,
    /// Why the record is corrected, kept in the audit log with the change.
    #[serde(default)]
    pub reason: Option<String>,
}

/// An earlier version of an edited incident.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentVersion {
    /// The version number it had.
    pub version: i64,
    /// The incident as it was.
    pub incident: Incident,
    /// When it was replaced.
    pub replaced_at: String,
    /// By whom.
    pub replaced_by: String,
}

const SELECT_INCIDENT: &str = "SELECT id, uid, case_id, version, occurred_local, occurred_tz, occurred_utc, precision,
    logged_at, logged_by, logged_by_role, place, place_kind, channel, platform, description, wording, perceived,
    targets_individuals, ongoing_emergency, actor_id, witnesses, sender, source_sha256, source_message, source_text_sha256
    FROM incidents";

fn row_to_incident(r: &Row<'_>) -> rusqlite::Result<Incident> {
    Ok(Incident {
        id: r.get(0)?,
        uid: r.get(1)?,
        case_id: r.get(2)?,
        version: r.get(3)?,
        occurred_local: r.get(4)?,
        occurred_tz: r.get(5)?,
        occurred_utc: r.get(6)?,
        precision: r.get(7)?,
        logged_at: r.get(8)?,
        logged_by: r.get(9)?,
        logged_by_role: r.get(10)?,
        place: r.get(11)?,
        place_kind: r.get(12)?,
        channel: r.get(13)?,
        platform: r.get(14)?,
        description: r.get(15)?,
        wording: r.get(16)?,
        perceived: json_col(r, 17)?,
        targets_individuals: r.get(18)?,
        ongoing_emergency: r.get(19)?,
        actor_id: r.get(20)?,
        witnesses: json_col(r, 21)?,
        sender: r.get(22)?,
        source: match (
            r.get::<_, Option<String>>(23)?,
            r.get::<_, Option<u32>>(24)?,
            r.get::<_, Option<String>>(25)?,
        ) {
            (Some(sha256), Some(message), Some(text_sha256)) => Some(MessageSource {
                sha256,
                message,
                text_sha256,
            }),
            _ => None,
        },
    })
}

/// The parsed time of an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct OccurredAt {
    /// As stored: `YYYY-MM-DD HH:MM` or `YYYY-MM-DD`.
    pub local: String,
    /// The zone.
    pub tz: String,
    /// RFC 3339 UTC.
    pub utc: String,
    /// Precision.
    pub precision: Precision,
}

/// Parse a local date and time in a zone. Accepts ISO (`2026-11-20 14:30`, `2026-11-20T14:30`)
/// and Norwegian (`20.11.2026 14:30`, `20.11.2026 kl. 14.30`) forms, or a date alone.
pub fn parse_occurred(at: &str, tz: Option<&str>, approximate: bool) -> Result<OccurredAt> {
    let tz_name = tz
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(DEFAULT_TZ);
    let zone: Tz = tz_name.parse().map_err(|_| {
        Error::invalid(Invalid::TimeZone {
            value: tz_name.to_string(),
        })
    })?;
    let text = at.trim().replace(" kl. ", " ").replace(" kl ", " ");
    let bad = || {
        Error::invalid(Invalid::DateTime {
            field: Field::OccurredAt,
            value: at.to_string(),
        })
    };
    let datetime = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y %H.%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok());
    let (naive, precision, local) = match datetime {
        Some(dt) => (
            dt,
            if approximate {
                Precision::Approximate
            } else {
                Precision::Exact
            },
            dt.format("%Y-%m-%d %H:%M").to_string(),
        ),
        None => {
            let d = ["%Y-%m-%d", "%d.%m.%Y"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(&text, f).ok())
                .ok_or_else(bad)?;
            (
                d.and_hms_opt(0, 0, 0).ok_or_else(bad)?,
                Precision::DateOnly,
                d.format("%Y-%m-%d").to_string(),
            )
        }
    };
    let instant = match zone.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t,
        // The hour that occurs twice when clocks go back: take the first.
        chrono::LocalResult::Ambiguous(first, _) => first,
        chrono::LocalResult::None => {
            return Err(Error::invalid(Invalid::SkippedHour {
                value: at.to_string(),
                zone: tz_name.to_string(),
            }));
        }
    };
    Ok(OccurredAt {
        local,
        tz: tz_name.to_string(),
        utc: instant
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        precision,
    })
}

/// A sender as compared: one number, address or handle however it was typed. A phone
/// number keeps its digits, without a `+47`/`0047` country code (`+47 912 34 567`,
/// `91234567` and `0047 91234567` are one sender); anything else is compared in lower case
/// without a leading `@` and without spaces. Written by hand: a phone-number library would
/// bring the world's numbering plans to compare strings typed by one officer.
pub fn sender_key(sender: &str) -> Option<String> {
    let s = sender.trim();
    let phone_like = s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
    let key = if phone_like {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let international = s.starts_with('+') || digits.starts_with("00");
        let digits = digits.strip_prefix("00").unwrap_or(&digits).to_string();
        match digits.strip_prefix("47") {
            Some(rest) if international || (rest.len() == 8 && digits.len() == 10) => {
                rest.to_string()
            }
            _ if international => format!("+{digits}"),
            _ => digits,
        }
    } else {
        s.trim_start_matches('@')
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    (!key.is_empty()).then_some(key)
}

/// Incidents that came from one sender (compared by [`sender_key`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SenderGroup {
    /// The sender as recorded on the earliest of them.
    pub sender: String,
    /// The incidents, in time order.
    pub incident_ids: Vec<i64>,
    /// Of those, the ones not linked to a threat actor.
    pub unlinked_ids: Vec<i64>,
}

/// The case's incidents grouped by sender, in order of each sender's first incident;
/// incidents without a sender are left out.
pub fn by_sender(incidents: &[Incident]) -> Vec<SenderGroup> {
    let mut sorted: Vec<&Incident> = incidents.iter().collect();
    sorted.sort_by(|a, b| (&a.occurred_utc, a.id).cmp(&(&b.occurred_utc, b.id)));
    // A case can hold thousands of incidents: each sender is found by its key, not by a scan.
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut groups: Vec<SenderGroup> = Vec::new();
    for i in sorted {
        let Some(key) = i.sender.as_deref().and_then(sender_key) else {
            continue;
        };
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(SenderGroup {
                sender: i.sender.clone().unwrap_or_default(),
                incident_ids: Vec::new(),
                unlinked_ids: Vec::new(),
            });
            groups.len() - 1
        });
        let g = &mut groups[at];
        g.incident_ids.push(i.id);
        if i.actor_id.is_none() {
            g.unlinked_ids.push(i.id);
        }
    }
    groups
}

fn default_place_kind(channel: Channel) -> PlaceKind {
    match channel {
        Channel::Email | Channel::Sms | Channel::SocialMedia => PlaceKind::Online,
        Channel::PhoneCall => PlaceKind::Phone,
        Channel::Letter | Channel::InPerson | Channel::Other => PlaceKind::Other,
    }
}

fn dedup_perceived(mut v: Vec<Perception>) -> Vec<Perception> {
    let mut seen = Vec::new();
    v.retain(|p| {
        let new = !seen.contains(p);
        seen.push(*p);
        new
    });
    v
}

/// A new incident that passed every check, ready to be written.
pub(crate) struct CheckedIncident {
    pub case_id: i64,
    pub case_reference: String,
    occ: OccurredAt,
    channel: Channel,
    role: LoggedByRole,
    place_kind: PlaceKind,
    perceived: Vec<Perception>,
    wording: Option<String>,
    sender: Option<String>,
    /// The message it is made from (set only by [`Locker::log_incident_from_message`]).
    pub(crate) source: Option<MessageSource>,
    n: NewIncident,
}

/// Insert one incident row (version 1) as `r` has it; its local id. The one INSERT into
/// `incidents`, for incidents logged here and incidents imported from a bundle alike.
pub(crate) fn insert_incident_row(tx: &rusqlite::Transaction<'_>, r: &Incident) -> Result<i64> {
    let id = crate::db::next_id(tx, "incidents")?;
    tx.execute(
        "INSERT INTO incidents (uid, case_id, occurred_local, occurred_tz, occurred_utc, precision, logged_at,
           logged_by, logged_by_role, place, place_kind, channel, platform, description, wording, perceived,
           targets_individuals, ongoing_emergency, actor_id, witnesses, sender, source_sha256, source_message,
           source_text_sha256, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
           ?22, ?23, ?24, ?25)",
        params![
            r.uid,
            r.case_id,
            r.occurred_local,
            r.occurred_tz,
            r.occurred_utc,
            r.precision,
            r.logged_at,
            r.logged_by,
            r.logged_by_role,
            r.place,
            r.place_kind,
            r.channel,
            r.platform,
            r.description,
            r.wording,
            serde_json::to_string(&r.perceived).unwrap_or_else(|_| "[]".into()),
            r.targets_individuals,
            r.ongoing_emergency,
            r.actor_id,
            serde_json::to_string(&r.witnesses).unwrap_or_else(|_| "[]".into()),
            r.sender,
            r.source.as_ref().map(|m| &m.sha256),
            r.source.as_ref().map(|m| m.message),
            r.source.as_ref().map(|m| &m.text_sha256),
            id,
        ],
    )?;
    Ok(id)
}

/// Write a checked incident and its audit event in the write `w`; its id.
pub(crate) fn insert_incident(w: &mut Write<'_>, c: &CheckedIncident) -> Result<i64> {
    let n = &c.n;
    let uid = uuid::Uuid::new_v4().to_string();
    let row = Incident {
        id: 0,
        uid: uid.clone(),
        case_id: c.case_id,
        version: 1,
        occurred_local: c.occ.local.clone(),
        occurred_tz: c.occ.tz.clone(),
        occurred_utc: c.occ.utc.clone(),
        precision: c.occ.precision,
        logged_at: w.time.clone(),
        logged_by: w.actor.clone(),
        logged_by_role: c.role,
        place: n.place.trim().to_string(),
        place_kind: c.place_kind,
        channel: c.channel,
        platform: n.platform.clone().filter(|p| !p.trim().is_empty()),
        sender: c.sender.clone(),
        description: n.description.trim().to_string(),
        wording: c.wording.clone(),
        perceived: c.perceived.clone(),
        targets_individuals: n.targets_individuals,
        ongoing_emergency: n.ongoing_emergency,
        actor_id: n.actor_id,
        witnesses: n.witnesses.clone(),
        source: c.source.clone(),
    };
    let id = insert_incident_row(&w.tx, &row)?;
    w.audit(
        "incident.add",
        &format!("incident:{id}"),
        json!({"case": c.case_reference, "uid": uid, "occurred": c.occ.local, "tz": c.occ.tz,
               "channel": c.channel.as_str(), "ongoing_emergency": n.ongoing_emergency,
               "source": c.source}),
    )?;
    Ok(id)
}

/// Replace an incident with its corrected record `new` in the write `w`, keeping `old` as
/// an earlier version; audited as `incident.edit` with the fields that changed and why.
pub(crate) fn update_incident(
    w: &mut Write<'_>,
    old: &Incident,
    new: &Incident,
    changed: &[&str],
    reason: Option<&str>,
) -> Result<()> {
    let id = old.id;
    w.tx.execute(
        "INSERT INTO incident_versions (incident_id, version, snapshot, replaced_at, replaced_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id,
            old.version,
            serde_json::to_string(old).unwrap_or_default(),
            w.time,
            w.actor
        ],
    )?;
    w.tx.execute(
        "UPDATE incidents SET version = ?2, occurred_local = ?3, occurred_tz = ?4, occurred_utc = ?5,
           precision = ?6, place = ?7, place_kind = ?8, channel = ?9, platform = ?10, description = ?11,
           wording = ?12, perceived = ?13, targets_individuals = ?14, ongoing_emergency = ?15,
           actor_id = ?16, witnesses = ?17, sender = ?18 WHERE id = ?1",
        params![
            id,
            new.version,
            new.occurred_local,
            new.occurred_tz,
            new.occurred_utc,
            new.precision,
            new.place,
            new.place_kind,
            new.channel,
            new.platform,
            new.description,
            new.wording,
            serde_json::to_string(&new.perceived).unwrap_or_else(|_| "[]".into()),
            new.targets_individuals,
            new.ongoing_emergency,
            new.actor_id,
            serde_json::to_string(&new.witnesses).unwrap_or_else(|_| "[]".into()),
            new.sender,
        ],
    )?;
    w.audit(
        "incident.edit",
        &format!("incident:{id}"),
        json!({"from_version": old.version, "to_version": new.version, "changed": changed, "reason": reason}),
    )?;
    Ok(())
}

impl Locker {
    fn check_not_future(&self, occ: &OccurredAt) -> Result<()> {
        let now = self.clock.now().with_timezone(&chrono::Utc);
        let when = chrono::DateTime::parse_from_rfc3339(&occ.utc)
            .map_err(Error::internal)?
            .with_timezone(&chrono::Utc);
        // A date alone is fine for today; a time may be a few minutes ahead of a slow clock.
        let slack = if occ.precision == Precision::DateOnly {
            chrono::Duration::days(1)
        } else {
            chrono::Duration::minutes(10)
        };
        if when > now + slack {
            return Err(Error::invalid(Invalid::InFuture {
                field: Field::OccurredAt,
                value: occ.local.clone(),
            }));
        }
        Ok(())
    }

    fn check_people(&self, case_id: i64, actor: Option<i64>, witnesses: &[Witness]) -> Result<()> {
        if let Some(a) = actor {
            let p = self.person(a)?;
            if p.case_id != case_id || p.kind != PersonKind::ThreatActor {
                return Err(Error::invalid(Invalid::NotAThreatActor { person: a }));
            }
        }
        for w in witnesses {
            if let Some(pid) = w.person {
                if self.person(pid)?.case_id != case_id {
                    return Err(Error::invalid(Invalid::NotInCase {
                        field: Field::Witness,
                        item: Item::new(ItemKind::Person, pid),
                        case: String::new(),
                    }));
                }
            } else if w.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(Error::invalid(Invalid::WitnessNeedsName));
            }
        }
        Ok(())
    }

    /// Log an incident in a case.
    pub fn add_incident(&mut self, case_ref: &str, n: NewIncident) -> Result<Incident> {
        let checked = self.check_new_incident(case_ref, n)?;
        let id = self.write(|w| insert_incident(w, &checked))?;
        self.incident(id)
    }

    /// Check everything about a new incident before anything is written (so a write that
    /// also stores its files can refuse it before streaming them).
    pub(crate) fn check_new_incident(
        &self,
        case_ref: &str,
        n: NewIncident,
    ) -> Result<CheckedIncident> {
        let case = self.case(case_ref)?;
        let occ = parse_occurred(&n.at, n.tz.as_deref(), n.approximate)?;
        self.check_not_future(&occ)?;
        let channel = n.channel.ok_or_else(|| {
            Error::invalid(Invalid::Required {
                field: Field::Channel,
            })
        })?;
        if n.description.trim().is_empty() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Description,
            }));
        }
        if n.place.trim().is_empty() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Place,
            }));
        }
        crate::fields::incident(
            None,
            &n.place,
            n.platform.as_deref(),
            n.sender.as_deref(),
            &n.description,
            n.wording.as_deref(),
            n.witnesses.iter().filter_map(|w| w.name.as_deref()),
        )?;
        self.check_people(case.id, n.actor_id, &n.witnesses)?;
        let role = match self.mode()? {
            Mode::Officer => LoggedByRole::Officer,
            Mode::SelfLog => LoggedByRole::Employee,
        };
        Ok(CheckedIncident {
            case_id: case.id,
            case_reference: case.reference,
            occ,
            channel,
            role,
            place_kind: n.place_kind.unwrap_or_else(|| default_place_kind(channel)),
            perceived: dedup_perceived(n.perceived.clone()),
            wording: n.wording.clone().filter(|w| !w.trim().is_empty()),
            sender: n
                .sender
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            source: None,
            n,
        })
    }

    /// An incident by id.
    pub fn incident(&self, id: i64) -> Result<Incident> {
        self.conn
            .query_row(
                &format!("{SELECT_INCIDENT} WHERE id = ?1"),
                [id],
                row_to_incident,
            )
            .optional()?
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Incident, id))
    }

    /// A case's incidents in the order they happened.
    pub fn list_incidents(&self, case_ref: &str) -> Result<Vec<Incident>> {
        let case = self.case(case_ref)?;
        self.incidents_page(case.id, Slice::WHOLE)
    }

    /// A slice of a case's incidents, returned in the order they happened.
    pub(crate) fn incidents_page(&self, case_id: i64, slice: Slice) -> Result<Vec<Incident>> {
        let d = slice.direction();
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_INCIDENT} WHERE case_id = ?1 ORDER BY occurred_utc {d}, id {d} LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = stmt.query_map(params![case_id, slice.limit, slice.offset], row_to_incident)?;
        let mut rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        if slice.from_end {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Edit an incident. The version before the edit is kept and listed by
    /// [`Locker::incident_versions`].
    pub fn edit_incident(&mut self, id: i64, p: IncidentPatch) -> Result<Incident> {
        let old = self.incident(id)?;
        let mut new = old.clone();
        let mut changed: Vec<&str> = Vec::new();
        if p.at.is_some() || p.tz.is_some() || p.approximate.is_some() {
            let at = p.at.clone().unwrap_or_else(|| old.occurred_local.clone());
            let approx = p
                .approximate
                .unwrap_or(old.precision == Precision::Approximate);
            let occ = parse_occurred(
                &at,
                Some(p.tz.as_deref().unwrap_or(&old.occurred_tz)),
                approx,
            )?;
            self.check_not_future(&occ)?;
            new.occurred_local = occ.local;
            new.occurred_tz = occ.tz;
            new.occurred_utc = occ.utc;
            new.precision = occ.precision;
            changed.push("occurred");
        }
        macro_rules! set {
            ($field:ident, $val:expr) => {
                if let Some(v) = $val {
                    new.$field = v;
                    changed.push(stringify!($field));
                }
            };
        }
        set!(place, p.place.map(|s| s.trim().to_string()));
        set!(place_kind, p.place_kind);
        set!(channel, p.channel);
        set!(
            platform,
            p.platform.map(|s| Some(s).filter(|s| !s.trim().is_empty()))
        );
        set!(
            sender,
            p.sender
                .map(|s| Some(s.trim().to_string()).filter(|s| !s.is_empty()))
        );
        set!(description, p.description.map(|s| s.trim().to_string()));
        set!(
            wording,
            p.wording.map(|s| Some(s).filter(|s| !s.trim().is_empty()))
        );
        set!(perceived, p.perceived.map(dedup_perceived));
        set!(targets_individuals, p.targets_individuals);
        set!(ongoing_emergency, p.ongoing_emergency);
        set!(actor_id, p.actor_id.map(Some));
        if p.clear_actor && p.actor_id.is_none() && old.actor_id.is_some() {
            new.actor_id = None;
            changed.push("actor_id");
        }
        if let Some(list) = p.witnesses {
            new.witnesses = list;
            changed.push("witnesses");
        }
        if !p.add_witnesses.is_empty() {
            new.witnesses.extend(p.add_witnesses);
            changed.push("witnesses");
        }
        crate::fields::incident(
            None,
            &new.place,
            new.platform.as_deref(),
            new.sender.as_deref(),
            &new.description,
            new.wording.as_deref(),
            new.witnesses.iter().filter_map(|w| w.name.as_deref()),
        )?;
        for (field, value) in [
            (Field::Description, &new.description),
            (Field::Place, &new.place),
        ] {
            if value.trim().is_empty() {
                return Err(Error::invalid(Invalid::Required { field }));
            }
        }
        self.check_people(old.case_id, new.actor_id, &new.witnesses)?;
        let reason = p
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        crate::fields::opt_text(
            Field::Reason,
            None,
            reason.as_deref(),
            crate::fields::SHORT_MAX,
        )?;
        changed.dedup();
        if new == old {
            return Ok(old);
        }
        new.version = old.version + 1;
        self.write(|w| update_incident(w, &old, &new, &changed, reason.as_deref()))?;
        self.incident(id)
    }

    /// The case's senders with two or more incidents none of which is linked to a threat
    /// actor: for each, the suggestion to record an «ukjent trusselutøver» and link them.
    pub fn unlinked_senders(&self, case_ref: &str) -> Result<Vec<SenderGroup>> {
        Ok(by_sender(&self.list_incidents(case_ref)?)
            .into_iter()
            .filter(|g| g.unlinked_ids.len() >= 2)
            .collect())
    }

    /// Record an unknown threat actor for a sender and link every incident of the case from
    /// that sender that has no threat actor to them, in one write: the person (no name, the
    /// sender as their alias) and each incident's correction, with `reason` (or a reason
    /// that says why) in the audit log. Refused when fewer than one such incident is left.
    pub fn link_sender_to_unknown_actor(
        &mut self,
        case_ref: &str,
        sender: &str,
        reason: Option<&str>,
    ) -> Result<Person> {
        let case = self.case(case_ref)?;
        let key = sender_key(sender).ok_or_else(|| {
            Error::invalid(Invalid::Required {
                field: Field::Sender,
            })
        })?;
        let incidents = self.list_incidents(case_ref)?;
        let unlinked: Vec<&Incident> = incidents
            .iter()
            .filter(|i| i.actor_id.is_none())
            .filter(|i| i.sender.as_deref().and_then(sender_key).as_deref() == Some(&key))
            .collect();
        if unlinked.is_empty() {
            return Err(Error::invalid(Invalid::NoUnlinkedFromSender {
                sender: sender.trim().to_string(),
            }));
        }
        let person = crate::persons::check_person(crate::persons::NewPerson {
            kind: Some(PersonKind::ThreatActor),
            aliases: vec![sender.trim().to_string()],
            ..Default::default()
        })?;
        let reason = reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .unwrap_or("Samme avsender: knyttet til ukjent trusselutøver")
            .to_string();
        crate::fields::text(Field::Reason, None, &reason, crate::fields::SHORT_MAX)?;
        let id = self.write(|w| {
            let actor = crate::persons::insert_person(w, &case, &person)?;
            for old in &unlinked {
                let mut new = (*old).clone();
                new.actor_id = Some(actor);
                new.version = old.version + 1;
                update_incident(w, old, &new, &["actor_id"], Some(&reason))?;
            }
            Ok(actor)
        })?;
        self.person(id)
    }

    /// Earlier versions of an incident, oldest first.
    pub fn incident_versions(&self, id: i64) -> Result<Vec<IncidentVersion>> {
        self.incident(id)?;
        let mut stmt = self.conn.prepare(
            "SELECT version, snapshot, replaced_at, replaced_by FROM incident_versions WHERE incident_id = ?1 ORDER BY version",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(IncidentVersion {
                version: r.get(0)?,
                incident: json_col(r, 1)?,
                replaced_at: r.get(2)?,
                replaced_by: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn one_sender_however_it_was_typed() {
        // (as typed, as compared)
        let cases = [
            ("+47 912 34 567", Some("91234567")),
            ("912 34 567", Some("91234567")),
            ("0047 91234567", Some("91234567")),
            ("4791234567", Some("91234567")),
            ("47 91 23 45", Some("47912345")), // eight digits: a Norwegian number
            ("+46 70 123 45 67", Some("+46701234567")),
            ("0046701234567", Some("+46701234567")),
            ("@Trollet_99", Some("trollet_99")),
            ("trollet_99", Some("trollet_99")),
            ("Ola.Nordmann@Example.no", Some("ola.nordmann@example.no")),
            ("  ", None),
            ("@", None),
        ];
        for (typed, key) in cases {
            assert_eq!(sender_key(typed).as_deref(), key, "{typed}");
        }
    }

    #[test]
    fn parses_iso_norwegian_and_date_only() {
        let a = parse_occurred("2026-11-20 14:30", None, false).unwrap();
        assert_eq!(a.local, "2026-11-20 14:30");
        assert_eq!(a.utc, "2026-11-20T13:30:00Z");
        assert_eq!(a.precision, Precision::Exact);
        let b = parse_occurred("20.11.2026 kl. 14.30", None, true).unwrap();
        assert_eq!(b.local, a.local);
        assert_eq!(b.precision, Precision::Approximate);
        let c = parse_occurred("2026-07-01", None, false).unwrap();
        assert_eq!(c.precision, Precision::DateOnly);
        assert_eq!(c.utc, "2026-06-30T22:00:00Z");
    }

    #[test]
    fn rejects_invalid_dates_and_zones() {
        for bad in [
            "2026-02-30 10:00",
            "yesterday",
            "2026-13-01",
            "31.02.2026",
            "",
        ] {
            assert!(
                matches!(parse_occurred(bad, None, false), Err(Error::Invalid(_))),
                "{bad}"
            );
        }
        assert!(parse_occurred("2026-01-01 10:00", Some("Mars/Base"), false).is_err());
        // 02:30 on the last Sunday of March does not exist in Oslo.
        assert!(parse_occurred("2026-03-29 02:30", None, false).is_err());
    }
}
