//! A full disk, for real: a small tmpfs mounted for the test (root only; elsewhere the test
//! says it was skipped). Every storage failure exits 8 with a message that says the disk is
//! full and that nothing was changed — and nothing was.

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASS: &str = "correct horse battery staple";

struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn fill(&self, leave: u64) -> PathBuf {
        let free = fs_free(self.path());
        let p = self.path().join(format!("fill-{leave}"));
        std::fs::write(&p, vec![0u8; free.saturating_sub(leave) as usize]).unwrap_or(());
        p
    }

    fn fill_up(&self) -> PathBuf {
        let p = self.path().join("fill-all");
        let _ = Command::new("dd")
            .args(["if=/dev/zero", "bs=4096"])
            .arg(format!("of={}", p.display()))
            .stderr(Stdio::null())
            .status();
        p
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn fs_free(p: &Path) -> u64 {
    let out = Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(p)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn varde(locker: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_varde"))
        .arg("--locker")
        .arg(locker)
        .args(args)
        .env("VARDE_PASSPHRASE", PASS)
        .env("VARDE_NEW_PASSPHRASE", "another quite long passphrase 7")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn says_disk_full(o: &Output) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(8), "{err}");
    assert!(err.contains("disk is full"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
}

#[test]
fn a_full_disk_is_named_and_changes_nothing() {
    let Some(fs) = Tmpfs::mount("8m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let l = fs.path().join("locker");
    ok(&varde(&l, &["init", "--name", "Officer"]));
    let case = ok(&varde(&l, &["case", "new", "--title", "Trusler"]));
    let case = case.trim();
    ok(&varde(
        &l,
        &[
            "incident",
            "add",
            "--case",
            case,
            "--at",
            "2026-11-20 14:30",
            "--channel",
            "sms",
            "--place",
            "SMS",
            "--description",
            "Truende SMS",
        ],
    ));
    let outside = tempfile::tempdir().unwrap();
    let big = outside.path().join("opptak.wav");
    std::fs::write(&big, vec![7u8; 3_000_000]).unwrap();
    let events = |l: &Path| ok(&varde(l, &["log", "--json"])).matches("\"seq\"").count();
    let before = events(&l);

    // Ingest with room for less than the file.
    let fill = fs.fill(1_500_000);
    let o = varde(
        &l,
        &["evidence", "add", "--incident", "1", big.to_str().unwrap()],
    );
    says_disk_full(&o);

    // A disk 100 % full: even reading says so, and leaves no side files behind.
    let all = fs.fill_up();
    let o = varde(&l, &["case", "list"]);
    says_disk_full(&o);
    assert!(!l.join("locker.db-wal").exists());
    let o = varde(&l, &["passphrase", "change"]);
    says_disk_full(&o);
    std::fs::remove_file(all).unwrap();
    std::fs::remove_file(fill).unwrap();

    // With room again: nothing was stored, no event was added, the old passphrase opens.
    assert!(ok(&varde(&l, &["verify"])).contains("0 problem"));
    assert_eq!(events(&l), before);
    assert!(!ok(&varde(&l, &["evidence", "list", "--case", case])).contains("opptak"));

    // Corrections (an earlier version kept, the search index updated) on a disk that fills
    // up while they are made: each one is stored whole, or refused as a full disk.
    let fill = fs.fill(400_000);
    let mut stored = 0;
    let mut refused = None;
    for i in 0..60 {
        let description = format!("{i}: {}", "Truende SMS om bosted og familie. ".repeat(900));
        let o = varde(
            &l,
            &[
                "incident",
                "edit",
                "1",
                "--description",
                &description,
                "--reason",
                "retting",
            ],
        );
        if o.status.success() {
            stored += 1;
        } else {
            refused = Some(o);
            break;
        }
    }
    let o = refused.expect("the disk filled up before 60 corrections");
    eprintln!("disk full after {stored} corrections");
    says_disk_full(&o);
    std::fs::remove_file(fill).unwrap();
    assert!(ok(&varde(&l, &["verify"])).contains("0 problem"));
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&varde(&l, &["incident", "show", "1", "--json"]))).unwrap();
    assert_eq!(shown["earlier_versions"].as_array().unwrap().len(), stored);
    assert_eq!(shown["incident"]["version"], stored + 1);
}
