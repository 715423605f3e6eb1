//! Creates pins from a CSV with the header `key,board_id,image_url,title`
//! (read with the `csv` crate: quoted fields with commas work), with a
//! journal: interrupt it and run it again, nothing is created twice.
//!
//! ```text
//! cargo run -p pinterest-examples --example bulk_create -- --csv pins.csv --journal pins.journal
//! ```

use pinterest_examples as common;

use clap::Parser;
use pinterest_ext::NewPin;
use pinterest_ext::bulk::{BulkOptions, Outcome};

/// Creates pins from a CSV file, resumably.
#[derive(Parser)]
struct Args {
    /// The CSV file (`key,board_id,image_url,title`).
    #[arg(long)]
    csv: String,
    /// The journal (default: the CSV's name + `.journal`).
    #[arg(long)]
    journal: Option<String>,
    #[command(flatten)]
    token: common::TokenArgs,
}

#[derive(serde::Deserialize)]
struct Row {
    key: String,
    board_id: String,
    image_url: String,
    title: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let journal = args
        .journal
        .clone()
        .unwrap_or_else(|| format!("{}.journal", args.csv));
    let mut pins = Vec::new();
    for (n, row) in csv::Reader::from_path(&args.csv)?
        .deserialize::<Row>()
        .enumerate()
    {
        let row = row.map_err(|e| format!("{} row {}: {e}", args.csv, n + 1))?;
        pins.push((
            row.key,
            NewPin::from_image_url(row.board_id, row.image_url).title(row.title),
        ));
    }
    let total = pins.len();
    let client = args.token.client().await?;
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
            _ => println!("{} {:?}", item.key, item.outcome),
        }
    }
    Ok(())
}
