//! A response body's decoded value, kept for the next reader of the same
//! body. A response cache hands every hit of one entry the same
//! [`DecodedMemo`]: the first hit parses the body, the others copy the
//! value it left, which costs a fraction of the parse.

use bytes::Bytes;

use std::any::Any;
use std::fmt;
use std::sync::OnceLock;

/// The decoded value of one body, filled by the first call that decodes
/// it (see [`RawResponse::with_memo`](crate::RawResponse::with_memo)).
///
/// The memo serves only a body that is the very bytes it was filled
/// from (a clone of the same `Bytes`: a body replaced since is decoded
/// again), in the decoding mode it was filled in (a value decoded
/// leniently may hold `Unknown` variants that a strict call must reject).
///
/// ```
/// use std::sync::Arc;
/// use pinterest_api::{DecodedMemo, RawResponse};
/// let memo = Arc::new(DecodedMemo::new());
/// let response = RawResponse::new(
///     reqwest::StatusCode::OK,
///     Default::default(),
///     bytes::Bytes::from_static(b"{}"),
/// )
/// .with_memo(memo.clone());
/// assert!(!memo.is_filled());
/// # drop(response);
/// ```
#[derive(Default)]
pub struct DecodedMemo {
    slot: OnceLock<Decoded>,
}

/// A decoded value, the body it was decoded from (kept, so that no other
/// body can share its address) and the decoding mode.
struct Decoded {
    strict: bool,
    body: Bytes,
    value: Box<dyn Any + Send + Sync>,
}

impl DecodedMemo {
    /// An empty memo.
    pub fn new() -> DecodedMemo {
        DecodedMemo::default()
    }

    /// Whether a call has left its decoded value in it.
    pub fn is_filled(&self) -> bool {
        self.slot.get().is_some()
    }

    /// The value `body` decoded to in mode `strict`, if it is a `T`.
    pub(crate) fn get<T: 'static>(&self, body: &Bytes, strict: bool) -> Option<&T> {
        self.slot
            .get()
            .filter(|d| {
                d.strict == strict && d.body.as_ptr() == body.as_ptr() && d.body.len() == body.len()
            })
            .and_then(|d| d.value.downcast_ref::<T>())
    }

    /// Keeps `value`, what `body` decoded to in mode `strict`, unless a
    /// value is kept already.
    pub(crate) fn keep<T: Send + Sync + 'static>(&self, body: &Bytes, strict: bool, value: T) {
        let _ = self.slot.set(Decoded {
            strict,
            body: body.clone(),
            value: Box::new(value),
        });
    }
}

impl fmt::Debug for DecodedMemo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodedMemo")
            .field("filled", &self.is_filled())
            .finish()
    }
}
