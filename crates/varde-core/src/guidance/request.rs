//! A request for information from the police, built on the eight points the hospital
//! guideline lists (whom it concerns, who asks, contact details, purpose, legal basis,
//! register, period, urgency), with the police-register-act bases from the guide as the
//! legal-basis choices. It is rendered as a plain-text document (Norwegian by default)
//! and kept in the case as produced.

use chrono::NaiveDate;
use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::content::{BasisUse, Guidance, Lang, RequestTemplate};
use super::parse_day;
use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid, Item, ItemKind};
use crate::locker::Locker;
use crate::model::str_enum;

/// The eight fields of a request, in order (keys of `request.toml`'s `[[request.field]]`).
pub const FIELDS: [&str; 8] = [
    "concerns",
    "requester",
    "contact",
    "purpose",
    "legal_basis",
    "register",
    "period",
    "urgency",
];

/// The other labels the document uses (keys of `[[request.label]]`).
pub const LABELS: [&str; 14] = [
    "case",
    "date",
    "request_no",
    "name",
    "id_number",
    "position",
    "department",
    "from",
    "to",
    "to_today",
    "needed_by",
    "unknown",
    "signature",
    "conditions",
];

str_enum!(
    /// How soon an answer is needed.
    Urgency {
        /// As soon as possible.
        Urgent,
        /// Within a few days.
        Soon,
        /// Normal processing time.
        Normal,
    }
);

/// The register when the company does not know it (an empty `register`).
pub const UNKNOWN_REGISTER_NB: &str = "ukjent – politiet vurderer";
/// The same in English.
pub const UNKNOWN_REGISTER_EN: &str = "unknown – for the police to assess";

/// What the officer fills in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewInfoRequest {
    /// The person in the case it concerns (usually the threat actor).
    pub person_id: Option<i64>,
    /// The name of whom it concerns; default the person's name.
    pub subject_name: Option<String>,
    /// National identity number (11 digits) or date of birth, if known.
    pub subject_id_number: Option<String>,
    /// Who asks; default the locker's actor.
    pub requester_name: Option<String>,
    /// Their position.
    pub requester_position: String,
    /// Their department.
    pub requester_department: String,
    /// How to reach them (phone, e-mail).
    pub contact: String,
    /// Why the information is needed.
    pub purpose: String,
    /// A `police_request` legal basis key from `legal_bases.toml`.
    pub legal_basis: String,
    /// Why the basis's conditions are met in this case (e.g. for § 27 first paragraph:
    /// the concrete and credible information that a crime will be committed).
    #[serde(default)]
    pub conditions: String,
    /// Which register (e.g. the criminal records register, a named police case).
    pub register: String,
    /// The period, from (`YYYY-MM-DD` or `DD.MM.YYYY`).
    pub period_from: String,
    /// The period, to; default: up to the request date.
    pub period_to: Option<String>,
    /// How soon an answer is needed.
    pub urgency: Urgency,
    /// The answer is needed by this day.
    pub needed_by: Option<String>,
    /// The document's language.
    pub lang: Lang,
}

/// A request as recorded in the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InfoRequest {
    /// Local id.
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// The case.
    pub case_reference: String,
    /// Its number within the case, from 1.
    pub number: i64,
    /// The person in the case it concerns.
    pub person_id: Option<i64>,
    /// Whom it concerns.
    pub subject_name: String,
    /// Their national identity number or date of birth.
    pub subject_id_number: Option<String>,
    /// Who asks.
    pub requester_name: String,
    /// Their position.
    pub requester_position: String,
    /// Their department.
    pub requester_department: String,
    /// How to reach them.
    pub contact: String,
    /// Why.
    pub purpose: String,
    /// The legal basis key.
    pub legal_basis_key: String,
    /// Why the basis's conditions are met (`None` for requests made before Varde asked).
    pub conditions: Option<String>,
    /// Which register.
    pub register: String,
    /// Period from (`YYYY-MM-DD`).
    pub period_from: String,
    /// Period to (`YYYY-MM-DD`); `None`: up to the request date.
    pub period_to: Option<String>,
    /// How soon.
    pub urgency: Urgency,
    /// Needed by (`YYYY-MM-DD`).
    pub needed_by: Option<String>,
    /// The document's language.
    pub lang: Lang,
    /// The document as produced.
    pub document: String,
    /// When it was made.
    pub created_at: String,
    /// By whom.
    pub created_by: String,
}

fn required(v: &str, field: Field) -> Result<String> {
    let v = v.trim();
    if v.is_empty() {
        return Err(Error::invalid(Invalid::Required { field }));
    }
    Ok(v.to_string())
}

fn check_id_number(s: &str) -> Result<()> {
    let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.chars().all(|c| c.is_ascii_digit()) {
        if digits.len() != 11 {
            return Err(Error::invalid(Invalid::IdNumber {
                value: s.to_string(),
            }));
        }
        return Ok(());
    }
    parse_day(s, Field::IdNumber).map(|_| ())
}

/// Wrap `text` at `width` columns, each line prefixed with `indent`.
fn wrap(text: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty()
                && indent.len() + line.chars().count() + 1 + word.chars().count() > width
            {
                out.push_str(indent);
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn day(d: &str, lang: Lang) -> String {
    match (NaiveDate::parse_from_str(d, "%Y-%m-%d"), lang) {
        (Ok(x), Lang::Nb) => x.format("%d.%m.%Y").to_string(),
        (Ok(x), Lang::En) => x.format("%Y-%m-%d").to_string(),
        (Err(_), _) => d.to_string(),
    }
}

/// Render a request as a plain-text document in `lang`.
pub fn render(r: &InfoRequest, g: &Guidance, lang: Lang) -> String {
    const W: usize = 78;
    let t: &RequestTemplate = &g.request;
    let label = |k: &str| RequestTemplate::find(&t.label, k, lang);
    let field = |k: &str| RequestTemplate::find(&t.field, k, lang);
    let ind = "   ";
    let mut s = String::new();
    s.push_str(&t.title.get(lang).to_uppercase());
    s.push_str("\n\n");
    s.push_str(&format!("{}: {}\n", label("case"), r.case_reference));
    s.push_str(&format!("{}: {}\n", label("request_no"), r.number));
    s.push_str(&format!(
        "{}: {}\n\n",
        label("date"),
        day(r.created_at.get(..10).unwrap_or(&r.created_at), lang)
    ));
    s.push_str(&wrap(t.intro.get(lang), "", W));
    let basis = g.basis(&r.legal_basis_key);
    let mut n = 0;
    let mut section = |s: &mut String, key: &str, body: String| {
        n += 1;
        s.push_str(&format!("\n{n}. {}\n", field(key)));
        s.push_str(&body);
    };
    section(
        &mut s,
        "concerns",
        format!(
            "{ind}{}: {}\n{ind}{}: {}\n",
            label("name"),
            r.subject_name,
            label("id_number"),
            r.subject_id_number
                .clone()
                .unwrap_or_else(|| label("unknown").to_string())
        ),
    );
    section(
        &mut s,
        "requester",
        format!(
            "{ind}{}: {}\n{ind}{}: {}\n{ind}{}: {}\n",
            label("name"),
            r.requester_name,
            label("position"),
            r.requester_position,
            label("department"),
            r.requester_department
        ),
    );
    section(&mut s, "contact", wrap(&r.contact, ind, W));
    section(&mut s, "purpose", wrap(&r.purpose, ind, W));
    section(
        &mut s,
        "legal_basis",
        match basis {
            Some(b) => format!(
                "{}{}",
                wrap(b.label.get(lang), ind, W),
                wrap(b.explanation.get(lang), ind, W)
            ),
            None => wrap(&r.legal_basis_key, ind, W),
        } + &r
            .conditions
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map(|c| format!("{ind}{}:\n{}", label("conditions"), wrap(c, ind, W)))
            .unwrap_or_default(),
    );
    section(&mut s, "register", wrap(&r.register, ind, W));
    section(
        &mut s,
        "period",
        format!(
            "{ind}{}: {}\n{ind}{}: {}\n",
            label("from"),
            day(&r.period_from, lang),
            label("to"),
            r.period_to
                .as_deref()
                .map(|d| day(d, lang))
                .unwrap_or_else(|| label("to_today").to_string())
        ),
    );
    let mut urgency = wrap(
        RequestTemplate::find(&t.urgency, r.urgency.as_str(), lang),
        ind,
        W,
    );
    if let Some(d) = &r.needed_by {
        urgency.push_str(&format!("{ind}{}: {}\n", label("needed_by"), day(d, lang)));
    }
    section(&mut s, "urgency", urgency);
    s.push('\n');
    s.push_str(&wrap(t.closing.get(lang), "", W));
    s.push_str(&format!(
        "\n{}: ______________________________\n{}, {}\n",
        label("signature"),
        r.requester_name,
        r.requester_position
    ));
    s
}

const SELECT_REQUEST: &str = "SELECT r.id, r.uid, c.reference,
    (SELECT count(*) FROM info_requests x WHERE x.case_id = r.case_id AND x.id <= r.id),
    r.person_id, r.subject_name, r.subject_id_number, r.requester_name, r.requester_position,
    r.requester_department, r.contact, r.purpose, r.legal_basis_key, r.register, r.period_from,
    r.period_to, r.urgency, r.needed_by, r.lang, r.document, r.created_at, r.created_by,
    r.conditions
    FROM info_requests r JOIN cases c ON c.id = r.case_id";

fn row_to_request(r: &Row<'_>) -> rusqlite::Result<InfoRequest> {
    Ok(InfoRequest {
        id: r.get(0)?,
        uid: r.get(1)?,
        case_reference: r.get(2)?,
        number: r.get(3)?,
        person_id: r.get(4)?,
        subject_name: r.get(5)?,
        subject_id_number: r.get(6)?,
        requester_name: r.get(7)?,
        requester_position: r.get(8)?,
        requester_department: r.get(9)?,
        contact: r.get(10)?,
        purpose: r.get(11)?,
        legal_basis_key: r.get(12)?,
        register: r.get(13)?,
        period_from: r.get(14)?,
        period_to: r.get(15)?,
        urgency: r.get(16)?,
        needed_by: r.get(17)?,
        lang: r.get(18)?,
        document: r.get(19)?,
        created_at: r.get(20)?,
        created_by: r.get(21)?,
        conditions: r.get(22)?,
    })
}

impl Locker {
    /// Check a request, produce its document and record both in the case (audited as
    /// `request.new`; the audit event names the legal basis and the document's SHA-256,
    /// not the person).
    pub fn new_info_request(&mut self, case_ref: &str, n: NewInfoRequest) -> Result<InfoRequest> {
        let case = self.case(case_ref)?;
        let guidance = self.guidance()?;
        let person = match n.person_id {
            Some(id) => {
                let p = self.person(id)?;
                if p.case_id != case.id {
                    return Err(Error::invalid(Invalid::NotInCase {
                        field: Field::Subject,
                        item: Item::new(ItemKind::Person, id),
                        case: case.reference.clone(),
                    }));
                }
                Some(p)
            }
            None => None,
        };
        let subject_name = n
            .subject_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .or_else(|| person.as_ref().and_then(|p| p.name.clone()))
            .ok_or_else(|| {
                Error::invalid(Invalid::Required {
                    field: Field::Subject,
                })
            })?;
        let id_number = n
            .subject_id_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if let Some(x) = &id_number {
            check_id_number(x)?;
        }
        let requester_name = match n.requester_name.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => self.actor.clone(),
        };
        let position = required(&n.requester_position, Field::Position)?;
        let department = required(&n.requester_department, Field::Department)?;
        let contact = required(&n.contact, Field::Contact)?;
        let purpose = required(&n.purpose, Field::Purpose)?;
        let conditions = required(&n.conditions, Field::Conditions)?;
        // The company often cannot know which register holds what; the police decide.
        let register = if n.register.trim().is_empty() {
            match n.lang {
                Lang::Nb => UNKNOWN_REGISTER_NB.to_string(),
                Lang::En => UNKNOWN_REGISTER_EN.to_string(),
            }
        } else {
            required(&n.register, Field::Register)?
        };
        let basis = guidance
            .basis(n.legal_basis.trim())
            .filter(|b| b.applies_to.contains(&BasisUse::PoliceRequest))
            .ok_or_else(|| {
                let keys: Vec<&str> = guidance
                    .bases_for(BasisUse::PoliceRequest)
                    .map(|b| b.key.as_str())
                    .collect();
                Error::invalid(Invalid::UnknownLegalBasis {
                    value: n.legal_basis.trim().to_string(),
                    choices: keys.join(", "),
                })
            })?
            .key
            .clone();
        let today = self.clock.now().date_naive();
        let from = parse_day(&n.period_from, Field::Period)?;
        let to = match n
            .period_to
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => Some(parse_day(s, Field::Period)?),
            None => None,
        };
        if from > today {
            return Err(Error::invalid(Invalid::PeriodInFuture {
                value: from.to_string(),
            }));
        }
        if let Some(t) = to
            && t < from
        {
            return Err(Error::invalid(Invalid::PeriodOrder {
                from: from.to_string(),
                to: t.to_string(),
            }));
        }
        let needed_by = match n
            .needed_by
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => {
                let d = parse_day(s, Field::NeededBy)?;
                if d < today {
                    return Err(Error::invalid(Invalid::DayPassed {
                        field: Field::NeededBy,
                        value: d.to_string(),
                    }));
                }
                Some(d)
            }
            None => None,
        };
        let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let number: i64 = self.conn.query_row(
            "SELECT count(*) + 1 FROM info_requests WHERE case_id = ?1",
            [case.id],
            |r| r.get(0),
        )?;
        let mut req = InfoRequest {
            id: 0,
            uid: uuid::Uuid::new_v4().to_string(),
            case_reference: case.reference.clone(),
            number,
            person_id: person.as_ref().map(|p| p.id),
            subject_name,
            subject_id_number: id_number,
            requester_name,
            requester_position: position,
            requester_department: department,
            contact,
            purpose,
            legal_basis_key: basis,
            conditions: Some(conditions),
            register,
            period_from: fmt(from),
            period_to: to.map(fmt),
            urgency: n.urgency,
            needed_by: needed_by.map(fmt),
            lang: n.lang,
            document: String::new(),
            created_at: crate::clock::fmt_time(&self.clock.now()),
            created_by: self.actor.clone(),
        };
        let id = self.write(|w| {
            req.created_at = w.time.clone();
            req.created_by = w.actor.clone();
            req.document = render(&req, &guidance, req.lang);
            w.tx.execute(
                "INSERT INTO info_requests (uid, case_id, person_id, subject_name, subject_id_number, requester_name,
                   requester_position, requester_department, contact, purpose, legal_basis_key, register,
                   period_from, period_to, urgency, needed_by, lang, document, created_at, created_by, conditions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
                params![
                    req.uid,
                    case.id,
                    req.person_id,
                    req.subject_name,
                    req.subject_id_number,
                    req.requester_name,
                    req.requester_position,
                    req.requester_department,
                    req.contact,
                    req.purpose,
                    req.legal_basis_key,
                    req.register,
                    req.period_from,
                    req.period_to,
                    req.urgency,
                    req.needed_by,
                    req.lang,
                    req.document,
                    req.created_at,
                    req.created_by,
                    req.conditions,
                ],
            )?;
            let id = w.tx.last_insert_rowid();
            w.audit(
                "request.new",
                &format!("case:{}", case.reference),
                json!({
                    "request_id": id,
                    "uid": req.uid,
                    "legal_basis": req.legal_basis_key,
                    "urgency": req.urgency.as_str(),
                    "lang": req.lang.as_str(),
                    "document_sha256": hex::encode(Sha256::digest(req.document.as_bytes())),
                }),
            )?;
            Ok(id)
        })?;
        self.info_request(id)
    }

    /// A recorded request by id.
    pub fn info_request(&self, id: i64) -> Result<InfoRequest> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_REQUEST} WHERE r.id = ?1"))?;
        let mut rows = stmt.query_map([id], row_to_request)?;
        rows.next()
            .transpose()?
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Request, id))
    }

    /// A case's requests, oldest first.
    pub fn info_requests(&self, case_ref: &str) -> Result<Vec<InfoRequest>> {
        let case = self.case(case_ref)?;
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_REQUEST} WHERE r.case_id = ?1 ORDER BY r.id"
        ))?;
        let rows = stmt.query_map([case.id], row_to_request)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::guidance::testing::locker;
    use crate::model::PersonKind;
    use crate::persons::NewPerson;

    fn filled(person: Option<i64>) -> NewInfoRequest {
        NewInfoRequest {
            person_id: person,
            subject_name: None,
            subject_id_number: Some("01017012345".into()),
            requester_name: Some("Kari Sikkerhet".into()),
            requester_position: "Sikkerhetssjef".into(),
            requester_department: "Sikkerhetsavdelingen".into(),
            contact: "22 00 00 00, sikkerhet@firma.example".into(),
            purpose: "Vurdere sikkerhetstiltak for en ansatt som har mottatt trusler.".into(),
            legal_basis: "politiregisterloven_27_2_nr2".into(),
            conditions:
                "Personen har sendt tre trusler på ti dager og sier han vil komme til kontoret."
                    .into(),
            register: "Straffesaksregisteret".into(),
            period_from: "01.01.2025".into(),
            period_to: None,
            urgency: Urgency::Soon,
            needed_by: Some("2026-03-20".into()),
            lang: Lang::Nb,
        }
    }

    fn with_actor() -> (tempfile::TempDir, Locker, String, i64) {
        let (d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        let p = l
            .add_person(
                &c.reference,
                NewPerson {
                    kind: Some(PersonKind::ThreatActor),
                    name: Some("Ola Truer".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        (d, l, c.reference, p.id)
    }

    #[test]
    fn renders_the_eight_fields_in_norwegian_and_records_it() {
        let (_d, mut l, case, actor) = with_actor();
        let r = l.new_info_request(&case, filled(Some(actor))).unwrap();
        assert_eq!((r.number, r.subject_name.as_str()), (1, "Ola Truer"));
        let doc = &r.document;
        assert!(doc.starts_with("ANMODNING OM UTLEVERING AV OPPLYSNINGER FRA POLITIET\n"));
        for (i, heading) in [
            "Hvem anmodningen gjelder",
            "Hvem som ber om opplysningene",
            "Kontaktinformasjon",
            "Formålet med anmodningen",
            "Rettslig grunnlag",
            "Hvilket register anmodningen gjelder",
            "Tidsrom",
            "Hvor raskt svar trengs",
        ]
        .iter()
        .enumerate()
        {
            assert!(
                doc.contains(&format!("\n{}. {heading}\n", i + 1)),
                "{heading}"
            );
        }
        for needle in [
            "Derfor mener vi vilkårene er oppfylt:",
            "tre trusler på ti dager",
            "Ola Truer",
            "01017012345",
            "Sikkerhetssjef",
            "Sikkerhetsavdelingen",
            "Politiregisterloven § 27 annet ledd nr. 2",
            "Straffesaksregisteret",
            "Fra: 01.01.2025",
            "Til: i dag",
            "Svar trengs innen: 20.03.2026",
            "Dato: 10.03.2026",
        ] {
            assert!(doc.contains(needle), "{needle:?} in\n{doc}");
        }
        assert!(doc.lines().all(|line| line.chars().count() <= 78), "{doc}");
        assert_eq!(l.info_requests(&case).unwrap(), std::slice::from_ref(&r));
        let ev = l
            .audit_log(Some(&format!("case:{case}")))
            .unwrap()
            .into_iter()
            .find(|e| e.action == "request.new")
            .unwrap();
        assert_eq!(
            ev.details["document_sha256"],
            hex::encode(Sha256::digest(r.document.as_bytes()))
        );
        assert!(!ev.details.to_string().contains("01017012345"));
        let second = l.new_info_request(&case, filled(None)).unwrap_err();
        assert!(second.to_string().contains("whom"), "{second}");
    }

    #[test]
    fn renders_in_english_on_request() {
        let (_d, mut l, case, actor) = with_actor();
        let r = l
            .new_info_request(
                &case,
                NewInfoRequest {
                    lang: Lang::En,
                    period_to: Some("2026-03-01".into()),
                    subject_id_number: None,
                    ..filled(Some(actor))
                },
            )
            .unwrap();
        for needle in [
            "REQUEST FOR DISCLOSURE OF INFORMATION FROM THE POLICE",
            "1. Whom the request concerns",
            "National identity number / date of birth: unknown",
            "From: 2025-01-01",
            "To: 2026-03-01",
            "Police Databases Act § 27 second paragraph no. 2",
        ] {
            assert!(r.document.contains(needle), "{needle:?} in\n{}", r.document);
        }
    }

    #[test]
    fn refuses_an_incomplete_or_wrong_request() {
        let (_d, mut l, case, actor) = with_actor();
        let base = || filled(Some(actor));
        let bad = [
            (
                NewInfoRequest {
                    requester_position: " ".into(),
                    ..base()
                },
                "position",
            ),
            (
                NewInfoRequest {
                    requester_department: String::new(),
                    ..base()
                },
                "department",
            ),
            (
                NewInfoRequest {
                    contact: String::new(),
                    ..base()
                },
                "contact",
            ),
            (
                NewInfoRequest {
                    purpose: String::new(),
                    ..base()
                },
                "purpose",
            ),
            (
                NewInfoRequest {
                    legal_basis: "consent".into(),
                    ..base()
                },
                "is not a legal basis here",
            ),
            (
                NewInfoRequest {
                    conditions: " ".into(),
                    ..base()
                },
                "why the conditions are met",
            ),
            (
                NewInfoRequest {
                    subject_id_number: Some("1234".into()),
                    ..base()
                },
                "11 digits",
            ),
            (
                NewInfoRequest {
                    period_from: "2026-02-01".into(),
                    period_to: Some("2026-01-01".into()),
                    ..base()
                },
                "before it starts",
            ),
            (
                NewInfoRequest {
                    period_from: "2027-01-01".into(),
                    ..base()
                },
                "after today",
            ),
            (
                NewInfoRequest {
                    needed_by: Some("2026-03-01".into()),
                    ..base()
                },
                "has passed",
            ),
        ];
        for (n, expected) in bad {
            let err = l.new_info_request(&case, n).unwrap_err().to_string();
            assert!(err.contains(expected), "{expected:?} not in {err:?}");
        }
        assert!(l.info_requests(&case).unwrap().is_empty());
        // A date of birth instead of the number is fine.
        l.new_info_request(
            &case,
            NewInfoRequest {
                subject_id_number: Some("01.01.1970".into()),
                ..base()
            },
        )
        .unwrap();
    }
}
