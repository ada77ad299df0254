//! The API's request rate per client (`serve --api-rate N`, `PLUTARCH_API_RATE`): each client
//! (the bearer token when one is sent, else the address) may make `N` requests a second, with
//! bursts of up to `N`; past that, `429 Too Many Requests` with `Retry-After`. Off unless set.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::ApiState;
use super::error::ApiError;
use crate::web::ClientAddress;

/// At most this many clients are remembered; past it, those with a full bucket are forgotten
/// (they are as if new), so a flood of addresses cannot grow the map without bound.
const MAX_CLIENTS: usize = 100_000;

/// A token bucket per client.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_second: f64,
    buckets: Mutex<HashMap<[u8; 32], Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    pub(crate) fn new(per_second: NonZeroU32) -> Self {
        Self {
            per_second: f64::from(per_second.get()),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `client`'s bucket at `now`: `Ok`, or the seconds to wait.
    fn take(&self, client: [u8; 32], now: Instant) -> Result<(), u64> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&client) {
            let rate = self.per_second;
            buckets
                .retain(|_, b| b.tokens + now.duration_since(b.last).as_secs_f64() * rate < rate);
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.per_second,
            last: now,
        });
        let refilled = now.duration_since(bucket.last).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refilled).min(self.per_second);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.per_second;
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

/// Who a request counts against: its bearer token (hashed: no secret is kept), else its
/// address.
fn client_of(request: &Request, address: &str) -> [u8; 32] {
    let mut hash = Sha256::new();
    match request.headers().get(header::AUTHORIZATION) {
        Some(token) => {
            hash.update(b"token ");
            hash.update(token.as_bytes());
        }
        None => {
            hash.update(b"address ");
            hash.update(address.as_bytes());
        }
    }
    hash.finalize().into()
}

/// Takes one request from its client's bucket: `Ok` (also when no rate is set), or the
/// seconds to wait.
fn take(state: &ApiState, request: &Request) -> Result<(), u64> {
    let Some(limiter) = state.limiter.as_deref() else {
        return Ok(());
    };
    let ClientAddress(address) = ClientAddress::of(request.extensions());
    limiter.take(client_of(request, &address), Instant::now())
}

/// Middleware: refuses a request past its client's rate with 429 and `Retry-After`.
pub(crate) async fn limit(State(state): State<ApiState>, request: Request, next: Next) -> Response {
    match take(&state, &request) {
        Ok(()) => next.run(request).await,
        Err(retry_after) => ApiError::RateLimited { retry_after }.into_response(),
    }
}

/// Middleware for MediaWiki's Action API (`/w/api.php`, `/api.php`): the same buckets as
/// `/api`, and past the rate a 429 with `Retry-After` in MediaWiki's shape (`ratelimited`).
pub(crate) async fn limit_action_api(
    State(state): State<ApiState>,
    request: Request,
    next: Next,
) -> Response {
    match take(&state, &request) {
        Ok(()) => next.run(request).await,
        Err(retry_after) => crate::web::mwapi::rate_limited(retry_after),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_client_gets_its_rate_with_bursts_and_others_are_not_held_up() {
        let limiter = RateLimiter::new(NonZeroU32::new(2).unwrap());
        let start = Instant::now();
        let (a, b) = ([1; 32], [2; 32]);
        assert_eq!(limiter.take(a, start), Ok(()));
        assert_eq!(limiter.take(a, start), Ok(()));
        assert_eq!(limiter.take(a, start), Err(1), "a burst of two, then wait");
        assert_eq!(
            limiter.take(b, start),
            Ok(()),
            "another client has its own bucket"
        );
        let later = start + Duration::from_millis(500);
        assert_eq!(
            limiter.take(a, later),
            Ok(()),
            "one request's worth came back"
        );
        assert_eq!(limiter.take(a, later), Err(1));
        let much_later = start + Duration::from_secs(60);
        assert_eq!(limiter.take(a, much_later), Ok(()));
        assert_eq!(limiter.take(a, much_later), Ok(()));
        assert_eq!(
            limiter.take(a, much_later),
            Err(1),
            "the bucket holds no more than N"
        );
    }
}
