//! Uploaded images as bytes (issue 16): what type they are (decided by the bytes, never the
//! name or a header), whether they are safe to keep (pixel and frame limits checked before any
//! large allocation), whether they carry a GPS position, and their thumbnails.
//!
//! Pure: no storage, no HTTP. `wiki::files` applies it to uploads and stored files.

mod exif;
mod jpeg;
mod kind;
pub mod svg;
mod thumbnail;

pub use exif::has_gps_position;
pub use kind::{Kind, detect};
pub use thumbnail::{STANDARD_WIDTHS, Thumbnail, scaled, standard_width, thumbnail};

use std::io::Cursor;

use image::{AnimationDecoder, ImageReader, Limits};

/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 20_000;
/// The most pixels in one frame (50 megapixels: a good camera's photo).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The most frames of an animation.
pub const MAX_FRAMES: u32 = 1_000;
/// The most pixels decoded over all frames of an animation.
pub const MAX_ANIMATION_PIXELS: u64 = 100_000_000;
/// The most memory a decoder may allocate.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// Why bytes are not an image we keep.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// Not one of the accepted types (says what it looks like, when known).
    #[error(
        "this file is {0}, not an image of a type this wiki accepts (JPEG, PNG, GIF, WebP or SVG)"
    )]
    NotAnImage(&'static str),
    /// An SVG drawing that could run code, load something from outside, or is too large.
    #[error("this SVG drawing is not accepted: {0}")]
    UnsafeSvg(String),
    /// The name's extension says another type than the bytes.
    #[error("the file is a {found} image, but its name ends in .{extension}: name it .{expected}")]
    Mismatch {
        /// What the bytes are.
        found: &'static str,
        /// The name's extension.
        extension: String,
        /// The extension to use.
        expected: &'static str,
    },
    /// Too many pixels, or a side too long.
    #[error(
        "the image is {width} × {height} pixels, more than this wiki accepts (at most {MAX_SIDE} pixels a side and {MAX_PIXELS} pixels)"
    )]
    TooManyPixels {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
    /// An animation with too many frames.
    #[error(
        "the animation has more than {MAX_FRAMES} frames or {MAX_ANIMATION_PIXELS} pixels in all, more than this wiki accepts"
    )]
    TooManyFrames,
    /// The bytes start like an image but do not decode.
    #[error("the {kind} image cannot be read ({reason}): it is damaged or not really an image")]
    Damaged {
        /// The type it claimed.
        kind: &'static str,
        /// The decoder's words.
        reason: String,
    },
}

/// What an accepted image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspected {
    /// Its type.
    pub kind: Kind,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frames (1 unless an animated GIF).
    pub frames: u32,
    /// Whether it carries a GPS position in its EXIF data.
    pub gps: bool,
}

/// Checks that `bytes` are an image we keep, named `name`: decides the type from the bytes,
/// checks the name's extension against it, reads the size from the header and refuses too
/// many pixels before decoding, then decodes the image (every frame of a GIF, counted and
/// bounded) so a damaged file or a polyglot that is not really an image is refused.
pub fn inspect(bytes: &[u8], name: &str) -> Result<Inspected, MediaError> {
    let kind = detect(bytes)?;
    kind.check_name(name)?;
    if kind == Kind::Svg {
        return svg::inspect(bytes);
    }
    let (width, height) = dimensions(bytes, kind)?;
    let frames = match kind {
        Kind::Gif => count_frames(bytes, width, height)?,
        _ => {
            decode_sized(bytes, kind)?;
            1
        }
    };
    Ok(Inspected {
        kind,
        width,
        height,
        frames,
        gps: has_gps_position(bytes, kind),
    })
}

/// The limits every decode runs under.
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

fn damaged(kind: Kind, error: image::ImageError) -> MediaError {
    MediaError::Damaged {
        kind: kind.label(),
        reason: error.to_string(),
    }
}

/// A reader of a raster image (SVG is read by `svg`).
fn reader(bytes: &[u8], kind: Kind) -> Result<ImageReader<Cursor<&[u8]>>, MediaError> {
    let format = kind.format().ok_or(MediaError::Damaged {
        kind: kind.label(),
        reason: "it is no raster image".to_owned(),
    })?;
    Ok(ImageReader::with_format(Cursor::new(bytes), format))
}

/// The size the header gives, refused when too large (nothing is decoded yet).
pub fn dimensions(bytes: &[u8], kind: Kind) -> Result<(u32, u32), MediaError> {
    // Only the header is read here (no pixels), so the size itself can be judged below.
    let reader = reader(bytes, kind)?;
    let (width, height) = reader.into_dimensions().map_err(|e| damaged(kind, e))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 {
        return Err(MediaError::Damaged {
            kind: kind.label(),
            reason: format!("it says it is {width} × {height} pixels"),
        });
    }
    if width > MAX_SIDE || height > MAX_SIDE || pixels > MAX_PIXELS {
        return Err(MediaError::TooManyPixels { width, height });
    }
    Ok((width, height))
}

/// The image decoded (an animation's first frame), under the limits, once its
/// [`dimensions`] have been judged.
fn decode_sized(bytes: &[u8], kind: Kind) -> Result<image::DynamicImage, MediaError> {
    let mut reader = reader(bytes, kind)?;
    reader.limits(limits());
    reader.decode().map_err(|e| damaged(kind, e))
}

/// Decodes every frame of a GIF, counting them, and stops past the limits.
fn count_frames(bytes: &[u8], width: u32, height: u32) -> Result<u32, MediaError> {
    let mut decoder = image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
        .map_err(|e| damaged(Kind::Gif, e))?;
    image::ImageDecoder::set_limits(&mut decoder, limits()).map_err(|e| damaged(Kind::Gif, e))?;
    let per_frame = u64::from(width) * u64::from(height);
    let mut frames = 0u32;
    for frame in decoder.into_frames() {
        frame.map_err(|e| damaged(Kind::Gif, e))?;
        frames += 1;
        if frames > MAX_FRAMES || u64::from(frames) * per_frame > MAX_ANIMATION_PIXELS {
            return Err(MediaError::TooManyFrames);
        }
    }
    if frames == 0 {
        return Err(MediaError::Damaged {
            kind: Kind::Gif.label(),
            reason: "it has no frames".to_owned(),
        });
    }
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `image` encoded as `format`.
    pub(super) fn encoded(image: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        image
            .write_to(&mut bytes, format)
            .expect("encode a test image");
        bytes.into_inner()
    }

    pub(super) fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 20, 20]));
        encoded(image.into(), image::ImageFormat::Png)
    }

    #[test]
    fn a_small_png_is_inspected() {
        let found = inspect(&png(30, 20), "Red.png").expect("a PNG");
        assert_eq!((found.kind, found.width, found.height), (Kind::Png, 30, 20));
        assert_eq!(found.frames, 1);
        assert!(!found.gps);
    }

    #[test]
    fn a_png_named_jpg_is_refused() {
        let refused = inspect(&png(3, 3), "Red.jpg").unwrap_err();
        assert!(matches!(refused, MediaError::Mismatch { .. }), "{refused}");
        assert!(refused.to_string().contains(".png"), "{refused}");
    }

    #[test]
    fn a_huge_header_is_refused_before_decoding() {
        // A PNG header claiming 50,000 × 50,000 pixels, with no image data at all.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&50_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&50_000u32.to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        let refused = inspect(&bytes, "Huge.png").unwrap_err();
        assert_eq!(
            refused,
            MediaError::TooManyPixels {
                width: 50_000,
                height: 50_000
            }
        );
    }

    #[test]
    fn a_truncated_png_is_damaged() {
        let bytes = png(40, 40);
        let refused = inspect(&bytes[..bytes.len() / 2], "Cut.png").unwrap_err();
        assert!(matches!(refused, MediaError::Damaged { .. }), "{refused}");
    }
}
