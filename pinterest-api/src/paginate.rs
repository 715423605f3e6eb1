//! [`Paginated`]: implemented (by generated code) for the builder of every
//! bookmark-paginated operation, so pagination helpers can drive any of
//! them without a hand-written list.

use std::future::Future;

use progenitor_client::ResponseValue;

use crate::Error;

/// A request builder of a bookmark-paginated operation.
///
/// ```
/// use pinterest_api::{Client, Hooks, Paginated};
/// let client = Client::new("https://api.pinterest.com/v5", Hooks::none());
/// let first_page = client.pins_list().with_page_size(250);
/// assert_eq!(<pinterest_api::builder::PinsList<'_> as Paginated>::OPERATION, "pins_list");
/// # let _ = first_page;
/// ```
pub trait Paginated: Clone + Send + Sized {
    /// One item of a page.
    type Item: Send;
    /// The page (response body) type.
    type Page: Send;
    /// The generated method's name (key of [`crate::OPERATIONS`]).
    const OPERATION: &'static str;
    /// The largest `page_size` the spec allows, when it says.
    const MAX_PAGE_SIZE: Option<u64>;

    /// Asks for the page after `bookmark`.
    fn with_bookmark(self, bookmark: String) -> Self;
    /// Sets `page_size` (ignored by operations without one).
    fn with_page_size(self, page_size: u64) -> Self;
    /// Sends the request for one page.
    fn send_page(self) -> impl Future<Output = Result<ResponseValue<Self::Page>, Error>> + Send;
    /// Splits a page into its items and the bookmark of the next page.
    fn into_parts(page: Self::Page) -> (Vec<Self::Item>, Option<String>);
}
