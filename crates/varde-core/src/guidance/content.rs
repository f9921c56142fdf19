//! The guidance content as data: checklist items, escalation rules, contacts, legal bases,
//! sources and the police-request template.
//!
//! The shipped files in `assets/guidance/` are compiled in. An organisation may add its
//! own checklist items, contacts, legal bases and sources in `*.toml` files of the same
//! schema in the locker's `guidance/` folder; their keys must start with `org.`, so a
//! shipped key can never be overridden. Escalation rules cannot be added from a file: a
//! rule's condition is code (see [`super::escalation`]).

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::invalid::Invalid;
use crate::model::str_enum;

/// The content format this build reads (`format_version` in every file).
pub const CONTENT_FORMAT: u32 = 1;
/// The prefix every key of an organisation's own entries must have.
pub const ORG_PREFIX: &str = "org.";
/// The folder in a locker that holds an organisation's own guidance files.
pub const ORG_DIR: &str = "guidance";

/// The shipped files, by name.
const SHIPPED: [(&str, &str); 7] = [
    (
        "sources.toml",
        include_str!("../../../../assets/guidance/sources.toml"),
    ),
    (
        "checklist.toml",
        include_str!("../../../../assets/guidance/checklist.toml"),
    ),
    (
        "escalation.toml",
        include_str!("../../../../assets/guidance/escalation.toml"),
    ),
    (
        "contacts.toml",
        include_str!("../../../../assets/guidance/contacts.toml"),
    ),
    (
        "legal_bases.toml",
        include_str!("../../../../assets/guidance/legal_bases.toml"),
    ),
    (
        "request.toml",
        include_str!("../../../../assets/guidance/request.toml"),
    ),
    (
        "documents.toml",
        include_str!("../../../../assets/guidance/documents.toml"),
    ),
];

str_enum!(
    /// The language of a text: Norwegian bokmål first, English second.
    #[derive(Default)]
    Lang {
        /// Norsk bokmål.
        #[default]
        Nb,
        /// English.
        En,
    }
);

str_enum!(
    /// Whom a checklist item is for.
    Audience {
        /// The threatened employee: tracked per employee.
        Employee,
        /// The employer: tracked once per case.
        Employer,
    }
);

str_enum!(
    /// Where an entry comes from.
    #[derive(Default)]
    Origin {
        /// Shipped with Varde; its key is stable.
        #[default]
        Shipped,
        /// From an organisation's own file in the locker's `guidance/` folder.
        Organisation,
        /// Added by the officer in this locker (contacts only).
        Local,
    }
);

str_enum!(
    /// How urgent an escalation prompt is.
    Severity {
        /// Act now.
        Critical,
        /// Should be acted on.
        Important,
        /// Good to know.
        Info,
    }
);

str_enum!(
    /// What kind of contact an entry is (in the order the directory groups them).
    ContactKind {
        /// The emergency number.
        Emergency,
        /// The police, not an emergency.
        Police,
        /// A police district's business contact (næringslivskontakt).
        PoliceBusinessContact,
        /// Health services: the municipal doctor, emergency clinics.
        Health,
        /// The organisation's own security staff.
        Security,
        /// Anyone else.
        Other,
    }
);

str_enum!(
    /// A private or a public employer (the locker's profile says which).
    EmployerKind {
        /// A company or another private organisation.
        Private,
        /// The state, a municipality or a county.
        Public,
    }
);

str_enum!(
    /// What a legal basis can be chosen for.
    BasisUse {
        /// The company shares information (the disclosure ledger).
        Disclosure,
        /// The police share information with the company (the police request).
        PoliceRequest,
        /// Health services share with the police (for understanding only).
        HealthDisclosure,
    }
);

/// A text in Norwegian bokmål and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Norsk bokmål.
    pub nb: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nb => &self.nb,
            Lang::En => &self.en,
        }
    }

    /// The same text in both languages (for what the officer types, e.g. a contact's name).
    pub fn same(s: impl Into<String>) -> Text {
        let s = s.into();
        Text {
            nb: s.clone(),
            en: s,
        }
    }

    fn is_complete(&self) -> bool {
        !self.nb.trim().is_empty() && !self.en.trim().is_empty()
    }
}

/// Where a piece of guidance comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A key in the sources (`veileder`, `retningslinje`, `lov`, or an `org.` source).
    pub doc: String,
    /// The place in it: a heading, an item, or a statute and section.
    #[serde(rename = "ref")]
    pub reference: String,
}

/// One piece of advice on the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// Stable key, e.g. `employee.collect_evidence`.
    pub key: String,
    /// For the employee or the employer.
    pub audience: Audience,
    /// Sort order within the audience.
    pub order: i64,
    /// Short imperative.
    pub title: Text,
    /// Why it matters.
    pub why: Text,
    /// Concrete tips.
    #[serde(default)]
    pub how: Option<Text>,
    /// Where it comes from.
    pub source: Source,
    /// Shipped or the organisation's own.
    #[serde(default, skip_deserializing)]
    pub origin: Origin,
}

/// An escalation rule's content. Its condition is code, matched by key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable key, e.g. `emergency_112`.
    pub key: String,
    /// Higher is shown first; 100 is the emergency.
    pub priority: i64,
    /// How urgent.
    pub severity: Severity,
    /// The prompt's headline.
    pub title: Text,
    /// The prompt's text.
    pub body: Text,
    /// The number to call, as dialled.
    #[serde(default)]
    pub phone: Option<String>,
    /// When the rule fires, in English, for developers.
    pub condition: String,
    /// The checklist item the prompt links to.
    #[serde(default)]
    pub checklist: Option<String>,
    /// Where it comes from.
    pub source: Source,
    /// What the prompt says instead when it fires again after it was done with a
    /// reference number (a police case number): `{reference}` is filled in.
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
}

/// The words of a prompt raised again after it was done with a reference number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// The headline, with `{reference}`.
    pub title: Text,
    /// The text, with `{reference}`.
    pub body: Text,
}

/// A shipped or organisational entry of the contacts directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Stable key.
    pub key: String,
    /// The organisation or service (never a person).
    pub name: Text,
    /// As dialled; empty: for the officer to fill in.
    pub phone: String,
    /// An organisational address; empty: for the officer to fill in.
    #[serde(default)]
    pub email: Option<String>,
    /// The municipalities served; empty: national or not tied to one.
    pub municipalities: Vec<String>,
    /// What kind of contact.
    pub kind: ContactKind,
    /// An acute service (112, 113, the out-of-hours service): for help now, never where a
    /// concern report is sent.
    #[serde(default)]
    pub acute: bool,
    /// When to use it.
    pub note: Text,
    /// Where it comes from.
    pub source: Source,
    /// Shipped or the organisation's own.
    #[serde(default, skip_deserializing)]
    pub origin: Origin,
}

/// A legal basis (hjemmel) to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// Stable key; `other` means the user describes the basis in free text.
    pub key: String,
    /// What it can be chosen for.
    pub applies_to: Vec<BasisUse>,
    /// Short label.
    pub label: Text,
    /// What it means.
    pub explanation: Text,
    /// Caveats.
    #[serde(default)]
    pub note: Option<Text>,
    /// Where it comes from.
    pub source: Source,
    /// The kinds of recipient it fits, for a disclosure; empty: any. The app warns and
    /// asks for a confirmation when the recipient is of another kind.
    #[serde(default)]
    pub recipients: Vec<crate::guidance::disclosure::RecipientKind>,
    /// The entry names a purpose or asks for free text, not a basis by itself: a
    /// disclosure on it must describe the basis in words.
    #[serde(default)]
    pub describe: bool,
    /// The employers that may use it; empty: both.
    #[serde(default)]
    pub employers: Vec<EmployerKind>,
    /// Shipped or the organisation's own.
    #[serde(default, skip_deserializing)]
    pub origin: Origin,
}

/// A document that guidance refers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SourceDoc {
    /// Stable key, e.g. `veileder`.
    pub key: String,
    /// Its title.
    pub title: Text,
    /// Who published it (an organisation).
    pub publisher: Text,
    /// Its date, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// What it is used for.
    pub note: Text,
    /// Shipped or the organisation's own.
    #[serde(default, skip_deserializing)]
    pub origin: Origin,
}

/// A labelled choice or field in the police-request template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    /// Stable key.
    pub key: String,
    /// The label.
    pub label: Text,
}

/// The texts of the request for information from the police (`request.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RequestTemplate {
    /// The document's heading.
    pub title: Text,
    /// The opening paragraph.
    pub intro: Text,
    /// The closing paragraph.
    pub closing: Text,
    /// Labels of the document's other lines (case, date, name, ...), by key.
    pub label: Vec<Labelled>,
    /// The eight fields, in order, by key.
    pub field: Vec<Labelled>,
    /// The urgency choices, by key.
    pub urgency: Vec<Labelled>,
    /// Where the eight fields come from.
    pub source: Source,
}

impl RequestTemplate {
    /// The label with this key among `list`, or the key itself.
    pub(crate) fn find<'a>(list: &'a [Labelled], key: &str, lang: Lang) -> &'a str {
        list.iter()
            .find(|l| l.key == key)
            .map(|l| l.label.get(lang))
            .unwrap_or("")
    }
}

/// The texts of the drafts Varde writes from a case (`documents.toml`): labels, headings
/// and paragraphs by key, `{name}` placeholders filled in by the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DocumentTexts {
    /// The texts.
    pub text: Vec<Labelled>,
    /// What the drafts follow.
    pub source: Source,
}

impl DocumentTexts {
    /// The text with this key in `lang` (empty when missing; `problems` reports that).
    pub fn get(&self, key: &str, lang: Lang) -> &str {
        RequestTemplate::find(&self.text, key, lang)
    }
}

/// A penal provision that may apply to threats, named in a police report draft for
/// information only (the police decide).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// Stable key, e.g. `straffeloven_263`.
    pub key: String,
    /// Its name: the statute, section and heading.
    pub label: Text,
    /// What it covers, in our own words.
    pub summary: Text,
    /// Named only when the employer is a public body.
    #[serde(default)]
    pub public_only: bool,
    /// Where it comes from.
    pub source: Source,
}

/// One guidance file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuidanceFile {
    format_version: u32,
    #[serde(default)]
    item: Vec<ChecklistItem>,
    #[serde(default)]
    rule: Vec<Rule>,
    #[serde(default)]
    contact: Vec<Contact>,
    #[serde(default)]
    basis: Vec<LegalBasis>,
    #[serde(default)]
    source: Vec<SourceDoc>,
    #[serde(default)]
    documents: Option<DocumentTexts>,
    #[serde(default)]
    provision: Vec<Provision>,
    #[serde(default)]
    request: Option<RequestTemplate>,
}

/// All guidance content: the shipped entries and an organisation's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Guidance {
    /// Checklist items: employee items first, then employer items, each by `order`.
    pub checklist: Vec<ChecklistItem>,
    /// Escalation rules, highest priority first.
    pub rules: Vec<Rule>,
    /// Contacts directory entries (shipped and organisational).
    pub contacts: Vec<Contact>,
    /// Legal bases.
    pub legal_bases: Vec<LegalBasis>,
    /// Source documents.
    pub sources: Vec<SourceDoc>,
    /// The police-request template.
    pub request: RequestTemplate,
    /// The texts of the drafts Varde writes (police report, concern report).
    pub documents: DocumentTexts,
    /// Penal provisions named, for information, in a police report draft.
    pub provisions: Vec<Provision>,
}

fn parse(name: &str, text: &str) -> Result<GuidanceFile> {
    let file: GuidanceFile = toml::from_str(text).map_err(|e| {
        Error::invalid(Invalid::GuidanceFile {
            name: name.to_string(),
            problem: e.message().to_string(),
        })
    })?;
    if file.format_version != CONTENT_FORMAT {
        return Err(Error::invalid(Invalid::GuidanceFile {
            name: name.to_string(),
            problem: format!(
                "format_version {} is not supported (this Varde reads {CONTENT_FORMAT})",
                file.format_version
            ),
        }));
    }
    Ok(file)
}

impl Guidance {
    /// The content shipped with this build.
    pub fn shipped() -> Result<Guidance> {
        let mut files = Vec::with_capacity(SHIPPED.len());
        for (name, text) in SHIPPED {
            files.push(parse(name, text)?);
        }
        Self::assemble(files)
    }

    /// The shipped content plus an organisation's own `*.toml` files in `dir` (read in
    /// name order; a missing folder means none). Refuses an entry whose key does not start
    /// with `org.`, and escalation rules.
    pub fn load(dir: &Path) -> Result<Guidance> {
        let mut files = Vec::new();
        for (name, text) in SHIPPED {
            files.push(parse(name, text)?);
        }
        let mut paths = Vec::new();
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                for e in entries {
                    let p = e.map_err(|e| Error::io("reading", dir, e))?.path();
                    if p.extension().is_some_and(|x| x == "toml") && p.is_file() {
                        paths.push(p);
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("reading", dir, e)),
        }
        paths.sort();
        for p in paths {
            let name = p.display().to_string();
            let text = std::fs::read_to_string(&p).map_err(|e| Error::io("reading", &p, e))?;
            let mut f = parse(&name, &text)?;
            check_org_file(&name, &f)?;
            f.item
                .iter_mut()
                .for_each(|i| i.origin = Origin::Organisation);
            f.contact
                .iter_mut()
                .for_each(|c| c.origin = Origin::Organisation);
            f.basis
                .iter_mut()
                .for_each(|b| b.origin = Origin::Organisation);
            f.source
                .iter_mut()
                .for_each(|s| s.origin = Origin::Organisation);
            files.push(f);
        }
        Self::assemble(files)
    }

    fn assemble(files: Vec<GuidanceFile>) -> Result<Guidance> {
        let (mut request, mut documents, mut provisions) = (None, None, Vec::new());
        let (mut checklist, mut rules, mut contacts, mut legal_bases, mut sources) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for f in files {
            checklist.extend(f.item);
            rules.extend(f.rule);
            contacts.extend(f.contact);
            legal_bases.extend(f.basis);
            sources.extend(f.source);
            provisions.extend(f.provision);
            if f.request.is_some() {
                request = f.request;
            }
            if f.documents.is_some() {
                documents = f.documents;
            }
        }
        let documents =
            documents.ok_or_else(|| Error::Integrity("the guidance has no draft texts".into()))?;
        let request = request.ok_or_else(|| {
            Error::Integrity("the guidance has no police-request template".into())
        })?;
        checklist.sort_by(|a, b| {
            (a.audience != Audience::Employee, a.order, &a.key).cmp(&(
                b.audience != Audience::Employee,
                b.order,
                &b.key,
            ))
        });
        rules.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.key.cmp(&b.key)));
        let g = Guidance {
            checklist,
            rules,
            contacts,
            legal_bases,
            sources,
            request,
            documents,
            provisions,
        };
        let problems = g.problems();
        if !problems.is_empty() {
            return Err(Error::invalid(Invalid::GuidanceFile {
                name: String::new(),
                problem: problems.join("; "),
            }));
        }
        Ok(g)
    }

    /// A checklist item by key.
    pub fn item(&self, key: &str) -> Option<&ChecklistItem> {
        self.checklist.iter().find(|i| i.key == key)
    }

    /// An escalation rule by key.
    pub fn rule(&self, key: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.key == key)
    }

    /// A directory entry by key.
    pub fn contact(&self, key: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.key == key)
    }

    /// A legal basis by key.
    pub fn basis(&self, key: &str) -> Option<&LegalBasis> {
        self.legal_bases.iter().find(|b| b.key == key)
    }

    /// The bases a disclosure can be recorded on by this kind of employer.
    pub fn disclosure_bases(&self, employer: EmployerKind) -> impl Iterator<Item = &LegalBasis> {
        self.bases_for(BasisUse::Disclosure)
            .filter(move |b| b.employers.is_empty() || b.employers.contains(&employer))
    }

    /// The legal bases that can be chosen for `use_`.
    pub fn bases_for(&self, use_: BasisUse) -> impl Iterator<Item = &LegalBasis> {
        self.legal_bases
            .iter()
            .filter(move |b| b.applies_to.contains(&use_))
    }

    /// Everything wrong with the content: duplicate or malformed keys, text missing in a
    /// language, a source that is not among the sources, a rule the code does not know,
    /// an incomplete request template. Empty when all is well.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let docs: HashSet<&str> = self.sources.iter().map(|s| s.key.as_str()).collect();
        let mut check = |table: &str, key: &str, texts: &[(&str, &Text)], source: &Source| {
            if key.is_empty() || !key.is_ascii() || key.contains(char::is_whitespace) {
                out.push(format!(
                    "{table} {key:?}: a key must be ASCII without spaces"
                ));
            }
            for (name, t) in texts {
                if !t.is_complete() {
                    out.push(format!("{table} {key}: {name} needs text in nb and en"));
                }
            }
            if !docs.contains(source.doc.as_str()) {
                out.push(format!(
                    "{table} {key}: source {:?} is not among the sources",
                    source.doc
                ));
            }
            if source.reference.trim().is_empty() {
                out.push(format!("{table} {key}: the source needs a ref"));
            }
        };
        for i in &self.checklist {
            let mut texts = vec![("title", &i.title), ("why", &i.why)];
            if let Some(h) = &i.how {
                texts.push(("how", h));
            }
            check("checklist item", &i.key, &texts, &i.source);
        }
        for r in &self.rules {
            check(
                "rule",
                &r.key,
                &[("title", &r.title), ("body", &r.body)],
                &r.source,
            );
        }
        for c in &self.contacts {
            check(
                "contact",
                &c.key,
                &[("name", &c.name), ("note", &c.note)],
                &c.source,
            );
        }
        for b in &self.legal_bases {
            let mut texts = vec![("label", &b.label), ("explanation", &b.explanation)];
            if let Some(n) = &b.note {
                texts.push(("note", n));
            }
            check("legal basis", &b.key, &texts, &b.source);
        }
        let t = &self.request;
        let mut texts = vec![
            ("title", &t.title),
            ("intro", &t.intro),
            ("closing", &t.closing),
        ];
        texts.extend(
            t.label
                .iter()
                .chain(&t.field)
                .chain(&t.urgency)
                .map(|l| (l.key.as_str(), &l.label)),
        );
        check("request template", "request", &texts, &t.source);
        let d = &self.documents;
        check(
            "draft texts",
            "documents",
            &d.text
                .iter()
                .map(|l| (l.key.as_str(), &l.label))
                .collect::<Vec<_>>(),
            &d.source,
        );
        for p in &self.provisions {
            check(
                "provision",
                &p.key,
                &[("label", &p.label), ("summary", &p.summary)],
                &p.source,
            );
        }
        for s in &self.sources {
            for (name, txt) in [
                ("title", &s.title),
                ("publisher", &s.publisher),
                ("note", &s.note),
            ] {
                if !txt.is_complete() {
                    out.push(format!("source {}: {name} needs text in nb and en", s.key));
                }
            }
        }
        for i in &self.checklist {
            let prefix = format!("{}.", i.audience);
            if i.origin == Origin::Shipped && !i.key.starts_with(&prefix) {
                out.push(format!(
                    "checklist item {}: a shipped {} item's key starts with {prefix}",
                    i.key, i.audience
                ));
            }
        }
        for r in &self.rules {
            if !super::escalation::RULE_KEYS.contains(&r.key.as_str()) {
                out.push(format!(
                    "rule {}: Varde has no condition for this key",
                    r.key
                ));
            }
            if let Some(item) = &r.checklist
                && self.item(item).is_none()
            {
                out.push(format!(
                    "rule {}: checklist item {item} does not exist",
                    r.key
                ));
            }
        }
        for key in super::escalation::RULE_KEYS {
            if self.rule(key).is_none() {
                out.push(format!("rule {key}: its texts are missing"));
            }
        }
        let words = <crate::model::Channel as strum::VariantNames>::VARIANTS
            .iter()
            .map(|v| format!("channel.{v}"))
            .chain(
                <crate::model::Perception as strum::VariantNames>::VARIANTS
                    .iter()
                    .map(|v| format!("perceived.{v}")),
            );
        for key in crate::drafts::TEXT_KEYS
            .iter()
            .map(|k| k.to_string())
            .chain(words)
        {
            if !d.text.iter().any(|t| t.key == key) {
                out.push(format!("draft texts: {key} is missing"));
            }
        }
        for key in super::request::FIELDS {
            if !t.field.iter().any(|f| f.key == *key) {
                out.push(format!("request template: field {key} is missing"));
            }
        }
        for key in super::request::LABELS {
            if !t.label.iter().any(|f| f.key == *key) {
                out.push(format!("request template: label {key} is missing"));
            }
        }
        for key in <super::request::Urgency as strum::VariantNames>::VARIANTS {
            if !t.urgency.iter().any(|f| f.key == *key) {
                out.push(format!("request template: urgency {key} is missing"));
            }
        }
        for (table, keys) in [
            (
                "checklist item",
                self.checklist.iter().map(|i| &i.key).collect::<Vec<_>>(),
            ),
            ("rule", self.rules.iter().map(|r| &r.key).collect()),
            ("contact", self.contacts.iter().map(|c| &c.key).collect()),
            (
                "legal basis",
                self.legal_bases.iter().map(|b| &b.key).collect(),
            ),
            ("source", self.sources.iter().map(|s| &s.key).collect()),
            (
                "provision",
                self.provisions.iter().map(|p| &p.key).collect(),
            ),
            ("draft text", d.text.iter().map(|t| &t.key).collect()),
        ] {
            let mut seen = HashSet::new();
            for k in keys {
                if !seen.insert(k) {
                    out.push(format!("{table} {k}: the key is used twice"));
                }
            }
        }
        out
    }
}

/// An organisation's file may add entries with `org.` keys, and no rules or template.
fn check_org_file(name: &str, f: &GuidanceFile) -> Result<()> {
    if !f.rule.is_empty() {
        return Err(Error::invalid(Invalid::GuidanceFile {
            name: name.to_string(),
            problem: "escalation rules cannot be added from a file (a rule's condition is part of Varde); add checklist items, contacts, legal bases or sources instead".into(),
        }));
    }
    if f.request.is_some() || f.documents.is_some() || !f.provision.is_empty() {
        return Err(Error::invalid(Invalid::GuidanceFile {
            name: name.to_string(),
            problem:
                "the police-request template and the draft texts cannot be replaced from a file"
                    .into(),
        }));
    }
    let keys = f
        .item
        .iter()
        .map(|i| ("checklist item", &i.key))
        .chain(f.contact.iter().map(|c| ("contact", &c.key)))
        .chain(f.basis.iter().map(|b| ("legal basis", &b.key)))
        .chain(f.source.iter().map(|s| ("source", &s.key)));
    for (table, key) in keys {
        if !key.starts_with(ORG_PREFIX) || key.len() == ORG_PREFIX.len() {
            return Err(Error::invalid(Invalid::GuidanceFile {
                name: name.to_string(),
                problem: format!(
                    "{table} {key:?} must have a key starting with {ORG_PREFIX:?} (an organisation's entries cannot reuse or replace a shipped key)"
                ),
            }));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn acute_services_are_shipped_and_labelled_as_acute() {
        let g = Guidance::shipped().unwrap();
        // (key, number, acute): the acute services are for help now; the page for concern
        // reports is where a concern report may go.
        let cases = [
            ("police_emergency_112", "112", true),
            ("medical_emergency_113", "113", true),
            ("legevakt_116117", "116 117", true),
            ("oslo_sosial_ambulant_akutt", "23 48 70 90", true),
            ("legevakt_asker_baerum", "67 50 59 99", true),
            ("baerum_concern_reports", "", false),
            ("police_non_emergency_02800", "02800", false),
        ];
        for (key, phone, acute) in cases {
            let c = g.contact(key).unwrap_or_else(|| panic!("{key}"));
            assert_eq!(c.phone, phone, "{key}");
            assert_eq!(c.acute, acute, "{key}");
            if acute && c.kind == ContactKind::Health {
                assert!(c.note.nb.contains("Akutt tjeneste"), "{key}: {}", c.note.nb);
                assert!(!c.note.nb.contains("Kan kontaktes ved bekymring"), "{key}");
            }
        }
        assert!(
            g.contact("oslo_sosial_ambulant_akutt")
                .unwrap()
                .name
                .nb
                .starts_with("Sosial og ambulant akuttjeneste")
        );
    }

    #[test]
    fn shipped_content_is_complete_in_both_languages_with_sources() {
        let g = Guidance::shipped().unwrap();
        assert_eq!(g.problems(), Vec::<String>::new());
        // Every entry of every table has its texts and a source that exists; checked
        // again here entry by entry so a failure names the entry.
        let docs: Vec<&str> = g.sources.iter().map(|s| s.key.as_str()).collect();
        for s in ["veileder", "retningslinje", "lov"] {
            assert!(docs.contains(&s), "{s}");
        }
        assert_eq!(
            g.checklist
                .iter()
                .filter(|i| i.audience == Audience::Employee)
                .count(),
            7,
            "the guide's seven pieces of general advice"
        );
        assert!(
            g.checklist.iter().any(|i| i.key == "employer.safe_work")
                && g.item("employer.private_travel_and_home").is_some()
        );
        for i in &g.checklist {
            assert!(i.title.is_complete() && i.why.is_complete(), "{}", i.key);
            assert!(docs.contains(&i.source.doc.as_str()), "{}", i.key);
            assert_eq!(i.origin, Origin::Shipped);
        }
        for r in &g.rules {
            assert!(r.title.is_complete() && r.body.is_complete(), "{}", r.key);
            assert!(docs.contains(&r.source.doc.as_str()), "{}", r.key);
        }
        for c in &g.contacts {
            assert!(c.name.is_complete() && c.note.is_complete(), "{}", c.key);
            assert!(docs.contains(&c.source.doc.as_str()), "{}", c.key);
        }
        for b in &g.legal_bases {
            assert!(
                b.label.is_complete() && b.explanation.is_complete(),
                "{}",
                b.key
            );
            assert!(b.note.as_ref().is_none_or(Text::is_complete), "{}", b.key);
            assert!(docs.contains(&b.source.doc.as_str()), "{}", b.key);
        }
        assert_eq!(g.rules[0].key, "emergency_112");
        assert_eq!(g.request.field.len(), 8);
    }

    #[test]
    fn shipped_contacts_are_organisational_numbers_from_the_guide() {
        let g = Guidance::shipped().unwrap();
        let phone = |k: &str| g.contact(k).unwrap().phone.clone();
        assert_eq!(phone("police_emergency_112"), "112");
        assert_eq!(phone("police_non_emergency_02800"), "02800");
        assert_eq!(phone("oslo_sosial_ambulant_akutt"), "23 48 70 90");
        assert_eq!(phone("legevakt_asker_baerum"), "67 50 59 99");
        // The business contact is a placeholder to fill in, with no one's address.
        let b = g.contact("police_business_contact").unwrap();
        assert_eq!((b.phone.as_str(), b.email.as_deref()), ("", Some("")));
        for c in &g.contacts {
            assert!(
                c.email.as_deref().is_none_or(|e| !e.contains('@')),
                "{}: no personal e-mail addresses are shipped",
                c.key
            );
        }
    }

    #[test]
    fn police_request_bases_are_the_guide_s_four() {
        let g = Guidance::shipped().unwrap();
        let keys: Vec<&str> = g
            .bases_for(BasisUse::PoliceRequest)
            .map(|b| b.key.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "politiregisterloven_27_1",
                "politiregisterloven_27_2_nr1",
                "politiregisterloven_27_2_nr2",
                "politiregisterloven_31"
            ]
        );
        assert!(g.bases_for(BasisUse::Disclosure).any(|b| b.key == "other"));
    }

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn organisation_files_add_org_entries() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "ours.toml",
            r#"format_version = 1
[[item]]
key = "org.employee.use_work_phone"
audience = "employee"
order = 200
title.nb = "Bruk jobbtelefonen"
title.en = "Use the work phone"
why.nb = "Privatnummeret holdes skjult."
why.en = "Keeps the private number hidden."
source = { doc = "org.routines", ref = "2.1" }

[[contact]]
key = "org.contact.security_desk"
name.nb = "Sikkerhetsvakten"
name.en = "Security desk"
phone = "22 00 00 00"
municipalities = []
kind = "security"
note.nb = "Døgnbemannet."
note.en = "Staffed around the clock."
source = { doc = "org.routines", ref = "1" }

[[source]]
key = "org.routines"
title.nb = "Våre sikkerhetsrutiner"
title.en = "Our security routines"
publisher.nb = "Virksomheten"
publisher.en = "The company"
note.nb = "Intern."
note.en = "Internal."
"#,
        );
        write(dir.path(), "notes.txt", "not guidance");
        let g = Guidance::load(dir.path()).unwrap();
        let item = g.item("org.employee.use_work_phone").unwrap();
        assert_eq!(item.origin, Origin::Organisation);
        // Employee items stay before employer items; the org item sorts by its order.
        let pos = g.checklist.iter().position(|i| i.key == item.key).unwrap();
        assert_eq!(g.checklist[pos + 1].audience, Audience::Employer);
        assert_eq!(
            g.contact("org.contact.security_desk").unwrap().kind,
            ContactKind::Security
        );
        assert_eq!(
            g.checklist.len(),
            Guidance::shipped().unwrap().checklist.len() + 1
        );
        // No folder: the shipped content alone.
        assert_eq!(
            Guidance::load(&dir.path().join("none")).unwrap(),
            Guidance::shipped().unwrap()
        );
    }

    #[test]
    fn organisation_files_cannot_touch_shipped_keys_or_rules() {
        let cases = [
            (
                "[[contact]]\nkey = \"police_emergency_112\"\nname = {nb = \"x\", en = \"x\"}\nphone = \"1\"\nmunicipalities = []\nkind = \"police\"\nnote = {nb = \"x\", en = \"x\"}\nsource = {doc = \"lov\", ref = \"x\"}\n",
                "must have a key starting with \"org.\"",
            ),
            (
                "[[item]]\nkey = \"employee.extra\"\naudience = \"employee\"\norder = 1\ntitle = {nb = \"x\", en = \"x\"}\nwhy = {nb = \"x\", en = \"x\"}\nsource = {doc = \"lov\", ref = \"x\"}\n",
                "must have a key starting with \"org.\"",
            ),
            (
                "[[rule]]\nkey = \"org.rule\"\npriority = 1\nseverity = \"info\"\ntitle = {nb = \"x\", en = \"x\"}\nbody = {nb = \"x\", en = \"x\"}\ncondition = \"x\"\nsource = {doc = \"lov\", ref = \"x\"}\n",
                "escalation rules cannot be added",
            ),
            (
                "[[item]]\nkey = \"org.x\"\naudience = \"employee\"\norder = 1\ntitle = {nb = \"x\", en = \"\"}\nwhy = {nb = \"x\", en = \"x\"}\nsource = {doc = \"lov\", ref = \"x\"}\n",
                "title needs text in nb and en",
            ),
            (
                "[[item]]\nkey = \"org.x\"\naudience = \"employee\"\norder = 1\ntitle = {nb = \"x\", en = \"x\"}\nwhy = {nb = \"x\", en = \"x\"}\nsource = {doc = \"nowhere\", ref = \"x\"}\n",
                "is not among the sources",
            ),
            (
                "[[item]]\nkey = \"org.x\"\naudiense = \"employee\"\n",
                "unknown field",
            ),
        ];
        for (body, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            write(
                dir.path(),
                "org.toml",
                &format!("format_version = 1\n{body}"),
            );
            let err = Guidance::load(dir.path()).unwrap_err().to_string();
            assert!(err.contains(expected), "{expected:?} not in {err:?}");
            assert!(
                err.contains("org.toml")
                    || expected.contains("needs")
                    || expected.contains("among"),
                "{err}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "v2.toml", "format_version = 2\n");
        assert!(
            Guidance::load(dir.path())
                .unwrap_err()
                .to_string()
                .contains("format_version 2")
        );
    }
}
