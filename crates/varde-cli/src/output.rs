//! Printing: JSON for scripts, aligned plain text for people, a progress line on a terminal.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use serde::Serialize;

/// Print a line for a person, with [`clean`] applied: `println!` for text that may hold
/// what a bundle or a user put in a record.
macro_rules! say {
    () => { println!() };
    ($($t:tt)*) => { println!("{}", $crate::output::clean(&format!($($t)*))) };
}

/// Make text safe for a terminal: control characters (which can retitle the terminal,
/// move the cursor or hide lines), DEL, C1 controls and the bidirectional overrides that
/// reorder what is shown are written as visible `\u{..}` escapes. Line feeds and tabs stay.
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Print a value as pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// Print rows as aligned columns with a header.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        println!("{}", clean(s.trim_end()));
    };
    line(header.to_vec());
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
}

/// A one-line progress display on stderr, only when stderr is a terminal.
pub struct ProgressLine {
    label: &'static str,
    start: Instant,
    last: Option<Instant>,
    enabled: bool,
}

impl ProgressLine {
    /// A new progress line.
    pub fn new(label: &'static str) -> Self {
        ProgressLine {
            label,
            start: Instant::now(),
            last: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    /// Update it (at most ten times a second).
    pub fn update(&mut self, done: u64, total: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self
            .last
            .is_some_and(|l| now.duration_since(l).as_millis() < 100)
            && done < total
        {
            return;
        }
        self.last = Some(now);
        let secs = now.duration_since(self.start).as_secs_f64().max(0.001);
        let pct = if total == 0 {
            100.0
        } else {
            done as f64 * 100.0 / total as f64
        };
        eprint!(
            "\r{}: {:5.1} %  {} of {}  {:.0} MB/s   ",
            self.label,
            pct,
            human_size(done),
            human_size(total),
            done as f64 / 1e6 / secs
        );
        let _ = std::io::stderr().flush();
    }

    /// Clear the line.
    pub fn finish(&self) {
        if self.enabled && self.last.is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}

/// 1536 → "1.5 KB".
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(clean("ok æøå 🔪\tx\ny"), "ok æøå 🔪\tx\ny");
        assert_eq!(clean("\u{1b}]0;pwned\u{7}"), "\\u{1b}]0;pwned\\u{7}");
        assert_eq!(clean("a\rb\u{9b}c\u{202e}d"), "a\\u{d}b\\u{9b}c\\u{202e}d");
    }
}
