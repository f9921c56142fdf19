//! Drives the real `varde` binary on temporary lockers.

#![allow(clippy::unwrap_used, missing_docs)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tempfile::TempDir;

const PASS: &str = "correct horse battery staple";

struct Env {
    dir: TempDir,
}

impl Env {
    /// A fresh, initialised locker.
    fn new() -> Env {
        let env = Env::empty();
        env.ok(&["init", "--name", "Test Officer"]);
        env
    }

    fn empty() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn locker(&self) -> PathBuf {
        self.dir.path().join("locker")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_varde"));
        c.arg("--locker").arg(self.locker()).args(args);
        c.env("VARDE_PASSPHRASE", PASS)
            .env_remove("VARDE_ACTOR")
            .env_remove("VARDE_LOCKER");
        c.stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Run, expect exit 0, return stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "varde {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Run, expect exit `code`, return stderr.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "varde {args:?}: stderr {stderr}"
        );
        stderr
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        fs::write(&p, bytes).unwrap();
        p
    }

    fn case(&self) -> String {
        self.ok(&["case", "new", "--title", "Trusler mot ansatt"])
            .trim()
            .to_string()
    }

    fn incident(&self, case: &str) -> String {
        self.ok(&[
            "incident",
            "add",
            "--case",
            case,
            "--at",
            "2026-11-20 14:30",
            "--channel",
            "sms",
            "--place",
            "SMS til jobbtelefon",
            "--description",
            "Truende melding",
            "--wording",
            "Jeg vet hvor du bor",
            "--witness",
            "Kari Nordmann",
        ])
        .trim()
        .to_string()
    }

    fn audit_len(&self) -> usize {
        let v: serde_json::Value = serde_json::from_str(&self.ok(&["log", "--json"])).unwrap();
        v.as_array().unwrap().len()
    }

    fn evidence_json(&self, case: &str) -> Vec<serde_json::Value> {
        serde_json::from_str::<serde_json::Value>(
            &self.ok(&["evidence", "list", "--case", case, "--json"]),
        )
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
    }

    /// Every file of the locker with its bytes, to prove an operation changed nothing.
    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(p: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for e in fs::read_dir(p).unwrap() {
                let e = e.unwrap();
                if e.path().is_dir() {
                    walk(&e.path(), out);
                } else {
                    out.push((e.path(), fs::read(e.path()).unwrap()));
                }
            }
        }
        let mut v = Vec::new();
        walk(&self.locker(), &mut v);
        v.sort();
        v
    }

    fn blob_files(&self) -> Vec<PathBuf> {
        let mut v = Vec::new();
        for shard in fs::read_dir(self.locker().join("blobs")).unwrap().flatten() {
            v.extend(
                fs::read_dir(shard.path())
                    .unwrap()
                    .flatten()
                    .map(|e| e.path()),
            );
        }
        v
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn officer_story_prints_the_documented_forms() {
    let env = Env::new();
    let case = env.case();
    assert!(
        case.starts_with("V-20") && case.len() == "V-2026-0001".len(),
        "{case}"
    );
    let inc = env.incident(&case);
    assert!(inc.parse::<i64>().is_ok(), "incident id: {inc}");

    let shot1 = env.write(
        "skjermdump 1.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\x00\0\0\x02\x00\x08\x02\0\0\0",
    );
    let shot2 = env.write(
        "skjermdump-2.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\x00\0\0\x02\x01\x08\x02\0\0\0",
    );
    let out = env.ok(&[
        "evidence",
        "add",
        "--incident",
        &inc,
        shot1.to_str().unwrap(),
        shot2.to_str().unwrap(),
        "--thread",
        "SMS fra +47 999 99 999",
        "--whole-thread",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for (line, path) in lines.iter().zip([&shot1, &shot2]) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "{line}");
        assert!(cols[0].parse::<i64>().is_ok());
        assert_eq!(cols[1], sha256_hex(&fs::read(path).unwrap()));
        assert_eq!(cols[2], path.file_name().unwrap().to_str().unwrap());
    }

    let list = env.evidence_json(&case);
    assert_eq!(list.len(), 2);
    for (i, item) in list.iter().enumerate() {
        for key in ["id", "incident", "sha256", "size", "original_name"] {
            assert!(item.get(key).is_some(), "missing {key} in {item}");
        }
        assert_eq!(item["incident"].to_string(), inc);
        assert_eq!(item["media_type"], "image/png");
        assert_eq!(item["width"], 256);
        assert_eq!(item["thread_seq"], i as i64 + 1);
        assert_eq!(item["whole_thread"], true);
        assert_eq!(item["acquired_by"], "Test Officer");
    }

    // Extract writes the original back byte-identical.
    let id = list[0]["id"].to_string();
    let out_path = env.path("out.png");
    env.ok(&[
        "evidence",
        "extract",
        &id,
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(fs::read(&out_path).unwrap(), fs::read(&shot1).unwrap());
    // ...and never overwrites.
    env.fails(
        &[
            "evidence",
            "extract",
            &id,
            "--out",
            out_path.to_str().unwrap(),
        ],
        4,
    );

    let verify = env.ok(&["verify"]);
    assert!(verify.starts_with("OK"), "{verify}");

    // The audit log is a chain: each event's prev_hash is the hash before it.
    let log: Vec<serde_json::Value> = serde_json::from_str(&env.ok(&["log", "--json"])).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "locker.init",
            "case.create",
            "incident.add",
            "evidence.add",
            "evidence.add",
            // What Varde read from each screenshot (here: that it has no EXIF).
            "evidence.read",
            "evidence.read",
            "evidence.extract"
        ]
    );
    for pair in log.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
    let shown = env.ok(&["case", "show", &case]);
    assert!(
        shown.contains("Truende melding") && shown.contains("2 evidence"),
        "{shown}"
    );
}

#[test]
fn a_thread_and_a_person_are_corrected_from_the_command_line() {
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    let files: Vec<String> = (1..=3)
        .map(|i| {
            env.write(&format!("s{i}.png"), format!("screenshot {i}").as_bytes())
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut args = vec!["evidence", "add", "--incident", &inc, "--thread", "samtale"];
    args.extend(files.iter().map(String::as_str));
    let ids: Vec<String> = env
        .ok(&args)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    let order = format!("{},{},{}", ids[2], ids[0], ids[1]);
    let out = env.ok(&[
        "evidence",
        "thread",
        "--incident",
        &inc,
        "--thread",
        "samtale",
        "--name",
        "+47 934 12 877",
        "--platform",
        "SMS",
        "--whole-thread",
        "true",
        "--order",
        &order,
        "--reason",
        "Som på telefonen",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("{}\t1\ts3.png", ids[2]));
    assert_eq!(lines[2], format!("{}\t3\ts2.png", ids[1]));
    let list = env.evidence_json(&case);
    assert!(
        list.iter()
            .all(|e| e["thread_id"] == "+47 934 12 877" && e["whole_thread"] == true)
    );
    // An order that leaves one out is refused, in plain words, and changes nothing.
    let before = env.audit_len();
    let bad = env.run(&[
        "evidence",
        "thread",
        "--incident",
        &inc,
        "--thread",
        "+47 934 12 877",
        "--order",
        &ids[0],
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("once"));
    assert_eq!(env.audit_len(), before);

    let person = env.ok(&[
        "person",
        "add",
        "--case",
        &case,
        "--kind",
        "threat_actor",
        "--alias",
        "934 12 877",
    ]);
    env.ok(&[
        "person",
        "edit",
        person.trim(),
        "--name",
        "Ola Nordmann",
        "--reason",
        "Kjent fra politiet",
    ]);
    let persons: serde_json::Value =
        serde_json::from_str(&env.ok(&["person", "list", "--case", &case, "--json"])).unwrap();
    assert_eq!(persons[0]["name"], "Ola Nordmann");
    assert_eq!(
        persons[0]["aliases"][0], "934 12 877",
        "what was not given stays"
    );
    assert!(env.ok(&["log"]).contains("person.edit"));
    assert!(env.ok(&["verify"]).starts_with("OK"));
}

#[test]
fn the_same_bytes_are_stored_once() {
    let env = Env::new();
    let case = env.case();
    let a = env.incident(&case);
    let b = env.incident(&case);
    let f = env.write(
        "mail.eml",
        b"From: x@example.org\nReceived: by mx\nSubject: trussel\n\nDu skal passe deg.\n",
    );
    env.ok(&["evidence", "add", "--incident", &a, f.to_str().unwrap()]);
    env.ok(&["evidence", "add", "--incident", &b, f.to_str().unwrap()]);
    assert_eq!(env.blob_files().len(), 1);
    let before = env.audit_len();
    let again = env.run(&["evidence", "add", "--incident", &a, f.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already evidence"));
    assert_eq!(
        env.audit_len(),
        before,
        "a duplicate in the same incident writes nothing"
    );
    let list = env.evidence_json(&case);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["media_type"], "message/rfc822");
    assert!(env.ok(&["verify"]).starts_with("OK"));
}

#[test]
fn bad_evidence_input_is_refused_and_changes_nothing() {
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    let good = env.write("good.txt", b"trussel");
    let empty = env.write("empty.png", b"");
    fs::create_dir(env.path("folder")).unwrap();
    let before = env.snapshot();

    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![env.path("missing.png").display().to_string()],
            "no such file",
        ),
        (
            vec![env.path("folder").display().to_string()],
            "is a directory",
        ),
        (vec![empty.display().to_string()], "empty"),
        (
            vec![
                good.display().to_string(),
                env.path("missing.png").display().to_string(),
            ],
            "no such file",
        ),
        (
            vec![good.display().to_string(), good.display().to_string()],
            "given twice",
        ),
    ];
    for (files, expect) in cases {
        let mut args = vec!["evidence", "add", "--incident", &inc];
        args.extend(files.iter().map(String::as_str));
        let err = env.fails(&args, 4);
        assert!(err.contains(expect), "{files:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    let err = env.fails(
        &[
            "evidence",
            "add",
            "--incident",
            "999",
            good.to_str().unwrap(),
        ],
        4,
    );
    assert!(err.contains("incident 999 not found"), "{err}");
    env.fails(
        &[
            "evidence",
            "add",
            "--incident",
            "abc",
            good.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        env.snapshot() == before,
        "a refused add must not change the locker"
    );

    // A zero-byte file is accepted only when asked for.
    env.ok(&[
        "evidence",
        "add",
        "--incident",
        &inc,
        "--allow-empty",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(env.evidence_json(&case)[0]["size"], 0);
    assert!(env.ok(&["verify"]).starts_with("OK"));
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_refused() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    let name = std::ffi::OsStr::from_bytes(b"skjerm\xff.png");
    let path = env.dir.path().join(name);
    fs::write(&path, b"x").unwrap();
    let out = env
        .cmd(&["evidence", "add", "--incident", &inc])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));
    assert!(env.evidence_json(&case).is_empty());
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    let p = env.write("secret.png", b"x");
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&p).is_ok() {
        return; // root reads anything: nothing to test here
    }
    let err = env.fails(
        &["evidence", "add", "--incident", &inc, p.to_str().unwrap()],
        4,
    );
    assert!(err.contains("permission denied"), "{err}");
}

#[test]
fn bad_incident_and_case_input_is_refused() {
    let env = Env::new();
    let case = env.case();
    let before = env.audit_len();
    let base = |at: &str, case: &str| -> Vec<String> {
        [
            "incident",
            "add",
            "--case",
            case,
            "--at",
            at,
            "--channel",
            "email",
            "--place",
            "e-post",
            "--description",
            "x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    for (at, c, expect) in [
        ("2026-02-30 10:00", case.as_str(), "invalid date"),
        ("i går", case.as_str(), "invalid date"),
        ("2099-01-01 10:00", case.as_str(), "in the future"),
        ("2026-03-29 02:30", case.as_str(), "does not exist"),
        (
            "2026-01-01 10:00",
            "V-1999-0042",
            "case V-1999-0042 not found",
        ),
    ] {
        let args = base(at, c);
        let err = env.fails(&args.iter().map(String::as_str).collect::<Vec<_>>(), 4);
        assert!(err.contains(expect), "{at}: {err}");
    }
    env.fails(
        &[
            "incident",
            "add",
            "--case",
            &case,
            "--at",
            "2026-01-01 10:00",
            "--channel",
            "pigeon",
            "--place",
            "x",
            "--description",
            "x",
        ],
        2,
    );
    env.fails(&["case", "new", "--title", "  "], 4);
    env.fails(&["case", "show", "V-1999-0001"], 4);
    assert_eq!(env.audit_len(), before);
}

#[test]
fn incident_edits_keep_the_earlier_version() {
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    env.ok(&[
        "incident",
        "edit",
        &inc,
        "--description",
        "Truende SMS om bosted",
        "--perceived",
        "frightening",
    ]);
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["incident", "show", &inc, "--json"])).unwrap();
    assert_eq!(shown["incident"]["version"], 2);
    assert_eq!(shown["incident"]["description"], "Truende SMS om bosted");
    assert_eq!(shown["earlier_versions"][0]["version"], 1);
    assert_eq!(
        shown["earlier_versions"][0]["incident"]["description"],
        "Truende melding"
    );
    assert!(env.ok(&["log"]).contains("incident.edit"));
}

#[test]
fn wrong_or_missing_passphrase_is_exit_3_and_changes_nothing() {
    let env = Env::new();
    let case = env.case();
    let _ = env.incident(&case);
    let before = env.snapshot();
    let out = env
        .cmd(&["case", "list"])
        .env("VARDE_PASSPHRASE", "wrong passphrase!")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("wrong passphrase"), "{err}");
    let out = env
        .cmd(&["case", "list"])
        .env_remove("VARDE_PASSPHRASE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("locked"));
    assert!(env.snapshot() == before);
    // A passphrase file works, with or without a trailing newline.
    let pf = env.write("pass.txt", format!("{PASS}\n").as_bytes());
    let out = env
        .cmd(&["--passphrase-file", pf.to_str().unwrap(), "case", "list"])
        .env_remove("VARDE_PASSPHRASE")
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn not_a_locker_and_newer_locker_have_their_own_exit_codes() {
    let env = Env::empty();
    fs::create_dir(env.locker()).unwrap();
    let err = env.fails(&["case", "list"], 5);
    assert!(err.contains("not a Varde locker"), "{err}");
    fs::write(env.locker().join("locker.json"), b"{\"hello\": 1}").unwrap();
    env.fails(&["case", "list"], 5);
    let env2 = Env::empty();
    env2.fails(&["case", "list"], 5); // directory does not exist

    let env = Env::new();
    let header = env.locker().join("locker.json");
    let text = fs::read_to_string(&header)
        .unwrap()
        .replace("\"version\": 1", "\"version\": 2");
    fs::write(&header, text).unwrap();
    let err = env.fails(&["case", "list"], 6);
    assert!(err.contains("newer version of Varde"), "{err}");

    // init refuses a directory with something in it.
    let env = Env::empty();
    fs::create_dir(env.locker()).unwrap();
    fs::write(env.locker().join("other.txt"), b"x").unwrap();
    env.fails(&["init"], 4);
    assert_eq!(fs::read_dir(env.locker()).unwrap().count(), 1);
}

#[test]
fn passphrase_change_rekeys() {
    let env = Env::new();
    let case = env.case();
    let out = env
        .cmd(&["passphrase", "change"])
        .env("VARDE_NEW_PASSPHRASE", "a new passphrase 2026")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.fails(&["case", "list"], 3);
    let out = env
        .cmd(&["case", "show", &case])
        .env("VARDE_PASSPHRASE", "a new passphrase 2026")
        .output()
        .unwrap();
    assert!(out.status.success());
    let short = env
        .cmd(&["passphrase", "change"])
        .env("VARDE_PASSPHRASE", "a new passphrase 2026")
        .env("VARDE_NEW_PASSPHRASE", "short")
        .output()
        .unwrap();
    assert_eq!(short.status.code(), Some(4));
}

fn flip_byte(path: &Path, at: usize) {
    let mut b = fs::read(path).unwrap();
    let i = at.min(b.len() - 1);
    b[i] ^= 0x01;
    fs::write(path, b).unwrap();
}

#[test]
fn verify_catches_a_flipped_byte_and_a_missing_original() {
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    let a = env.write("a.txt", &vec![b'a'; 200_000]);
    let b = env.write("b.txt", b"second original");
    env.ok(&[
        "evidence",
        "add",
        "--incident",
        &inc,
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    let list = env.evidence_json(&case);
    let blobs = env.blob_files();
    assert_eq!(blobs.len(), 2);
    // Find the blob of item a (the larger file) and flip one byte in its middle.
    let big = blobs
        .iter()
        .max_by_key(|p| fs::metadata(p).unwrap().len())
        .unwrap();
    let small = blobs
        .iter()
        .min_by_key(|p| fs::metadata(p).unwrap().len())
        .unwrap();
    flip_byte(big, 100_000);
    let out = env.run(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("evidence {}", list[0]["id"])),
        "{text}"
    );
    assert!(
        !text.contains(&format!("evidence {}:", list[1]["id"])),
        "only the damaged item: {text}"
    );
    let extract = env.path("a-out.txt");
    env.fails(
        &[
            "evidence",
            "extract",
            &list[0]["id"].to_string(),
            "--out",
            extract.to_str().unwrap(),
        ],
        1,
    );
    assert!(!extract.exists(), "no partial output");

    fs::remove_file(small).unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&env.run(&["verify", "--json"]).stdout).unwrap();
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{report}");
    assert!(
        problems
            .iter()
            .any(|p| p["message"].as_str().unwrap().contains("missing"))
    );
}

/// Kill -9 in the middle of a large ingest: one call is one transaction, so the locker
/// must verify, hold nothing of the interrupted call and no stray temp or blob file, and
/// everything stored before must still extract byte-identical.
#[cfg(unix)]
#[test]
fn kill_9_during_a_large_ingest_leaves_no_half_stored_item() {
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    let earlier = env.write("earlier.png", b"stored before the crash");
    env.ok(&[
        "evidence",
        "add",
        "--incident",
        &inc,
        earlier.to_str().unwrap(),
    ]);
    // Several files so the kill lands after some are fully streamed.
    let mut files = Vec::new();
    for i in 0..4 {
        let p = env.path(&format!("recording-{i}.wav"));
        let f = fs::File::create(&p).unwrap();
        f.set_len(96 << 20).unwrap(); // 96 MiB each, sparse: reads are fast, ingest is not instant
        let mut b = fs::OpenOptions::new().write(true).open(&p).unwrap();
        use std::io::{Seek, SeekFrom, Write};
        b.seek(SeekFrom::Start(1234)).unwrap();
        b.write_all(format!("unique {i}").as_bytes()).unwrap();
        files.push(p);
    }
    let mut child = env
        .cmd(&["evidence", "add", "--incident", &inc])
        .args(&files)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the second file is being streamed, then kill without warning.
    let tmp = env.locker().join("tmp");
    let start = Instant::now();
    loop {
        let big_parts = fs::read_dir(&tmp)
            .unwrap()
            .flatten()
            .filter(|e| e.metadata().map(|m| m.len() > (8 << 20)).unwrap_or(false))
            .count();
        if big_parts >= 2 || start.elapsed() > Duration::from_secs(60) {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the ingest ended before the kill: the test would prove nothing"
    );
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();

    let verify = env.ok(&["verify"]);
    assert!(verify.starts_with("OK"), "{verify}");
    assert_eq!(
        fs::read_dir(&tmp).unwrap().count(),
        0,
        "temp files are cleaned at open"
    );
    let list = env.evidence_json(&case);
    assert_eq!(list.len(), 1, "nothing of the interrupted call is kept");
    assert_eq!(env.blob_files().len(), 1, "no orphan blobs");
    for item in &list {
        let name = item["original_name"].as_str().unwrap();
        let out = env.path(&format!("back-{name}"));
        env.ok(&[
            "evidence",
            "extract",
            &item["id"].to_string(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            sha256_hex(&fs::read(&out).unwrap()),
            item["sha256"].as_str().unwrap()
        );
        fs::remove_file(out).unwrap();
    }
    // The interrupted batch can simply be run again: stored files are recognised.
    env.ok(&[
        "evidence",
        "add",
        "--incident",
        &inc,
        files[0].to_str().unwrap(),
        files[1].to_str().unwrap(),
        files[2].to_str().unwrap(),
        files[3].to_str().unwrap(),
    ]);
    assert_eq!(env.evidence_json(&case).len(), 5);
    assert!(env.ok(&["verify"]).starts_with("OK"));
}

#[test]
fn help_documents_exit_codes_and_usage_errors_are_exit_2() {
    let env = Env::empty();
    let help = env.ok(&["--help"]);
    for line in [
        "0  ok",
        "1  verification failed",
        "2  usage",
        "3  locked",
        "4  bad input",
    ] {
        assert!(help.contains(line), "{line} in {help}");
    }
    env.fails(&["frobnicate"], 2);
    env.fails(&["case", "new"], 2);
}

#[test]
fn a_second_incident_from_the_same_actor_raises_the_police_report_prompt() {
    let env = Env::new();
    let case = env.case();
    let actor = env.ok(&[
        "person",
        "add",
        "--case",
        &case,
        "--kind",
        "threat_actor",
        "--alias",
        "+47 400 00 000",
    ]);
    let actor = actor.trim();
    let add = |at: &str| {
        env.ok(&[
            "incident",
            "add",
            "--case",
            &case,
            "--at",
            at,
            "--channel",
            "phone_call",
            "--place",
            "mobil",
            "--description",
            "Ringte og la på",
            "--actor-person",
            actor,
        ]);
    };
    let keys = || -> Vec<String> {
        let v: serde_json::Value =
            serde_json::from_str(&env.ok(&["escalation", "list", "--case", &case, "--json"]))
                .unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| p["key"].as_str().unwrap().to_string())
            .collect()
    };
    add("2026-11-19 10:00");
    assert!(
        !keys().contains(&"police_report".to_string()),
        "one mild incident: {:?}",
        keys()
    );
    add("2026-11-20 10:00");
    assert!(
        keys().contains(&"police_report".to_string()),
        "persistent: {:?}",
        keys()
    );

    let before = env.audit_len();
    let err = env.fails(
        &[
            "escalation",
            "act",
            "--case",
            &case,
            "police_report",
            "--declined",
        ],
        4,
    );
    assert!(err.contains("reason"), "{err}");
    assert_eq!(env.audit_len(), before);
    env.ok(&[
        "escalation",
        "act",
        "--case",
        &case,
        "police_report",
        "--done",
        "--reference",
        "2026-0042",
    ]);
    assert!(
        !keys().contains(&"police_report".to_string()),
        "acted on: no nagging"
    );
    add("2026-11-21 10:00");
    assert!(
        keys().contains(&"police_report".to_string()),
        "a new incident raises it again"
    );
}

#[test]
fn an_emergency_comes_first_and_the_ledger_exports_as_csv() {
    let env = Env::new();
    let case = env.case();
    env.ok(&[
        "incident",
        "add",
        "--case",
        &case,
        "--at",
        "2026-11-20 10:00",
        "--channel",
        "in_person",
        "--place",
        "resepsjonen",
        "--description",
        "Står utenfor og truer",
        "--emergency",
        "--perceived",
        "threatening",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["escalation", "list", "--case", &case, "--json"])).unwrap();
    assert_eq!(v[0]["key"], "emergency_112");
    assert_eq!(v[0]["phone"], "112");
    env.ok(&[
        "disclosure",
        "add",
        "--case",
        &case,
        "--recipient",
        "Oslo politidistrikt",
        "--recipient-kind",
        "police",
        "--shared",
        "Hendelsesloggen",
        "--basis",
        "other",
        "--basis-text",
        "Anmeldelse",
        "--employee-informed",
        "yes",
    ]);
    let csv = env.ok(&["disclosure", "list", "--case", &case, "--csv"]);
    assert!(csv.lines().count() >= 2, "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().contains("Oslo politidistrikt"),
        "{csv}"
    );
}

#[test]
fn a_self_log_lists_its_one_case_right_after_init() {
    let env = Env::empty();
    env.ok(&["init", "--self-log", "--name", "Kari"]);
    let list = env.ok(&["case", "list"]);
    let rows: Vec<&str> = list.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{list}");
    assert!(rows[0].contains("Meg"), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["case", "list", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["title"], "Meg");
}

#[test]
fn a_closed_pipe_ends_varde_quietly() {
    let env = Env::new();
    // One case list line far larger than a pipe's buffer, so varde is still writing when
    // `head` has gone.
    let title = "x".repeat(100_000);
    env.ok(&["case", "new", "--title", &title]);
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#""$VARDE" --locker "$LOCKER" case list | head -c 20 > /dev/null"#)
        .env("VARDE", env!("CARGO_BIN_EXE_varde"))
        .env("LOCKER", env.locker())
        .env("VARDE_PASSPHRASE", PASS)
        .env_remove("VARDE_ACTOR")
        .env_remove("VARDE_LOCKER")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.is_empty(),
        "varde complained about the pipe: {stderr}"
    );
}

#[test]
fn a_police_report_draft_is_written_and_recorded_as_sent() {
    let env = Env::new();
    env.ok(&[
        "profile",
        "--org-name",
        "Eksempel AS",
        "--org-number",
        "974 760 673",
        "--address",
        "Storgata 1, 0155 Oslo",
    ]);
    // A mistyped organisation number is refused with its own message, and exit 4.
    let err = env.fails(&["profile", "--org-number", "974 760 674"], 4);
    assert!(err.contains("organisation number"), "{err}");
    let case = env.case();
    env.incident(&case);

    let out = env.path("anmeldelse.pdf");
    let printed = env.ok(&[
        "document",
        "police-report",
        "--case",
        &case,
        "--restraining-order",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(printed.contains("anmeldelse.docx"), "{printed}");
    assert!(fs::read(&out).unwrap().starts_with(b"%PDF-"));
    assert!(
        fs::read(env.path("anmeldelse.docx"))
            .unwrap()
            .starts_with(b"PK")
    );
    // The same path again: refused, nothing overwritten.
    env.fails(
        &[
            "document",
            "police-report",
            "--case",
            &case,
            "--out",
            out.to_str().unwrap(),
        ],
        4,
    );
    // A concern report needs a threat actor.
    env.fails(
        &[
            "document",
            "concern-report",
            "--case",
            &case,
            "--out",
            env.path("b.pdf").to_str().unwrap(),
        ],
        4,
    );

    let sent: serde_json::Value = serde_json::from_str(&env.ok(&[
        "document",
        "sent",
        "police_report",
        "--case",
        &case,
        "--recipient",
        "Oslo politidistrikt",
        "--basis",
        "legitimate_interest_legal_claims",
        "--employee-informed",
        "yes",
        "--reference",
        "26-123456",
        "--json",
    ]))
    .unwrap();
    assert_eq!(sent["disclosure"]["recipient"], "Oslo politidistrikt");
    assert_eq!(sent["answered"][0], "police_report");
    let ledger = env.ok(&["disclosure", "list", "--case", &case, "--json"]);
    assert!(ledger.contains("Anmeldelse: 1 hendelse"), "{ledger}");
    // The report prompt is done with the police case number (it was not raised: one
    // incident, no actor; a report made anyway is recorded all the same).
    let log = env.ok(&["log", "--json"]);
    let acts: Vec<serde_json::Value> = serde_json::from_str::<serde_json::Value>(&log)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "escalation.act")
        .cloned()
        .collect();
    assert_eq!(acts.len(), 1);
    assert_eq!(acts[0]["details"]["reference"], "26-123456");
}

#[test]
fn a_case_gets_a_risk_review_and_closing_sets_its_retention_review() {
    let env = Env::new();
    let case = env.case();
    env.fails(&["case", "review", &case, "--on", "2020-01-01"], 4);
    let out = env.ok(&[
        "case",
        "review",
        &case,
        "--on",
        "01.06.2099",
        "--reason",
        "Ny vurdering",
    ]);
    assert!(out.contains("2099-06-01"), "{out}");
    let out = env.ok(&["case", "close", &case, "--retention-review", "2099-07-01"]);
    assert!(out.contains("review for retention on 2099-07-01"), "{out}");
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["case", "show", &case, "--json"])).unwrap();
    let c = if shown["case"].is_object() {
        &shown["case"]
    } else {
        &shown
    };
    assert_eq!(c["review_on"], "2099-06-01");
    assert_eq!(c["retention_review_on"], "2099-07-01");
}

/// The forms scripts rely on for what Varde reads (issue: evidence from the channels
/// threats come through): `evidence show --json` with "derived", `evidence messages
/// --json`, `incident from-message` and `incident from-email`, each printing an id.
#[test]
fn emails_and_chat_exports_are_read_in_the_documented_forms() {
    use varde_read::samples;
    let env = Env::new();
    let case = env.case();
    let eml = env.write("trussel.eml", &samples::eml());
    let inc = env.ok(&[
        "incident",
        "from-email",
        "--case",
        &case,
        eml.to_str().unwrap(),
    ]);
    let inc = inc.trim().to_string();
    assert!(inc.parse::<i64>().is_ok(), "{inc}");
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["incident", "show", &inc, "--json"])).unwrap();
    assert_eq!(shown["incident"]["channel"], "email");
    assert_eq!(shown["incident"]["occurred_local"], "2026-11-21 21:14");
    assert_eq!(shown["incident"]["source"]["message"], 0);
    let email_id = shown["evidence"][0]["id"].as_i64().unwrap().to_string();
    let ev: serde_json::Value =
        serde_json::from_str(&env.ok(&["evidence", "show", &email_id, "--json"])).unwrap();
    assert_eq!(ev["sha256"], sha256_hex(&samples::eml()));
    assert_eq!(ev["derived"]["kind"], "email");
    assert_eq!(ev["derived"]["format"], "eml");
    assert_eq!(ev["derived"]["subject"], "Du skal få betale for dette");
    assert_eq!(
        ev["derived"]["attachments"][0]["name"],
        "bilde av huset.png"
    );
    let att = env.ok(&["evidence", "attachment", &email_id, "0"]);
    let att_ev: serde_json::Value =
        serde_json::from_str(&env.ok(&["evidence", "show", att.trim(), "--json"])).unwrap();
    assert_eq!(att_ev["attachment_of"]["evidence"].to_string(), email_id);
    assert_eq!(att_ev["sha256"], ev["derived"]["attachments"][0]["sha256"]);

    let chat = env.write("WhatsApp-chat.zip", &samples::whatsapp_zip());
    let out = env.ok(&[
        "evidence",
        "add",
        "--incident",
        &inc,
        chat.to_str().unwrap(),
    ]);
    let chat_id = out.split('\t').next().unwrap().to_string();
    let ev: serde_json::Value =
        serde_json::from_str(&env.ok(&["evidence", "show", &chat_id, "--json"])).unwrap();
    assert_eq!(ev["derived"]["kind"], "chat");
    assert_eq!(ev["derived"]["app"], "whatsapp_android");
    let messages: serde_json::Value =
        serde_json::from_str(&env.ok(&["evidence", "messages", &chat_id, "--json"])).unwrap();
    let m = &messages[2];
    assert_eq!(m["index"], 2);
    assert_eq!(m["sender"], "+47 912 34 567");
    assert_eq!(m["time"], "2026-11-21T21:14");
    assert_eq!(
        m["text"],
        "Du vet godt hvem jeg er.\nJeg vet hvor du bor 🔪\nPass deg."
    );
    let made = env.ok(&[
        "incident",
        "from-message",
        "--evidence",
        &chat_id,
        "--message",
        "2",
        "--place",
        "WhatsApp, Karis mobil",
    ]);
    let made: serde_json::Value =
        serde_json::from_str(&env.ok(&["incident", "show", made.trim(), "--json"])).unwrap();
    assert_eq!(made["incident"]["place"], "WhatsApp, Karis mobil");
    assert_eq!(made["incident"]["wording"], m["text"]);
    assert_eq!(made["incident"]["source"]["text_sha256"], m["text_sha256"]);
    assert_eq!(made["incident"]["source"]["sha256"], ev["sha256"]);
    // Past the end: refused in words, nothing made.
    let out = env.run(&[
        "incident",
        "from-message",
        "--evidence",
        &chat_id,
        "--message",
        "9",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no message 9"));
    // A file that is no e-mail.
    let note = env.write("notat.txt", b"bare et notat");
    let out = env.run(&[
        "incident",
        "from-email",
        "--case",
        &case,
        note.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read this file as an e-mail"));
}

#[test]
fn a_legal_hold_is_set_and_lifted_with_a_reason_and_a_second_hold_is_exit_4() {
    let env = Env::new();
    let case = env.case();
    let out = env.ok(&["case", "hold", &case, "--reason", "Politisak 26-1234"]);
    assert!(
        out.contains(&format!("{case}: on legal hold since ")),
        "{out}"
    );
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["case", "show", &case, "--json"])).unwrap();
    assert_eq!(shown["case"]["legal_hold"]["reason"], "Politisak 26-1234");
    let err = env.fails(&["case", "hold", &case, "--reason", "igjen"], 4);
    assert!(err.contains("on legal hold since"), "{err}");
    env.ok(&["case", "release", &case, "--reason", "Henlagt"]);
    env.fails(&["case", "release", &case, "--reason", "igjen"], 4);
    let log = env.ok(&["log"]);
    assert!(
        log.contains("case.hold") && log.contains("case.release"),
        "{log}"
    );
    env.ok(&["verify"]);
}

#[test]
fn a_call_is_noted_from_a_recording_on_the_command_line() {
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    let wav = env.write(
        "samtale.wav",
        &varde_read::samples::wav_recorded("2026-11-21T21:14:00"),
    );
    let id = env
        .ok(&["evidence", "add", "--incident", &inc, wav.to_str().unwrap()])
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    let out = env.ok(&[
        "evidence",
        "call",
        &id,
        "--number",
        "+47 912 34 567",
        "--words",
        "Jeg vet hvor du bor 🔪",
    ]);
    assert_eq!(out.trim(), format!("{inc} 2"));
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["incident", "show", &inc, "--json"])).unwrap();
    assert_eq!(shown["incident"]["channel"], "phone_call");
    assert_eq!(shown["incident"]["wording"], "Jeg vet hvor du bor 🔪");
    assert_eq!(shown["incident"]["occurred_local"], "2026-11-21 21:14");
}

/// The documented deletion: refused with exit 4 while on legal hold (changing nothing),
/// then done with a receipt whose signature the stock `openssl` checks.
#[test]
fn a_case_is_deleted_with_a_receipt_that_openssl_verifies() {
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    let file = env.write("skjermbilde.png", b"the threat, as a screenshot");
    env.ok(&[
        "evidence",
        "add",
        "--incident",
        &inc,
        file.to_str().unwrap(),
    ]);
    env.ok(&["case", "hold", &case, "--reason", "Politisak 12345678"]);
    let before = env.snapshot();
    let receipt = env.path("kvittering.json");
    let err = env.fails(
        &[
            "case",
            "delete",
            &case,
            "--reason",
            "Ferdig",
            "--receipt",
            receipt.to_str().unwrap(),
        ],
        4,
    );
    assert!(err.contains("legal hold"), "{err}");
    assert_eq!(env.snapshot(), before, "a refused deletion changes no byte");
    assert!(!receipt.exists());

    env.ok(&["case", "release", &case, "--reason", "Saken er henlagt"]);
    // A mistyped folder for the receipt is refused before anything is deleted.
    let err = env.fails(
        &[
            "case",
            "delete",
            &case,
            "--reason",
            "Ferdig",
            "--receipt",
            env.path("Dokumentr/kvittering.json").to_str().unwrap(),
        ],
        4,
    );
    assert!(err.contains("is not a directory"), "{err}");
    env.ok(&["case", "show", &case]);
    let out = env.ok(&[
        "case",
        "delete",
        &case,
        "--reason",
        "Oppbevaringstiden er ute",
        "--receipt",
        receipt.to_str().unwrap(),
    ]);
    assert!(
        out.contains(&format!("{case}: deleted (1 incidents")),
        "{out}"
    );
    assert!(env.blob_files().is_empty());
    let verify = env.ok(&["verify"]);
    assert!(verify.starts_with("OK"), "{verify}");
    env.fails(&["case", "show", &case], 4);

    let openssl = |json: &Path| {
        Command::new("openssl")
            .args(["pkeyutl", "-verify", "-pubin", "-inkey"])
            .arg(env.path("kvittering.pem"))
            .args(["-rawin", "-in"])
            .arg(json)
            .arg("-sigfile")
            .arg(env.path("kvittering.sig"))
            .output()
            .unwrap()
    };
    let good = openssl(&receipt);
    assert!(good.status.success(), "{good:?}");
    let text = fs::read_to_string(&receipt).unwrap();
    assert!(text.contains(&case) && text.contains("Oppbevaringstiden er ute"));
    assert!(!text.contains("Jeg vet hvor du bor") && !text.contains("skjermbilde"));
    let forged = env.write("forged.json", text.replace("ute", "inne").as_bytes());
    assert!(!openssl(&forged).status.success());
    assert!(
        fs::read(env.path("kvittering.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
    // The locker keeps it: saved again, the same bytes.
    let again = env.path("igjen.json");
    env.ok(&["case", "receipt", &case, "--out", again.to_str().unwrap()]);
    assert_eq!(fs::read(&again).unwrap(), text.as_bytes());
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Kill -9 while a deletion is under way (its list of blobs to remove is written, the
/// transaction running or just committed): the case is then whole or gone, never half,
/// and the locker verifies either way with no stray blob.
#[cfg(unix)]
#[test]
fn kill_9_during_a_deletion_leaves_the_case_whole_or_gone() {
    let env = Env::new();
    let case = env.case();
    let inc = env.incident(&case);
    let mut files = Vec::new();
    for i in 0..300 {
        files.push(env.write(&format!("bilde-{i:03}.png"), format!("shot {i}").as_bytes()));
    }
    env.cmd(&["evidence", "add", "--incident", &inc])
        .args(&files)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(env.blob_files().len(), 300);
    let master = env.path("master");
    copy_dir(&env.locker(), &master);

    // One uncut run measures how long the deletion runs after its journal appears; the
    // kills are spread over that window.
    let mut window = Duration::ZERO;
    let mut landed = 0;
    let mut outcomes = Vec::new();
    for attempt in 0..9u32 {
        let _ = fs::remove_dir_all(env.locker());
        copy_dir(&master, &env.locker());
        let pending = env.locker().join("pending");
        let mut child = env
            .cmd(&["case", "delete", &case, "--reason", "Ferdig"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait for the deletion's journal, then kill without warning (on later attempts
        // a little later, to land deeper into the transaction).
        let start = Instant::now();
        let mut running = false;
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let journal = fs::read_dir(&pending)
                .map(|d| d.count() > 0)
                .unwrap_or(false);
            if journal {
                if attempt == 0 {
                    let seen = Instant::now();
                    let _ = child.wait();
                    window = seen.elapsed();
                    break;
                }
                std::thread::sleep(window * (attempt - 1) / 8);
                running = child.try_wait().unwrap().is_none();
                break;
            }
            if start.elapsed() > Duration::from_secs(60) {
                break;
            }
            std::thread::sleep(Duration::from_micros(100));
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if running {
            landed += 1;
        }

        let verify = env.ok(&["verify"]);
        assert!(verify.starts_with("OK"), "attempt {attempt}: {verify}");
        let shown = env.run(&["case", "show", &case]);
        if shown.status.success() {
            assert_eq!(env.evidence_json(&case).len(), 300, "whole");
            assert_eq!(env.blob_files().len(), 300);
            outcomes.push("whole");
        } else {
            assert!(env.blob_files().is_empty(), "gone, and its blobs too");
            env.ok(&[
                "case",
                "receipt",
                &case,
                "--out",
                env.path(&format!("r{attempt}.json")).to_str().unwrap(),
            ]);
            outcomes.push("gone");
        }
    }
    assert!(
        landed > 0,
        "no kill landed while the deletion was running: the test proved nothing ({outcomes:?})"
    );
    eprintln!(
        "kill -9 during deletion: {landed} of 8 landed while running (window {window:?}); outcomes {outcomes:?}"
    );
}

/// An access request: the report on a threat actor holds their incidents and evidence,
/// not the incidents that do not concern them, says that exemptions are assessed first,
/// and is audited.
#[test]
fn a_person_report_holds_what_concerns_the_person_and_names_the_exemptions() {
    let env = Env::new();
    let case = env.case();
    let actor = env
        .ok(&[
            "person",
            "add",
            "--case",
            &case,
            "--kind",
            "threat_actor",
            "--name",
            "Ola Nordmann",
        ])
        .trim()
        .to_string();
    env.incident(&case); // not linked to the actor
    let theirs = env
        .ok(&[
            "incident",
            "add",
            "--case",
            &case,
            "--at",
            "2026-11-21 21:14",
            "--channel",
            "sms",
            "--place",
            "Mobilen",
            "--description",
            "SMS fra Ola",
            "--wording",
            "Du skal få svi",
            "--actor-person",
            &actor,
        ])
        .trim()
        .to_string();
    let shot = env.write("skjermbilde-ola.png", b"the actor's message");
    env.ok(&[
        "evidence",
        "add",
        "--incident",
        &theirs,
        shot.to_str().unwrap(),
    ]);
    let events = env.audit_len();
    let out = env.path("innsyn.pdf");
    let said = env.ok(&["person", "report", &actor, "--out", out.to_str().unwrap()]);
    assert!(
        said.contains("Ola Nordmann: 1 incidents, 1 evidence records"),
        "{said}"
    );
    assert_eq!(env.audit_len(), events + 1, "the report is audited");
    let text = String::from_utf8(
        Command::new("pdftotext")
            .arg(&out)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for expected in [
        "Innsyn: Ola Nordmann",
        "Du skal få svi",
        "skjermbilde-ola.png",
        "personopplysningsloven § 16",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    assert!(
        !text.contains("Jeg vet hvor du bor"),
        "an incident not about them"
    );
    env.fails(
        &["person", "report", &actor, "--out", out.to_str().unwrap()],
        4,
    );
}
