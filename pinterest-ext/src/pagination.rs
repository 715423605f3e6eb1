//! Bookmark pagination as streams, for every paginated operation (any
//! builder implementing the generated [`Paginated`] trait: 56 in 5.23.0).
//!
//! ```no_run
//! # async fn run(client: pinterest_ext::Client) -> pinterest_ext::Result<()> {
//! use futures::TryStreamExt;
//! use pinterest_ext::Paginate;
//!
//! let pins: Vec<_> = client
//!     .boards_list_pins()
//!     .board_id("549755885175")
//!     .paginate()
//!     .limit(500)
//!     .items()
//!     .try_collect()
//!     .await?;
//! # let _ = pins;
//! # Ok(())
//! # }
//! ```
//!
//! Pages are fetched one at a time, the next only when the current one is
//! used up, so one page is in memory. The stream ends on a missing or empty
//! bookmark, fails on a repeated bookmark instead of looping, and a page
//! that fails (after the client's retries) yields an error naming the
//! bookmark to resume from; items already yielded stay yielded.
//!
//! A [`ResumePoint`] is exact: the page (by the bookmark it is fetched
//! with) and how many of its items were already consumed, so resuming
//! never yields an item twice, also in the middle of a page or after a
//! [`Paginator::limit`].

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use pinterest_api::Paginated;

use crate::error::{Error, ErrorKind, Result};

/// The `page_size` used when the spec states no maximum.
pub const DEFAULT_PAGE_SIZE: u64 = 250;

/// Where to resume a pagination exactly: the page, by the bookmark it is
/// fetched with (`None`: the first page), and how many of its items to
/// skip.
///
/// Its text form is the bookmark, followed by `#N` when items are skipped
/// (Pinterest's bookmarks are base64, without `#`).
///
/// ```
/// use pinterest_ext::ResumePoint;
/// let p: ResumePoint = "Y2JV2#7".parse().unwrap();
/// assert_eq!(p, ResumePoint { bookmark: Some("Y2JV2".into()), skip: 7 });
/// assert_eq!(p.to_string(), "Y2JV2#7");
/// assert_eq!("#3".parse::<ResumePoint>().unwrap(), ResumePoint { bookmark: None, skip: 3 });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResumePoint {
    /// The bookmark of the page (`None`: the first page).
    pub bookmark: Option<String>,
    /// Items of that page already consumed.
    pub skip: usize,
}

impl ResumePoint {
    /// The start of the page fetched with `bookmark`.
    pub fn at(bookmark: Option<String>) -> ResumePoint {
        ResumePoint { bookmark, skip: 0 }
    }
}

impl fmt::Display for ResumePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.bookmark.as_deref().unwrap_or(""))?;
        if self.skip > 0 {
            write!(f, "#{}", self.skip)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for ResumePoint {
    type Err = Error;
    fn from_str(text: &str) -> Result<ResumePoint> {
        let (bookmark, skip) = match text.rsplit_once('#') {
            Some((b, n)) => {
                let skip = n.parse::<usize>().map_err(|_| {
                    Error::new(
                        ErrorKind::InvalidRequest,
                        format!("resume point {text:?}: `{n}` after `#` is not a count"),
                    )
                })?;
                (b, skip)
            }
            None => (text, 0),
        };
        Ok(ResumePoint {
            bookmark: Some(bookmark.to_string()).filter(|b| !b.is_empty()),
            skip,
        })
    }
}

/// One page of results.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items, in the order Pinterest returned them (without the ones
    /// skipped on a resume, and cut at a limit).
    pub items: Vec<T>,
    /// The bookmark this page was fetched with (`None`: the first page).
    pub bookmark: Option<String>,
    /// Items at the start of the page left out (a resume).
    pub skipped: usize,
    /// The bookmark of the next page (`None`: this was the last page).
    pub next: Option<String>,
}

/// Turns a paginated operation's builder into a [`Paginator`].
pub trait Paginate: Paginated {
    /// Paginates this request (with the parameters already set on it).
    fn paginate(self) -> Paginator<Self> {
        Paginator {
            request: self,
            page_size: Self::MAX_PAGE_SIZE.unwrap_or(DEFAULT_PAGE_SIZE),
            start: ResumePoint::default(),
            limit: None,
        }
    }
}

impl<B: Paginated> Paginate for B {}

/// Settings of a pagination; [`Paginator::items`] and
/// [`Paginator::pages`] start it.
#[derive(Debug, Clone)]
pub struct Paginator<B> {
    request: B,
    page_size: u64,
    start: ResumePoint,
    limit: Option<usize>,
}

impl<B: Paginated> Paginator<B> {
    /// Items per page (default: the maximum the spec allows, 250).
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = page_size;
        self
    }

    /// Starts from the page fetched with `bookmark` (as an error's
    /// [`Error::resume_bookmark`] gives it).
    pub fn starting_at(mut self, bookmark: impl Into<String>) -> Self {
        self.start = ResumePoint::at(Some(bookmark.into()).filter(|b: &String| !b.is_empty()));
        self
    }

    /// Continues exactly where a stream stopped ([`ItemStream::resume_point`]).
    pub fn resume_from(mut self, point: ResumePoint) -> Self {
        self.start = point;
        self
    }

    /// Stops after `limit` items (no page beyond the one that reaches it).
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// A stream of items.
    pub fn items<'a>(self) -> ItemStream<'a, B>
    where
        B: 'a,
    {
        ItemStream {
            pages: self.pages(),
            buffer: VecDeque::new(),
            page_point: None,
        }
    }

    /// A stream of pages.
    pub fn pages<'a>(self) -> PageStream<'a, B>
    where
        B: 'a,
    {
        let done = self.limit == Some(0);
        PageStream {
            request: self.request,
            page_size: self.page_size,
            next: self.start.bookmark.clone(),
            skip_first: self.start.skip,
            seen: HashSet::new(),
            remaining: self.limit,
            resume: Some(self.start),
            done,
            in_flight: None,
            pending_error: None,
        }
    }
}

type PageFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<(Vec<T>, Option<String>)>> + Send + 'a>>;

/// A stream of [`Page`]s.
pub struct PageStream<'a, B: Paginated> {
    request: B,
    page_size: u64,
    /// The bookmark of the page to fetch next.
    next: Option<String>,
    /// Items to drop from the first page fetched.
    skip_first: usize,
    seen: HashSet<String>,
    remaining: Option<usize>,
    /// The position of the first item not yet yielded (`None`: nothing
    /// is left).
    resume: Option<ResumePoint>,
    done: bool,
    in_flight: Option<PageFuture<'a, B::Item>>,
    pending_error: Option<Error>,
}

impl<B: Paginated> PageStream<'_, B> {
    /// Where to resume to get exactly the items of the pages not yet
    /// yielded; `None` when nothing is left.
    pub fn resume_point(&self) -> Option<ResumePoint> {
        self.resume.clone()
    }

    fn repeated(repeated: &str) -> Error {
        Error::new(
            ErrorKind::Decode,
            format!("Pinterest returned the bookmark {repeated:?} a second time; stopped instead of looping"),
        )
        .with_operation(operation_id::<B>(), pinterest_api::Method::Get)
    }
}

impl<'a, B> Stream for PageStream<'a, B>
where
    B: Paginated + Unpin + 'a,
    B::Item: 'a,
{
    type Item = Result<Page<B::Item>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(e) = this.pending_error.take() {
            this.done = true;
            return Poll::Ready(Some(Err(e)));
        }
        if this.done {
            return Poll::Ready(None);
        }
        let bookmark = this.next.clone();
        let fut = this.in_flight.get_or_insert_with(|| {
            let mut request = this.request.clone().with_page_size(this.page_size);
            if let Some(b) = &bookmark {
                request = request.with_bookmark(b.clone());
            }
            Box::pin(async move {
                request
                    .send_page()
                    .await
                    .map(|page| B::into_parts(page.into_inner()))
                    .map_err(|e| e.or_operation(operation_id::<B>(), pinterest_api::Method::Get))
            })
        });
        let result = match fut.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        this.in_flight = None;
        let (mut items, next) = match result {
            Ok(parts) => parts,
            Err(e) => {
                this.done = true;
                return Poll::Ready(Some(Err(e.with_resume_bookmark(bookmark))));
            }
        };
        if let Some(b) = &bookmark {
            this.seen.insert(b.clone());
        }
        let skipped = std::mem::take(&mut this.skip_first).min(items.len());
        items.drain(..skipped);
        let page_len = skipped + items.len();
        let mut next = next.filter(|b| !b.is_empty());
        let mut limited = false;
        if let Some(remaining) = this.remaining.as_mut() {
            if items.len() >= *remaining {
                items.truncate(*remaining);
                *remaining = 0;
                limited = true;
            } else {
                *remaining -= items.len();
            }
        }
        if limited {
            // Resume after the last item given: in this page, or the next.
            let consumed = skipped + items.len();
            this.resume = if consumed < page_len {
                Some(ResumePoint {
                    bookmark: bookmark.clone(),
                    skip: consumed,
                })
            } else {
                next.clone().map(|n| ResumePoint::at(Some(n)))
            };
            this.done = true;
        } else {
            if let Some(n) = next.as_deref().filter(|n| this.seen.contains(*n)) {
                this.pending_error = Some(Self::repeated(n));
                next = None;
            }
            this.done = next.is_none();
            this.resume = next.clone().map(|n| ResumePoint::at(Some(n)));
            this.next = next.clone();
        }
        Poll::Ready(Some(Ok(Page {
            items,
            bookmark,
            skipped,
            next,
        })))
    }
}

fn operation_id<B: Paginated>() -> &'static str {
    pinterest_api::Operation::by_method_name(B::OPERATION).map_or(B::OPERATION, |op| op.id)
}

/// A stream of items, fetched a page at a time.
pub struct ItemStream<'a, B: Paginated> {
    pages: PageStream<'a, B>,
    buffer: VecDeque<B::Item>,
    /// The current page's bookmark and the index its buffer starts at.
    page_point: Option<ResumePoint>,
}

impl<B: Paginated> ItemStream<'_, B> {
    /// Where to resume to get exactly the items not yet yielded; `None`
    /// when nothing is left.
    pub fn resume_point(&self) -> Option<ResumePoint> {
        match &self.page_point {
            Some(p) if !self.buffer.is_empty() => Some(p.clone()),
            _ => self.pages.resume_point(),
        }
    }

    /// The bookmark part of [`ItemStream::resume_point`] (resuming from it
    /// alone repeats the items already consumed from that page).
    pub fn resume_bookmark(&self) -> Option<String> {
        self.resume_point().and_then(|p| p.bookmark)
    }
}

impl<'a, B> Stream for ItemStream<'a, B>
where
    B: Paginated + Unpin + 'a,
    B::Item: Unpin + 'a,
{
    type Item = Result<B::Item>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                if let Some(p) = this.page_point.as_mut() {
                    p.skip += 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => {
                    this.page_point = Some(ResumePoint {
                        bookmark: page.bookmark,
                        skip: page.skipped,
                    });
                    this.buffer = page.items.into();
                }
            }
        }
    }
}
