//! `cleanstation report KIND`: one production report as a text table or a CSV file, through the same use
//! case and role check as the reports screen (docs/reports.md §1.3), and the reporting connection of
//! every station (§4).

use super::session::{CliSession, refused_or_failed};
use super::{CliError, table};
use crate::config::Config;
use crate::db::Pool;
use crate::domain::report::{Period, PeriodKind, ReportData, ReportKind};
use crate::msg::{Reply, Request};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The reporting connection of `config`: a pool on `database.read_url`, `None` when that is empty and
/// reports read through the station's own pool (docs/reports.md §4.1). Connects on first use.
pub fn reporting_pool(config: &Config, application: &str) -> Result<Option<Pool>, CliError> {
    let Some(url) = config.read_url() else {
        return Ok(None);
    };
    let size = (config.database.pool_size as usize).clamp(1, 2);
    Ok(Some(crate::db::pool::build(url, size, application)?))
}

/// The period a command line names: `--week`, `--month`, `--quarter` (the one holding today), or
/// `--from DATE --to DATE`; by default this month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodArgs {
    pub week: bool,
    pub month: bool,
    pub quarter: bool,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl PeriodArgs {
    /// The period these arguments mean on `today`.
    pub fn period(&self, today: NaiveDate) -> Result<Period, CliError> {
        let chosen = [
            self.week,
            self.month,
            self.quarter,
            self.from.is_some() || self.to.is_some(),
        ];
        if chosen.iter().filter(|c| **c).count() > 1 {
            return Err(CliError::Refused(
                "Choose one period: --week, --month, --quarter or --from DATE --to DATE".into(),
            ));
        }
        let calendar = |kind| Ok(Period::containing(kind, today));
        match (&self.from, &self.to) {
            (Some(from), Some(to)) => {
                Period::custom(date(from, "--from")?, date(to, "--to")?).map_err(CliError::Refused)
            }
            (Some(_), None) | (None, Some(_)) => Err(CliError::Refused(
                "A custom range needs both --from DATE and --to DATE".into(),
            )),
            (None, None) if self.week => calendar(PeriodKind::Week),
            (None, None) if self.quarter => calendar(PeriodKind::Quarter),
            (None, None) => calendar(PeriodKind::Month),
        }
    }
}

fn date(text: &str, flag: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        CliError::Refused(format!(
            "{flag} {text} is not a date; write it as YYYY-MM-DD"
        ))
    })
}

/// Where the command writes: the text table on stdout, one named file, or a new file in a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportOutput {
    Table,
    File(PathBuf),
    Dir(PathBuf),
}

/// `cleanstation report KIND [period] --as USERNAME [--csv FILE | --out DIR]`.
pub async fn report(
    config: &Config,
    username: &str,
    kind: &str,
    period: &PeriodArgs,
    output: ReportOutput,
) -> Result<String, CliError> {
    let kind = ReportKind::from_slug(kind.trim()).ok_or_else(|| {
        CliError::Refused(format!(
            "Unknown report {kind}; use one of: {}",
            ReportKind::ALL.map(ReportKind::slug).join(", ")
        ))
    })?;
    let period = period.period(chrono::Local::now().date_naive())?;
    if let ReportOutput::File(file) = &output
        && file.exists()
    {
        return Err(CliError::Refused(format!(
            "{} already exists; choose another name",
            file.display()
        )));
    }
    let mut session = CliSession::open(config, username, "report").await?;
    session.ctx.read_pool = match reporting_pool(config, "cleanstation/report") {
        Ok(pool) => pool,
        Err(e) => return session.finish(Err(e)).await,
    };
    let outcome = async {
        if let ReportOutput::Dir(dir) = &output {
            let reply = session
                .send(Request::ExportReport {
                    token: session.token.clone(),
                    kind,
                    period,
                    dir: dir.display().to_string(),
                })
                .await?;
            let Reply::Exported(paths) = reply else {
                return Err(CliError::Usage("unexpected reply to the export".into()));
            };
            return Ok(super::paths_text(&paths));
        }
        let reply = session
            .send(Request::Report {
                token: session.token.clone(),
                kind,
                period,
            })
            .await?;
        let Reply::Report(data) = reply else {
            return Err(CliError::Usage("unexpected reply to the report".into()));
        };
        match &output {
            ReportOutput::File(file) => write_file(file, &data).map(|p| p.display().to_string()),
            _ => Ok(describe(&data)),
        }
    }
    .await;
    session.finish(outcome).await
}

/// Writes the report into `file` (never over an existing one).
fn write_file(file: &Path, data: &ReportData) -> Result<PathBuf, CliError> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| CliError::Refused(format!("{} is not a file name", file.display())))?;
    let bytes = crate::export::report_csv::bytes(data);
    crate::export::write::write_new_file(&dir, |_| name.clone(), &bytes)
        .map_err(|e| refused_or_failed(crate::error::ServiceError::Invalid(e.0)))
}

/// The report as text: its title and period, the table with the figures as shown on screen, the notes.
pub fn describe(data: &ReportData) -> String {
    let header: Vec<&str> = data.columns.iter().map(|c| c.name.as_str()).collect();
    let rows: Vec<Vec<String>> = data
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.display()).collect())
        .collect();
    let mut out = vec![
        format!("{} — {}", data.kind.title(), data.period.label()),
        String::new(),
        table(&header, &rows),
    ];
    if !data.notes.is_empty() {
        out.push(String::new());
        out.extend(data.notes.iter().cloned());
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn periods_from_the_command_line() {
        let today = day(2026, 12, 6);
        let month = PeriodArgs::default().period(today);
        assert_eq!(month.ok().map(|p| p.label()), Some("December 2026".into()));
        let week = PeriodArgs {
            week: true,
            ..PeriodArgs::default()
        };
        assert_eq!(
            week.period(today).ok().map(|p| p.from),
            Some(day(2026, 11, 30))
        );
        let custom = PeriodArgs {
            from: Some("2026-01-01".into()),
            to: Some("2026-01-31".into()),
            ..PeriodArgs::default()
        };
        assert_eq!(custom.period(today).ok().map(|p| p.days()), Some(31));
        for bad in [
            PeriodArgs {
                week: true,
                quarter: true,
                ..PeriodArgs::default()
            },
            PeriodArgs {
                from: Some("2026-01-01".into()),
                ..PeriodArgs::default()
            },
            PeriodArgs {
                from: Some("1 Jan".into()),
                to: Some("2026-01-31".into()),
                ..PeriodArgs::default()
            },
            PeriodArgs {
                from: Some("2026-02-01".into()),
                to: Some("2026-01-31".into()),
                ..PeriodArgs::default()
            },
        ] {
            assert!(
                matches!(bad.period(today), Err(CliError::Refused(_))),
                "{bad:?}"
            );
        }
    }
}
