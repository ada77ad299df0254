//! Reading MediaWiki's XML export format (schema 0.10 and 0.11, as Special:Export and
//! `dumpBackup.php` write it), streamed: one page header or one revision at a time, never the
//! whole dump. Only what an import keeps is read (siteinfo's namespaces; a page's title,
//! namespace, id and redirect; a revision's id, parent, time, contributor, comment, minor flag,
//! text and SHA-1); anything else is skipped. Line ends follow XML 1.0 (a literal CR LF reads as
//! LF), so a CR survives only written as `&#13;`, as our export writes it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The longest title, comment, name or other short field read (bytes); longer is an error.
const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A page's header: what comes before its first revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageHead {
    /// The title as the dump writes it, with its namespace's local prefix.
    pub title: String,
    /// The namespace number.
    pub ns: Option<i64>,
    /// The page id in the wiki it came from.
    pub id: Option<i64>,
    /// Where the dump says the page redirects (informative: the text decides here).
    pub redirect: Option<String>,
}

/// Who wrote a revision, as the dump says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contributor {
    /// A user name.
    User(String),
    /// An IP address (an anonymous edit).
    Ip(String),
    /// Hidden in the wiki it came from.
    Hidden,
}

/// A revision's text as the dump has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DumpText {
    /// The text.
    Text(String),
    /// Hidden in the wiki it came from (`<text deleted="deleted"/>`): not in the dump.
    Deleted,
    /// Longer than the limit given to the reader, in bytes.
    TooLarge(usize),
}

/// One revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpRevision {
    /// Its id in the wiki it came from.
    pub id: Option<i64>,
    /// Its parent's id there.
    pub parent_id: Option<i64>,
    /// `YYYY-MM-DDTHH:MM:SSZ`, as the dump writes it.
    pub timestamp: String,
    /// Who wrote it.
    pub contributor: Contributor,
    /// The edit summary (empty when absent or hidden).
    pub comment: String,
    /// Marked minor.
    pub minor: bool,
    /// The text.
    pub text: DumpText,
    /// The dump's SHA-1 of the text (base 36), if given.
    pub sha1: Option<String>,
}

/// What the dump holds next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A page starts (its revisions follow).
    Page(PageHead),
    /// A revision of the current page.
    Revision(Box<DumpRevision>),
    /// The current page ends.
    PageEnd,
}

/// Why the dump cannot be read on: malformed XML, or it ends in the middle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at byte {position} of the XML: {what}")]
pub struct ReadError {
    /// The byte offset in the (uncompressed) XML.
    pub position: u64,
    /// What is wrong.
    pub what: String,
}

/// A streaming reader of a dump.
pub struct DumpReader<R: BufRead> {
    xml: Reader<R>,
    buf: Vec<u8>,
    /// The siteinfo's namespaces: number to local name ("" for the main namespace).
    namespaces: HashMap<i64, String>,
    /// Whether a page is open.
    in_page: bool,
    /// A revision start already read (after a page's header).
    revision_started: bool,
    /// A page's end already read with its header (a page without revisions).
    page_ended: bool,
    /// The largest revision text kept, in bytes.
    max_text: usize,
}

impl<R: BufRead> DumpReader<R> {
    /// A reader of `input`, keeping revision texts up to `max_text` bytes.
    pub fn new(input: R, max_text: usize) -> Self {
        let mut xml = Reader::from_reader(input);
        let config = xml.config_mut();
        config.expand_empty_elements = false;
        config.check_end_names = true;
        Self {
            xml,
            buf: Vec::with_capacity(64 * 1024),
            namespaces: HashMap::new(),
            in_page: false,
            revision_started: false,
            page_ended: false,
            max_text,
        }
    }

    /// The namespaces the siteinfo named so far (number to local name).
    pub fn namespaces(&self) -> &HashMap<i64, String> {
        &self.namespaces
    }

    /// How far the reader is in the XML, in bytes.
    pub fn position(&self) -> u64 {
        self.xml.buffer_position()
    }

    fn error(&self, what: impl Into<String>) -> ReadError {
        ReadError {
            position: self.xml.buffer_position(),
            what: what.into(),
        }
    }

    fn event(&mut self) -> Result<Event<'static>, ReadError> {
        self.buf.clear();
        match self.xml.read_event_into(&mut self.buf) {
            Ok(event) => Ok(event.into_owned()),
            Err(e) => Err(ReadError {
                position: self.xml.error_position(),
                what: format!("malformed XML: {e}"),
            }),
        }
    }

    /// The next item, or `None` at the end of the dump.
    pub fn next_item(&mut self) -> Result<Option<Item>, ReadError> {
        if self.page_ended {
            self.page_ended = false;
            return Ok(Some(Item::PageEnd));
        }
        if self.revision_started {
            self.revision_started = false;
            return Ok(Some(Item::Revision(Box::new(self.revision()?))));
        }
        loop {
            match self.event()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"mediawiki" => {}
                    b"siteinfo" => self.siteinfo()?,
                    b"page" if !self.in_page => {
                        self.in_page = true;
                        return Ok(Some(Item::Page(self.page_head()?)));
                    }
                    b"revision" if self.in_page => {
                        return Ok(Some(Item::Revision(Box::new(self.revision()?))));
                    }
                    _ => self.skip(&e)?,
                },
                Event::End(e) => match e.local_name().as_ref() {
                    b"page" if self.in_page => {
                        self.in_page = false;
                        return Ok(Some(Item::PageEnd));
                    }
                    b"mediawiki" => return Ok(None),
                    _ => {}
                },
                Event::Eof if self.in_page => {
                    return Err(self.error("the dump ends in the middle of a page"));
                }
                Event::Eof => return Ok(None),
                _ => {}
            }
        }
    }

    fn skip(&mut self, start: &BytesStart<'_>) -> Result<(), ReadError> {
        let mut buf = Vec::new();
        self.xml
            .read_to_end_into(start.name(), &mut buf)
            .map(|_| ())
            .map_err(|e| ReadError {
                position: self.xml.error_position(),
                what: format!("malformed XML: {e}"),
            })
    }

    fn siteinfo(&mut self) -> Result<(), ReadError> {
        loop {
            match self.event()? {
                Event::Start(e) if e.local_name().as_ref() == b"namespace" => {
                    let key = self.key(&e)?;
                    let name = self.text(MAX_FIELD_BYTES)?;
                    if let (Some(key), Some(name)) = (key, name) {
                        self.namespaces.insert(key, name);
                    }
                }
                Event::Empty(e) if e.local_name().as_ref() == b"namespace" => {
                    if let Some(key) = self.key(&e)? {
                        self.namespaces.insert(key, String::new());
                    }
                }
                Event::Start(e) if e.local_name().as_ref() != b"namespaces" => self.skip(&e)?,
                Event::End(e) if e.local_name().as_ref() == b"siteinfo" => return Ok(()),
                Event::Eof => return Err(self.error("the dump ends in the middle of siteinfo")),
                _ => {}
            }
        }
    }

    fn key(&self, e: &BytesStart<'_>) -> Result<Option<i64>, ReadError> {
        Ok(self
            .attribute(e, "key")?
            .and_then(|k| k.trim().parse().ok()))
    }

    fn attribute(&self, e: &BytesStart<'_>, name: &str) -> Result<Option<String>, ReadError> {
        match e.try_get_attribute(name) {
            Ok(Some(a)) => a
                .unescape_value()
                .map(|v| Some(v.into_owned()))
                .map_err(|e| self.error(format!("malformed attribute {name}: {e}"))),
            Ok(None) => Ok(None),
            Err(e) => Err(self.error(format!("malformed attributes: {e}"))),
        }
    }

    fn page_head(&mut self) -> Result<PageHead, ReadError> {
        let mut head = PageHead::default();
        loop {
            match self.event()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"title" => head.title = self.field()?,
                    b"ns" => head.ns = self.number()?,
                    b"id" => head.id = self.number()?,
                    b"redirect" => {
                        head.redirect = self.attribute(&e, "title")?;
                        self.skip(&e)?;
                    }
                    b"revision" => {
                        self.revision_started = true;
                        return Ok(head);
                    }
                    _ => self.skip(&e)?,
                },
                Event::Empty(e) if e.local_name().as_ref() == b"redirect" => {
                    head.redirect = self.attribute(&e, "title")?;
                }
                Event::End(e) if e.local_name().as_ref() == b"page" => {
                    // A page without revisions: its end is the next item.
                    self.in_page = false;
                    self.page_ended = true;
                    return Ok(head);
                }
                Event::Eof => return Err(self.error("the dump ends in the middle of a page")),
                _ => {}
            }
        }
    }

    fn revision(&mut self) -> Result<DumpRevision, ReadError> {
        let mut revision = DumpRevision {
            id: None,
            parent_id: None,
            timestamp: String::new(),
            contributor: Contributor::Hidden,
            comment: String::new(),
            minor: false,
            text: DumpText::Text(String::new()),
            sha1: None,
        };
        loop {
            match self.event()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"id" => revision.id = self.number()?,
                    b"parentid" => revision.parent_id = self.number()?,
                    b"timestamp" => revision.timestamp = self.field()?,
                    b"contributor" => revision.contributor = self.contributor(&e)?,
                    b"comment" => revision.comment = self.field()?,
                    b"minor" => {
                        revision.minor = true;
                        self.skip(&e)?;
                    }
                    b"sha1" => revision.sha1 = Some(self.field()?).filter(|s| !s.is_empty()),
                    b"text" => {
                        revision.text = if self.attribute(&e, "deleted")?.is_some() {
                            self.skip(&e)?;
                            DumpText::Deleted
                        } else {
                            match self.text(self.max_text)? {
                                Some(text) => DumpText::Text(text),
                                None => DumpText::TooLarge(self.max_text),
                            }
                        };
                    }
                    _ => self.skip(&e)?,
                },
                Event::Empty(e) => match e.local_name().as_ref() {
                    b"minor" => revision.minor = true,
                    b"contributor" => revision.contributor = Contributor::Hidden,
                    b"text" if self.attribute(&e, "deleted")?.is_some() => {
                        revision.text = DumpText::Deleted;
                    }
                    b"text" => revision.text = DumpText::Text(String::new()),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == b"revision" => return Ok(revision),
                Event::Eof => return Err(self.error("the dump ends in the middle of a revision")),
                _ => {}
            }
        }
    }

    fn contributor(&mut self, start: &BytesStart<'_>) -> Result<Contributor, ReadError> {
        let mut contributor = if self.attribute(start, "deleted")?.is_some() {
            Some(Contributor::Hidden)
        } else {
            None
        };
        loop {
            match self.event()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"username" => {
                        let name = self.field()?;
                        contributor.get_or_insert(Contributor::User(name));
                    }
                    b"ip" => {
                        let ip = self.field()?;
                        contributor.get_or_insert(Contributor::Ip(ip));
                    }
                    _ => self.skip(&e)?,
                },
                Event::End(e) if e.local_name().as_ref() == b"contributor" => {
                    return Ok(contributor.unwrap_or(Contributor::Hidden));
                }
                Event::Eof => return Err(self.error("the dump ends in the middle of a revision")),
                _ => {}
            }
        }
    }

    /// A short field's text (an error past [`MAX_FIELD_BYTES`]).
    fn field(&mut self) -> Result<String, ReadError> {
        self.text(MAX_FIELD_BYTES)?
            .ok_or_else(|| self.error(format!("a field longer than {MAX_FIELD_BYTES} bytes")))
    }

    fn number(&mut self) -> Result<Option<i64>, ReadError> {
        Ok(self.field()?.trim().parse().ok())
    }

    /// The text up to the end of the element just started: `None` when it is longer than
    /// `limit` bytes (read to its end all the same). An element inside is an error.
    fn text(&mut self, limit: usize) -> Result<Option<String>, ReadError> {
        let mut text = String::new();
        let mut too_long = false;
        loop {
            let piece: Cow<'_, str> = match self.event()? {
                Event::Text(t) => t
                    .xml10_content()
                    .map(|c| Cow::Owned(c.into_owned()))
                    .map_err(|e| self.error(format!("text that is not UTF-8: {e}")))?,
                Event::CData(t) => Cow::Owned(
                    String::from_utf8(t.into_inner().into_owned())
                        .map_err(|_| self.error("CDATA that is not UTF-8"))?,
                ),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        Ok(None) => {
                            let name = String::from_utf8_lossy(&r).into_owned();
                            quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                        }
                        Err(_) => None,
                    };
                    Cow::Owned(resolved.ok_or_else(|| {
                        self.error(format!(
                            "an unknown reference &{};",
                            String::from_utf8_lossy(&r)
                        ))
                    })?)
                }
                Event::End(_) => break,
                Event::Start(e) => {
                    return Err(self.error(format!(
                        "an element <{}> inside a text",
                        String::from_utf8_lossy(e.local_name().as_ref())
                    )));
                }
                Event::Eof => return Err(self.error("the dump ends in the middle of a text")),
                _ => continue,
            };
            if !too_long {
                if text.len() + piece.len() > limit {
                    too_long = true;
                    text = String::new();
                } else {
                    text.push_str(&piece);
                }
            }
        }
        Ok((!too_long).then_some(text))
    }
}
