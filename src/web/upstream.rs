//! A plain-HTTP server this one talks to: a cache in front to purge (`--purge-url`), a primary
//! to follow (`--replica-of`). One way to read its URL and one way to send it a request.

use std::future::Future;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{Request, Response, Uri};
use http_body_util::Empty;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Where an `http://host[:port][/prefix]` server is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HttpTarget {
    /// `host:port`, to connect to.
    pub address: String,
    /// `host[:port]`, as written: the `Host` of requests to it.
    pub authority: String,
    /// The path its URLs start with, without a trailing slash (`""` at the root).
    pub prefix: String,
}

impl HttpTarget {
    /// Reads `http://host[:port][/prefix]`: plain HTTP, no user name, no query; `None` for
    /// anything else.
    pub(super) fn parse(url: &str) -> Option<Self> {
        let uri: Uri = url.parse().ok()?;
        if uri.scheme_str() != Some("http") || uri.query().is_some() {
            return None;
        }
        let authority = uri.authority()?;
        if authority.as_str().contains('@') {
            return None;
        }
        Some(Self {
            address: format!(
                "{}:{}",
                authority.host(),
                authority.port_u16().unwrap_or(80)
            ),
            authority: authority.as_str().to_owned(),
            prefix: uri.path().trim_end_matches('/').to_owned(),
        })
    }

    /// `http://host[:port]/prefix`: where its URLs start.
    pub(super) fn origin(&self) -> String {
        format!("http://{}{}", self.authority, self.prefix)
    }
}

/// Sends `request` to `target` on a connection of its own and hands the answer to `read`
/// (the connection is driven until `read` is done); all of it within `timeout`.
pub(super) async fn exchange<T, F, Fut>(
    target: &HttpTarget,
    request: Request<Empty<Bytes>>,
    timeout: Duration,
    read: F,
) -> Result<T, String>
where
    F: FnOnce(Response<Incoming>) -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let exchange = async {
        let stream = TcpStream::connect(&target.address)
            .await
            .map_err(|e| e.to_string())?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        let driver = tokio::spawn(connection);
        let answer = match sender.send_request(request).await {
            Ok(response) => read(response).await,
            Err(e) => Err(e.to_string()),
        };
        driver.abort();
        answer
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| format!("no answer within {timeout:?}"))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_plain_http_with_an_optional_prefix() {
        let target = HttpTarget::parse("http://cache:8080/wiki-site/").expect("valid");
        assert_eq!(target.address, "cache:8080");
        assert_eq!(target.authority, "cache:8080");
        assert_eq!(target.prefix, "/wiki-site");
        assert_eq!(target.origin(), "http://cache:8080/wiki-site");
        assert_eq!(
            HttpTarget::parse("http://cache").map(|t| t.address),
            Some("cache:80".to_owned())
        );
        for bad in [
            "https://cache",
            "cache:80",
            "http://cache/?q=1",
            "http://user@cache",
            "",
        ] {
            assert_eq!(HttpTarget::parse(bad), None, "{bad}");
        }
    }
}
