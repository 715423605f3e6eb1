//! Creates an image pin.
//!
//! ```text
//! cargo run -p pinterest-examples --example create_pin -- --board 549755885175 \
//!     --image https://example.com/cake.jpg --title "Lemon cake" --link https://example.com/cake
//! ```

use pinterest_examples as common;

use clap::Parser;
use pinterest_ext::NewPin;

/// Creates an image pin.
#[derive(Parser)]
struct Args {
    /// The board id.
    #[arg(long)]
    board: String,
    /// The image URL.
    #[arg(long)]
    image: String,
    /// The title.
    #[arg(long)]
    title: Option<String>,
    /// The destination link.
    #[arg(long)]
    link: Option<String>,
    #[command(flatten)]
    token: common::TokenArgs,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let mut pin = NewPin::from_image_url(args.board, args.image);
    if let Some(title) = args.title {
        pin = pin.title(title);
    }
    if let Some(link) = args.link {
        pin = pin.link(link);
    }
    let client = args.token.client().await?;
    let created = client.create_pin(pin).await?;
    println!(
        "created pin {}",
        created.id.as_ref().map(|i| i.as_str()).unwrap_or("?")
    );
    Ok(())
}
