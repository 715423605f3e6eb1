//! `doc_code_blocks`: descriptions become doc comments, and rustdoc runs
//! every unlabelled code block in a doc comment as a Rust doctest. Many
//! Pinterest descriptions are indented (an indented Markdown line is a code
//! block) or contain bare ``` fences around JSON or curl examples, so
//! `cargo test` would try to compile prose.
//!
//! The pass removes the common indentation of every `description` and
//! `summary`, and labels what is still a code block as ```text (fenced
//! blocks without a language, and indented blocks). Only documentation
//! changes.

use serde_json::Value;

use super::{Instructions, Pass, Touch, touch};

pub(crate) struct DocCodeBlocks;

impl Pass for DocCodeBlocks {
    const NAME: &'static str = "doc_code_blocks";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let mut changed = Vec::new();
        rewrite(doc, &mut String::new(), &mut changed);
        let snapshot = doc.clone();
        changed
            .into_iter()
            .map(|at| touch(&snapshot, &at, "description made doctest-safe"))
            .collect()
    }
}

fn rewrite(value: &mut Value, at: &mut String, changed: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let len = at.len();
                at.push('/');
                at.push_str(&crate::pointer::escape(key));
                match child {
                    Value::String(text) if key == "description" || key == "summary" => {
                        let fixed = doctest_safe(text);
                        if fixed != *text {
                            *text = fixed;
                            changed.push(at.clone());
                        }
                    }
                    _ => rewrite(child, at, changed),
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                rewrite(child, at, changed);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Dedents `text` and labels its code blocks as `text`.
pub(crate) fn doctest_safe(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let dedented: Vec<&str> = lines
        .iter()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut in_indented = false;
    let mut prev_blank = true;
    for line in dedented {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_indented {
                out.push("```".into());
                in_indented = false;
            }
            if !in_fence && trimmed.trim_end() == "```" {
                out.push(format!("{}```text", &line[..line.len() - trimmed.len()]));
            } else {
                out.push(line.to_string());
            }
            in_fence = !in_fence;
            prev_blank = false;
            continue;
        }
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if !in_fence {
            if in_indented && !indented && !line.trim().is_empty() {
                out.push("```".into());
                in_indented = false;
            }
            if !in_indented && indented && prev_blank && !line.trim().is_empty() {
                out.push("```text".into());
                in_indented = true;
            }
        }
        out.push(line.to_string());
        prev_blank = line.trim().is_empty();
    }
    if in_indented {
        while out.last().is_some_and(|l| l.trim().is_empty()) {
            out.pop();
        }
        out.push("```".into());
    }
    if in_fence {
        out.push("```".into());
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indented_prose_is_dedented() {
        assert_eq!(
            doctest_safe("    Privacy setting.\n\n    **Note:** text"),
            "Privacy setting.\n\n**Note:** text"
        );
    }

    #[test]
    fn code_blocks_get_a_text_label() {
        let text =
            "Example:\n```\n{\"a\": 1}\n```\nAnd:\n\n    curl -X GET\n    https://x\n\nDone.";
        assert_eq!(
            doctest_safe(text),
            "Example:\n```text\n{\"a\": 1}\n```\nAnd:\n\n```text\n    curl -X GET\n    https://x\n\n```\nDone."
        );
        assert_eq!(doctest_safe("```json\n{}\n```"), "```json\n{}\n```");
    }

    #[test]
    fn only_descriptions_and_summaries_change() {
        let mut doc = json!({"paths": {"/a": {"get": {
            "summary": "  Get",
            "description": "    x",
            "example": "    kept"
        }}}});
        let touched = DocCodeBlocks::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 2);
        assert_eq!(doc["paths"]["/a"]["get"]["description"], "x");
        assert_eq!(doc["paths"]["/a"]["get"]["example"], "    kept");
    }
}
