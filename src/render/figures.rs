//! Figures: `[[File:X.jpg|thumb|caption]]` as a floated figure with its caption, and the image
//! of an infobox. The renderer asks a [`FileResolver`] for each file (its size and thumbnail
//! URL, or missing); until files are stored every file is missing and shows as a framed
//! placeholder with its name and caption. Spans drawn as blocks (by class, no inline style),
//! since a figure may stand inside a paragraph.

use std::collections::HashMap;

use maud::{Markup, html};
use percent_encoding::utf8_percent_encode;

use super::article::{Renderer, href_of};
use super::links::{normalize_title, page_url};
use crate::doc::image::{ImageAlign, ImageFrame, ImageOptions, ImageSize};
use crate::doc::namespace::{Namespace, split as split_namespace};
use crate::doc::url::SEGMENT;
use crate::doc::{GalleryItem, Inline, plain_text};
use crate::media::{STANDARD_WIDTHS, scaled, standard_width};

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
    /// The file named `name` (without its `File:` prefix, normalised) drawn within `size`
    /// (`None`: its own size), or `None` if missing.
    fn resolve(&self, name: &str, size: Option<ImageSize>) -> Option<ResolvedFile>;
}

/// No files are stored: every file is missing.
pub struct NoFiles;

impl FileResolver for NoFiles {
    fn resolve(&self, _name: &str, _size: Option<ImageSize>) -> Option<ResolvedFile> {
        None
    }
}

/// How wide a thumbnail (and a portrait) is drawn when no size is asked, in CSS pixels:
/// MediaWiki's default.
pub const FIGURE_WIDTH: u32 = 220;

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

/// The width an image of `width` × `height` is drawn at within `size`: never larger than
/// itself nor than the largest thumbnail.
fn drawn_width(width: u32, height: u32, size: Option<ImageSize>) -> u32 {
    let by_height = |h: u32| {
        let w = u64::from(width) * u64::from(h) / u64::from(height.max(1));
        u32::try_from(w).unwrap_or(u32::MAX).max(1)
    };
    let asked = size.map_or(width, |s| {
        let w = s.width.unwrap_or(u32::MAX);
        s.height.map_or(w, |h| w.min(by_height(h)))
    });
    asked
        .min(width)
        .min(STANDARD_WIDTHS[STANDARD_WIDTHS.len() - 1])
        .max(1)
}

impl FileResolver for StoredFiles {
    fn resolve(&self, name: &str, size: Option<ImageSize>) -> Option<ResolvedFile> {
        let image = self.0.get(name)?;
        let target = drawn_width(image.width, image.height, size);
        let (width, height) = scaled(image.width, image.height, target);
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

/// The classes of a file link's box: `figure`, its frame and its alignment.
fn figure_classes(options: &ImageOptions) -> String {
    let frame = match options.frame {
        ImageFrame::Plain => "plain",
        ImageFrame::Thumb => "thumb",
        ImageFrame::Frame => "frame",
        ImageFrame::Frameless => "frameless",
    };
    let align = match options.effective_align() {
        Some(ImageAlign::Left) => " align-left",
        Some(ImageAlign::Right) => " align-right",
        Some(ImageAlign::Center) => " align-center",
        Some(ImageAlign::None) => " align-none",
        None => "",
    };
    format!("figure {frame}{align}")
}

/// Where an image leads: its file page, a page or URL of `link=`, or nowhere (`link=`).
enum ImageLink {
    To(String),
    Nowhere,
}

impl ImageLink {
    fn of(page: &str, options: &ImageOptions) -> Self {
        match options.link.as_deref().map(str::trim) {
            None => Self::To(page_url(page)),
            Some("") => Self::Nowhere,
            Some(link) => match href_of(link) {
                Some(url) => Self::To(url.to_string()),
                None => Self::To(page_url(&normalize_title(link))),
            },
        }
    }
}

impl Renderer<'_> {
    /// A file link, `[[File:X.jpg|thumb|right|200px|alt=…|caption]]`, drawn as MediaWiki does:
    /// `thumb` and `frame` in a box with the caption, `frameless` and plain images alone (the
    /// caption as their tooltip).
    pub(crate) fn file_link(
        &self,
        target: &str,
        caption: &[Inline<'_>],
        options: &ImageOptions,
    ) -> Markup {
        let classes = figure_classes(options);
        self.figure(target, caption, options, &classes)
    }

    /// A figure for file `target` with its caption, in a box of `classes`.
    pub(crate) fn figure(
        &self,
        target: &str,
        caption: &[Inline<'_>],
        options: &ImageOptions,
        classes: &str,
    ) -> Markup {
        let name = file_name(target);
        let page = format!("File:{name}");
        let caption_text = plain_text(caption);
        let caption_text = caption_text.trim();
        let shows_caption = !matches!(options.frame, ImageFrame::Plain | ImageFrame::Frameless);
        let alt = options.alt.as_deref().unwrap_or(caption_text);
        let title = (!shows_caption && !caption_text.is_empty()).then_some(caption_text);
        let link = ImageLink::of(&page, options);
        let size = options.display_box(FIGURE_WIDTH);
        html! {
            span class=(classes) {
                @match self.options.files.resolve(&name, size) {
                    Some(file) => {
                        @let image = html! {
                            img src=(file.thumbnail_url) srcset=[(!file.srcset.is_empty()).then_some(&file.srcset)] width=(file.width) height=(file.height) alt=(alt) class=[options.border.then_some("border")] loading="lazy";
                        };
                        @match &link {
                            ImageLink::To(href) => { a.image href=(href) title=[title] { (image) } }
                            ImageLink::Nowhere => { span.image title=[title] { (image) } }
                        }
                    }
                    None => {
                        a.figure-missing href=(upload_url(&name)) title="File not available: upload it" { (page) }
                    }
                }
                @if shows_caption && !caption.is_empty() { span.figure-caption { (self.inlines(caption)) } }
            }
        }
    }

    /// A `<gallery>`: its files as a grid of figures, each with its caption.
    pub(crate) fn gallery(&self, items: &[GalleryItem<'_>]) -> Markup {
        let options = ImageOptions {
            frame: ImageFrame::Thumb,
            ..ImageOptions::default()
        };
        html! {
            span.gallery {
                @for item in items {
                    (self.figure(&item.target, &item.caption, &options, "figure gallery-item"))
                }
            }
        }
    }

    /// The image of an infobox: a file name, `File:X`, or a `[[File:X|…]]` link, at `size`
    /// (`image_size`, e.g. `200px`; 220 px when none) with `alt` as its text.
    pub(crate) fn infobox_image(
        &self,
        value: &[Inline<'_>],
        caption: &[Inline<'_>],
        size: Option<&str>,
        alt: Option<&str>,
    ) -> Markup {
        let linked = value.iter().find_map(|i| match i {
            Inline::File {
                target, options, ..
            } => Some((target.clone(), options.clone())),
            _ => None,
        });
        let (target, mut options) =
            linked.unwrap_or_else(|| (plain_text(value).trim().to_string(), Box::default()));
        if target.is_empty() {
            return html! {};
        }
        options.frame = ImageFrame::Thumb;
        if let Some(size) = size.and_then(ImageSize::parse) {
            options.size = Some(size);
        }
        if let Some(alt) = alt.map(str::trim).filter(|a| !a.is_empty()) {
            options.alt = Some(alt.to_string());
        }
        self.figure(&target, caption, &options, "figure infobox-figure")
    }
}

/// Where a missing file is uploaded: the upload form with its name filled in.
fn upload_url(name: &str) -> String {
    let query = form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>();
    format!("/upload?name={query}")
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

    #[test]
    fn an_image_is_drawn_within_the_size_asked_never_larger_than_itself() {
        let size = |w, h| {
            Some(ImageSize {
                width: w,
                height: h,
            })
        };
        assert_eq!(drawn_width(4000, 3000, size(Some(200), None)), 200);
        assert_eq!(drawn_width(4000, 3000, size(None, Some(120))), 160);
        assert_eq!(drawn_width(4000, 3000, size(Some(100), Some(60))), 80);
        assert_eq!(drawn_width(100, 80, size(Some(500), None)), 100);
        assert_eq!(drawn_width(4000, 3000, None), 1280);
        assert_eq!(drawn_width(1, 50_000, size(None, Some(1))), 1);
    }

    #[test]
    fn a_missing_file_links_to_its_upload_with_the_name_filled_in() {
        assert_eq!(upload_url("A b&c.jpg"), "/upload?name=A+b%26c.jpg");
    }
}
