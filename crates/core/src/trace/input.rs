//! A trace file's bytes. A regular file is mapped rather than read: no copy, and the kernel
//! maps its cached pages sixteen at a time where a read buffer takes a fault for each page
//! (the faults and the copy were a quarter of `report` at a million modules). Anything else —
//! standard input, a pipe, a device, a file the system will not map — is read, bounded. A
//! mapped file another program cuts short while it is read is an error; one it writes into is
//! too, as far as its modification time shows (a write within the file system's clock tick of
//! the last one does not). One that only grows (a log still being written) reads as it was
//! when mapped, as a read would.

use std::fs::File;
use std::io::Read;
use std::ops::Deref;
use std::path::Path;
use std::time::SystemTime;

use crate::error::{Error, Result};

/// A file's bytes.
pub enum Input {
    /// A regular file, mapped.
    Mapped(Mapped),
    /// Anything else, read whole.
    Read(Vec<u8>),
}

/// Unmapped, then its bus-error line withdrawn, when dropped (field order); with the file and
/// when it was last written as the map was made, for `unchanged`.
pub struct Mapped {
    map: memmap2::Mmap,
    _guard: crate::bus::BusGuard,
    file: File,
    written: Option<SystemTime>,
}

impl Deref for Input {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Input::Mapped(mapped) => &mapped.map,
            Input::Read(bytes) => bytes,
        }
    }
}

impl Input {
    /// The bytes of the file at `path`.
    pub fn file(path: &Path) -> Result<Input> {
        if path.is_dir() {
            let inside = path.join("trace.json");
            let hint = match inside.is_file() {
                true => format!(" — did you mean {}?", inside.display()),
                false => String::new(),
            };
            return Err(Error::in_file(
                path,
                format!("is a directory, expected a trace file{hint}"),
            ));
        }
        let file = File::open(path).map_err(|e| cannot(path, e))?;
        let limit = max_input_bytes();
        let meta = file.metadata();
        if let Ok(meta) = &meta {
            no_device(path, meta, &file)?;
        }
        match meta {
            Ok(meta) if meta.is_file() && meta.len() > limit => Err(too_large(path, limit)),
            Ok(meta) if meta.is_file() && meta.len() > 0 => {
                // A file cut short by another program while it is mapped would end the process
                // with SIGBUS: the guard makes that the usual one-line error and status 2.
                let guard = crate::bus::on_bus_error(&Error::in_file(
                    path,
                    "cannot read: the file shrank while it was read",
                ));
                let written = meta.modified().ok();
                // SAFETY: the map is read-only. Another program can still change the file
                // while it is read: cutting it short is the bus error above; writing into it
                // is what `unchanged` reports, once the bytes are read. (Rust counts bytes
                // that change under a borrow as undefined behaviour: that needs a writer in
                // the middle of the file during the read, as with any mapped file.)
                match unsafe { memmap2::Mmap::map(&file) } {
                    Ok(map) => Ok(Input::Mapped(Mapped {
                        map,
                        _guard: guard,
                        file,
                        written,
                    })),
                    Err(_) => Input::read(path, file),
                }
            }
            _ => Input::read(path, file),
        }
    }

    /// What `parse` makes of the bytes, then the check that a mapped file was not written
    /// into meanwhile: every reader goes through here, so none can forget the check.
    pub fn parse<T>(&self, path: &Path, parse: impl FnOnce(&[u8]) -> Result<T>) -> Result<T> {
        let parsed = parse(self)?;
        self.unchanged(path)?;
        Ok(parsed)
    }

    /// After reading: an error if a mapped file was written into meanwhile, so what was read
    /// may mix old bytes and new. A file that grew was appended to, which leaves the bytes
    /// mapped as they were. (A read file is a copy: nothing to check.)
    fn unchanged(&self, path: &Path) -> Result<()> {
        let Input::Mapped(mapped) = self else {
            return Ok(());
        };
        let mapped_len = mapped.map.len() as u64;
        let intact = mapped.file.metadata().ok().is_some_and(|meta| {
            meta.len() > mapped_len
                || (meta.len() == mapped_len && meta.modified().ok() == mapped.written)
        });
        if intact {
            Ok(())
        } else {
            Err(Error::in_file(
                path,
                "cannot read: the file changed while it was read",
            ))
        }
    }

    /// Standard input, read (`label` names it in errors); refused at once when it is a device
    /// no trace comes from.
    pub fn stdin(label: &Path) -> Result<Input> {
        use std::os::fd::AsFd;
        let stdin = std::io::stdin();
        if let Ok(fd) = stdin.as_fd().try_clone_to_owned() {
            let file = File::from(fd);
            if let Ok(meta) = file.metadata() {
                no_device(label, &meta, &file)?;
            }
        }
        Input::read(label, stdin.lock())
    }

    /// Everything `input` gives, bounded, so `/dev/zero` or a runaway pipe is an error rather
    /// than all of memory.
    pub fn read(path: &Path, input: impl Read) -> Result<Input> {
        let limit = max_input_bytes();
        let mut bytes = Vec::new();
        input
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| cannot(path, e))?;
        if bytes.len() as u64 > limit {
            return Err(too_large(path, limit));
        }
        Ok(Input::Read(bytes))
    }
}

/// An error when `file` is a device no trace comes from: a character device other than a
/// terminal (`/dev/zero` would be read up to the input limit), a block device.
fn no_device(path: &Path, meta: &std::fs::Metadata, file: &File) -> Result<()> {
    use std::io::IsTerminal;
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    let device = if kind.is_block_device() {
        "block device"
    } else if kind.is_char_device() && !file.is_terminal() {
        "character device"
    } else {
        return Ok(());
    };
    Err(Error::in_file(
        path,
        format!("is a {device}, expected a file"),
    ))
}

fn cannot(path: &Path, e: std::io::Error) -> Error {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    Error::in_file(path, format!("cannot read: {why}"))
}

fn too_large(path: &Path, limit: u64) -> Error {
    Error::in_file(
        path,
        format!(
            "larger than {} MB: LMMS_TUI_MAX_INPUT_MB raises the limit",
            limit >> 20
        ),
    )
}

/// The largest input read: 4096 MB, or `LMMS_TUI_MAX_INPUT_MB`.
fn max_input_bytes() -> u64 {
    std::env::var("LMMS_TUI_MAX_INPUT_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(4096)
        .saturating_mul(1 << 20)
}
