//! Output formats: JSON (default when piped), NDJSON, CSV (the `csv`
//! crate, stable column order, `--columns`), and an aligned table
//! (default on a terminal).

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};

use serde_json::Value;

use crate::exit::Failure;

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Pretty JSON, the whole response.
    Json,
    /// One JSON value per line: the items of a list, or the response.
    Ndjson,
    /// CSV of the items (or of the one object).
    Csv,
    /// An aligned text table.
    Table,
}

impl Format {
    /// `--format`, else a table on a terminal and JSON otherwise.
    pub fn choose(flag: Option<&str>) -> Format {
        match flag {
            Some("json") => Format::Json,
            Some("ndjson") => Format::Ndjson,
            Some("csv") => Format::Csv,
            Some("table") => Format::Table,
            _ if std::io::stdout().is_terminal() => Format::Table,
            _ => Format::Json,
        }
    }
}

/// The rows of a response: the `items` of a page, the elements of an
/// array, or the object itself.
pub fn rows(value: &Value) -> Vec<&Value> {
    match value {
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(items)) => items.iter().collect(),
            _ => vec![value],
        },
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// The columns: `selected`, else every key of the rows, sorted (stable
/// across runs and pages).
pub fn columns(rows: &[&Value], selected: Option<&[String]>) -> Vec<String> {
    if let Some(sel) = selected {
        return sel.to_vec();
    }
    let mut keys = BTreeSet::new();
    for row in rows {
        if let Value::Object(o) = row {
            keys.extend(o.keys().cloned());
        }
    }
    if keys.is_empty() {
        return vec!["value".to_string()];
    }
    keys.into_iter().collect()
}

/// A cell: text as is, null empty, anything else as compact JSON.
pub fn cell(row: &Value, column: &str) -> String {
    let v = match row {
        Value::Object(o) => o.get(column),
        other if column == "value" => Some(other),
        _ => None,
    };
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Writes `value` to stdout in `format`.
pub fn print(value: &Value, format: Format, selected: Option<&[String]>) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write(&mut out, value, format, selected).map_err(io_failure)?;
    out.flush().map_err(io_failure)
}

/// A broken pipe or full disk while writing results.
pub fn io_failure(e: std::io::Error) -> Failure {
    Failure::local(format!("cannot write the output: {e}"))
}

/// Writes `value` to `out` in `format`.
pub fn write(
    out: &mut dyn Write,
    value: &Value,
    format: Format,
    selected: Option<&[String]>,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)
        }
        Format::Ndjson => {
            for row in rows(value) {
                serde_json::to_writer(&mut *out, row)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Csv => {
            let rows = rows(value);
            let cols = columns(&rows, selected);
            let mut w = csv::Writer::from_writer(out);
            w.write_record(&cols)?;
            for row in rows {
                w.write_record(cols.iter().map(|c| cell(row, c)))?;
            }
            w.flush()
        }
        Format::Table => {
            let rows = rows(value);
            let cols = columns(&rows, selected);
            write_table(out, &cols, &rows)
        }
    }
}

/// Longest cell shown in a table (longer ones end in `…`).
const MAX_CELL: usize = 48;

fn write_table(out: &mut dyn Write, cols: &[String], rows: &[&Value]) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| cols.iter().map(|c| truncate(&cell(r, c))).collect())
        .collect();
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |out: &mut dyn Write, items: &[String]| -> std::io::Result<()> {
        let padded: Vec<String> = items
            .iter()
            .zip(&widths)
            .map(|(s, w)| format!("{s:<w$}"))
            .collect();
        writeln!(out, "{}", padded.join("  ").trim_end())
    };
    line(out, cols)?;
    line(
        out,
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    )?;
    for r in &cells {
        line(out, r)?;
    }
    Ok(())
}

fn truncate(s: &str) -> String {
    let one_line = s.replace(['\n', '\r', '\t'], " ");
    if one_line.chars().count() <= MAX_CELL {
        return one_line;
    }
    let cut: String = one_line.chars().take(MAX_CELL - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_has_sorted_columns_and_selected_ones_in_order() {
        let page = json!({"items": [{"id": "1", "title": "a,b"}, {"id": "2", "note": null}], "bookmark": null});
        let mut out = Vec::new();
        write(&mut out, &page, Format::Csv, None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id,note,title\n1,,\"a,b\"\n2,,\n"
        );
        let mut out = Vec::new();
        let sel = ["title".to_string(), "id".to_string()];
        write(&mut out, &page, Format::Csv, Some(&sel)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "title,id\n\"a,b\",1\n,2\n");
    }

    #[test]
    fn tables_align_and_truncate() {
        let v = json!([{"id": "1", "t": "x".repeat(60)}]);
        let mut out = Vec::new();
        write(&mut out, &v, Format::Table, None).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("id  t"));
        assert!(lines[2].ends_with('…'));
        assert_eq!(lines[2].chars().count(), 4 + MAX_CELL);
    }
}
