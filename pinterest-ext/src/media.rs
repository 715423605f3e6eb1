//! Media checks before anything is uploaded: a file Pinterest will refuse
//! costs an upload and a quota-counted call, so size, format (from the
//! magic bytes, never the file name) and, for videos, dimensions and
//! duration (from the MP4/MOV container header; no decoder) are checked
//! first. A failed check is an [`ErrorKind::InvalidRequest`] error naming
//! the limit and the value, and nothing is sent.
//!
//! The default limits name their sources:
//! - images: at most 10 MB, JPEG, PNG or GIF (Pinterest's media
//!   guidelines); as base64 data, JPEG or PNG only (the spec's
//!   `content_type` enum);
//! - videos: the spec's shopping-ad video fields: 75×75 to 9450×9450 px,
//!   smaller than 2 GB, 4 s to 15 min, MP4, MOV or M4V.
//!
//! ```
//! use pinterest_ext::media::{ImageFormat, MediaLimits, check_image};
//! let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
//! assert_eq!(check_image(png, &MediaLimits::default()).unwrap(), ImageFormat::Png);
//! let err = check_image(b"<html>", &MediaLimits::default()).unwrap_err();
//! assert!(err.to_string().contains("not a JPEG, PNG or GIF"));
//! ```

use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt};

use crate::error::{Error, ErrorKind, Result};

/// The limits media is checked against (see the module docs for where the
/// defaults come from).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MediaLimits {
    /// Largest image, in bytes (10 MB).
    pub max_image_bytes: u64,
    /// Largest video, in bytes (just under 2 GB).
    pub max_video_bytes: u64,
    /// Smallest video width and height, in pixels (75).
    pub min_video_side: u32,
    /// Largest video width and height, in pixels (9450).
    pub max_video_side: u32,
    /// Shortest video (4 s).
    pub min_video_duration: Duration,
    /// Longest video (15 min).
    pub max_video_duration: Duration,
}

impl Default for MediaLimits {
    fn default() -> Self {
        MediaLimits {
            max_image_bytes: 10 * 1024 * 1024,
            max_video_bytes: MAX_VIDEO_BYTES,
            min_video_side: 75,
            max_video_side: 9450,
            min_video_duration: Duration::from_secs(4),
            max_video_duration: Duration::from_secs(15 * 60),
        }
    }
}

impl MediaLimits {
    /// Sets the largest image.
    pub fn max_image_bytes(mut self, bytes: u64) -> Self {
        self.max_image_bytes = bytes;
        self
    }

    /// Sets the largest video.
    pub fn max_video_bytes(mut self, bytes: u64) -> Self {
        self.max_video_bytes = bytes;
        self
    }

    /// Sets the allowed video durations.
    pub fn video_duration(mut self, min: Duration, max: Duration) -> Self {
        self.min_video_duration = min;
        self.max_video_duration = max;
        self
    }

    /// Sets the allowed video side lengths.
    pub fn video_side(mut self, min: u32, max: u32) -> Self {
        self.min_video_side = min;
        self.max_video_side = max;
        self
    }
}

/// Largest video Pinterest accepts: smaller than 2 GB.
pub const MAX_VIDEO_BYTES: u64 = 2 * 1024 * 1024 * 1024 - 1;

fn invalid(detail: String) -> Error {
    Error::new(ErrorKind::InvalidRequest, detail).at_stage("check")
}

/// An image format, from its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageFormat {
    /// `FF D8 FF`
    Jpeg,
    /// `89 50 4E 47 0D 0A 1A 0A`
    Png,
    /// `GIF87a` / `GIF89a`
    Gif,
}

impl ImageFormat {
    /// Reads the format from the first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageFormat::Gif)
        } else {
            None
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Gif => "image/gif",
        }
    }
}

/// Checks an image's size and format; returns the format.
pub fn check_image(bytes: &[u8], limits: &MediaLimits) -> Result<ImageFormat> {
    let len = bytes.len() as u64;
    if len == 0 {
        return Err(invalid("the image is empty".into()));
    }
    if len > limits.max_image_bytes {
        return Err(invalid(format!(
            "the image is {len} bytes; the limit is {} bytes (max_image_bytes)",
            limits.max_image_bytes
        )));
    }
    ImageFormat::sniff(bytes).ok_or_else(|| {
        invalid(format!(
            "the image is not a JPEG, PNG or GIF (its first bytes are {:02x?})",
            &bytes[..bytes.len().min(8)]
        ))
    })
}

/// A video container, from its `ftyp` box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VideoFormat {
    /// MP4 (ISO base media: `isom`, `mp41`, `mp42`, `avc1`, ...).
    Mp4,
    /// QuickTime (`qt  `).
    Mov,
    /// M4V (`M4V `).
    M4v,
}

impl VideoFormat {
    /// The MIME type the upload is sent with.
    pub fn mime(self) -> &'static str {
        match self {
            VideoFormat::Mp4 | VideoFormat::M4v => "video/mp4",
            VideoFormat::Mov => "video/quicktime",
        }
    }
}

/// What the container header says about a video.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoInfo {
    /// The container.
    pub format: VideoFormat,
    /// Width and height of the video track, when a `moov` box was read.
    pub dimensions: Option<(u32, u32)>,
    /// The presentation's duration, when a `moov` box was read.
    pub duration: Option<Duration>,
}

/// ISO BMFF boxes: (type, payload) pairs in `data`, stopping at the first
/// malformed header (never reading past the slice).
fn boxes(mut data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    std::iter::from_fn(move || {
        if data.len() < 8 {
            return None;
        }
        let size32 = u32::from_be_bytes(data[0..4].try_into().ok()?) as u64;
        let kind: [u8; 4] = data[4..8].try_into().ok()?;
        let (header, size) = match size32 {
            0 => (8u64, data.len() as u64),
            1 => {
                let large = u64::from_be_bytes(data.get(8..16)?.try_into().ok()?);
                (16, large)
            }
            n => (8, n),
        };
        if size < header || size > data.len() as u64 {
            return None;
        }
        let payload = &data[header as usize..size as usize];
        data = &data[size as usize..];
        Some((kind, payload))
    })
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn format_of(ftyp: &[u8]) -> Option<VideoFormat> {
    let major: [u8; 4] = ftyp.get(0..4)?.try_into().ok()?;
    let compatible = ftyp.get(8..).unwrap_or(&[]);
    let brands =
        std::iter::once(major).chain(compatible.chunks_exact(4).filter_map(|c| c.try_into().ok()));
    let mut format = None;
    for brand in brands {
        match &brand {
            b"qt  " => return Some(VideoFormat::Mov),
            b"M4V " | b"M4VH" | b"M4VP" => return Some(VideoFormat::M4v),
            b"isom" | b"iso2" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1"
            | b"dash" | b"MSNV" => {
                format = format.or(Some(VideoFormat::Mp4));
            }
            _ => {}
        }
    }
    format
}

/// Duration and video-track dimensions from a `moov` box's payload.
fn read_moov(moov: &[u8]) -> (Option<Duration>, Option<(u32, u32)>) {
    let mut duration = None;
    let mut dimensions = None;
    for (kind, payload) in boxes(moov) {
        match &kind {
            b"mvhd" => {
                let version = payload.first().copied();
                let (timescale, length) = match version {
                    Some(1) => (be_u32(payload, 20), be_u64(payload, 24)),
                    _ => (be_u32(payload, 12), be_u32(payload, 16).map(u64::from)),
                };
                if let (Some(scale), Some(len)) = (timescale.filter(|s| *s > 0), length) {
                    duration = Some(Duration::from_secs_f64(len as f64 / f64::from(scale)));
                }
            }
            b"trak" if dimensions.is_none() => {
                let mut is_video = false;
                let mut size = None;
                for (k, p) in boxes(payload) {
                    match &k {
                        // Width and height are the last 8 bytes, 16.16 fixed point.
                        b"tkhd" if p.len() >= 8 => {
                            let w = be_u32(p, p.len() - 8).unwrap_or(0) >> 16;
                            let h = be_u32(p, p.len() - 4).unwrap_or(0) >> 16;
                            size = Some((w, h));
                        }
                        b"mdia" => {
                            is_video = boxes(p)
                                .any(|(k, hdlr)| &k == b"hdlr" && hdlr.get(8..12) == Some(b"vide"));
                        }
                        _ => {}
                    }
                }
                if is_video {
                    dimensions = size;
                }
            }
            _ => {}
        }
    }
    (duration, dimensions)
}

/// Reads the container header of an in-memory video.
pub fn probe_video(bytes: &[u8]) -> Result<VideoInfo> {
    let mut format = None;
    let mut info = (None, None);
    for (kind, payload) in boxes(bytes) {
        match &kind {
            b"ftyp" => format = format_of(payload),
            b"moov" => info = read_moov(payload),
            _ => {}
        }
    }
    let format = format.ok_or_else(|| {
        invalid("the video is not an MP4, MOV or M4V file (no known `ftyp` brand)".into())
    })?;
    Ok(VideoInfo {
        format,
        duration: info.0,
        dimensions: info.1,
    })
}

/// Largest `moov` box read from a file (a header, not media data).
const MAX_MOOV: u64 = 64 * 1024 * 1024;

/// Reads the container header of a video file: walks the top-level box
/// headers with seeks (the `moov` box may be at the end) and reads only
/// `ftyp` and `moov`.
pub async fn probe_video_file(path: &Path) -> Result<VideoInfo> {
    let io = |e: std::io::Error| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read {}: {e}", path.display()),
        )
        .at_stage("check")
    };
    let mut file = tokio::fs::File::open(path).await.map_err(io)?;
    let len = file.metadata().await.map_err(io)?.len();
    let mut at = 0u64;
    let mut format = None;
    let mut info = (None, None);
    while at + 8 <= len {
        file.seek(SeekFrom::Start(at)).await.map_err(io)?;
        let mut header = [0u8; 16];
        let n = file.read(&mut header).await.map_err(io)?;
        if n < 8 {
            break;
        }
        let size32 = u64::from(u32::from_be_bytes([
            header[0], header[1], header[2], header[3],
        ]));
        let kind = [header[4], header[5], header[6], header[7]];
        let (head, size) = match size32 {
            0 => (8, len - at),
            1 if n >= 16 => (
                16,
                u64::from_be_bytes(header[8..16].try_into().unwrap_or([0; 8])),
            ),
            _ => (8, size32),
        };
        if size < head || at.checked_add(size).is_none_or(|end| end > len) {
            break;
        }
        let payload_len = size - head;
        if (&kind == b"ftyp" && payload_len <= 4096)
            || (&kind == b"moov" && payload_len <= MAX_MOOV)
        {
            file.seek(SeekFrom::Start(at + head)).await.map_err(io)?;
            let mut payload = vec![0u8; payload_len as usize];
            file.read_exact(&mut payload).await.map_err(io)?;
            if &kind == b"ftyp" {
                format = format_of(&payload);
            } else {
                info = read_moov(&payload);
            }
        }
        at += size;
    }
    let format = format.ok_or_else(|| {
        invalid(format!(
            "{} is not an MP4, MOV or M4V file (no known `ftyp` brand)",
            path.display()
        ))
    })?;
    Ok(VideoInfo {
        format,
        duration: info.0,
        dimensions: info.1,
    })
}

/// Checks a probed video against `limits`.
pub fn check_video(name: &str, len: u64, info: &VideoInfo, limits: &MediaLimits) -> Result<()> {
    if len == 0 {
        return Err(invalid(format!("{name:?} is empty")));
    }
    if len > limits.max_video_bytes {
        return Err(invalid(format!(
            "{name:?} is {len} bytes; the limit is {} bytes (max_video_bytes)",
            limits.max_video_bytes
        )));
    }
    if let Some((w, h)) = info.dimensions {
        let (lo, hi) = (limits.min_video_side, limits.max_video_side);
        if w < lo || h < lo || w > hi || h > hi {
            return Err(invalid(format!(
                "{name:?} is {w}×{h} px; videos must be {lo}×{lo} to {hi}×{hi} px"
            )));
        }
    }
    if let Some(d) = info.duration
        && (d < limits.min_video_duration || d > limits.max_video_duration)
    {
        return Err(invalid(format!(
            "{name:?} lasts {:.1} s; videos must last {} s to {} s",
            d.as_secs_f64(),
            limits.min_video_duration.as_secs(),
            limits.max_video_duration.as_secs()
        )));
    }
    Ok(())
}

/// Where the bytes of a video come from (read by the organic upload).
#[cfg_attr(not(feature = "organic"), allow(dead_code))]
pub(crate) enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    Reader(Box<dyn AsyncRead + Send + Sync + Unpin>),
}

/// A video to upload, checked before anything is sent.
pub struct VideoUpload {
    #[cfg_attr(not(feature = "organic"), allow(dead_code))]
    pub(crate) source: Source,
    pub(crate) len: u64,
    pub(crate) file_name: String,
    pub(crate) info: Option<VideoInfo>,
}

impl std::fmt::Debug for VideoUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VideoUpload")
            .field("file_name", &self.file_name)
            .field("len", &self.len)
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl VideoUpload {
    /// A video file (streamed from disk when uploaded), checked against
    /// [`MediaLimits::default`].
    pub async fn from_path(path: impl AsRef<Path>) -> Result<VideoUpload> {
        VideoUpload::from_path_with(path, &MediaLimits::default()).await
    }

    /// [`VideoUpload::from_path`] with other limits.
    pub async fn from_path_with(
        path: impl AsRef<Path>,
        limits: &MediaLimits,
    ) -> Result<VideoUpload> {
        let path = path.as_ref();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let meta = tokio::fs::metadata(path).await.map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("cannot read {}: {e}", path.display()),
            )
            .at_stage("check")
        })?;
        if !meta.is_file() {
            return Err(invalid(format!("{} is not a file", path.display())));
        }
        let info = probe_video_file(path).await?;
        check_video(&file_name, meta.len(), &info, limits)?;
        Ok(VideoUpload {
            source: Source::Path(path.to_path_buf()),
            len: meta.len(),
            file_name,
            info: Some(info),
        })
    }

    /// A video in memory, checked against [`MediaLimits::default`].
    pub fn from_bytes(
        bytes: impl Into<Bytes>,
        file_name: impl Into<String>,
    ) -> Result<VideoUpload> {
        VideoUpload::from_bytes_with(bytes, file_name, &MediaLimits::default())
    }

    /// [`VideoUpload::from_bytes`] with other limits.
    pub fn from_bytes_with(
        bytes: impl Into<Bytes>,
        file_name: impl Into<String>,
        limits: &MediaLimits,
    ) -> Result<VideoUpload> {
        let bytes = bytes.into();
        let file_name = file_name.into();
        let info = probe_video(&bytes)?;
        check_video(&file_name, bytes.len() as u64, &info, limits)?;
        Ok(VideoUpload {
            len: bytes.len() as u64,
            source: Source::Bytes(bytes),
            file_name,
            info: Some(info),
        })
    }

    /// A video read from `reader`, which must yield exactly `len` bytes.
    /// Only the size can be checked (a stream cannot be probed without
    /// reading it); the type is taken from the file name's extension.
    pub fn from_reader(
        reader: impl AsyncRead + Send + Sync + Unpin + 'static,
        len: u64,
        file_name: impl Into<String>,
    ) -> Result<VideoUpload> {
        let file_name = file_name.into();
        let ext = Path::new(&file_name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let format = match ext.as_str() {
            "mp4" => VideoFormat::Mp4,
            "m4v" => VideoFormat::M4v,
            "mov" => VideoFormat::Mov,
            _ => {
                return Err(invalid(format!(
                    "{file_name:?}: a streamed video needs an .mp4, .m4v or .mov name"
                )));
            }
        };
        let info = VideoInfo {
            format,
            dimensions: None,
            duration: None,
        };
        check_video(&file_name, len, &info, &MediaLimits::default())?;
        Ok(VideoUpload {
            source: Source::Reader(Box::new(reader)),
            len,
            file_name,
            info: Some(info),
        })
    }

    /// Size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether it is empty (never true for a checked upload).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// What the container header said.
    pub fn info(&self) -> Option<&VideoInfo> {
        self.info.as_ref()
    }

    /// The MIME type it is uploaded with.
    pub fn mime(&self) -> &'static str {
        self.info.map_or("video/mp4", |i| i.format.mime())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal MP4: ftyp + moov(mvhd, trak(tkhd, mdia(hdlr vide))).
    pub(crate) fn mp4(seconds: u32, width: u32, height: u32) -> Vec<u8> {
        fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
            let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
            v.extend_from_slice(kind);
            v.extend_from_slice(payload);
            v
        }
        let ftyp = bx(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41");
        let mut mvhd = vec![0u8; 100];
        mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
        mvhd[16..20].copy_from_slice(&(seconds * 1000).to_be_bytes());
        let mut tkhd = vec![0u8; 84];
        tkhd[76..80].copy_from_slice(&(width << 16).to_be_bytes());
        tkhd[80..84].copy_from_slice(&(height << 16).to_be_bytes());
        let mut hdlr = vec![0u8; 24];
        hdlr[8..12].copy_from_slice(b"vide");
        let mdia = bx(b"mdia", &bx(b"hdlr", &hdlr));
        let trak = bx(b"trak", &[bx(b"tkhd", &tkhd), mdia].concat());
        let moov = bx(b"moov", &[bx(b"mvhd", &mvhd), trak].concat());
        [ftyp, bx(b"mdat", &[0u8; 64]), moov].concat()
    }

    #[test]
    fn the_container_header_gives_format_duration_and_size() {
        let info = probe_video(&mp4(30, 1080, 1920)).unwrap();
        assert_eq!(info.format, VideoFormat::Mp4);
        assert_eq!(info.duration, Some(Duration::from_secs(30)));
        assert_eq!(info.dimensions, Some((1080, 1920)));
        let limits = MediaLimits::default();
        check_video("a.mp4", 1000, &info, &limits).unwrap();
        let short = probe_video(&mp4(2, 1080, 1920)).unwrap();
        let err = check_video("a.mp4", 1000, &short, &limits).unwrap_err();
        assert!(
            err.to_string()
                .contains("lasts 2.0 s; videos must last 4 s to 900 s"),
            "{err}"
        );
        let tiny = probe_video(&mp4(10, 50, 50)).unwrap();
        assert!(
            check_video("a.mp4", 1000, &tiny, &limits)
                .unwrap_err()
                .to_string()
                .contains("50×50")
        );
    }

    #[test]
    fn hostile_headers_do_not_panic() {
        for data in [
            &b""[..],
            b"\0\0\0\x01ftyp",
            b"\xff\xff\xff\xffftypisom",
            b"\0\0\0\x08moov\0\0\0\x01mvhd\xff\xff\xff\xff\xff\xff\xff\xff",
            b"\0\0\0\x10ftyp\0\0\0\x00qt  ",
        ] {
            let _ = probe_video(data);
        }
        let mut data = mp4(10, 100, 100);
        data.truncate(data.len() - 10);
        let _ = probe_video(&data);
    }
}
