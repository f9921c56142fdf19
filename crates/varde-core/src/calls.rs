//! A call, noted from its recording: who called, from which number, and the exact words as
//! the officer writes them down while listening (seed 004, advice 6: «ta opp samtaler»).
//!
//! The recording stays the evidence, byte-identical; the note goes into the incident the
//! recording belongs to, as a new version of it (channel «telefonsamtale», the number as
//! the sender, the words as the exact wording), with a reason in the audit log that names
//! the recording by its SHA-256. Nothing is transcribed by machine: the words are the
//! officer's.

use serde::{Deserialize, Serialize};
use varde_read::Derived;

use crate::error::{Error, Result};
use crate::incidents::{IncidentPatch, sender_key};
use crate::invalid::{Invalid, Item, ItemKind};
use crate::locker::Locker;
use crate::model::{Channel, Evidence, Incident, Person, PersonKind, PlaceKind};

/// What the call-note form starts from: the incident as it stands and what the recording
/// says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CallDraft {
    /// The incident the recording belongs to.
    pub incident: i64,
    /// The call's time: when the file says it was recorded (in Europe/Oslo), else the
    /// incident's time.
    pub at: String,
    /// The time came from the recording's own tags.
    pub at_from_recording: bool,
    /// The number it came from (the incident's sender, if any).
    pub number: Option<String>,
    /// The threat actor (a person of the case), if the incident names one.
    pub actor_id: Option<i64>,
    /// The incident's description.
    pub description: String,
    /// The words as noted so far (the incident's exact wording).
    pub words: Option<String>,
    /// The recording's length in seconds, when the file says.
    pub duration_seconds: Option<f64>,
    /// The case's threat actors, to choose who called.
    pub actors: Vec<Person>,
}

/// The call as the officer noted it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CallNote {
    /// When the call came (`YYYY-MM-DD HH:MM` in Europe/Oslo); none keeps the incident's.
    pub at: Option<String>,
    /// Who called, when it is a person of the case.
    pub actor_id: Option<i64>,
    /// Who called as the caller said or as the officer knows them, when not a person of
    /// the case (kept in the description: «Innringer: …»).
    pub caller: Option<String>,
    /// The number the call came from, as it showed.
    pub number: Option<String>,
    /// What happened.
    pub description: String,
    /// The exact words, as the officer notes them from the recording.
    pub words: Option<String>,
}

fn is_recording(ev: &Evidence, reading: Option<&Derived>) -> bool {
    matches!(reading, Some(Derived::Media(_)))
        || ev.media_type.starts_with("audio/")
        || ev.media_type.starts_with("video/")
}

/// `caller` as a sentence of the description, unless the description already says it.
fn with_caller(description: &str, caller: Option<&str>) -> String {
    let description = description.trim();
    match caller.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) if !description.contains(c) => {
            if description.is_empty() {
                format!("Innringer: {c}.")
            } else if description.ends_with(['.', '!', '?', '»']) {
                format!("{description} Innringer: {c}.")
            } else {
                format!("{description}. Innringer: {c}.")
            }
        }
        _ => description.to_string(),
    }
}

impl Locker {
    /// The call-note form's starting point for recording `id`.
    pub fn call_draft(&mut self, id: i64) -> Result<CallDraft> {
        let ev = self.evidence(id)?;
        let reading = self.read_evidence(id)?;
        let derived = reading.as_ref().and_then(|r| r.derived());
        if !is_recording(&ev, derived) {
            return Err(Error::invalid(Invalid::NotARecording {
                item: Item::new(ItemKind::Evidence, id),
            }));
        }
        let media = match derived {
            Some(Derived::Media(m)) => Some(m),
            _ => None,
        };
        let incident = self.incident(ev.incident)?;
        let recorded = media
            .and_then(|m| m.recorded.as_deref())
            .and_then(crate::derived::recorded_local);
        let case_ref = self.case_of_incident(incident.id)?.reference;
        let actors: Vec<Person> = self
            .list_persons(&case_ref)?
            .into_iter()
            .filter(|p| p.kind == PersonKind::ThreatActor)
            .collect();
        // A number a threat actor is known by names the caller.
        let actor_id = incident.actor_id.or_else(|| {
            let key = sender_key(incident.sender.as_deref()?)?;
            actors
                .iter()
                .find(|p| {
                    p.aliases
                        .iter()
                        .any(|a| sender_key(a).as_ref() == Some(&key))
                })
                .map(|p| p.id)
        });
        Ok(CallDraft {
            incident: incident.id,
            at_from_recording: recorded.is_some(),
            at: recorded.unwrap_or_else(|| incident.occurred_local.clone()),
            number: incident.sender.clone(),
            actor_id,
            description: incident.description.clone(),
            words: incident.wording.clone(),
            duration_seconds: media.and_then(|m| m.duration_seconds),
            actors,
        })
    }

    /// Note the call of recording `id` in its incident: a new version of the incident with
    /// the channel «telefonsamtale», the number as sender, the caller and the words.
    pub fn note_call(&mut self, id: i64, note: CallNote) -> Result<Incident> {
        let ev = self.evidence(id)?;
        let reading = self.read_evidence(id)?;
        if !is_recording(&ev, reading.as_ref().and_then(|r| r.derived())) {
            return Err(Error::invalid(Invalid::NotARecording {
                item: Item::new(ItemKind::Evidence, id),
            }));
        }
        let old = self.incident(ev.incident)?;
        let number = note.number.as_deref().map(str::trim).unwrap_or_default();
        let patch = IncidentPatch {
            at: note
                .at
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty() && *a != old.occurred_local),
            channel: Some(Channel::PhoneCall),
            place_kind: Some(PlaceKind::Phone),
            sender: Some(number.to_string()),
            description: Some(with_caller(&note.description, note.caller.as_deref())),
            wording: Some(note.words.unwrap_or_default()),
            actor_id: note.actor_id,
            clear_actor: note.actor_id.is_none(),
            reason: Some(format!(
                "Samtalen notert fra opptaket «{}» (SHA-256 {})",
                ev.original_name, ev.sha256
            )),
            ..IncidentPatch::default()
        };
        self.edit_incident(old.id, patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caller_is_added_to_the_description_once() {
        assert_eq!(
            with_caller("Ringte og truet.", Some(" «Kim» ")),
            "Ringte og truet. Innringer: «Kim»."
        );
        assert_eq!(
            with_caller("Kim ringte og truet.", Some("Kim")),
            "Kim ringte og truet."
        );
        assert_eq!(with_caller("", Some("Kim")), "Innringer: Kim.");
        assert_eq!(
            with_caller("Ringte og truet", Some("Kim")),
            "Ringte og truet. Innringer: Kim."
        );
        assert_eq!(with_caller(" Ringte. ", None), "Ringte.");
    }
}
