//! The client's address behind a reverse proxy (`serve --trusted-proxy ADDR/CIDR`).
//!
//! `X-Forwarded-For` is a list a client can start with anything it likes; each proxy appends
//! the address it received the request from. So the header is believed only when the
//! connection comes from a configured trusted proxy, and then read from the right: the client
//! is the rightmost address that is not itself a trusted proxy (nginx's
//! `real_ip_recursive on`). Everything to its left was written by someone we do not trust.

use std::net::IpAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use super::session::ClientAddress;

/// The most `X-Forwarded-For` hops read (a longer list is cut on the left, at untrusted hops
/// anyway).
const MAX_HOPS: usize = 32;

/// A proxy (an address) or a network of them (`ADDR/PREFIX`) whose `X-Forwarded-For` is
/// believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedProxy {
    network: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for TrustedProxy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bad = || format!("{text:?} is not an address or a network like 10.0.0.0/8 or ::1");
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().map_err(|_| bad())?;
        let network = network.to_canonical();
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix.parse::<u8>().map_err(|_| bad())?,
            None => bits,
        };
        if prefix > bits {
            return Err(bad());
        }
        Ok(Self { network, prefix })
    }
}

impl std::fmt::Display for TrustedProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl TrustedProxy {
    /// Whether `address` is this proxy or in this network.
    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(address)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(network) & mask == u32::from(address) & mask
            }
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(network) & mask == u128::from(address) & mask
            }
            _ => false,
        }
    }
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy, else the rightmost
/// untrusted address of `forwarded` (the `X-Forwarded-For` values in order). When every hop is
/// trusted, the leftmost; when a hop is not an address, the trusted hop that reported it.
pub fn client_address<'h>(
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'h str>,
    trusted: &[TrustedProxy],
) -> IpAddr {
    let is_trusted = |address: IpAddr| trusted.iter().any(|proxy| proxy.contains(address));
    let peer = peer.to_canonical();
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded.flat_map(|value| value.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev().take(MAX_HOPS) {
        let Some(address) = parse_hop(hop) else {
            return client;
        };
        client = address;
        if !is_trusted(address) {
            return client;
        }
    }
    client
}

/// One hop: an address, perhaps with a port (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .map(|address| address.to_canonical())
}

/// Middleware: works out the client's address once, for the sign-in throttle, the API rate
/// limit and the log (see [`ClientAddress::of`]).
pub(super) async fn resolve(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let trusted = &state.settings().trusted_proxies;
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .copied()
        .filter(|_| !trusted.is_empty());
    if let Some(ConnectInfo(peer)) = peer {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok());
        let client = client_address(peer.ip(), forwarded, trusted);
        request
            .extensions_mut()
            .insert(ClientAddress(client.to_string()));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> Vec<TrustedProxy> {
        list.iter().map(|p| p.parse().expect("a proxy")).collect()
    }

    fn client(peer: &str, xff: &[&str], trusted: &[&str]) -> String {
        let peer: IpAddr = peer.parse().expect("peer");
        client_address(peer, xff.iter().copied(), &proxies(trusted)).to_string()
    }

    #[test]
    fn networks_read_as_written() {
        let net: TrustedProxy = "10.1.0.0/16".parse().expect("network");
        assert!(net.contains("10.1.255.3".parse().expect("ip")));
        assert!(!net.contains("10.2.0.1".parse().expect("ip")));
        assert!(!net.contains("::1".parse().expect("ip")));
        let all: TrustedProxy = "0.0.0.0/0".parse().expect("all");
        assert!(all.contains("203.0.113.1".parse().expect("ip")));
        let mapped: TrustedProxy = "::ffff:127.0.0.1".parse().expect("mapped");
        assert!(mapped.contains("127.0.0.1".parse().expect("ip")));
        for bad in [
            "",
            "10.0.0.0/33",
            "::1/129",
            "example.org",
            "10.0.0.0/x",
            "/8",
        ] {
            assert!(bad.parse::<TrustedProxy>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let trusted = ["10.0.0.0/8"];
        assert_eq!(
            client("192.0.2.9", &["198.51.100.1"], &trusted),
            "192.0.2.9"
        );
        assert_eq!(
            client("10.0.0.2", &["6.6.6.6, 198.51.100.1, 10.0.0.5"], &trusted),
            "198.51.100.1"
        );
        assert_eq!(
            client("10.0.0.2", &["6.6.6.6", "198.51.100.1:4711"], &trusted),
            "198.51.100.1"
        );
        assert_eq!(client("10.0.0.2", &[], &trusted), "10.0.0.2");
        assert_eq!(client("10.0.0.2", &["10.0.0.7"], &trusted), "10.0.0.7");
        assert_eq!(
            client("10.0.0.2", &["198.51.100.1, garbage"], &trusted),
            "10.0.0.2"
        );
    }
}
