//! Uploads a video and creates a video pin with it.
//!
//! ```text
//! cargo run -p pinterest-ext --example video_pin -- --board 549755885175 --video clip.mp4 --title "Folding a crane"
//! ```

#[path = "common.rs"]
mod common;

use pinterest_ext::jobs::PollPolicy;
use pinterest_ext::{NewPin, VideoCover, VideoUpload};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let board = common::arg("--board").ok_or("pass --board BOARD_ID")?;
    let path = common::arg("--video").ok_or("pass --video FILE.mp4")?;
    let video = VideoUpload::from_path(&path).await?;
    let mut pin = NewPin::video(board, VideoCover::KeyFrame(1));
    if let Some(title) = common::arg("--title") {
        pin = pin.title(title);
    }
    let client = common::client().await?;
    let created = client
        .create_video_pin(video, pin, &PollPolicy::default())
        .await?;
    println!("created video pin {}", created.id.as_str());
    Ok(())
}
