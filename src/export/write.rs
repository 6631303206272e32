//! Writing export files into a directory the user chose, all or nothing: each file goes to a temporary
//! name in that directory first and is renamed into place only when every file is complete.

use super::ExportFile;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why the files could not be written; the message names the directory or file and is meant for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WriteError(pub String);

pub(crate) fn checked_dir(dir: &Path) -> Result<(), WriteError> {
    let shown = dir.display();
    if dir.as_os_str().is_empty() {
        return Err(WriteError("Choose a directory to export to".into()));
    }
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(WriteError(format!("{shown} is not a directory"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(WriteError(format!("Directory {shown} does not exist")))
        }
        Err(e) => Err(WriteError(format!("Cannot use directory {shown}: {e}"))),
    }
}

/// A temporary file's path beside the final one; hidden, and unique to this process and moment.
fn temp_path(dir: &Path, name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    dir.join(format!(".{name}.{}-{nanos}.part", std::process::id()))
}

fn write_temp(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    // On disk before the rename, so a crash never leaves a complete-looking but empty file.
    file.sync_all()
}

/// Writes every file into `dir` (which must exist) and returns their paths in order. Existing files of
/// the same name are replaced. Blocking: call it off the async threads.
pub fn write_files(dir: &Path, files: &[ExportFile]) -> Result<Vec<PathBuf>, WriteError> {
    checked_dir(dir)?;
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    let cleanup = |temps: &[(PathBuf, PathBuf)]| {
        for (temp, _) in temps {
            let _ = std::fs::remove_file(temp);
        }
    };
    for f in files {
        let temp = temp_path(dir, &f.name);
        if let Err(e) = write_temp(&temp, &f.bytes) {
            let _ = std::fs::remove_file(&temp);
            cleanup(&temps);
            return Err(WriteError(format!(
                "Cannot write {} in {}: {e}",
                f.name,
                dir.display()
            )));
        }
        temps.push((temp, dir.join(&f.name)));
    }
    let mut written = Vec::with_capacity(temps.len());
    for (i, (temp, target)) in temps.iter().enumerate() {
        if let Err(e) = std::fs::rename(temp, target) {
            cleanup(temps.get(i..).unwrap_or_default());
            return Err(WriteError(format!(
                "Cannot write {}: {e}",
                target.display()
            )));
        }
        written.push(target.clone());
    }
    Ok(written)
}

/// Writes one new file into `dir` (which must exist) without ever replacing a file: under a temporary
/// name first, synced, then moved to the first free name of `name_for(1)`, `name_for(2)`, ... (docs/documents.md
/// §3.1). The move links the complete file under the final name, which fails rather than replace an
/// existing file, and then removes the temporary name. Returns the final path. Blocking.
pub fn write_new_file(
    dir: &Path,
    name_for: impl Fn(u32) -> String,
    bytes: &[u8],
) -> Result<PathBuf, WriteError> {
    const TRIES: u32 = 1000;
    checked_dir(dir)?;
    let first = name_for(1);
    let temp = temp_path(dir, &first);
    let failed = |e: std::io::Error| {
        let _ = std::fs::remove_file(&temp);
        WriteError(format!("Cannot write {first} in {}: {e}", dir.display()))
    };
    write_temp(&temp, bytes).map_err(failed)?;
    for n in 1..=TRIES {
        let target = dir.join(name_for(n));
        let placed = match std::fs::hard_link(&temp, &target) {
            Ok(()) => std::fs::remove_file(&temp).map(|()| true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            // A file system without links: the name is checked, then the file renamed onto it.
            Err(_) if !target.exists() => std::fs::rename(&temp, &target).map(|()| true),
            Err(_) => Ok(false),
        };
        if placed.map_err(failed)? {
            // The new name itself on disk too.
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            return Ok(target);
        }
    }
    let _ = std::fs::remove_file(&temp);
    Err(WriteError(format!(
        "{first} and {TRIES} numbered copies already exist in {}; choose another directory",
        dir.display()
    )))
}

/// Writes `bytes` to the file `path` all at once: under a temporary name beside it first, synced, then
/// moved into place. An existing file is replaced only with `replace`; otherwise the move links the
/// complete file under its name, which fails rather than replace a file that appeared meanwhile.
/// Blocking.
pub fn write_file(path: &Path, bytes: &[u8], replace: bool) -> Result<PathBuf, WriteError> {
    let shown = path.display();
    let (Some(name), Some(dir)) = (path.file_name(), path.parent()) else {
        return Err(WriteError(format!("{shown} is not a file name")));
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    checked_dir(dir)?;
    let exists = || WriteError(format!("{shown} already exists; say --force to replace it"));
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(exists());
    }
    let temp = temp_path(dir, &name.to_string_lossy());
    let failed = |e: std::io::Error| {
        let _ = std::fs::remove_file(&temp);
        WriteError(format!("Cannot write {shown}: {e}"))
    };
    write_temp(&temp, bytes).map_err(failed)?;
    if replace {
        std::fs::rename(&temp, path).map_err(failed)?;
    } else {
        match std::fs::hard_link(&temp, path) {
            Ok(()) => std::fs::remove_file(&temp).map_err(failed)?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(&temp);
                return Err(exists());
            }
            Err(e) => return Err(failed(e)),
        }
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(path.to_path_buf())
}

/// One file written a piece at a time (an export too large to hold in memory): under a temporary name
/// in its directory until [`StreamedFile::finish`] renames it into place. Dropped unfinished, the
/// temporary file is removed and nothing appears under the final name. Blocking: use it off the async
/// threads.
pub struct StreamedFile {
    temp: PathBuf,
    target: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

impl StreamedFile {
    /// Starts `name` in `dir` (which must exist).
    pub fn create(dir: &Path, name: &str) -> Result<StreamedFile, WriteError> {
        checked_dir(dir)?;
        let temp = temp_path(dir, name);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| WriteError(format!("Cannot write {name} in {}: {e}", dir.display())))?;
        Ok(StreamedFile {
            temp,
            target: dir.join(name),
            file: Some(std::io::BufWriter::new(file)),
        })
    }

    fn failed(&self, e: &std::io::Error) -> WriteError {
        WriteError(format!("Cannot write {}: {e}", self.target.display()))
    }

    /// Appends `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        let result = match &mut self.file {
            Some(f) => f.write_all(bytes),
            None => Ok(()),
        };
        result.map_err(|e| self.failed(&e))
    }

    /// Puts the complete file on disk under its final name (replacing one of that name).
    pub fn finish(mut self) -> Result<PathBuf, WriteError> {
        let done = match self.file.take() {
            Some(f) => f
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)
                .and_then(|f| f.sync_all())
                .and_then(|()| std::fs::rename(&self.temp, &self.target)),
            None => Ok(()),
        };
        done.map_err(|e| self.failed(&e))?;
        Ok(self.target.clone())
    }
}

impl Drop for StreamedFile {
    fn drop(&mut self) {
        // Only a file never finished is still under its temporary name.
        let _ = std::fs::remove_file(&self.temp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cs-export-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    fn file(name: &str, text: &str) -> ExportFile {
        ExportFile {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// One file: an existing one is kept unless replacing is asked for; no temporary file is left.
    #[test]
    fn a_single_file_refuses_to_replace_unless_asked() {
        let dir = scratch("single");
        let path = dir.join("checklists.toml");
        assert_eq!(write_file(&path, b"one", false), Ok(path.clone()));
        let refused = write_file(&path, b"two", false).expect_err("exists");
        assert!(
            refused.0.contains("already exists; say --force"),
            "{refused}"
        );
        assert_eq!(std::fs::read(&path).expect("read"), b"one");
        assert_eq!(write_file(&path, b"two", true), Ok(path.clone()));
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        assert_eq!(listing(&dir), ["checklists.toml"]);
        let missing = write_file(&dir.join("nope/x.toml"), b"x", false).expect_err("no dir");
        assert!(missing.0.contains("does not exist"), "{missing}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_land_complete_and_nothing_else_is_left() {
        let dir = scratch("ok");
        std::fs::write(dir.join("a.csv"), "old").expect("old file");
        let paths =
            write_files(&dir, &[file("a.csv", "new"), file("b.csv", "two")]).expect("written");
        assert_eq!(paths, vec![dir.join("a.csv"), dir.join("b.csv")]);
        assert_eq!(
            std::fs::read_to_string(dir.join("a.csv")).expect("a"),
            "new"
        );
        assert_eq!(listing(&dir), vec!["a.csv", "b.csv"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_streamed_file_appears_only_when_finished() {
        let dir = scratch("stream");
        let mut f = StreamedFile::create(&dir, "log.csv").expect("created");
        f.write(b"a,").expect("first");
        f.write(b"b\r\n").expect("second");
        assert!(
            !dir.join("log.csv").exists(),
            "not there before it is complete"
        );
        let path = f.finish().expect("finished");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "a,b\r\n");
        assert_eq!(listing(&dir), vec!["log.csv"]);
        let mut g = StreamedFile::create(&dir, "other.csv").expect("created");
        g.write(b"x").expect("written");
        drop(g);
        assert_eq!(
            listing(&dir),
            vec!["log.csv"],
            "an unfinished file leaves nothing"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_new_file_never_replaces_one_of_its_name() {
        let dir = scratch("new-file");
        let name = |n: u32| {
            if n == 1 {
                "drawing.pdf".to_string()
            } else {
                format!("drawing ({n}).pdf")
            }
        };
        let first = write_new_file(&dir, name, b"one").expect("first");
        let second = write_new_file(&dir, name, b"two").expect("second");
        assert_eq!(first, dir.join("drawing.pdf"));
        assert_eq!(second, dir.join("drawing (2).pdf"));
        assert_eq!(std::fs::read(&first).expect("read"), b"one");
        assert_eq!(std::fs::read(&second).expect("read"), b"two");
        assert_eq!(listing(&dir), vec!["drawing (2).pdf", "drawing.pdf"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_directory_is_named() {
        let dir = std::env::temp_dir().join("cs-export-no-such-dir-7f3a");
        let e = write_files(&dir, &[file("a.csv", "x")]).expect_err("refused");
        assert_eq!(e.0, format!("Directory {} does not exist", dir.display()));
    }

    #[test]
    fn a_file_is_not_a_directory() {
        let dir = scratch("notdir");
        let path = dir.join("plain");
        std::fs::write(&path, "x").expect("plain file");
        let e = write_files(&path, &[file("a.csv", "x")]).expect_err("refused");
        assert_eq!(e.0, format!("{} is not a directory", path.display()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
