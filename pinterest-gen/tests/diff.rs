//! The spec diff on real Pinterest spec pairs, and its rule table against
//! oasdiff's.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use pinterest_gen::diff::{self, DiffReport, Finding, Level, load};
use serde_json::Value;

#[path = "diff/families.rs"]
mod families;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("shared")
}

fn spec(version: &str, ext: &str) -> Value {
    let path = shared()
        .join("spec")
        .join("pinterest-v5")
        .join(format!("openapi-{version}.{ext}"));
    load::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Loaded once per test binary: the files are ~2 MB each.
fn docs() -> &'static [(String, Value)] {
    static DOCS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    DOCS.get_or_init(|| {
        ["5.14.0", "5.20.0", "5.22.0", "5.23.0"]
            .iter()
            .map(|v| (v.to_string(), spec(v, "json")))
            .collect()
    })
}

fn doc(version: &str) -> &'static Value {
    &docs()
        .iter()
        .find(|(v, _)| v == version)
        .expect("version loaded")
        .1
}

/// operationIds of a document, collected without the diff's own walk.
fn operation_ids(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if let Some(id) = item
                .get(method)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
            {
                out.insert(id.to_string());
            }
        }
    }
    out
}

fn is_removal(id: &str) -> bool {
    id.starts_with("api-removed-") || id.starts_with("api-path-removed-")
}

fn ops_with(report: &DiffReport, pred: impl Fn(&str) -> bool) -> BTreeSet<String> {
    report
        .findings
        .iter()
        .filter(|f| pred(f.id.id()))
        .map(|f| {
            f.operation_id
                .clone()
                .expect("operation findings carry an operationId")
        })
        .collect()
}

fn check_added_removed(old: &str, new: &str) -> DiffReport {
    let (a, b) = (doc(old), doc(new));
    let report = diff::diff(a, b);
    let (ids_a, ids_b) = (operation_ids(a), operation_ids(b));
    let added: BTreeSet<String> = ids_b.difference(&ids_a).cloned().collect();
    let removed: BTreeSet<String> = ids_a.difference(&ids_b).cloned().collect();
    assert_eq!(
        ops_with(&report, |id| id == "endpoint-added"),
        added,
        "{old} -> {new}: added"
    );
    assert_eq!(
        ops_with(&report, is_removal),
        removed,
        "{old} -> {new}: removed"
    );
    report
}

/// The one finding with this id, operation and text fragment.
fn find<'r>(report: &'r DiffReport, id: &str, operation_id: &str, fragment: &str) -> &'r Finding {
    let hits: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| {
            f.id == id
                && f.operation_id.as_deref() == Some(operation_id)
                && f.text.contains(fragment)
        })
        .collect();
    assert!(
        !hits.is_empty(),
        "no {id} for {operation_id} mentioning {fragment:?}; findings of that operation: {:#?}",
        report
            .findings
            .iter()
            .filter(|f| f.operation_id.as_deref() == Some(operation_id))
            .collect::<Vec<_>>()
    );
    hits[0]
}

#[test]
fn added_and_removed_operations_of_5_22_to_5_23_are_the_operation_id_difference() {
    let report = check_added_removed("5.22.0", "5.23.0");
    assert!(ops_with(&report, |id| id == "endpoint-added").contains("trends_featured_topics/list"));
}

#[test]
fn added_and_removed_operations_of_5_14_to_5_20_are_the_operation_id_difference() {
    let report = check_added_removed("5.14.0", "5.20.0");
    // Removed while deprecated: informational; removed without: breaking.
    assert_eq!(
        find(&report, "api-removed-with-deprecation", "items/get", "").level,
        Level::Info
    );
    assert_eq!(
        find(
            &report,
            "api-path-removed-without-deprecation",
            "audiences/create_custom",
            ""
        )
        .level,
        Level::Err
    );
}

#[test]
fn schema_findings_of_5_22_to_5_23_match_a_hand_checked_sample() {
    let report = diff::diff(doc("5.22.0"), doc("5.23.0"));
    // LabelStatus lost ACTIVE and null in bulk upserts' label updates.
    let f = find(
        &report,
        "request-property-enum-value-removed",
        "bulk_upsert/create",
        "'update/labels/status': enum value ACTIVE removed",
    );
    assert_eq!(f.level, Level::Err);
    assert_eq!(
        f.base_pointer.as_deref(),
        Some("/components/schemas/LabelStatus")
    );
    find(
        &report,
        "request-property-became-not-nullable",
        "bulk_upsert/create",
        "update/labels/status",
    );
    // TargetingSpec.AUDIENCE_EXCLUDE.items lost `minItems: 100`.
    let f = find(
        &report,
        "response-property-min-items-unset",
        "ad_groups/list",
        "items/targeting_spec/AUDIENCE_EXCLUDE",
    );
    assert_eq!(
        f.revision_pointer.as_deref(),
        Some("/components/schemas/TargetingSpec/properties/AUDIENCE_EXCLUDE/items")
    );
    // AdCommon gained disclosure_type: a new request field, a new response field.
    find(
        &report,
        "new-optional-request-property",
        "ads/create",
        "'disclosure_type'",
    );
    find(
        &report,
        "response-optional-property-added",
        "ads/get",
        "'disclosure_type'",
    );
    find(
        &report,
        "request-property-enum-value-added",
        "targeting_template/update",
        "'operation_type': enum value UPDATE added",
    );
    find(
        &report,
        "request-parameter-pattern-removed",
        "analytics/create_template_report",
        "'template_id'",
    );
    find(
        &report,
        "response-success-status-added",
        "analytics/create_template_report",
        "201",
    );
    // APP_TYPE went from a $ref to an identical inline enum: no finding
    // (api-smart-diff reports six "breaking" enum changes per operation).
    assert!(
        !report.findings.iter().any(|f| f.text.contains("APP_TYPE")),
        "a $ref replaced by an equal inline schema is no change"
    );
    assert_eq!(report.bump, diff::Bump::Major);
}

#[test]
fn schema_findings_of_5_14_to_5_20_match_a_hand_checked_sample() {
    let report = diff::diff(doc("5.14.0"), doc("5.20.0"));
    // ConversionEventsUserData's inline anyOf members moved into a named
    // schema; what changed is the properties, not the members.
    find(
        &report,
        "new-optional-request-property",
        "events/create",
        "'data/user_data/click_id'",
    );
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.operation_id.as_deref() == Some("events/create")
                && f.id.id().contains("any-of")),
        "members moved into a named schema are matched, not removed and added"
    );
    find(
        &report,
        "request-property-enum-value-removed",
        "analytics/create_report",
        "'campaign_objective_types': enum value VIDEO_VIEW removed",
    );
    find(
        &report,
        "request-property-enum-value-added",
        "analytics/create_report",
        "'columns': enum value ADS_CREDIT_SPEND_IN_DOLLAR added",
    );
    // audience_type kept its $ref and dropped an annotation-only member.
    find(
        &report,
        "request-property-all-of-removed-annotation-only",
        "audiences/create",
        "audience_type",
    );
    // 5.20 let client-credentials tokens call many ad operations.
    find(
        &report,
        "api-security-added",
        "ad_accounts/get",
        "client_credentials",
    );
}

#[test]
fn a_file_diffed_with_itself_or_its_yaml_twin_has_no_findings() {
    let json = doc("5.23.0");
    let report = diff::diff(json, json);
    assert!(
        report.findings.is_empty(),
        "{:#?}",
        &report.findings[..report.findings.len().min(5)]
    );
    assert_eq!(report.bump, diff::Bump::Patch);
    let yaml = spec("5.23.0", "yaml");
    let report = diff::diff(json, &yaml);
    assert!(
        report.findings.is_empty(),
        "{:#?}",
        &report.findings[..report.findings.len().min(5)]
    );
}

#[test]
fn swapping_old_and_new_inverts_additions_and_removals() {
    for (old, new) in [("5.22.0", "5.23.0"), ("5.14.0", "5.20.0")] {
        let forward = diff::diff(doc(old), doc(new));
        let backward = diff::diff(doc(new), doc(old));
        let pairs = [
            ("endpoint-added", is_removal as fn(&str) -> bool),
            ("new-optional-request-property", |id: &str| {
                id == "request-property-removed"
            }),
            ("response-optional-property-added", |id: &str| {
                id == "response-optional-property-removed"
            }),
            ("request-property-enum-value-added", |id: &str| {
                id == "request-property-enum-value-removed"
            }),
        ];
        for (added, removed) in pairs {
            let f = ops_with(&forward, |id| id == added);
            let b = ops_with(&backward, removed);
            assert_eq!(
                f, b,
                "{old} -> {new}: operations with {added} forward vs its inverse backward"
            );
            let f = ops_with(&forward, removed);
            let b = ops_with(&backward, |id| id == added);
            assert_eq!(
                f, b,
                "{old} -> {new}: operations with the inverse of {added} forward vs {added} backward"
            );
        }
    }
}

/// Every rule the diff can emit is oasdiff's (with oasdiff's level) or
/// one of ours (`generic-*`, `pinterest-*`, unknown to oasdiff).
#[test]
fn every_rule_is_oasdiffs_or_ours() {
    let path = shared()
        .join("diff-corpus")
        .join("oasdiff")
        .join("rules.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rules: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    let (mut theirs, mut ours) = (0, 0);
    for rule in diff::Rule::ALL {
        let id = rule.id();
        if rule.is_ours() {
            assert!(!rules.contains_key(id), "{id} is oasdiff's: use its id");
            ours += 1;
        } else {
            let oasdiff = rules
                .get(id)
                .unwrap_or_else(|| panic!("{id} is not an oasdiff rule and not ours"));
            assert_eq!(oasdiff["level"], rule.level().as_str(), "{id}");
            theirs += 1;
        }
    }
    assert!(
        theirs > 250 && ours > 40,
        "{theirs} oasdiff rules, {ours} ours"
    );
}
