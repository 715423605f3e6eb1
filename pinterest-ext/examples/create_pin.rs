//! Creates an image pin.
//!
//! ```text
//! cargo run -p pinterest-ext --example create_pin -- --board 549755885175 \
//!     --image https://example.com/cake.jpg --title "Lemon cake" --link https://example.com/cake
//! ```

#[path = "common.rs"]
mod common;

use pinterest_ext::NewPin;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let board = common::arg("--board").ok_or("pass --board BOARD_ID")?;
    let image = common::arg("--image").ok_or("pass --image URL")?;
    let mut pin = NewPin::from_image_url(board, image);
    if let Some(title) = common::arg("--title") {
        pin = pin.title(title);
    }
    if let Some(link) = common::arg("--link") {
        pin = pin.link(link);
    }
    let client = common::client().await?;
    let created = client.create_pin(pin).await?;
    println!("created pin {}", created.id.as_str());
    Ok(())
}
