//! One connection: hyper's HTTP/1 with a timer (so its header timeout applies), each request's
//! body under a deadline, and the connection closed when idle, when evicted, or at shutdown.

use std::convert::Infallible;
use std::io::IoSlice;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;
use tower::ServiceExt;

use super::ServeOptions;
use super::body_deadline::DeadlineBody;
use super::registry::{Activity, InProgress, Ticket};

/// The most a connection buffers of a request head (and reads of a body at a time): hyper's
/// default is about 400 KB, and a thousand connections each holding that much is 400 MB.
const MAX_BUFFER: usize = 64 * 1024;

/// Serves HTTP/1 on `stream` until the client leaves, the connection idles out, the registry
/// evicts it, or `shutdown` turns true (then requests in progress finish first).
pub(super) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    ticket: Ticket,
    app: Router,
    options: ServeOptions,
    mut shutdown: watch::Receiver<bool>,
) {
    let activity = Arc::clone(ticket.activity());
    let io = TokioIo::new(Tracked {
        stream,
        activity: Arc::clone(&activity),
    });
    let requests = Requests {
        app,
        peer,
        activity: Arc::clone(&activity),
        options,
    };
    let service = service_fn(move |request| requests.clone().handle(request));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .max_buf_size(MAX_BUFFER);
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    let mut closing = false;
    loop {
        // While a handler runs, the connection is not quiet: look again later.
        let quiet = || activity.quiet_deadline(options.idle_timeout, options.body_timeout);
        let check = quiet().unwrap_or_else(|| Instant::now() + options.idle_timeout);
        tokio::select! {
            ended = connection.as_mut() => {
                if let Err(e) = ended {
                    tracing::debug!(%peer, "connection ended: {e}");
                }
                return;
            }
            () = ticket.evicted(), if !closing => {
                if activity.is_idle() {
                    tracing::debug!(%peer, "closed an idle connection to make room for a new one");
                    return;
                }
                connection.as_mut().graceful_shutdown();
                closing = true;
            }
            _ = shutdown.wait_for(|&stop| stop), if !closing => {
                connection.as_mut().graceful_shutdown();
                closing = true;
            }
            () = tokio::time::sleep_until(check) => {
                if quiet().is_some_and(|deadline| Instant::now() >= deadline) {
                    tracing::debug!(%peer, "closed a quiet connection");
                    return;
                }
            }
        }
    }
}

/// What each request of a connection needs.
#[derive(Clone)]
struct Requests {
    app: Router,
    peer: SocketAddr,
    activity: Arc<Activity>,
    options: ServeOptions,
}

impl Requests {
    async fn handle(self, request: hyper::Request<Incoming>) -> Result<Response, Infallible> {
        let _in_progress = self.activity.request_started();
        let expired = Arc::new(AtomicBool::new(false));
        let deadline = Instant::now() + self.options.body_timeout;
        let mut request =
            request.map(|body| Body::new(DeadlineBody::new(body, deadline, Arc::clone(&expired))));
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let Ok(response) = self.app.oneshot(request).await;
        let response = if expired.load(Ordering::Acquire) {
            too_slow(self.options.body_timeout)
        } else {
            response
        };
        let sending = self.activity.response_started();
        Ok(response.map(|body| {
            Body::new(Sending {
                body,
                _sending: sending,
            })
        }))
    }
}

/// A response body, counted as being sent until it is done (or dropped): a connection sending
/// one is not idle, so it is not evicted, but it is closed if the client stops reading.
struct Sending {
    body: Body,
    _sending: InProgress,
}

impl http_body::Body for Sending {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// 408 for a body that missed its deadline; the connection closes after it.
fn too_slow(timeout: std::time::Duration) -> Response {
    let text = format!(
        "The request body did not arrive within {timeout:?}, so nothing was done. Please try again.\n"
    );
    let mut response = (StatusCode::REQUEST_TIMEOUT, text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The socket, noting in `activity` every read and write that moves bytes.
struct Tracked {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl Tracked {
    fn note<T>(
        &self,
        result: Poll<std::io::Result<T>>,
        moved: impl Fn(&T) -> bool,
    ) -> Poll<std::io::Result<T>> {
        if let Poll::Ready(Ok(value)) = &result {
            if moved(value) {
                self.activity.moved_bytes();
            }
        }
        result
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.stream).poll_read(cx, buf);
        let after = buf.filled().len();
        this.note(result, |()| after > before)
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write(cx, data);
        this.note(result, |&n| n > 0)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write_vectored(cx, data);
        this.note(result, |&n| n > 0)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
