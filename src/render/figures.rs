//! Figures: `[[File:X.jpg|thumb|caption]]` as a floated figure with its caption, and the image
//! of an infobox. The renderer asks a [`FileResolver`] for each file (its size and thumbnail
//! URL, or missing); until files are stored every file is missing and shows as a framed
//! placeholder with its name and caption. Spans drawn as blocks (by class, no inline style),
//! since a figure may stand inside a paragraph.

use std::collections::HashMap;

use maud::{Markup, html};
use percent_encoding::utf8_percent_encode;

use super::article::Renderer;
use super::links::{normalize_title, page_url};
use crate::doc::namespace::{Namespace, split as split_namespace};
use crate::doc::url::SEGMENT;
use crate::doc::{GalleryItem, Inline, plain_text};
use crate::media::{scaled, standard_width};

/// A stored file as the renderer needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFile {
    /// Width of the thumbnail, in pixels.
    pub width: u32,
    /// Height of the thumbnail, in pixels.
    pub height: u32,
    /// Where the thumbnail is served from (a path of this site).
    pub thumbnail_url: String,
    /// Larger thumbnails for dense screens (`srcset`: `URL 1.5x, URL 2x`), or empty.
    pub srcset: String,
}

/// Finds the files that pages show.
pub trait FileResolver {
    /// The file named `name` (without its `File:` prefix, normalised), or `None` if missing.
    fn resolve(&self, name: &str) -> Option<ResolvedFile>;
}

/// No files are stored: every file is missing.
pub struct NoFiles;

impl FileResolver for NoFiles {
    fn resolve(&self, _name: &str) -> Option<ResolvedFile> {
        None
    }
}

/// How wide a figure is drawn, in CSS pixels.
pub const FIGURE_WIDTH: u32 = 250;

/// A stored image, as the page's files were looked up before rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// Width of the original.
    pub width: u32,
    /// Height of the original.
    pub height: u32,
    /// A key of its bytes (thumbnail URLs carry it, so a new version gets new URLs).
    pub key: String,
}

/// The stored files a page shows, by name (without `File:`, normalised), looked up before
/// rendering (the renderer reads no storage).
#[derive(Debug, Clone, Default)]
pub struct StoredFiles(HashMap<String, StoredImage>);

impl StoredFiles {
    /// The files, by name.
    pub fn new(files: impl IntoIterator<Item = (String, StoredImage)>) -> Self {
        Self(files.into_iter().collect())
    }
}

impl FileResolver for StoredFiles {
    fn resolve(&self, name: &str) -> Option<ResolvedFile> {
        let image = self.0.get(name)?;
        let (width, height) = scaled(image.width, image.height, FIGURE_WIDTH);
        let url = |w: u32| {
            let segment = utf8_percent_encode(&name.replace(' ', "_"), SEGMENT).to_string();
            format!("/thumb/{}/{segment}?v={}", standard_width(w), image.key)
        };
        let srcset = match image.width > width {
            true => format!("{} 1.5x, {} 2x", url(width * 3 / 2), url(width * 2)),
            false => String::new(),
        };
        Some(ResolvedFile {
            width,
            height,
            thumbnail_url: url(width),
            srcset,
        })
    }
}

/// The file name of `File:X.jpg`, `Datei:X.jpg`, `Image:X.jpg` or `X.jpg`, normalised.
fn file_name(target: &str) -> String {
    let bare = match split_namespace(target.trim()) {
        Some((Namespace::File, rest)) => rest,
        _ => target.trim(),
    };
    normalize_title(bare).into_owned()
}

impl Renderer<'_> {
    /// A figure for file `target` with its caption.
    pub(crate) fn figure(&self, target: &str, caption: &[Inline<'_>], class: &str) -> Markup {
        let name = file_name(target);
        let page = format!("File:{name}");
        let alt = plain_text(caption);
        html! {
            span class=(class) {
                @match self.options.files.resolve(&name) {
                    Some(file) => {
                        a.image href=(page_url(&page)) {
                            img src=(file.thumbnail_url) srcset=[(!file.srcset.is_empty()).then_some(&file.srcset)] width=(file.width) height=(file.height) alt=(alt.trim()) loading="lazy";
                        }
                    }
                    None => {
                        a.figure-missing href=(page_url(&page)) title="File not available" { (page) }
                    }
                }
                @if !caption.is_empty() { span.figure-caption { (self.inlines(caption)) } }
            }
        }
    }

    /// A `<gallery>`: its files as a grid of figures, each with its caption.
    pub(crate) fn gallery(&self, items: &[GalleryItem<'_>]) -> Markup {
        html! {
            span.gallery {
                @for item in items {
                    (self.figure(&item.target, &item.caption, "figure gallery-item"))
                }
            }
        }
    }

    /// The image of an infobox: a file name, `File:X`, or a `[[File:X|…]]` link.
    pub(crate) fn infobox_image(&self, value: &[Inline<'_>], caption: &[Inline<'_>]) -> Markup {
        let linked = value.iter().find_map(|i| match i {
            Inline::File { target, .. } => Some(target.clone()),
            _ => None,
        });
        let target = linked.unwrap_or_else(|| plain_text(value).trim().to_string());
        if target.is_empty() {
            return html! {};
        }
        self.figure(&target, caption, "figure infobox-figure")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_namespace_in_any_language() {
        assert_eq!(file_name("File:a b.jpg"), "A b.jpg");
        assert_eq!(file_name("Datei:X.png"), "X.png");
        assert_eq!(file_name("Image:X.png"), "X.png");
        assert_eq!(file_name("X.png"), "X.png");
    }
}
