//! Drafts Varde writes from a case: a police report (anmeldelse, [`police`]) and a concern
//! report to health services (bekymringsmelding, [`concern`]).
//!
//! A draft is built here as a [`Document`]: a title, notices and numbered sections of
//! paragraphs, label–value rows, quotes and lists, all already worded in the draft's
//! language from `assets/guidance/documents.toml`. The renderers (the PDF and the editable
//! `.docx`, in `varde-report`) only lay that document out, so the two files say the same
//! thing by construction and no rule about what a draft contains lives outside this module.
//!
//! Making a draft changes nothing in the case; saving its files is audited
//! (`document.draft`), since they are plain copies outside the locker. Marking a draft sent
//! ([`Locker::mark_draft_sent`]) records the disclosure and the prompt it answers as done,
//! in one transaction.

pub mod concern;
pub mod police;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::DateTime;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{Error, Result};
use crate::guidance::content::DocumentTexts;
use crate::guidance::disclosure::{NewDisclosure, clean_ids, insert_disclosure};
use crate::guidance::escalation::act::{NewAction, insert_action};
use crate::guidance::{ActionKind, Disclosure, EmployeeInformed, Lang, RecipientKind};
use crate::invalid::{Field, Invalid};
use crate::locker::Locker;
use crate::model::{Incident, Precision, str_enum};

str_enum!(
    /// Which draft.
    DraftKind {
        /// A police report (anmeldelse).
        PoliceReport,
        /// A concern report to health services (bekymringsmelding).
        ConcernReport,
    }
);

/// The keys of `documents.toml` the drafts use; guidance loading refuses content that
/// lacks one (channel and perception words are checked by their enums).
pub const TEXT_KEYS: &[&str] = &[
    "draft.subtitle",
    "draft.case",
    "draft.date",
    "draft.to",
    "draft.not_given",
    "draft.times",
    "draft.when",
    "draft.place",
    "draft.channel",
    "draft.wording",
    "draft.description",
    "draft.witnesses",
    "draft.no_witnesses",
    "draft.perceived",
    "draft.incident",
    "draft.name",
    "draft.unknown",
    "draft.aliases",
    "draft.municipality",
    "draft.person_description",
    "draft.known_contacts",
    "draft.organisation",
    "draft.org_number",
    "draft.address",
    "draft.contact_person",
    "draft.phone",
    "draft.email",
    "draft.place_date",
    "draft.signature",
    "draft.footer",
    "draft.approximate",
    "draft.at",
    "police.title",
    "police.to_default",
    "police.warning_access",
    "police.warning_private_included",
    "police.reporter",
    "police.aggrieved",
    "police.aggrieved_intro",
    "police.employee",
    "police.position",
    "police.no_employee",
    "police.suspect",
    "police.suspect_unknown",
    "police.events",
    "police.events_intro",
    "police.evidence",
    "police.evidence_bundle",
    "police.evidence_list",
    "police.no_evidence",
    "police.measures",
    "police.measures_checklist",
    "police.measures_actions",
    "police.measures_none",
    "police.health",
    "police.health_notified",
    "police.health_not_notified",
    "police.health_observations",
    "police.health_statements",
    "police.requests",
    "police.restraining_order",
    "police.compensation",
    "police.no_requests",
    "police.provisions",
    "police.provisions_intro",
    "police.signature",
    "concern.title",
    "concern.to_default",
    "concern.to_unknown",
    "concern.about",
    "concern.person",
    "concern.observations",
    "concern.no_incidents",
    "concern.why",
    "concern.why_missing",
    "concern.police",
    "concern.police_reported",
    "concern.police_told",
    "concern.police_not_told",
    "concern.police_case",
    "concern.sender",
    "concern.signature",
];

/// A label and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Row {
    /// The label.
    pub label: String,
    /// The value (may hold several lines).
    pub value: String,
}

/// One piece of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph.
    Paragraph {
        /// Its text.
        text: String,
    },
    /// A small heading inside a section (an incident).
    Heading {
        /// Its text.
        text: String,
    },
    /// Label–value rows.
    Rows {
        /// The rows.
        rows: Vec<Row>,
    },
    /// Words as they were written or said.
    Quote {
        /// The words.
        text: String,
    },
    /// A bulleted list.
    List {
        /// The items.
        items: Vec<String>,
    },
    /// File names with their SHA-256 (set in a fixed-width font).
    Hashes {
        /// Name (label) and hash (value).
        rows: Vec<Row>,
    },
    /// Lines to sign on.
    Signature {
        /// The label under each line.
        labels: Vec<String>,
    },
}

/// A numbered part of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Section {
    /// Its heading, numbered.
    pub heading: String,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A draft as a document, worded in its language, for the renderers to lay out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Document {
    /// Which draft.
    pub kind: DraftKind,
    /// Its language.
    pub lang: Lang,
    /// The title.
    pub title: String,
    /// The line under the title: that this is a draft.
    pub subtitle: String,
    /// Case, date, addressee.
    pub meta: Vec<Row>,
    /// Notices set apart before the sections (what the recipient may see, ...).
    pub notices: Vec<String>,
    /// The sections.
    pub sections: Vec<Section>,
    /// Where it comes from.
    pub footer: String,
    /// When it was made (RFC 3339), also the PDF's date.
    pub created_at: String,
}

impl Document {
    /// The whole text, one block per line (for tests and for search).
    pub fn plain_text(&self) -> String {
        let mut out = vec![self.title.clone(), self.subtitle.clone()];
        out.extend(
            self.meta
                .iter()
                .map(|r| format!("{}: {}", r.label, r.value)),
        );
        out.extend(self.notices.iter().cloned());
        for s in &self.sections {
            out.push(s.heading.clone());
            for b in &s.blocks {
                match b {
                    Block::Paragraph { text } | Block::Heading { text } => out.push(text.clone()),
                    Block::Quote { text } => out.push(format!("«{text}»")),
                    Block::Rows { rows } | Block::Hashes { rows } => {
                        out.extend(rows.iter().map(|r| format!("{}: {}", r.label, r.value)))
                    }
                    Block::List { items } => out.extend(items.iter().map(|i| format!("- {i}"))),
                    Block::Signature { labels } => out.extend(labels.iter().cloned()),
                }
            }
        }
        out.push(self.footer.clone());
        out.join("\n")
    }
}

/// What to put in a draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DraftOptions {
    /// Which draft.
    pub kind: DraftKind,
    /// Its language.
    pub lang: Lang,
    /// Police report: the incidents it covers (default: all of the case).
    #[serde(default)]
    pub incidents: Option<Vec<i64>>,
    /// Concern report: the threat actor it concerns (required for it).
    #[serde(default)]
    pub person_id: Option<i64>,
    /// The addressee, instead of the default (the police district, the municipal chief
    /// medical officer in the person's home municipality).
    #[serde(default)]
    pub to: Option<String>,
    /// Police report: ask the police to consider a restraining order.
    #[serde(default)]
    pub restraining_order: bool,
    /// Police report: reserve a claim for compensation.
    #[serde(default)]
    pub compensation: bool,
    /// Police report: include the employee's private contact details (off by default:
    /// the person reported may see the case documents).
    #[serde(default)]
    pub include_private_contacts: bool,
}

impl DraftOptions {
    /// A draft of this kind with the defaults.
    pub fn new(kind: DraftKind) -> Self {
        DraftOptions {
            kind,
            lang: Lang::Nb,
            incidents: None,
            person_id: None,
            to: None,
            restraining_order: false,
            compensation: false,
            include_private_contacts: false,
        }
    }
}

/// A draft built from a case: the document and what it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Draft {
    /// The case.
    pub case_reference: String,
    /// The document.
    pub document: Document,
    /// The incidents it describes.
    pub incident_ids: Vec<i64>,
    /// The originals it names by SHA-256.
    pub evidence_ids: Vec<i64>,
    /// The persons it names.
    pub person_ids: Vec<i64>,
    /// Whom it is addressed to.
    pub to: String,
    /// The kind of recipient, for the ledger.
    pub recipient_kind: RecipientKind,
    /// The ledger's line for it when sent, in the draft's language.
    pub shared: String,
    /// The file name without extension: `<case>_<anmeldelse|bekymringsmelding>_<date>`.
    pub file_stem: String,
    /// The prompts sending it answers (marked done when it is marked sent).
    pub answers: Vec<String>,
}

/// The two files of a saved draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SavedDraft {
    /// The PDF.
    pub pdf: PathBuf,
    /// The same text as an editable `.docx`.
    pub docx: PathBuf,
}

/// Lays a [`Document`] out as files. Implemented in `varde-report` (typst for the PDF,
/// docx-rs for the editable copy).
pub trait DraftRenderer {
    /// The PDF.
    fn pdf(&self, doc: &Document) -> Result<Vec<u8>>;
    /// An editable copy (`.docx`) with the same text.
    fn docx(&self, doc: &Document) -> Result<Vec<u8>>;
}

/// That a draft was sent: to whom, on what basis, and what came back.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DraftSent {
    /// The draft as it was made (the ledger names what it held).
    pub options: DraftOptions,
    /// Who received it (the police district, the municipal chief medical officer).
    pub recipient: String,
    /// A disclosure legal basis key.
    pub legal_basis_key: Option<String>,
    /// The legal basis in words.
    pub legal_basis_text: Option<String>,
    /// The consent it rests on, with the basis `consent`.
    #[serde(default)]
    pub consent_id: Option<i64>,
    /// Whether the threatened employee was told.
    pub employee_informed: EmployeeInformed,
    /// When it was sent (`YYYY-MM-DD HH:MM`, a date or RFC 3339); default now.
    pub at: Option<String>,
    /// The police case number, when one was given.
    pub reference: Option<String>,
    /// A note on the prompt's action.
    #[serde(default)]
    pub note: String,
}

/// What marking a draft sent recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DraftSentRecord {
    /// The ledger entry.
    pub disclosure: Disclosure,
    /// The prompts marked done, by rule key.
    pub answered: Vec<String>,
}

impl Locker {
    /// Build a draft from a case (nothing is written).
    pub fn draft(&self, case_ref: &str, opts: &DraftOptions) -> Result<Draft> {
        match opts.kind {
            DraftKind::PoliceReport => self.police_report_draft(case_ref, opts),
            DraftKind::ConcernReport => self.concern_report_draft(case_ref, opts),
        }
    }

    /// Write a draft's PDF and editable copy. `out` is a `.pdf` path (the `.docx` goes
    /// beside it with the same name) or an existing folder (both named by the draft's file
    /// stem). Neither file may exist. Each is written under a temporary name and renamed;
    /// the `document.draft` audit event records the kind, the file names and what the
    /// draft names.
    pub fn save_draft(
        &mut self,
        case_ref: &str,
        opts: &DraftOptions,
        out: &Path,
        renderer: &dyn DraftRenderer,
    ) -> Result<(Draft, SavedDraft)> {
        let draft = self.draft(case_ref, opts)?;
        let pdf = if out.is_dir() {
            out.join(format!("{}.pdf", draft.file_stem))
        } else if out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        {
            out.to_path_buf()
        } else {
            out.with_extension("pdf")
        };
        let docx = pdf.with_extension("docx");
        for p in [&pdf, &docx] {
            if p.exists() {
                return Err(Error::invalid(Invalid::OutputExists {
                    path: p.display().to_string(),
                }));
            }
        }
        if let Some(parent) = pdf.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(Error::invalid(Invalid::NotADirectory {
                path: parent.display().to_string(),
            }));
        }
        let pdf_bytes = renderer.pdf(&draft.document)?;
        let docx_bytes = renderer.docx(&draft.document)?;
        write_new(&pdf, &pdf_bytes)?;
        if let Err(e) = write_new(&docx, &docx_bytes) {
            let _ = fs::remove_file(&pdf);
            return Err(e);
        }
        let name = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let recorded = self.write(|w| {
            w.audit(
                "document.draft",
                &format!("case:{}", draft.case_reference),
                json!({
                    "kind": draft.document.kind.as_str(),
                    "files": [name(&pdf), name(&docx)],
                    "incident_ids": draft.incident_ids,
                    "evidence_ids": draft.evidence_ids,
                    "person_ids": draft.person_ids,
                    "lang": draft.document.lang.as_str(),
                }),
            )
        });
        if let Err(e) = recorded {
            let _ = fs::remove_file(&pdf);
            let _ = fs::remove_file(&docx);
            return Err(e);
        }
        Ok((draft, SavedDraft { pdf, docx }))
    }

    /// Record that a draft was sent: a disclosure ledger entry (the recipient, the basis,
    /// the incidents and originals it named) and the prompts it answers marked done, with
    /// the police case number when given — in one transaction, so either both are
    /// recorded or neither.
    pub fn mark_draft_sent(&mut self, case_ref: &str, sent: &DraftSent) -> Result<DraftSentRecord> {
        let case = self.case(case_ref)?;
        let draft = self.draft(case_ref, &sent.options)?;
        let guidance = self.guidance()?;
        let checked = self.check_disclosure(
            &guidance,
            &case,
            NewDisclosure {
                recipient: sent.recipient.clone(),
                recipient_kind: draft.recipient_kind,
                shared: draft.shared.clone(),
                incident_ids: draft.incident_ids.clone(),
                evidence_ids: draft.evidence_ids.clone(),
                person_ids: draft.person_ids.clone(),
                legal_basis_key: sent.legal_basis_key.clone(),
                legal_basis_text: sent.legal_basis_text.clone(),
                consent_id: sent.consent_id,
                employee_informed: sent.employee_informed,
                when: sent.at.clone(),
                by: None,
            },
        )?;
        let reference = sent
            .reference
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        crate::fields::opt_text(
            Field::Reference,
            None,
            reference.as_deref(),
            crate::fields::SHORT_MAX,
        )?;
        let acted_at = checked.when().map(str::to_string);
        let recipient = checked.recipient().to_string();
        let prompts = self.prompts(case_ref)?;
        let triggers: Vec<Vec<String>> = draft
            .answers
            .iter()
            .map(|key| {
                prompts
                    .iter()
                    .find(|p| &p.key == key)
                    .map(|p| p.subjects().into_iter().collect())
                    .unwrap_or_default()
            })
            .collect();
        let id = self.write(|w| {
            let id = insert_disclosure(w, &case, &checked)?;
            for (key, t) in draft.answers.iter().zip(&triggers) {
                insert_action(
                    w,
                    &case,
                    &NewAction {
                        key,
                        action: ActionKind::Done,
                        acted_at: acted_at.clone(),
                        acted_by: None,
                        with_whom: Some(recipient.clone()),
                        reference: reference.clone(),
                        reason: None,
                        until: None,
                        note: sent.note.trim(),
                        triggers: t,
                    },
                )?;
            }
            Ok(id)
        })?;
        Ok(DraftSentRecord {
            disclosure: self.disclosure(id)?,
            answered: draft.answers,
        })
    }
}

/// Write a new file under a temporary name beside it, then rename it into place.
#[expect(
    clippy::disallowed_methods,
    reason = "the write goes to a temporary name, synced and renamed"
)]
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = crate::bundle::temp_beside(path);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let done = fs::write(&tmp, bytes)
        .and_then(|_| fs::File::open(&tmp)?.sync_all())
        .and_then(|_| fs::rename(&tmp, path))
        .and_then(|_| dir.map_or(Ok(()), crate::locker::sync_dir));
    done.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io("writing", path, e)
    })
}

/// The texts of one draft in one language.
pub(crate) struct Words<'a> {
    texts: &'a DocumentTexts,
    pub lang: Lang,
}

impl<'a> Words<'a> {
    pub fn new(texts: &'a DocumentTexts, lang: Lang) -> Self {
        Words { texts, lang }
    }

    /// The text with this key.
    pub fn t(&self, key: &str) -> String {
        self.texts.get(key, self.lang).to_string()
    }

    /// The text with `{name}` placeholders filled in.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key);
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// A value, or «(ikke fylt inn)» when it is empty.
    pub fn or_blank(&self, v: &str) -> String {
        if v.trim().is_empty() {
            self.t("draft.not_given")
        } else {
            v.trim().to_string()
        }
    }

    /// A label–value row.
    pub fn row(&self, key: &str, value: impl Into<String>) -> Row {
        Row {
            label: self.t(key),
            value: value.into(),
        }
    }

    /// An RFC 3339 instant in Norwegian time: `02.12.2026 kl. 08:12` / `2026-12-02 at 08:12`.
    pub fn instant(&self, rfc3339: &str) -> String {
        let Ok(t) = DateTime::parse_from_rfc3339(rfc3339) else {
            return rfc3339.to_string();
        };
        let t = t.with_timezone(&chrono_tz::Europe::Oslo);
        format!(
            "{} {} {}",
            self.day(&t.format("%Y-%m-%d").to_string()),
            self.t("draft.at"),
            t.format("%H:%M")
        )
    }

    /// A `YYYY-MM-DD` day: `02.12.2026` / `2026-12-02`.
    pub fn day(&self, ymd: &str) -> String {
        match (
            self.lang,
            chrono::NaiveDate::parse_from_str(ymd, "%Y-%m-%d"),
        ) {
            (Lang::Nb, Ok(d)) => d.format("%d.%m.%Y").to_string(),
            _ => ymd.to_string(),
        }
    }

    /// When an incident happened, as logged (its own time zone named when it is not
    /// Norwegian time), `omtrent` when approximate.
    pub fn occurred(&self, i: &Incident) -> String {
        let (d, t) = match i.occurred_local.split_once([' ', 'T']) {
            Some((d, t)) => (d, Some(t.chars().take(5).collect::<String>())),
            None => (i.occurred_local.as_str(), None),
        };
        let mut s = self.day(d);
        if let Some(t) = t.filter(|_| i.precision != Precision::DateOnly) {
            s = format!("{s} {} {t}", self.t("draft.at"));
        }
        if i.precision == Precision::Approximate {
            s = format!("{} {s}", self.t("draft.approximate"));
        }
        if i.occurred_tz != "Europe/Oslo" {
            s = format!("{s} ({})", i.occurred_tz);
        }
        s
    }

    /// The rows and quote of one incident, as both drafts show it; `witnesses` `None`
    /// leaves the witnesses out (a concern report does not need their names).
    pub fn incident_blocks(
        &self,
        no: usize,
        i: &Incident,
        witnesses: Option<&[String]>,
    ) -> Vec<Block> {
        let mut channel = self.t(&format!("channel.{}", i.channel.as_str()));
        if let Some(p) = i.platform.as_deref().filter(|p| !p.trim().is_empty()) {
            channel = format!("{channel} ({p})");
        }
        let mut rows = vec![
            self.row("draft.when", self.occurred(i)),
            self.row("draft.place", self.or_blank(&i.place)),
            self.row("draft.channel", channel),
        ];
        if !i.perceived.is_empty() {
            let words: Vec<String> = i
                .perceived
                .iter()
                .map(|p| self.t(&format!("perceived.{}", p.as_str())))
                .collect();
            rows.push(self.row("draft.perceived", words.join(", ")));
        }
        if let Some(witnesses) = witnesses {
            rows.push(self.row(
                "draft.witnesses",
                if witnesses.is_empty() {
                    self.t("draft.no_witnesses")
                } else {
                    witnesses.join(", ")
                },
            ));
        }
        let mut out = vec![
            Block::Heading {
                text: self.f("draft.incident", &[("n", &no.to_string())]),
            },
            Block::Rows { rows },
        ];
        if let Some(w) = i.wording.as_deref().filter(|w| !w.trim().is_empty()) {
            out.push(Block::Paragraph {
                text: format!("{}:", self.t("draft.wording")),
            });
            out.push(Block::Quote {
                text: w.trim().to_string(),
            });
        }
        if !i.description.trim().is_empty() {
            out.push(Block::Rows {
                rows: vec![self.row("draft.description", i.description.trim())],
            });
        }
        out
    }

    /// The footer line.
    pub fn footer(&self, case: &str, now: &str) -> String {
        self.f(
            "draft.footer",
            &[
                ("version", env!("CARGO_PKG_VERSION")),
                ("case", case),
                ("time", &self.instant(now)),
            ],
        )
    }
}

/// What one kind of draft supplies; [`Locker::finish_draft`] adds what both share.
pub(crate) struct Parts {
    /// The addressee unless the officer names another.
    pub default_to: String,
    /// The notice set apart before the sections.
    pub notice: String,
    /// The sections, not yet numbered.
    pub sections: Vec<Section>,
    pub incident_ids: Vec<i64>,
    pub evidence_ids: Vec<i64>,
    pub person_ids: Vec<i64>,
    pub recipient_kind: RecipientKind,
    /// The ledger's line when it is sent.
    pub shared: String,
    /// The prompts sending it answers.
    pub answers: Vec<String>,
}

impl DraftKind {
    /// The key prefix of its texts in `documents.toml`.
    fn texts(self) -> &'static str {
        match self {
            DraftKind::PoliceReport => "police",
            DraftKind::ConcernReport => "concern",
        }
    }

    /// The word for it in a file name.
    fn file_word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DraftKind::PoliceReport, Lang::Nb) => "anmeldelse",
            (DraftKind::PoliceReport, Lang::En) => "police-report",
            (DraftKind::ConcernReport, Lang::Nb) => "bekymringsmelding",
            (DraftKind::ConcernReport, Lang::En) => "concern-report",
        }
    }
}

impl Locker {
    /// The parts both drafts share: the numbered sections, the addressee (the officer's,
    /// or the kind's default), the title, case and date, the footer, the file name, and
    /// the ids once each in order.
    pub(crate) fn finish_draft(
        &self,
        case: &crate::model::Case,
        opts: &DraftOptions,
        w: &Words<'_>,
        mut p: Parts,
    ) -> Draft {
        police::number(&mut p.sections);
        let now = self.clock.now();
        let created_at = crate::clock::fmt_time(&now);
        let today = now.date_naive().format("%Y-%m-%d").to_string();
        let to = opts
            .to
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .unwrap_or(p.default_to);
        Draft {
            case_reference: case.reference.clone(),
            document: Document {
                kind: opts.kind,
                lang: opts.lang,
                title: w.t(&format!("{}.title", opts.kind.texts())),
                subtitle: w.t("draft.subtitle"),
                meta: vec![
                    w.row("draft.to", to.clone()),
                    w.row("draft.case", case.reference.clone()),
                    w.row("draft.date", w.day(&today)),
                ],
                notices: vec![p.notice],
                sections: p.sections,
                footer: w.footer(&case.reference, &created_at),
                created_at,
            },
            incident_ids: clean_ids(&p.incident_ids),
            evidence_ids: clean_ids(&p.evidence_ids),
            person_ids: clean_ids(&p.person_ids),
            to,
            recipient_kind: p.recipient_kind,
            shared: p.shared,
            file_stem: format!(
                "{}_{}_{today}",
                case.reference,
                opts.kind.file_word(opts.lang)
            ),
            answers: p.answers,
        }
    }
}
