//! The feature table and pinterest-api's (and pinterest-ext's) Cargo
//! features must agree: every area is a feature, `full` enables all.

use std::collections::BTreeSet;

fn features_of(manifest: &str) -> Vec<(String, String)> {
    let path = format!("{}/../{manifest}/Cargo.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let section = text
        .split("[features]")
        .nth(1)
        .unwrap()
        .split("\n[")
        .next()
        .unwrap();
    section
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

#[test]
fn cargo_features_match_the_table() {
    let areas: BTreeSet<String> = pinterest_gen::features::all()
        .iter()
        .map(|s| s.to_string())
        .collect();
    for krate in ["pinterest-api", "pinterest-ext"] {
        let features = features_of(krate);
        let names: BTreeSet<String> = features.iter().map(|(k, _)| k.clone()).collect();
        for area in &areas {
            assert!(names.contains(area), "{krate} lacks feature `{area}`");
        }
        let full = &features
            .iter()
            .find(|(k, _)| k == "full")
            .expect("a `full` feature")
            .1;
        for area in &areas {
            assert!(
                full.contains(&format!("\"{area}\"")),
                "{krate}: `full` does not enable `{area}`"
            );
        }
        let default = &features.iter().find(|(k, _)| k == "default").unwrap().1;
        assert!(
            default.contains("\"full\""),
            "{krate}: `full` is not a default feature"
        );
    }
}
