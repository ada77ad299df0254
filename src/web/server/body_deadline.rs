//! A request body that must arrive whole before a deadline.
//!
//! A body trickling in a few bytes a second would otherwise hold its connection (and whatever the
//! handler buffered so far) for as long as the client likes. Past the deadline the body fails;
//! the connection answers 408 and closes (see `connection`).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};

use axum::body::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::{Instant, Sleep};

/// Why a body could not be read.
#[derive(Debug, thiserror::Error)]
pub(super) enum BodyError {
    /// The connection failed or the client sent something malformed.
    #[error(transparent)]
    Connection(#[from] hyper::Error),
    /// The body did not arrive before its deadline.
    #[error("the request body did not arrive in time")]
    TooSlow,
}

/// `inner`, failing with [`BodyError::TooSlow`] once `deadline` passes before its end.
pub(super) struct DeadlineBody<B> {
    inner: B,
    deadline: Instant,
    /// Made on the first wait, so bodies that are already complete (and GETs) need no timer.
    sleep: Option<Pin<Box<Sleep>>>,
    /// Set when the deadline cut the body off, for the connection to answer 408.
    expired: Arc<AtomicBool>,
}

impl<B> DeadlineBody<B> {
    pub(super) fn new(inner: B, deadline: Instant, expired: Arc<AtomicBool>) -> Self {
        Self {
            inner,
            deadline,
            sleep: None,
            expired,
        }
    }
}

impl<B> Body for DeadlineBody<B>
where
    B: Body<Data = Bytes, Error = hyper::Error> + Unpin,
{
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(BodyError::from)));
        }
        let deadline = this.deadline;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        ready!(sleep.as_mut().poll(cx));
        this.expired.store(true, Ordering::Release);
        Poll::Ready(Some(Err(BodyError::TooSlow)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
