//! Creates pins from a CSV of `key,board_id,image_url,title` lines, with a
//! journal: interrupt it and run it again, nothing is created twice.
//!
//! ```text
//! cargo run -p pinterest-ext --example bulk_create -- --csv pins.csv --journal pins.journal
//! ```

#[path = "common.rs"]
mod common;

use pinterest_ext::NewPin;
use pinterest_ext::bulk::{BulkOptions, Outcome};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let csv = common::arg("--csv").ok_or("pass --csv FILE")?;
    let journal = common::arg("--journal").unwrap_or_else(|| format!("{csv}.journal"));
    let mut pins = Vec::new();
    for (n, line) in std::fs::read_to_string(&csv)?.lines().enumerate() {
        let fields: Vec<&str> = line.splitn(4, ',').map(str::trim).collect();
        let [key, board, image, title] = fields[..] else {
            return Err(format!(
                "{csv} line {}: expected key,board_id,image_url,title",
                n + 1
            )
            .into());
        };
        pins.push((
            key.to_string(),
            NewPin::from_image_url(board, image).title(title),
        ));
    }
    let total = pins.len();
    let client = common::client().await?;
    let options = BulkOptions::default()
        .concurrency(4)
        .journal(journal)
        .on_progress(move |p| eprint!("\r{}/{total}", p.done));
    let report = client.create_pins(pins, options).await?;
    eprintln!();
    for item in &report.items {
        match &item.outcome {
            Outcome::Created(id) => println!("{} created {id}", item.key),
            Outcome::AlreadyCreated(id) => println!("{} already created {id}", item.key),
            Outcome::Failed(e) => println!("{} FAILED: {e}", item.key),
            Outcome::Unknown(why) => println!("{} UNKNOWN: {why}", item.key),
        }
    }
    Ok(())
}
