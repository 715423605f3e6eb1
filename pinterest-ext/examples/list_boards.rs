//! Lists your boards and the first pins of each.
//!
//! ```text
//! cargo run -p pinterest-ext --example list_boards
//! ```

#[path = "common.rs"]
mod common;

use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client().await?;
    let mut boards = client.boards();
    while let Some(board) = boards.try_next().await? {
        println!(
            "{} {} ({} pins)",
            board.id,
            board.name,
            board.pin_count.unwrap_or(0)
        );
        let pins: Vec<_> = pinterest_ext::Paginate::paginate(
            client.boards_list_pins().board_id(board.id.as_str()),
        )
        .limit(3)
        .items()
        .try_collect()
        .await?;
        for pin in pins {
            println!(
                "    {} {}",
                pin.id.as_str(),
                pin.title.as_ref().map(|t| t.as_str()).unwrap_or("")
            );
        }
    }
    Ok(())
}
