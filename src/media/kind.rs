//! The type of an upload, from its first bytes (magic numbers): never from its name or the
//! `Content-Type` a client sent.

use image::ImageFormat;

use super::MediaError;

/// An accepted image type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// GIF (animations are thumbnailed from their first frame).
    Gif,
    /// WebP.
    Webp,
}

impl Kind {
    /// The media type it is served as.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    /// The type of a stored media type (as [`mime`](Self::mime) wrote it).
    pub fn from_mime(mime: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::Gif, Self::Webp]
            .into_iter()
            .find(|k| k.mime() == mime)
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Gif => "GIF",
            Self::Webp => "WebP",
        }
    }

    /// The extensions a file of this type may be named with (the first is the usual one).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Jpeg => &["jpg", "jpeg", "jpe"],
            Self::Png => &["png"],
            Self::Gif => &["gif"],
            Self::Webp => &["webp"],
        }
    }

    pub(super) fn format(self) -> ImageFormat {
        match self {
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Png => ImageFormat::Png,
            Self::Gif => ImageFormat::Gif,
            Self::Webp => ImageFormat::WebP,
        }
    }

    /// Refuses a name whose extension is not one of this type's.
    pub fn check_name(self, name: &str) -> Result<(), MediaError> {
        let extension = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if self.extensions().contains(&extension.as_str()) {
            return Ok(());
        }
        Err(MediaError::Mismatch {
            found: self.label(),
            extension,
            expected: self.extensions()[0],
        })
    }
}

/// The type of `bytes`, by their magic number; refused (saying what they look like) when they
/// are not one of the accepted image types.
pub fn detect(bytes: &[u8]) -> Result<Kind, MediaError> {
    let kind = match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(Kind::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Kind::Png),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(Kind::Gif),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some(Kind::Webp),
        _ => None,
    };
    // The image crate's guess must agree (it knows only the formats built in).
    match kind {
        Some(kind) if image::guess_format(bytes).ok() == Some(kind.format()) => Ok(kind),
        Some(_) => Err(MediaError::NotAnImage("not a readable image")),
        None if looks_like_svg(bytes) => Err(MediaError::Svg),
        None => Err(MediaError::NotAnImage(what_it_looks_like(bytes))),
    }
}

/// Whether the text starts like an SVG drawing (after a byte order mark, blanks, an XML
/// declaration or comments).
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!--"))
        && text.contains("<svg")
}

/// What bytes that are no accepted image look like, for the refusal.
fn what_it_looks_like(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if bytes.is_empty() {
        "empty"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF document"
    } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        "a ZIP archive (or an office document)"
    } else if text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.contains("<script")
        || text.contains("<body")
    {
        "an HTML page"
    } else if bytes.starts_with(b"BM") {
        "a BMP image"
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "a TIFF image"
    } else if std::str::from_utf8(head).is_ok() {
        "text"
    } else {
        "of an unknown type"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_renamed_as_images_are_named_for_what_they_are() {
        let cases: [(&[u8], &str); 5] = [
            (b"%PDF-1.7\n1 0 obj", "PDF"),
            (b"PK\x03\x04\x14\0\0\0", "ZIP"),
            (b"<!DOCTYPE html><html><script>alert(1)</script>", "HTML"),
            (b"alert(document.cookie)", "text"),
            (b"", "empty"),
        ];
        for (bytes, said) in cases {
            let refused = detect(bytes).unwrap_err();
            assert!(refused.to_string().contains(said), "{refused}");
        }
    }

    #[test]
    fn svg_is_refused_by_name() {
        let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(detect(svg), Err(MediaError::Svg));
    }

    #[test]
    fn extensions_match_case_blind() {
        assert!(Kind::Jpeg.check_name("A.JPEG").is_ok());
        assert!(Kind::Png.check_name("A.png.jpg").is_err());
        assert!(Kind::Gif.check_name("noextension").is_err());
    }
}
