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

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use pinterest_api::Paginated;

use crate::error::{Error, ErrorKind, Result};

/// The `page_size` used when the spec states no maximum.
pub const DEFAULT_PAGE_SIZE: u64 = 250;

/// One page of results.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items, in the order Pinterest returned them.
    pub items: Vec<T>,
    /// The bookmark this page was fetched with (`None`: the first page).
    pub bookmark: Option<String>,
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
            start: None,
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
    start: Option<String>,
    limit: Option<usize>,
}

impl<B: Paginated> Paginator<B> {
    /// Items per page (default: the maximum the spec allows, 250).
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = page_size;
        self
    }

    /// Starts from `bookmark` (as returned by [`ItemStream::resume_bookmark`]
    /// or an error's [`Error::resume_bookmark`]).
    pub fn starting_at(mut self, bookmark: impl Into<String>) -> Self {
        self.start = Some(bookmark.into()).filter(|b: &String| !b.is_empty());
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
            current: None,
        }
    }

    /// A stream of pages.
    pub fn pages<'a>(self) -> PageStream<'a, B>
    where
        B: 'a,
    {
        PageStream {
            request: self.request,
            page_size: self.page_size,
            next: self.start,
            seen: HashSet::new(),
            remaining: self.limit,
            done: self.limit == Some(0),
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
    next: Option<String>,
    seen: HashSet<String>,
    remaining: Option<usize>,
    done: bool,
    in_flight: Option<PageFuture<'a, B::Item>>,
    pending_error: Option<Error>,
}

impl<B: Paginated> PageStream<'_, B> {
    /// The bookmark of the next page to fetch (`None` at the start and
    /// after the last page): pass it to [`Paginator::starting_at`] to
    /// resume after the pages already yielded.
    pub fn resume_bookmark(&self) -> Option<&str> {
        self.next.as_deref()
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
                    .map_err(|e| {
                        Error::from(e).or_operation(operation_id::<B>(), pinterest_api::Method::Get)
                    })
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
        let mut next = next.filter(|b| !b.is_empty());
        if let Some(remaining) = this.remaining.as_mut() {
            items.truncate(*remaining);
            *remaining -= items.len();
            if *remaining == 0 {
                this.done = true;
            }
        }
        if let Some(n) = next.as_deref().filter(|n| this.seen.contains(*n)) {
            this.pending_error = Some(Self::repeated(n));
            next = None;
        }
        if next.is_none() {
            this.done = this.pending_error.is_none();
        }
        this.next = if this.done { None } else { next.clone() };
        Poll::Ready(Some(Ok(Page {
            items,
            bookmark,
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
    current: Option<String>,
}

impl<B: Paginated> ItemStream<'_, B> {
    /// Where to resume to get exactly the items not yet yielded: the
    /// bookmark of the page being consumed while items of it remain, else
    /// of the next page (`None`: from the start, or nothing left).
    pub fn resume_bookmark(&self) -> Option<&str> {
        if self.buffer.is_empty() {
            self.pages.resume_bookmark()
        } else {
            self.current.as_deref()
        }
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
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => {
                    this.current = page.bookmark;
                    this.buffer = page.items.into();
                }
            }
        }
    }
}
