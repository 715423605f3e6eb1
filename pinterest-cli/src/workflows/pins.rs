//! `pinterest pins create --image-url URL | --image FILE | --video FILE`:
//! a pin from a URL, a local image (checked and sent as base64), or a
//! video (uploaded, processed and pinned in one call).

use clap::{Arg, ArgMatches, Command};
use pinterest_ext::jobs::PollPolicy;
use pinterest_ext::{NewPin, VideoCover, VideoUpload};

use crate::config::Globals;
use crate::exit::Failure;
use crate::output::{self, Format};

const SOURCES: [&str; 3] = ["image-url", "image", "video"];

/// Adds the media flags to the generated `pins create`.
pub fn extend(group: Command) -> Command {
    group.mut_subcommand("create", |c| {
        c.args([
            Arg::new("image-url")
                .long("image-url")
                .value_name("URL")
                .conflicts_with_all(["image", "video", "body"])
                .help("[workflow] Pin the image at URL (with --board-id, --title, ...)"),
            Arg::new("image")
                .long("image")
                .value_name("FILE")
                .conflicts_with_all(["video", "body"])
                .help("[workflow] Pin a local JPEG/PNG/GIF/WebP/BMP/TIFF file"),
            Arg::new("video")
                .long("video")
                .value_name("FILE")
                .conflicts_with("body")
                .help("[workflow] Upload a video, wait for processing, and pin it"),
            Arg::new("cover-image-url")
                .long("cover-image-url")
                .value_name("URL")
                .requires("video")
                .help("[workflow] The video's cover image (default: its first second)"),
        ])
    })
}

/// Whether a media flag asks for the workflow.
pub fn wants_workflow(m: &ArgMatches) -> bool {
    SOURCES
        .iter()
        .any(|id| m.try_get_one::<String>(id).ok().flatten().is_some())
}

fn text(m: &ArgMatches, id: &str) -> Option<String> {
    m.try_get_one::<String>(id).ok().flatten().cloned()
}

/// Creates the pin.
pub async fn create(m: &ArgMatches) -> Result<(), Failure> {
    let g = Globals::from(m);
    let board = text(m, "board-id")
        .ok_or_else(|| Failure::usage("--board-id is required to create a pin"))?;
    let describe = |mut pin: NewPin| {
        if let Some(t) = text(m, "title") {
            pin = pin.title(t);
        }
        if let Some(d) = text(m, "description") {
            pin = pin.description(d);
        }
        if let Some(l) = text(m, "link") {
            pin = pin.link(l);
        }
        if let Some(s) = text(m, "board-section-id") {
            pin = pin.section(s);
        }
        if let Some(a) = text(m, "alt-text") {
            pin = pin.alt_text(a);
        }
        pin
    };
    if g.dry_run {
        return Err(Failure::usage(
            "--dry-run prints one request; the media workflows send several (drop --dry-run, or use --body)",
        ));
    }
    let client = g.client().await?;
    let pin = if let Some(video) = text(m, "video") {
        let upload = VideoUpload::from_path(&video)
            .await
            .map_err(Failure::from_error)?;
        let cover = match text(m, "cover-image-url") {
            Some(url) => VideoCover::ImageUrl(url),
            None => VideoCover::KeyFrame(1),
        };
        let pin = describe(NewPin::video(board, cover));
        client
            .create_video_pin(upload, pin, &PollPolicy::default())
            .await
    } else if let Some(path) = text(m, "image") {
        let pin = NewPin::from_image_file(board, &path)
            .await
            .map_err(Failure::from_error)?;
        client.create_pin(describe(pin)).await
    } else {
        let url = text(m, "image-url").unwrap_or_default();
        client
            .create_pin(describe(NewPin::from_image_url(board, url)))
            .await
    }
    .map_err(Failure::from_error)?;
    let value = serde_json::to_value(&pin).unwrap_or_default();
    output::print(
        &value,
        Format::choose(g.format.as_deref()),
        g.columns.as_deref(),
    )
}
