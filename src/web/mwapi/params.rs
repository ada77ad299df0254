//! The parameters of an Action API request: the query string, and for a POST the body
//! (`application/x-www-form-urlencoded` or `multipart/form-data`), as MediaWiki reads them.
//! Bounded: at most [`MAX_PARAMS`] parameters; the body is bounded by the app's body limit.

use std::collections::HashMap;

use super::reply::MwError;

/// The most parameters a request may carry.
pub(super) const MAX_PARAMS: usize = 200;
/// The most values a `|`-separated list may hold (MediaWiki's limit for ordinary clients).
pub(super) const MAX_LIST_VALUES: usize = 50;

/// The request's parameters, by name (the body wins over the query string).
#[derive(Debug, Default, Clone)]
pub(super) struct Params {
    values: HashMap<String, String>,
}

impl Params {
    /// Reads the query string and the body.
    pub(super) fn read(
        query: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Self, MwError> {
        let mut params = Self::default();
        if let Some(query) = query {
            params.add_urlencoded(query.as_bytes())?;
        }
        if !body.is_empty() {
            let kind = content_type.unwrap_or("application/x-www-form-urlencoded");
            let essence = kind.split(';').next().unwrap_or("").trim();
            if essence.eq_ignore_ascii_case("multipart/form-data") {
                let boundary = boundary(kind).ok_or_else(|| {
                    MwError::new("badmultipart", "The multipart body has no boundary.")
                })?;
                for (name, value) in multipart(body, &boundary)? {
                    params.insert(name, value)?;
                }
            } else if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
                params.add_urlencoded(body)?;
            } else {
                return Err(MwError::new(
                    "badcontenttype",
                    "The body must be application/x-www-form-urlencoded or multipart/form-data.",
                ));
            }
        }
        Ok(params)
    }

    fn add_urlencoded(&mut self, bytes: &[u8]) -> Result<(), MwError> {
        for (name, value) in form_urlencoded::parse(bytes) {
            self.insert(name.into_owned(), value.into_owned())?;
        }
        Ok(())
    }

    fn insert(&mut self, name: String, value: String) -> Result<(), MwError> {
        if self.values.len() >= MAX_PARAMS && !self.values.contains_key(&name) {
            return Err(MwError::new(
                "toomanyparams",
                format!("A request takes at most {MAX_PARAMS} parameters."),
            ));
        }
        self.values.insert(name, value);
        Ok(())
    }

    /// A parameter's value, if given.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Whether a boolean parameter is on (given at all, as in MediaWiki).
    pub(super) fn flag(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// A `|`-separated list (or `\x1f`-separated when it starts with `\x1f`), bounded.
    pub(super) fn list(&self, name: &str) -> Result<Vec<String>, MwError> {
        let Some(raw) = self.get(name) else {
            return Ok(Vec::new());
        };
        let values: Vec<String> = match raw.strip_prefix('\u{1f}') {
            Some(rest) => rest.split('\u{1f}').map(str::to_owned).collect(),
            None => raw.split('|').map(str::to_owned).collect(),
        };
        let values: Vec<String> = values.into_iter().filter(|v| !v.is_empty()).collect();
        if values.len() > MAX_LIST_VALUES {
            return Err(MwError::new(
                "toomanyvalues",
                format!(
                    "Too many values supplied for parameter \"{name}\". The limit is {MAX_LIST_VALUES}."
                ),
            ));
        }
        Ok(values)
    }

    /// An integer parameter, if given; `badinteger` when it is not one.
    pub(super) fn int(&self, name: &str) -> Result<Option<i64>, MwError> {
        match self.get(name) {
            None | Some("") => Ok(None),
            Some(raw) => raw.trim().parse().map(Some).map_err(|_| {
                MwError::new(
                    "badinteger",
                    format!("Invalid value \"{raw}\" for integer parameter \"{name}\"."),
                )
            }),
        }
    }

    /// A limit parameter (`max` or a number), at most `max`, `default` when not given.
    pub(super) fn limit(&self, name: &str, default: usize, max: usize) -> Result<usize, MwError> {
        match self.get(name) {
            None | Some("") => Ok(default),
            Some("max") => Ok(max),
            Some(_) => Ok(self
                .int(name)?
                .map_or(default, |n| usize::try_from(n.max(1)).unwrap_or(1).min(max))),
        }
    }
}

/// The `boundary` of a multipart content type.
fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|part| {
        let (key, value) = part.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty() && b.len() <= 200)
    })
}

/// The fields of a `multipart/form-data` body (RFC 7578), as text. A file part's content
/// is taken as text too (uploads are not taken here).
fn multipart(body: &[u8], boundary: &str) -> Result<Vec<(String, String)>, MwError> {
    let bad = || MwError::new("badmultipart", "The multipart body is malformed.");
    let delimiter = format!("--{boundary}");
    let finder = memchr::memmem::Finder::new(delimiter.as_bytes());
    let starts: Vec<usize> = finder.find_iter(body).collect();
    if starts.is_empty() {
        return Err(bad());
    }
    let mut fields = Vec::new();
    for pair in starts.windows(2) {
        let part = &body[pair[0] + delimiter.len()..pair[1]];
        let part = part.strip_prefix(b"\r\n").ok_or_else(bad)?;
        let part = part.strip_suffix(b"\r\n").ok_or_else(bad)?;
        let split = memchr::memmem::find(part, b"\r\n\r\n");
        let (head, content) = match split {
            Some(at) => (&part[..at], &part[at + 4..]),
            None => return Err(bad()),
        };
        let head = std::str::from_utf8(head).map_err(|_| bad())?;
        let name = head
            .split("\r\n")
            .find(|line| {
                line.split(':')
                    .next()
                    .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-disposition"))
            })
            .and_then(disposition_name)
            .ok_or_else(bad)?;
        let content = String::from_utf8(content.to_vec()).map_err(|_| bad())?;
        fields.push((name, content));
        if fields.len() > MAX_PARAMS {
            break;
        }
    }
    Ok(fields)
}

/// The `name="…"` of a `Content-Disposition: form-data` line.
fn disposition_name(line: &str) -> Option<String> {
    let (_, rest) = line.split_once(':')?;
    rest.split(';').find_map(|part| {
        let (key, value) = part.trim().split_once('=')?;
        (key.trim() == "name").then(|| value.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_fields_are_read_with_their_names() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nedit\r\n--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nline 1\r\nline 2\r\n--XyZ--\r\n";
        let params =
            Params::read(None, Some("multipart/form-data; boundary=XyZ"), body).expect("read");
        assert_eq!(params.get("action"), Some("edit"));
        assert_eq!(params.get("text"), Some("line 1\r\nline 2"));
    }

    #[test]
    fn a_multipart_body_without_delimiters_is_refused() {
        let refused = Params::read(None, Some("multipart/form-data; boundary=XyZ"), b"junk");
        assert_eq!(
            refused.map(|_| ()).map_err(|e| e.code),
            Err("badmultipart".to_owned())
        );
    }

    #[test]
    fn lists_split_on_bars_or_unit_separators_and_are_bounded() {
        let params = Params::read(Some("a=x|y&b=%1Fp|q%1Fr"), None, b"").expect("read");
        assert_eq!(params.list("a").expect("list"), ["x", "y"]);
        assert_eq!(params.list("b").expect("list"), ["p|q", "r"]);
        let many = vec!["v"; MAX_LIST_VALUES + 1].join("|");
        let params = Params::read(Some(&format!("a={many}")), None, b"").expect("read");
        assert!(params.list("a").is_err());
    }
}
