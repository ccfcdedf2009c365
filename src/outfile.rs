//! The one policy for every file lmms-tui writes (`-o`, plans, exports, traces):
//! - `-` is standard output;
//! - a regular file (or a new one) is replaced atomically: a temporary file next to it, flushed
//!   to disk, renamed over it — a crash never leaves half a file; only a file this process may
//!   write is replaced, and never with set-user/group-ID bits; a file in a directory that takes
//!   no new file (a link's target in a read-only directory) is written in place;
//! - a symbolic link is followed (through every link) and its target replaced so, never the
//!   link; a dangling link creates its target;
//! - a path naming this process's standard output or error (`/dev/stdout`, `/proc/self/fd/1`,
//!   or the file the shell redirected it to, through any link) is written through that stream,
//!   as the shell opened it (`>>` appends), never renamed over;
//! - a device, FIFO or socket (a terminal, a named pipe) is written directly, never renamed
//!   over; a directory is an error;
//! - output is streamed, never held whole;
//! - the temporary file is removed on every error (a full disk, the file-size limit: SIGXFSZ is
//!   ignored so the write fails instead), and on SIGTERM, SIGHUP, SIGINT or SIGQUIT.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use lmms_core::error::{Error, Result};

/// How many links a chain may have, as the kernel's own limit (ELOOP).
const MAX_LINKS: usize = 40;

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |out| out.write_all(bytes))
}

/// The same, for a caller that must not wait (the explorer's event loop): a FIFO nobody reads
/// is an error at once instead of a wait for a reader.
pub fn write_now(path: &Path, bytes: &[u8]) -> Result<()> {
    write_opening(path, Opening::NoWait, |out| out.write_all(bytes))
}

/// Writes what `produce` writes, streamed (a report of gigabytes is never held whole), under
/// the policy above.
pub fn write_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    write_opening(path, Opening::Wait, produce)
}

/// Whether opening a FIFO waits for its reader.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opening {
    Wait,
    NoWait,
}

fn write_opening(
    path: &Path,
    opening: Opening,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let fail = |e: io::Error| {
        // Opening a FIFO without waiting fails so when nobody reads it.
        if opening == Opening::NoWait && e.raw_os_error() == Some(libc::ENXIO) {
            return Error::in_file(path, "no process is reading this FIFO: nothing written");
        }
        Error::in_file(path, format!("cannot write: {e}"))
    };
    if path == Path::new("-") {
        return Stream::Out.write(produce).map_err(fail);
    }
    if let Some(stream) = standard_stream(path) {
        return stream.write(produce).map_err(fail);
    }
    // What the path finally names, as the kernel sees it (links followed).
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::in_file(path, "is a directory")),
        Ok(m) if !m.is_file() => in_place(path, opening, produce).map_err(fail),
        Ok(_) if !may_write(path) => Err(Error::in_file(
            path,
            "is read-only: not replaced (its permissions forbid writing it)",
        )),
        _ => replace(&target(path)?, produce).map_err(fail),
    }
}

/// Writes into what is at `path` as it is (a device, a FIFO; a file whose directory takes no
/// new file): no temporary file, nothing renamed.
fn in_place(
    path: &Path,
    opening: Opening,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options
        .write(true)
        .truncate(std::fs::metadata(path).is_ok_and(|m| m.is_file()));
    #[cfg(unix)]
    if opening == Opening::NoWait {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if opening == Opening::NoWait {
        // Opened: the reader is there, and the writes may wait for it as usual.
        blocking(&file)?;
    }
    let mut out = io::BufWriter::new(file);
    produce(&mut out)?;
    out.flush()
}

/// Clears O_NONBLOCK on an open file.
#[cfg(unix)]
fn blocking(file: &std::fs::File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function's caller owns; no memory is passed.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
fn blocking(_file: &std::fs::File) -> io::Result<()> {
    Ok(())
}

/// Whether this process may write the file at `path` (as the kernel would decide on open).
#[cfg(unix)]
fn may_write(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a NUL-terminated path; faccessat reads it and touches nothing else.
    unsafe {
        libc::faccessat(
            libc::AT_FDCWD,
            c_path.as_ptr(),
            libc::W_OK,
            libc::AT_EACCESS,
        ) == 0
    }
}

#[cfg(not(unix))]
fn may_write(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
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
    fn write(self, produce: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        let stream: Box<dyn Write> = match self {
            Stream::Out => Box::new(io::stdout().lock()),
            Stream::Err => Box::new(io::stderr().lock()),
        };
        let mut out = io::BufWriter::with_capacity(1 << 16, stream);
        produce(&mut out)?;
        out.flush()
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

/// Replaces a regular file (or creates it) atomically. A file in a directory that takes no new
/// file (read-only, where a link may point) is written in place instead, as the user asked.
fn replace(path: &Path, produce: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = match tempfile::NamedTempFile::new_in(dir) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && path.is_file() => {
            return in_place(path, Opening::Wait, produce);
        }
        tmp => tmp?,
    };
    // A signal mid-write removes the temporary file before the process ends.
    let temporary = tmp.path().to_path_buf();
    let _cleanup = crate::signals::on_signal(move |_| {
        let _ = std::fs::remove_file(&temporary);
        crate::signals::After::Exit
    });
    // Temporary files are private (0600); the result should read like any file written here:
    // the old file's permissions without set-user/group-ID (new content must not run as the
    // file's owner), or the usual rw-r--r--.
    if let Some(permissions) = std::fs::metadata(path)
        .ok()
        .map(|m| without_set_id(m.permissions()))
        .or_else(default_permissions)
    {
        tmp.as_file().set_permissions(permissions)?;
    }
    let mut out = io::BufWriter::with_capacity(1 << 16, tmp);
    produce(&mut out)?;
    let tmp = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn without_set_id(permissions: std::fs::Permissions) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(permissions.mode() & 0o1777)
}

#[cfg(not(unix))]
fn without_set_id(permissions: std::fs::Permissions) -> std::fs::Permissions {
    permissions
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
        // Without a reader, `write_now` says so at once instead of waiting for one.
        let err = super::write_now(&fifo, b"x").unwrap_err();
        assert!(err.message().contains("no process is reading"), "{err}");
        // A device: /dev/null stays a device.
        super::write(Path::new("/dev/null"), b"x").unwrap();
        let null = std::fs::metadata("/dev/null").unwrap();
        assert!(null.file_type().is_char_device());
    }

    /// Read-only files and links into read-only directories are tested from outside, as an
    /// unprivileged user even when the suite runs as root (`tests/it/writes.rs`).
    #[cfg(unix)]
    #[test]
    fn set_id_bits_never_carry_over() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        let set = |p: &Path, m: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // Set-user-ID and set-group-ID never carry over onto new content.
        let tool = d.join("tool");
        std::fs::write(&tool, "old").unwrap();
        set(&tool, 0o6755);
        super::write(&tool, b"new").unwrap();
        assert_eq!(mode(&tool), 0o755);
    }
}
