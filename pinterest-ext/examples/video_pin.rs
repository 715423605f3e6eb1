//! Uploads a video and creates a video pin with it.
//!
//! ```text
//! cargo run -p pinterest-examples --example video_pin -- --board 549755885175 --video clip.mp4 --title "Folding a crane"
//! ```

use pinterest_examples as common;

use clap::Parser;
use pinterest_ext::jobs::PollPolicy;
use pinterest_ext::{NewPin, VideoCover, VideoUpload};

/// Uploads a video pin.
#[derive(Parser)]
struct Args {
    /// The board id.
    #[arg(long)]
    board: String,
    /// The video file (MP4, MOV or M4V; checked before upload).
    #[arg(long)]
    video: String,
    /// The title.
    #[arg(long)]
    title: Option<String>,
    #[command(flatten)]
    token: common::TokenArgs,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let video = VideoUpload::from_path(&args.video).await?;
    let mut pin = NewPin::video(args.board, VideoCover::KeyFrame(1));
    if let Some(title) = args.title {
        pin = pin.title(title);
    }
    let client = args.token.client().await?;
    let created = client
        .create_video_pin(video, pin, &PollPolicy::default())
        .await?;
    println!(
        "created video pin {}",
        created.id.as_ref().map(|i| i.as_str()).unwrap_or("?")
    );
    Ok(())
}
