//! A typical organic app, used for the release-size benchmark: lists the
//! boards and creates a pin on the first one. Builds with `organic` alone:
//!
//! ```text
//! cargo run -p pinterest-examples --example organic_app --no-default-features -- \
//!     --image https://example.com/cake.jpg
//! ```

use pinterest_examples as common;

use clap::Parser;
use futures::TryStreamExt;
use pinterest_ext::NewPin;

/// Lists boards and pins an image to the first.
#[derive(Parser)]
struct Args {
    /// The image URL.
    #[arg(long)]
    image: String,
    #[command(flatten)]
    token: common::TokenArgs,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let client = args.token.client().await?;
    let boards: Vec<_> = client.boards().try_collect().await?;
    for board in &boards {
        println!(
            "{} {}",
            board.id.as_deref().unwrap_or("?"),
            board.name.as_deref().unwrap_or("")
        );
    }
    let first = boards.first().ok_or("you have no boards")?;
    let pin = client
        .create_pin(
            NewPin::from_image_url(first.id.clone().unwrap_or_default(), args.image)
                .title("Posted by organic_app"),
        )
        .await?;
    println!(
        "created pin {}",
        pin.id.as_ref().map(|i| i.as_str()).unwrap_or("?")
    );
    Ok(())
}
