//! A strict check of a zip file's structure, run on the raw bytes before any zip library
//! reads the file.
//!
//! Why this exists: a zip holds every file's name, method and sizes twice — in a local
//! header in front of its data, and in the central directory at the end — and zip readers
//! differ in which copy they believe. The `zip` crate (and `unzip`) read the central
//! directory; streaming readers (Java's `ZipInputStream`, some forensic and mail tools) walk
//! the local headers from the start of the file. A crafted zip can therefore show one set
//! of files to Varde and another to a police officer's tools: a local header that names
//! another file, a local header with its data smuggled in between entries and missing from
//! the central directory, two central entries for the same bytes, a stub before the first
//! entry or data after the end record. Many central entries sharing one deflate stream also
//! make a small file expand to any size. No zip library offers a strict mode that refuses
//! all of these (they aim to read as much as possible, which is the opposite), so this check
//! is written by hand, after APPNOTE 6.3.10.
//!
//! What it requires: one disk; an end record that is the last 22 bytes of the file (no zip
//! comment: Varde never writes one, and a comment can hide a second end record); a ZIP64
//! end record and locator, if any, right before it and agreeing with it in every value;
//! the central directory ending exactly where the (ZIP64) end record starts; its entries
//! in the order of their data, the first at offset 0, each local header + name + extra +
//! data (+ data descriptor) ending exactly where the next local header starts, the last
//! where the central directory starts; every local header agreeing with its central entry
//! (name, flags, compression method, CRC-32 and sizes, or a data descriptor that does);
//! well-formed extra fields, ZIP64 fields exactly as the headers call for them, no Unicode
//! path field that names another file; no encryption; and all files together expanding to
//! at most [`MAX_RATIO`] times the size of the zip (and never more than [`MAX_TOTAL`]).
//!
//! It is bounded: it reads only headers (seek and small reads through two small windows,
//! one for the central directory and one for local headers), never data, and stops at
//! [`MAX_ENTRIES`] entries. It never panics: every offset is computed with checked
//! arithmetic and every slice taken with `get`.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use super::source::{MAX_ENTRIES, MAX_RATIO, MAX_TOTAL};

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const DESCRIPTOR_SIG: u32 = 0x0807_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD64_SIG: u32 = 0x0606_4b50;
const LOCATOR_SIG: u32 = 0x0706_4b50;

const LOCAL_LEN: usize = 30;
const CENTRAL_LEN: usize = 46;
const EOCD_LEN: usize = 22;
const LOCATOR_LEN: usize = 20;
/// A ZIP64 end record without extensible data (which Varde does not accept).
const EOCD64_LEN: usize = 56;
/// The longest a zip comment can be.
const MAX_COMMENT: usize = 0xFFFF;

const ZIP64_EXTRA: u16 = 0x0001;
const UNICODE_PATH_EXTRA: u16 = 0x7075;

const FLAG_ENCRYPTED: u16 = 1;
const FLAG_DESCRIPTOR: u16 = 1 << 3;
const FLAG_STRONG_ENCRYPTION: u16 = 1 << 6;
const FLAG_MASKED_HEADERS: u16 = 1 << 13;

const U16_SENTINEL: u16 = 0xFFFF;
const U32_SENTINEL: u32 = 0xFFFF_FFFF;

/// At most this many problems with single entries are listed; the rest are counted.
const MAX_LISTED: usize = 20;

/// Check the structure of the zip in `file` (see the module documentation). `Err` holds
/// every problem found, in plain English; the file's position afterwards is unspecified.
pub(crate) fn check(file: &mut File) -> Result<(), Vec<String>> {
    let mut p = Problems::default();
    match run(file, &mut p) {
        Ok(()) => {}
        Err(Stop::Io(e)) => p.always(format!("the zip cannot be read: {e}")),
        Err(Stop::Fatal(m)) => p.always(m),
    }
    p.finish()
}

/// Why the check stopped early.
enum Stop {
    Io(std::io::Error),
    /// The structure is too broken to go on; the message says why.
    Fatal(String),
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Self {
        Stop::Io(e)
    }
}

fn fatal(m: impl Into<String>) -> Stop {
    Stop::Fatal(m.into())
}

fn damaged(why: &str) -> Stop {
    fatal(format!("the zip is damaged or truncated ({why})"))
}

#[derive(Default)]
struct Problems {
    list: Vec<String>,
    unlisted: usize,
    entries: usize,
}

impl Problems {
    /// A problem with one entry: listed while there are few.
    fn entry(&mut self, m: String) {
        if self.entries < MAX_LISTED {
            self.list.push(m);
        } else {
            self.unlisted += 1;
        }
        self.entries += 1;
    }

    /// A problem with the whole zip: always listed.
    fn always(&mut self, m: String) {
        self.list.push(m);
    }

    fn finish(mut self) -> Result<(), Vec<String>> {
        if self.unlisted > 0 {
            self.list.push(format!(
                "and {} more problems with the zip's entries",
                self.unlisted
            ));
        }
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(self.list)
        }
    }
}

/// A few bytes of the file around a position, read in chunks so that neighbouring headers
/// cost one read.
struct Window {
    start: u64,
    buf: Vec<u8>,
    chunk: usize,
}

impl Window {
    fn new(chunk: usize) -> Self {
        Window {
            start: 0,
            buf: Vec::new(),
            chunk,
        }
    }

    /// `n` bytes at `pos`, or `None` when they lie (partly) past the end of the file.
    fn get(
        &mut self,
        file: &mut File,
        file_len: u64,
        pos: u64,
        n: usize,
    ) -> std::io::Result<Option<&[u8]>> {
        let Some(end) = pos.checked_add(n as u64) else {
            return Ok(None);
        };
        if end > file_len {
            return Ok(None);
        }
        let have_end = self.start.saturating_add(self.buf.len() as u64);
        if pos < self.start || end > have_end {
            let left = file_len.saturating_sub(pos);
            let want =
                usize::try_from(left).map_or(n.max(self.chunk), |l| l.min(n.max(self.chunk)));
            self.buf.clear();
            self.buf.resize(want, 0);
            file.seek(SeekFrom::Start(pos))?;
            file.read_exact(&mut self.buf)?;
            self.start = pos;
        }
        let Ok(from) = usize::try_from(pos.saturating_sub(self.start)) else {
            return Ok(None);
        };
        Ok(from.checked_add(n).and_then(|to| self.buf.get(from..to)))
    }
}

/// Little-endian fields of a slice; a field past its end reads as 0 (the callers only read
/// fields inside slices they fetched at full length, so that never happens).
fn u16_at(b: &[u8], at: usize) -> u16 {
    at.checked_add(2)
        .and_then(|end| b.get(at..end))
        .and_then(|s| <[u8; 2]>::try_from(s).ok())
        .map_or(0, u16::from_le_bytes)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    at.checked_add(4)
        .and_then(|end| b.get(at..end))
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map_or(0, u32::from_le_bytes)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    at.checked_add(8)
        .and_then(|end| b.get(at..end))
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map_or(0, u64::from_le_bytes)
}

/// An entry's name as it is shown in a problem.
fn shown(name: &[u8], index: u64) -> String {
    if name.is_empty() {
        format!("zip entry {index} (which has no name)")
    } else {
        String::from_utf8_lossy(name).escape_debug().to_string()
    }
}

/// The extra fields of one header that matter here.
struct Extras<'a> {
    /// The data of the ZIP64 extended information field.
    zip64: Option<&'a [u8]>,
}

/// Walk a header's extra fields. `Err` says what is wrong, to follow "<entry> has ".
fn parse_extras<'a>(extra: &'a [u8], name: &[u8]) -> Result<Extras<'a>, String> {
    let mut out = Extras { zip64: None };
    let mut rest = extra;
    while !rest.is_empty() {
        let Some(head) = rest.get(..4) else {
            return Err("a malformed extra field (a few stray bytes at its end)".into());
        };
        let id = u16_at(head, 0);
        let size = usize::from(u16_at(head, 2));
        let Some(data) = rest.get(4..4 + size) else {
            return Err(format!(
                "a malformed extra field (field {id:#06x} runs past the end)"
            ));
        };
        if id == ZIP64_EXTRA && out.zip64.replace(data).is_some() {
            return Err("two zip64 extra fields".into());
        }
        if id == UNICODE_PATH_EXTRA {
            match data.get(5..) {
                None => return Err("a malformed Unicode path extra field".into()),
                Some(other) if other != name => {
                    return Err(format!(
                        "a second name, {:?}, in a Unicode path extra field (zip tools that \
                         read it would show another file)",
                        String::from_utf8_lossy(other)
                    ));
                }
                Some(_) => {}
            }
        }
        rest = rest.get(4 + size..).unwrap_or_default();
    }
    Ok(out)
}

/// One central directory entry, with its ZIP64 values resolved.
struct Central {
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

fn run(file: &mut File, p: &mut Problems) -> Result<(), Stop> {
    let file_len = file.metadata()?.len();

    // The end of central directory record: the last 22 bytes.
    let tail_len =
        usize::try_from(file_len).map_or(EOCD_LEN + MAX_COMMENT, |l| l.min(EOCD_LEN + MAX_COMMENT));
    if tail_len < EOCD_LEN {
        return Err(damaged("it is too short to be a zip"));
    }
    let tail_start = file_len.saturating_sub(tail_len as u64);
    let mut tail = vec![0u8; tail_len];
    file.seek(SeekFrom::Start(tail_start))?;
    file.read_exact(&mut tail)?;
    let eocd_at = tail_len - EOCD_LEN;
    let eocd = tail.get(eocd_at..).unwrap_or_default();
    if u32_at(eocd, 0) != EOCD_SIG || u16_at(eocd, 20) != 0 {
        return Err(explain_missing_eocd(&tail, tail_start, file_len));
    }
    let eocd_pos = tail_start.saturating_add(eocd_at as u64);
    let disk = u16_at(eocd, 4);
    let cd_disk = u16_at(eocd, 6);
    let disk_entries = u16_at(eocd, 8);
    let entries = u16_at(eocd, 10);
    let cd_size = u32_at(eocd, 12);
    let cd_offset = u32_at(eocd, 16);

    // A ZIP64 end record and its locator, just before the end record.
    let mut win = Window::new(64 << 10);
    let locator = match eocd_pos.checked_sub(LOCATOR_LEN as u64) {
        Some(at) => win
            .get(file, file_len, at, LOCATOR_LEN)?
            .filter(|b| u32_at(b, 0) == LOCATOR_SIG)
            .map(|b| (at, u32_at(b, 4), u64_at(b, 8), u32_at(b, 16))),
        None => None,
    };
    let (count, cd_size, cd_offset, cd_end) = match locator {
        None => {
            if disk != 0 || cd_disk != 0 || disk_entries != entries {
                return Err(multi_disk());
            }
            (
                u64::from(entries),
                u64::from(cd_size),
                u64::from(cd_offset),
                eocd_pos,
            )
        }
        Some((locator_pos, eocd64_disk, eocd64_pos, disks)) => {
            // Info-ZIP writes a ZIP64 end record for input of unknown size even when the
            // end record needs none (no field holds 0xFFFF…); readers that ignore it then
            // read the end record alone, so every value of it must agree (checked below).
            if eocd64_disk != 0 || disks > 1 {
                return Err(multi_disk());
            }
            if eocd64_pos.checked_add(EOCD64_LEN as u64) != Some(locator_pos) {
                return Err(fatal(
                    "the zip's ZIP64 end record is not right before its locator (hidden data, \
                     or extensible data Varde does not read)",
                ));
            }
            let Some(rec) = win.get(file, file_len, eocd64_pos, EOCD64_LEN)? else {
                return Err(damaged("its ZIP64 end record is missing"));
            };
            if u32_at(rec, 0) != EOCD64_SIG || u64_at(rec, 4) != (EOCD64_LEN - 12) as u64 {
                return Err(damaged("its ZIP64 end record is damaged"));
            }
            let (disk64, cd_disk64) = (u32_at(rec, 16), u32_at(rec, 20));
            let (disk_entries64, entries64) = (u64_at(rec, 24), u64_at(rec, 32));
            let (cd_size64, cd_offset64) = (u64_at(rec, 40), u64_at(rec, 48));
            if disk64 != 0 || cd_disk64 != 0 || disk_entries64 != entries64 {
                return Err(multi_disk());
            }
            let agrees16 = |v: u16, w: u64| v == U16_SENTINEL || u64::from(v) == w;
            let agrees32 = |v: u32, w: u64| v == U32_SENTINEL || u64::from(v) == w;
            if !(agrees16(disk, 0)
                && agrees16(cd_disk, 0)
                && agrees16(disk_entries, entries64)
                && agrees16(entries, entries64)
                && agrees32(cd_size, cd_size64)
                && agrees32(cd_offset, cd_offset64))
            {
                return Err(fatal(
                    "the zip's end record and its ZIP64 end record disagree (zip tools would \
                     see different contents)",
                ));
            }
            // A reader that ignores an unannounced ZIP64 end record (the `zip` crate does)
            // looks for the central directory where it would end at the end record; there
            // must be no central directory header there, or it would read another one.
            let announced =
                entries == U16_SENTINEL || cd_size == U32_SENTINEL || cd_offset == U32_SENTINEL;
            if !announced && entries64 > 0 {
                let elsewhere = eocd_pos.saturating_sub(u64::from(cd_size));
                if win
                    .get(file, file_len, elsewhere, 4)?
                    .is_some_and(|b| u32_at(b, 0) == CENTRAL_SIG)
                {
                    return Err(fatal(
                        "the zip's central directory can be read from two places (zip tools \
                         would disagree on its contents)",
                    ));
                }
            }
            (entries64, cd_size64, cd_offset64, eocd64_pos)
        }
    };
    if count > MAX_ENTRIES as u64 {
        return Err(fatal(format!(
            "the zip has {count} entries, more than the {MAX_ENTRIES} a bundle may have"
        )));
    }
    match cd_offset.checked_add(cd_size) {
        Some(end) if end == cd_end => {}
        Some(end) if end < cd_end => {
            return Err(fatal(format!(
                "{} bytes between the zip's central directory and its end record belong to \
                 neither (hidden data)",
                cd_end - end
            )));
        }
        _ => return Err(damaged("its central directory runs past its end record")),
    }
    if count.saturating_mul(CENTRAL_LEN as u64) > cd_size {
        return Err(damaged(
            "its central directory is too short for its entries",
        ));
    }

    // The entries, in central directory order, each against its local header.
    let mut local = Window::new(4 << 10);
    let mut pos = cd_offset;
    // Where the next local header must start, while that is known.
    let mut next: Option<u64> = Some(0);
    let mut prev_name: Vec<u8> = Vec::new();
    let mut total: u64 = 0;
    for i in 0..count {
        let Some(head) = win.get(file, file_len, pos, CENTRAL_LEN)? else {
            return Err(damaged("its central directory is cut short"));
        };
        if u32_at(head, 0) != CENTRAL_SIG {
            return Err(damaged(&format!(
                "central directory entry {i} is not where the one before it ends"
            )));
        }
        let name_len = usize::from(u16_at(head, 28));
        let extra_len = usize::from(u16_at(head, 30));
        let comment_len = usize::from(u16_at(head, 32));
        let disk_start = u16_at(head, 34);
        let mut c = Central {
            flags: u16_at(head, 8),
            method: u16_at(head, 10),
            crc: u32_at(head, 16),
            compressed: u64::from(u32_at(head, 20)),
            size: u64::from(u32_at(head, 24)),
            offset: u64::from(u32_at(head, 42)),
        };
        let (raw_compressed, raw_size, raw_offset) =
            (u32_at(head, 20), u32_at(head, 24), u32_at(head, 42));
        let var_len = name_len + extra_len + comment_len;
        let record_len = (CENTRAL_LEN + var_len) as u64;
        let Some(record_end) = pos.checked_add(record_len).filter(|&e| e <= cd_end) else {
            return Err(damaged("its central directory is cut short"));
        };
        let Some(var) = win.get(file, file_len, pos + CENTRAL_LEN as u64, var_len)? else {
            return Err(damaged("its central directory is cut short"));
        };
        let name = var.get(..name_len).unwrap_or_default().to_vec();
        let extra = var.get(name_len..name_len + extra_len).unwrap_or_default();
        let who = shown(&name, i);
        pos = record_end;

        // ZIP64 values, exactly those the header marks.
        let extras = match parse_extras(extra, &name) {
            Ok(x) => x,
            Err(why) => {
                p.entry(format!("{who} has {why} in the central directory"));
                next = None;
                continue;
            }
        };
        let wanted = [
            raw_size == U32_SENTINEL,
            raw_compressed == U32_SENTINEL,
            raw_offset == U32_SENTINEL,
        ];
        let need = wanted.iter().filter(|w| **w).count() * 8
            + if disk_start == U16_SENTINEL { 4 } else { 0 };
        match extras.zip64 {
            None if need == 0 => {}
            Some(z) if z.len() == need => {
                let mut at = 0;
                for (k, w) in wanted.iter().enumerate() {
                    if !*w {
                        continue;
                    }
                    let v = u64_at(z, at);
                    match k {
                        0 => c.size = v,
                        1 => c.compressed = v,
                        _ => c.offset = v,
                    }
                    at += 8;
                }
                if disk_start == U16_SENTINEL && u32_at(z, at) != 0 {
                    return Err(multi_disk());
                }
            }
            _ => {
                p.entry(format!(
                    "{who} has a zip64 extra field in the central directory that does not match \
                     its header (zip tools would read other sizes or offsets)"
                ));
                next = None;
                continue;
            }
        }
        if disk_start != 0 && disk_start != U16_SENTINEL {
            return Err(multi_disk());
        }
        total = total.saturating_add(c.size);
        if c.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS) != 0 {
            p.entry(format!("{who} is encrypted"));
        }

        // Its place: right after the entry before it. After an overlap the next entry must
        // still start after the furthest end seen, so the overlap is not reported twice.
        let mut floor = 0;
        if let Some(expected) = next {
            if c.offset > expected {
                let gap = c.offset - expected;
                if i == 0 {
                    p.entry(format!(
                        "{gap} bytes come before the zip's first entry, {who} (a \
                         self-extracting stub or hidden data, which other zip tools may read)"
                    ));
                } else {
                    p.entry(format!(
                        "{gap} bytes between {} and {who} are not in the central directory \
                         (a hidden local header and data, which other zip tools would show)",
                        shown(&prev_name, i - 1)
                    ));
                }
            } else if c.offset < expected {
                floor = expected;
                p.entry(format!(
                    "{who} starts before the end of {}, the entry before it (overlapping \
                     entries: its bytes also belong to another entry, or the entries are out of \
                     order)",
                    shown(&prev_name, i.saturating_sub(1))
                ));
            }
        }
        next = None;
        prev_name = name;
        let name = prev_name.as_slice();
        if c.offset >= cd_offset {
            p.entry(format!(
                "{who} points into the central directory instead of to its local header"
            ));
            continue;
        }

        // Its local header, against the central entry.
        let Some(lh) = local.get(file, file_len, c.offset, LOCAL_LEN)? else {
            p.entry(format!("{who} has no local header (the zip is damaged)"));
            continue;
        };
        if u32_at(lh, 0) != LOCAL_SIG {
            p.entry(format!(
                "{who} has no local header where the central directory says (the zip is damaged)"
            ));
            continue;
        }
        let l_flags = u16_at(lh, 6);
        let l_method = u16_at(lh, 8);
        let l_crc = u32_at(lh, 14);
        let l_compressed = u32_at(lh, 18);
        let l_size = u32_at(lh, 22);
        let l_name_len = usize::from(u16_at(lh, 26));
        let l_extra_len = usize::from(u16_at(lh, 28));
        let header_len = (LOCAL_LEN + l_name_len + l_extra_len) as u64;
        let Some(data_start) = c.offset.checked_add(header_len).filter(|&s| s <= cd_offset) else {
            p.entry(format!(
                "{who} has a local header that runs into the central directory"
            ));
            continue;
        };
        let Some(lvar) = local.get(
            file,
            file_len,
            c.offset + LOCAL_LEN as u64,
            l_name_len + l_extra_len,
        )?
        else {
            p.entry(format!(
                "{who} has a local header cut short (the zip is damaged)"
            ));
            continue;
        };
        let l_name = lvar.get(..l_name_len).unwrap_or_default();
        let l_extra = lvar
            .get(l_name_len..l_name_len + l_extra_len)
            .unwrap_or_default();
        if l_name != name {
            p.entry(format!(
                "{who} has another name in its local header, {:?} (zip tools that read local \
                 headers would see another file)",
                String::from_utf8_lossy(l_name)
            ));
        }
        if l_method != c.method {
            p.entry(format!(
                "{who} has compression method {l_method} in its local header but {} in the \
                 central directory (zip tools would unpack it differently)",
                c.method
            ));
        }
        if l_flags != c.flags {
            p.entry(format!(
                "{who} has flags {l_flags:#06x} in its local header but {:#06x} in the central \
                 directory",
                c.flags
            ));
        }
        let l_zip64 = match parse_extras(l_extra, name) {
            Ok(x) => x.zip64,
            Err(why) => {
                p.entry(format!("{who} has {why} in its local header"));
                continue;
            }
        };
        // The local ZIP64 field holds both sizes (APPNOTE 4.5.3).
        let l_zip64 = match l_zip64 {
            None => None,
            Some(z) if z.len() >= 16 => Some((u64_at(z, 0), u64_at(z, 8))),
            Some(_) => {
                p.entry(format!(
                    "{who} has a malformed zip64 extra field in its local header"
                ));
                continue;
            }
        };
        let resolve = |v: u32, z: Option<u64>| match (v, z) {
            (U32_SENTINEL, Some(z)) => Some(z),
            (U32_SENTINEL, None) => None,
            (v, _) => Some(u64::from(v)),
        };
        let l_size64 = resolve(l_size, l_zip64.map(|z| z.0));
        let l_compressed64 = resolve(l_compressed, l_zip64.map(|z| z.1));
        let descriptor = c.flags & FLAG_DESCRIPTOR != 0;
        // With a data descriptor the local header may leave CRC and sizes at 0.
        let fits = |local: u64, central: u64| local == central || (descriptor && local == 0);
        let sizes_agree = match (l_size64, l_compressed64) {
            (Some(s), Some(cs)) => {
                fits(s, c.size)
                    && fits(cs, c.compressed)
                    && l_zip64.is_none_or(|(zs, zc)| fits(zs, c.size) && fits(zc, c.compressed))
            }
            _ => false,
        };
        if !sizes_agree {
            p.entry(format!(
                "{who} declares other sizes in its local header than in the central directory \
                 (zip tools would read other data)"
            ));
        }
        if !fits(u64::from(l_crc), u64::from(c.crc)) {
            p.entry(format!(
                "{who} has another CRC-32 in its local header than in the central directory"
            ));
        }

        // Its end: after the data, and the data descriptor if it has one.
        let Some(data_end) = data_start
            .checked_add(c.compressed)
            .filter(|&e| e <= cd_offset)
        else {
            p.entry(format!(
                "{who} has data that runs into the central directory"
            ));
            continue;
        };
        let end = if descriptor {
            let avail = usize::try_from(cd_offset - data_end).map_or(24, |a| a.min(24));
            let Some(d) = local.get(file, file_len, data_end, avail)? else {
                p.entry(format!("{who} has no data descriptor (the zip is damaged)"));
                continue;
            };
            match descriptor_len(d, &c, l_zip64.is_some()) {
                Some(n) => data_end + n,
                None => {
                    p.entry(format!(
                        "{who} has a data descriptor that does not match the central directory \
                         (zip tools that read local headers would see other data)"
                    ));
                    continue;
                }
            }
        } else {
            data_end
        };
        next = Some(end.max(floor));
    }
    if pos != cd_end {
        p.always(format!(
            "the zip's central directory holds {} bytes beyond its {count} entries (hidden data)",
            cd_end.saturating_sub(pos)
        ));
    }
    match next {
        Some(end) if end < cd_offset => {
            let gap = cd_offset - end;
            if count == 0 {
                p.always(format!(
                    "{gap} bytes come before the zip's central directory, which lists no entries \
                     (hidden data)"
                ));
            } else {
                p.always(format!(
                    "{gap} bytes between the zip's last entry, {}, and its central directory are \
                     not in the central directory (a hidden local header and data, which other \
                     zip tools would show)",
                    shown(&prev_name, count - 1)
                ));
            }
        }
        _ => {}
    }

    // What reading it all would cost.
    let ratio_cap = MAX_RATIO.saturating_mul(file_len);
    if total > ratio_cap {
        p.always(format!(
            "the zip would expand to {total} bytes, more than {MAX_RATIO} times the zip's own \
             size of {file_len} bytes (a decompression bomb, or entries sharing their data)"
        ));
    }
    if total > MAX_TOTAL {
        p.always(format!(
            "the zip would expand to {total} bytes, more than the {MAX_TOTAL} a bundle may have \
             (a decompression bomb)"
        ));
    }
    Ok(())
}

/// The length of the data descriptor at the start of `d` if it matches the central entry:
/// with or without its optional signature, with 4- or 8-byte sizes (8 when the local header
/// has a ZIP64 field; the other width is tried too, as some writers pick it by size).
fn descriptor_len(d: &[u8], c: &Central, zip64: bool) -> Option<u64> {
    let widths = if zip64 { [true, false] } else { [false, true] };
    for wide in widths {
        for signed in [true, false] {
            let at = if signed { 4 } else { 0 };
            let len = at + if wide { 20 } else { 12 };
            if d.len() < len || (signed && u32_at(d, 0) != DESCRIPTOR_SIG) {
                continue;
            }
            let (compressed, size) = if wide {
                (u64_at(d, at + 4), u64_at(d, at + 12))
            } else {
                (u64::from(u32_at(d, at + 4)), u64::from(u32_at(d, at + 8)))
            };
            if u32_at(d, at) == c.crc && compressed == c.compressed && size == c.size {
                return Some(len as u64);
            }
        }
    }
    None
}

fn multi_disk() -> Stop {
    fatal("the zip is split over several disks, which a bundle may not be")
}

/// Why the last 22 bytes of the file are not an end record with no comment.
fn explain_missing_eocd(tail: &[u8], tail_start: u64, file_len: u64) -> Stop {
    let mut at = tail.len().saturating_sub(EOCD_LEN);
    loop {
        let rec = tail.get(at..).unwrap_or_default();
        if rec.len() >= EOCD_LEN && u32_at(rec, 0) == EOCD_SIG {
            let comment = u64::from(u16_at(rec, 20));
            let end = tail_start
                .saturating_add(at as u64)
                .saturating_add(EOCD_LEN as u64)
                .saturating_add(comment);
            if end == file_len && comment > 0 {
                return fatal(format!(
                    "the zip has a comment of {comment} bytes (Varde never writes one, and a \
                     comment can hide a second end record)"
                ));
            }
            if end < file_len {
                return fatal(format!(
                    "{} bytes follow the end of the zip (data appended after its end record, \
                     which other zip tools may read)",
                    file_len - end
                ));
            }
        }
        if at == 0 {
            return damaged("it has no end of central directory record");
        }
        at -= 1;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::io::{Cursor, Write};

    use super::*;

    fn opts() -> zip::write::SimpleFileOptions {
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
    }

    /// A small zip written by the `zip` crate as Varde's export writes one.
    fn small_zip(large_file: bool) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body, store) in [
            ("a.txt", b"hello hello hello hello".as_slice(), false),
            ("dir/", b"".as_slice(), true),
            ("dir/b.bin", &[7u8; 300][..], true),
            ("c.txt", b"".as_slice(), false),
        ] {
            if name.ends_with('/') {
                z.add_directory(name, opts()).unwrap();
                continue;
            }
            let o = if store {
                opts().compression_method(zip::CompressionMethod::Stored)
            } else {
                opts()
            };
            z.start_file(name, o.large_file(large_file)).unwrap();
            z.write_all(body).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    fn check_bytes(b: &[u8]) -> Result<(), Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.zip");
        std::fs::write(&p, b).unwrap();
        check(&mut File::open(&p).unwrap())
    }

    fn must_refuse(b: &[u8], expected: &str) {
        let problems = check_bytes(b).unwrap_err();
        assert!(
            problems.iter().any(|m| m.contains(expected)),
            "{expected:?} not among {problems:#?}"
        );
    }

    /// Offsets of the central directory and of each central entry, for a zip without ZIP64
    /// end records or comment.
    fn central(b: &[u8]) -> (usize, Vec<usize>) {
        let e = b.len() - EOCD_LEN;
        let n = u16_at(b, e + 10) as usize;
        let cd = u32_at(b, e + 16) as usize;
        let mut at = cd;
        let mut v = Vec::new();
        for _ in 0..n {
            v.push(at);
            at += CENTRAL_LEN
                + u16_at(b, at + 28) as usize
                + u16_at(b, at + 30) as usize
                + u16_at(b, at + 32) as usize;
        }
        (cd, v)
    }

    #[test]
    fn zips_as_the_zip_crate_writes_them_pass() {
        check_bytes(&small_zip(false)).unwrap();
        // large_file: ZIP64 fields in the local and central headers.
        check_bytes(&small_zip(true)).unwrap();
    }

    #[test]
    fn an_empty_zip_passes() {
        let z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        check_bytes(&z.finish().unwrap().into_inner()).unwrap();
    }

    #[test]
    fn data_descriptors_of_a_streamed_zip_pass() {
        // A writer that cannot seek uses data descriptors (flag bit 3).
        let mut z = zip::ZipWriter::new_stream(Vec::new());
        for large in [false, true] {
            z.start_file(format!("f{large}.txt"), opts().large_file(large))
                .unwrap();
            z.write_all(&b"streamed ".repeat(100)).unwrap();
        }
        let b = z.finish().unwrap().into_inner();
        let (_, entries) = central(&b);
        assert!(u16_at(&b, entries[0] + 8) & FLAG_DESCRIPTOR != 0);
        check_bytes(&b).unwrap();
    }

    #[test]
    fn a_zip64_end_record_passes() {
        // More than 65535 entries make the writer use ZIP64 end records.
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = opts().compression_method(zip::CompressionMethod::Stored);
        for i in 0..65_540u32 {
            z.start_file(format!("{i}"), o).unwrap();
        }
        let b = z.finish().unwrap().into_inner();
        assert_eq!(u16_at(&b, b.len() - EOCD_LEN + 10), U16_SENTINEL);
        check_bytes(&b).unwrap();
        // The ZIP64 record's entry count changed: one entry is left out.
        let rec = b.len() - EOCD_LEN - LOCATOR_LEN - EOCD64_LEN;
        let mut bad = b.clone();
        for at in [rec + 24, rec + 32] {
            bad[at..at + 8].copy_from_slice(&65_539u64.to_le_bytes());
        }
        must_refuse(&bad, "beyond its");
    }

    #[test]
    fn a_data_descriptor_that_disagrees_is_refused() {
        let mut z = zip::ZipWriter::new_stream(Vec::new());
        z.start_file("f.txt", opts()).unwrap();
        z.write_all(&b"streamed ".repeat(100)).unwrap();
        let mut b = z.finish().unwrap().into_inner();
        let (cd, _) = central(&b);
        // The descriptor's CRC is the 4 bytes after its signature, 16 bytes before the
        // central directory.
        b[cd - 12] ^= 1;
        must_refuse(&b, "data descriptor that does not match");
    }

    #[test]
    fn a_second_unicode_name_is_refused() {
        let mut extra = vec![0x75, 0x70, 0, 0, 1, 0, 0, 0, 0];
        extra.extend_from_slice(b"evil.txt");
        let n = (extra.len() - 4) as u16;
        extra[2..4].copy_from_slice(&n.to_le_bytes());
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let mut o = zip::write::FullFileOptions::default();
        o.add_extra_field(
            UNICODE_PATH_EXTRA,
            extra[4..].to_vec().into_boxed_slice(),
            false,
        )
        .unwrap();
        // The writer refuses a renaming field (its CRC matches); write one whose CRC does not
        // match, which some readers still honour.
        z.start_file("good.txt", o).unwrap();
        z.write_all(b"x").unwrap();
        let b = z.finish().unwrap().into_inner();
        must_refuse(&b, "a second name");
    }

    #[test]
    fn a_comment_and_appended_bytes_are_refused() {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        z.set_comment("hello").unwrap();
        z.start_file("a.txt", opts()).unwrap();
        z.write_all(b"x").unwrap();
        must_refuse(&z.finish().unwrap().into_inner(), "a comment of 5 bytes");
        let mut b = small_zip(false);
        b.extend_from_slice(b"appended");
        must_refuse(&b, "8 bytes follow the end of the zip");
    }

    #[test]
    fn no_input_makes_it_panic() {
        // Every truncation and every flipped bit of a small zip, with and without ZIP64
        // fields and data descriptors: refused or accepted, never a panic.
        let mut s = zip::ZipWriter::new_stream(Vec::new());
        s.start_file("s.txt", opts().large_file(true)).unwrap();
        s.write_all(b"streamed streamed").unwrap();
        let streamed = s.finish().unwrap().into_inner();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.zip");
        for good in [small_zip(false), small_zip(true), streamed] {
            for cut in 0..good.len() {
                std::fs::write(&p, &good[..cut]).unwrap();
                assert!(check(&mut File::open(&p).unwrap()).is_err());
            }
            for at in 0..good.len() {
                for bit in [0x01u8, 0x80] {
                    let mut b = good.clone();
                    b[at] ^= bit;
                    std::fs::write(&p, &b).unwrap();
                    let _ = check(&mut File::open(&p).unwrap());
                }
                let mut b = good.clone();
                b[at] = 0xFF;
                std::fs::write(&p, &b).unwrap();
                let _ = check(&mut File::open(&p).unwrap());
            }
        }
    }

    #[test]
    fn zips_as_info_zip_writes_them_pass() {
        // `zip` (Info-ZIP, installed by scripts/setup): extra fields (UT, ux), stored
        // entries, forced ZIP64 fields, a file read from standard input, and output to a
        // pipe (data descriptors).
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("d")).unwrap();
        std::fs::write(src.join("a.txt"), "hello ".repeat(200)).unwrap();
        std::fs::write(
            src.join("d/b.bin"),
            (0..3000u32).map(|i| (i * 7) as u8).collect::<Vec<_>>(),
        )
        .unwrap();
        let sh = |script: &str| {
            let st = std::process::Command::new("sh")
                .arg("-c")
                .arg(script)
                .current_dir(&src)
                .status()
                .unwrap();
            assert!(st.success(), "{script}");
        };
        for (name, script) in [
            ("plain", "zip -q -r ../plain.zip ."),
            ("x", "zip -q -r -X ../x.zip ."),
            ("stored", "zip -q -r -0 -X ../stored.zip ."),
            ("z64", "zip -q -r -fz ../z64.zip ."),
            ("stdin", "cat a.txt | zip -q ../stdin.zip -"),
            ("stdin64", "cat a.txt | zip -q -fz ../stdin64.zip -"),
            ("piped", "zip -q -r - . | cat > ../piped.zip"),
            (
                "piped-stdin",
                "cat a.txt | zip -q - - | cat > ../piped-stdin.zip",
            ),
        ] {
            sh(script);
            let p = dir.path().join(format!("{name}.zip"));
            let r = check(&mut File::open(&p).unwrap());
            assert!(r.is_ok(), "{name}: {r:?}");
        }
        // Data descriptors really were used.
        let b = std::fs::read(dir.path().join("piped.zip")).unwrap();
        let (_, entries) = central(&b);
        assert!(
            entries
                .iter()
                .any(|&e| u16_at(&b, e + 8) & FLAG_DESCRIPTOR != 0)
        );
    }

    #[test]
    fn header_fields_that_disagree_are_refused() {
        let good = small_zip(false);
        let (_, entries) = central(&good);
        let local = |b: &[u8]| u32_at(b, entries[0] + 42) as usize;
        // Local name.
        let mut b = good.clone();
        let l = local(&b);
        b[l + LOCAL_LEN] = b'x';
        must_refuse(&b, "another name in its local header, \"x.txt\"");
        // Local method.
        let mut b = good.clone();
        b[l + 8] = 0;
        must_refuse(&b, "compression method 0 in its local header but 8");
        // Local flags.
        let mut b = good.clone();
        b[l + 6] ^= 1;
        must_refuse(&b, "flags 0x0001 in its local header");
        // Local CRC and size.
        let mut b = good.clone();
        b[l + 14] ^= 1;
        must_refuse(&b, "another CRC-32");
        let mut b = good.clone();
        b[l + 22] ^= 1;
        must_refuse(&b, "other sizes");
        // Encrypted in both.
        let mut b = good.clone();
        b[l + 6] ^= 1;
        b[entries[0] + 8] ^= 1;
        must_refuse(&b, "a.txt is encrypted");
        // Multi-disk.
        let mut b = good.clone();
        let n = b.len();
        b[n - EOCD_LEN + 4] = 1;
        must_refuse(&b, "several disks");
    }
}
