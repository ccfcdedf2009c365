//! The one policy for every file lmms-tui writes (`-o`, plans, exports, traces):
//! - `-` is standard output;
//! - a regular file (or a new one) is replaced atomically: a temporary file next to it, flushed
//!   to disk, renamed over it — a crash never leaves half a file;
//! - a symbolic link is followed (through every link) and its target replaced so, never the
//!   link; a dangling link creates its target;
//! - a path naming this process's standard output or error (`/dev/stdout`, `/proc/self/fd/1`,
//!   or the file the shell redirected it to, through any link) is written through that stream,
//!   as the shell opened it (`>>` appends), never renamed over;
//! - a device, FIFO or socket (a terminal, a named pipe) is written directly, never renamed
//!   over; a directory is an error;
//! - the temporary file is removed on every error, and on SIGTERM, SIGHUP, SIGINT or SIGQUIT.

use std::io::Write;
use std::path::{Path, PathBuf};

use lmms_core::error::{Error, Result};

/// How many links a chain may have, as the kernel's own limit (ELOOP).
const MAX_LINKS: usize = 40;

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| Error::in_file(path, format!("cannot write: {e}"));
    if path == Path::new("-") {
        return Stream::Out.write(bytes).map_err(fail);
    }
    if let Some(stream) = standard_stream(path) {
        return stream.write(bytes).map_err(fail);
    }
    // What the path finally names, as the kernel sees it (links followed).
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::in_file(path, "is a directory")),
        Ok(m) if !m.is_file() => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            file.write_all(bytes)
                .and_then(|()| file.flush())
                .map_err(fail)
        }
        _ => replace(&target(path)?, bytes).map_err(fail),
    }
}

/// Whether `write` replaces what is at `path` atomically (a regular file, or nothing yet) —
/// rather than writing to standard output or into a device or FIFO, where a second write
/// would add to the first.
pub fn replaced_atomically(path: &Path) -> bool {
    path != Path::new("-")
        && standard_stream(path).is_none()
        && std::fs::metadata(path).map_or(true, |m| m.is_file())
}

/// Whether writing `path` would replace an existing regular file (through any links): what a
/// careful command asks about first.
pub fn would_replace(path: &Path) -> bool {
    path != Path::new("-")
        && standard_stream(path).is_none()
        && std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// This process's standard output or error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Out,
    Err,
}

impl Stream {
    fn write(self, bytes: &[u8]) -> std::io::Result<()> {
        let mut out: Box<dyn Write> = match self {
            Stream::Out => Box::new(std::io::stdout().lock()),
            Stream::Err => Box::new(std::io::stderr().lock()),
        };
        out.write_all(bytes).and_then(|()| out.flush())
    }
}

/// The standard stream `path` names, when it names one: the same file (device and inode)
/// after every link, as `/dev/stdout`, `/proc/self/fd/2` or the redirected file itself do.
/// Renaming over such a file would drop what the shell wrote there before, and write past a
/// stream others hold open.
#[cfg(unix)]
fn standard_stream(path: &Path) -> Option<Stream> {
    use std::os::unix::fs::MetadataExt;
    let target = std::fs::metadata(path).ok()?;
    let same = |fd: u32| {
        std::fs::metadata(format!("/dev/fd/{fd}"))
            .is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino())
    };
    if same(1) {
        Some(Stream::Out)
    } else if same(2) {
        Some(Stream::Err)
    } else {
        None
    }
}

#[cfg(not(unix))]
fn standard_stream(_path: &Path) -> Option<Stream> {
    None
}

/// The path a chain of symbolic links ends at (the path itself when it is no link).
fn target(path: &Path) -> Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&at)
                    .map_err(|e| Error::in_file(path, format!("cannot read the link: {e}")))?;
                at = match at.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(Error::in_file(path, "too many levels of symbolic links"))
}

/// Replaces a regular file (or creates it) atomically.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    // A signal mid-write removes the temporary file before the process ends.
    let temporary = tmp.path().to_path_buf();
    let _cleanup = crate::signals::on_signal(move |_| {
        let _ = std::fs::remove_file(&temporary);
        crate::signals::After::Exit
    });
    // Temporary files are private (0600); the result should read like any file written here:
    // the old file's permissions, or the usual rw-r--r--.
    if let Some(permissions) = std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions())
        .or_else(default_permissions)
    {
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn only(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        super::write(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(only(dir.path()), ["out.json"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let fresh = dir.path().join("fresh.json");
            super::write(&fresh, b"x").unwrap();
            let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644);
        }
        let missing = dir.path().join("no/such/dir/out.json");
        let err = super::write(&missing, b"x").unwrap_err();
        assert!(err.message().contains("cannot write"), "{err}");
        let err = super::write(dir.path(), b"x").unwrap_err();
        assert!(err.message().contains("is a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_special_files_written_in_place() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("real")).unwrap();
        std::fs::write(d.join("real/plan.json"), "old").unwrap();
        // A chain of two links, the second relative: the target is replaced, the links stay.
        symlink("real/plan.json", d.join("hop")).unwrap();
        symlink(d.join("hop"), d.join("plan.json")).unwrap();
        super::write(&d.join("plan.json"), b"new").unwrap();
        assert_eq!(
            std::fs::read_to_string(d.join("real/plan.json")).unwrap(),
            "new"
        );
        for link in ["hop", "plan.json"] {
            let m = std::fs::symlink_metadata(d.join(link)).unwrap();
            assert!(m.file_type().is_symlink(), "{link} is still a link");
        }
        assert_eq!(only(&d.join("real")), ["plan.json"]);
        // A dangling link creates its target.
        symlink("real/new.json", d.join("dangling")).unwrap();
        super::write(&d.join("dangling"), b"x").unwrap();
        assert_eq!(
            std::fs::read_to_string(d.join("real/new.json")).unwrap(),
            "x"
        );
        assert!(
            std::fs::symlink_metadata(d.join("dangling"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A link loop is an error, not a hang.
        symlink("loop2", d.join("loop1")).unwrap();
        symlink("loop1", d.join("loop2")).unwrap();
        assert!(super::write(&d.join("loop1"), b"x").is_err());
        // A FIFO is written into, never replaced by a regular file.
        let fifo = d.join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        super::write(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
        // A device: /dev/null stays a device.
        super::write(Path::new("/dev/null"), b"x").unwrap();
        let null = std::fs::metadata("/dev/null").unwrap();
        assert!(null.file_type().is_char_device());
    }
}
