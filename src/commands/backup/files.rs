//! A backup's directory on disk (docs/backup.md §1.3): `DIR/<stem>/` made new for each backup, files
//! written under temporary names, synced and renamed; the whole directory removed again when the
//! backup fails.

use crate::export::write::checked_dir;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The directory of one backup being written. Dropped before [`BackupDir::keep`], it is removed with
/// whatever is in it, so a failed backup leaves nothing behind.
pub struct BackupDir {
    pub path: PathBuf,
    /// The name its files share (`<stem>.dump`).
    pub stem: String,
    kept: bool,
}

impl BackupDir {
    /// Makes `out/<stem>` (which must not exist yet; `<stem>-2`, `-3`, … when it does: a backup never
    /// replaces another). `out` must be an existing directory.
    pub fn create(out: &Path, stem: &str) -> Result<BackupDir, String> {
        checked_dir(out).map_err(|e| e.0)?;
        for n in 1..=100u32 {
            let name = if n == 1 {
                stem.to_string()
            } else {
                format!("{stem}-{n}")
            };
            let path = out.join(&name);
            // Only its owner may read it: a backup holds every record and the password hashes.
            match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => {
                    return Ok(BackupDir {
                        path,
                        stem: name,
                        kept: false,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(format!("Cannot write in {}: {e}", out.display())),
            }
        }
        Err(format!(
            "{stem} and 100 numbered copies already exist in {}; choose another directory",
            out.display()
        ))
    }

    /// Where the dump is written while `pg_dump` runs.
    pub fn partial_dump(&self) -> PathBuf {
        self.path.join(format!("{}.dump.partial", self.stem))
    }

    /// The dump's final name.
    pub fn dump_name(&self) -> String {
        format!("{}.dump", self.stem)
    }

    /// Syncs the finished dump to disk and gives it its final name.
    pub fn finish_dump(&self) -> Result<PathBuf, String> {
        let partial = self.partial_dump();
        let target = self.path.join(self.dump_name());
        let failed = |e: std::io::Error| format!("Cannot write {}: {e}", target.display());
        std::fs::File::open(&partial)
            .and_then(|f| {
                f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
                f.sync_all()
            })
            .map_err(failed)?;
        std::fs::rename(&partial, &target).map_err(failed)?;
        Ok(target)
    }

    /// Writes `name` whole: a temporary name, synced, renamed; then the directory itself synced, and
    /// its parent, so the backup is on disk when the command says so.
    pub fn write_last(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
        let temp = self.path.join(format!("{name}.partial"));
        let target = self.path.join(name);
        let failed = |e: std::io::Error| format!("Cannot write {}: {e}", target.display());
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)
            .map_err(failed)?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(failed)?;
        std::fs::rename(&temp, &target).map_err(failed)?;
        for dir in [Some(self.path.as_path()), self.path.parent()]
            .into_iter()
            .flatten()
        {
            std::fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(failed)?;
        }
        Ok(target)
    }

    /// The backup is complete: the directory stays.
    pub fn keep(mut self) -> PathBuf {
        self.kept = true;
        self.path.clone()
    }
}

impl Drop for BackupDir {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cs-backupdir-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch");
        dir
    }

    #[test]
    fn a_second_backup_of_the_same_second_gets_its_own_directory() {
        let out = scratch("twice");
        let a = BackupDir::create(&out, "db-20270315T020000Z").expect("first");
        let b = BackupDir::create(&out, "db-20270315T020000Z").expect("second");
        assert_eq!(b.stem, "db-20270315T020000Z-2");
        assert_eq!(b.dump_name(), "db-20270315T020000Z-2.dump");
        std::fs::write(a.partial_dump(), b"dump").expect("dump");
        let dump = a.finish_dump().expect("finished");
        assert_eq!(std::fs::read(&dump).expect("read"), b"dump");
        a.write_last("manifest.json", b"{}").expect("manifest");
        let kept = a.keep();
        drop(b);
        let mut names: Vec<String> = std::fs::read_dir(&kept)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["db-20270315T020000Z.dump", "manifest.json"]);
        for (path, mode) in [
            (kept.clone(), 0o700),
            (dump, 0o600),
            (kept.join("manifest.json"), 0o600),
        ] {
            let found = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(found, mode, "{path:?}");
        }
        // The unfinished one left nothing behind.
        assert_eq!(std::fs::read_dir(&out).expect("out").count(), 1);
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_missing_directory_is_named_and_nothing_is_made() {
        let out = std::env::temp_dir().join(format!("cs-backupdir-none-{}", std::process::id()));
        let err = BackupDir::create(&out, "x").err().expect("refused");
        assert_eq!(err, format!("Directory {} does not exist", out.display()));
        assert!(!out.exists());
    }
}
