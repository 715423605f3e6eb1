//! Printing a [`DiffReport`] as text, Markdown or JSON.

use std::fmt::Write;

use serde::Serialize;

use super::semver::bump_for;
use super::{Bump, DiffReport, Finding, Level};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One finding per line, for terminals and CI logs.
    Text,
    /// A changelog section with a table per level.
    Markdown,
    /// A JSON array of finding objects (oasdiff-compatible `id`/`level`).
    Json,
}

impl Format {
    /// Parses `text`, `markdown` (or `md`), `json`.
    pub fn parse(text: &str) -> Option<Format> {
        match text.to_ascii_lowercase().as_str() {
            "text" => Some(Format::Text),
            "markdown" | "md" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// One line saying what the diff implies, e.g.
/// `5.22.0 -> 5.23.0 implies a major bump of pinterest-api (12 ERR, 3 WARN, 80 INFO)`.
pub fn summary(report: &DiffReport) -> String {
    let count = |l: Level| report.findings.iter().filter(|f| f.level == l).count();
    format!(
        "{} -> {} implies a {} bump of pinterest-api ({} ERR, {} WARN, {} INFO)",
        report.base_version.as_deref().unwrap_or("base"),
        report.revision_version.as_deref().unwrap_or("revision"),
        report.bump,
        count(Level::Err),
        count(Level::Warn),
        count(Level::Info)
    )
}

/// The findings at or above `min`.
pub fn shown(report: &DiffReport, min: Level) -> impl Iterator<Item = &Finding> {
    report.findings.iter().filter(move |f| f.level >= min)
}

/// Renders the findings at or above `min`. Every format carries the
/// implied bump: text and Markdown in their heading, JSON as each
/// object's `implied_bump` (the diff's) next to `bump` (the finding's own).
pub fn render(report: &DiffReport, format: Format, min: Level) -> String {
    match format {
        Format::Text => text(report, min),
        Format::Markdown => markdown(report, min),
        Format::Json => json(report, min),
    }
}

fn where_(f: &Finding) -> String {
    match (&f.operation, &f.path) {
        (Some(m), Some(p)) => match &f.operation_id {
            Some(id) => format!("{m} {p} ({id})"),
            None => format!("{m} {p}"),
        },
        _ => "(document)".into(),
    }
}

fn text(report: &DiffReport, min: Level) -> String {
    let mut out = format!("{}\n", summary(report));
    for f in shown(report, min) {
        let _ = writeln!(
            out,
            "{:<4} {}  {}\n     {}",
            f.level.as_str(),
            f.id,
            where_(f),
            f.text
        );
        let pointers: Vec<String> = [("base", &f.base_pointer), ("revision", &f.revision_pointer)]
            .iter()
            .filter_map(|(which, p)| p.as_ref().map(|p| format!("{which} #{p}")))
            .collect();
        if !pointers.is_empty() {
            let _ = writeln!(out, "     at {}", pointers.join(", "));
        }
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(report: &DiffReport, min: Level) -> String {
    let mut out = format!(
        "## Pinterest API {} → {}\n\nImplies a **{}** bump of `pinterest-api`.\n",
        report.base_version.as_deref().unwrap_or("base"),
        report.revision_version.as_deref().unwrap_or("revision"),
        report.bump
    );
    for (level, title) in [
        (Level::Err, "Breaking (ERR)"),
        (Level::Warn, "Possibly breaking (WARN)"),
        (Level::Info, "Not breaking (INFO)"),
    ] {
        if level < min {
            continue;
        }
        let rows: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.level == level)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "\n### {title}: {}\n\n| Rule | Operation | Change |\n|---|---|---|\n",
            rows.len()
        );
        for f in rows {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                f.id,
                cell(&where_(f)),
                cell(&f.text)
            );
        }
    }
    out
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    bump: Bump,
    implied_bump: Bump,
}

fn json(report: &DiffReport, min: Level) -> String {
    let rows: Vec<JsonFinding> = shown(report, min)
        .map(|finding| JsonFinding {
            finding,
            bump: bump_for(finding),
            implied_bump: report.bump,
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Rule;

    fn report() -> DiffReport {
        let f = |rule: Rule| Finding {
            operation: Some("GET".into()),
            path: Some("/pins".into()),
            operation_id: Some("pins/list".into()),
            ..Finding::new(
                rule,
                format!("{rule} | happened"),
                Some("/paths/~1pins/get".into()),
                None,
            )
        };
        let findings = vec![
            f(Rule::EndpointAdded),
            f(Rule::RequestParameterRemoved),
            f(Rule::ApiRemovedWithoutDeprecation),
        ];
        DiffReport {
            base_version: Some("1".into()),
            revision_version: Some("2".into()),
            bump: crate::diff::semver::implied(&findings),
            findings,
        }
    }

    #[test]
    fn every_format_names_the_bump_and_filters_by_level() {
        let r = report();
        let t = render(&r, Format::Text, Level::Warn);
        assert!(t.starts_with("1 -> 2 implies a major bump"), "{t}");
        assert!(
            !t.contains("endpoint-added") && t.contains("request-parameter-removed"),
            "{t}"
        );
        let m = render(&r, Format::Markdown, Level::Info);
        assert!(m.contains("**major**") && m.contains("\\| happened"), "{m}");
        let j: serde_json::Value =
            serde_json::from_str(&render(&r, Format::Json, Level::Err)).unwrap();
        assert_eq!(j.as_array().unwrap().len(), 1);
        assert_eq!(j[0]["id"], "api-removed-without-deprecation");
        assert_eq!(j[0]["level"], "ERR");
        assert_eq!(j[0]["operation"], "GET");
        assert_eq!(j[0]["operation_id"], "pins/list");
        assert_eq!(j[0]["base_pointer"], "/paths/~1pins/get");
        assert_eq!(j[0]["implied_bump"], "major");
    }
}
