//! Lists your boards and the first pins of each.
//!
//! ```text
//! cargo run -p pinterest-examples --example list_boards -- --pins 3
//! ```

use pinterest_examples as common;

use clap::Parser;
use futures::TryStreamExt;
use pinterest_ext::Paginate;

/// Your boards and their first pins.
#[derive(Parser)]
struct Args {
    /// Pins to show per board.
    #[arg(long, default_value_t = 3)]
    pins: usize,
    #[command(flatten)]
    token: common::TokenArgs,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let client = args.token.client().await?;
    let mut boards = client.boards();
    while let Some(board) = boards.try_next().await? {
        println!(
            "{} {} ({} pins)",
            board.id.as_deref().unwrap_or("?"),
            board.name.as_deref().unwrap_or(""),
            board.pin_count.unwrap_or(0)
        );
        let pins: Vec<_> = client
            .boards_list_pins()
            .board_id(board.id.clone().unwrap_or_default())
            .paginate()
            .limit(args.pins)
            .items()
            .try_collect()
            .await?;
        for pin in pins {
            println!(
                "    {} {}",
                pin.id.as_ref().map(|i| i.as_str()).unwrap_or("?"),
                pin.title.as_ref().map(|t| t.as_str()).unwrap_or("")
            );
        }
    }
    Ok(())
}
