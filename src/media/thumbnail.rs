//! Thumbnails: an image scaled down to one of a few standard widths (so a hostile page cannot
//! ask for thousands of sizes) and re-encoded from its pixels, so no metadata (EXIF, GPS)
//! survives. JPEG stays JPEG; the others become PNG (transparency kept; an animation shows its
//! first frame).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageFormat};

use super::{Kind, MediaError, decode_sized, dimensions};

/// The widths thumbnails are made at; a request is rounded up to the next one.
pub const STANDARD_WIDTHS: [u32; 7] = [120, 180, 250, 330, 500, 800, 1280];

/// The quality of JPEG thumbnails.
const JPEG_QUALITY: u8 = 85;

/// A thumbnail made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Its type.
    pub kind: Kind,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The standard width a request for `width` pixels is served at: the next standard width up,
/// the largest for anything above it.
pub fn standard_width(width: u32) -> u32 {
    STANDARD_WIDTHS
        .into_iter()
        .find(|&w| w >= width)
        .unwrap_or(STANDARD_WIDTHS[STANDARD_WIDTHS.len() - 1])
}

/// The size of `width` × `height` scaled to at most `target` wide (never enlarged).
pub fn scaled(width: u32, height: u32, target: u32) -> (u32, u32) {
    if width <= target {
        return (width, height);
    }
    let h = (u64::from(height) * u64::from(target)).div_ceil(u64::from(width).max(1));
    (target, u32::try_from(h).unwrap_or(u32::MAX).max(1))
}

/// A thumbnail of `bytes` (an image of type `kind`) at most `width` pixels wide.
pub fn thumbnail(bytes: &[u8], kind: Kind, width: u32) -> Result<Thumbnail, MediaError> {
    if kind == Kind::Svg {
        return super::svg::thumbnail(bytes, width);
    }
    let (original_width, original_height) = dimensions(bytes, kind)?;
    let (w, h) = scaled(original_width, original_height, width);
    // A JPEG asked smaller is decoded small (its DCT scaled); anything that path cannot read
    // is decoded whole, which also gives a damaged file its error.
    let small_jpeg = (kind == Kind::Jpeg && w < original_width)
        .then(|| super::jpeg::decode_at_least(bytes, w, h))
        .flatten();
    let image = match small_jpeg {
        Some(image) => image,
        None => decode_sized(bytes, kind)?,
    };
    let small = match (image.width(), image.height()) == (w, h) {
        true => image,
        false => image.thumbnail_exact(w, h),
    };
    encode(&small, kind)
}

fn encode(image: &DynamicImage, kind: Kind) -> Result<Thumbnail, MediaError> {
    let mut bytes = Cursor::new(Vec::new());
    let failed = |e: image::ImageError| MediaError::Damaged {
        kind: kind.label(),
        reason: e.to_string(),
    };
    let out = match kind {
        Kind::Jpeg => {
            let rgb = image.to_rgb8();
            JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
                .encode_image(&rgb)
                .map_err(failed)?;
            Kind::Jpeg
        }
        _ => {
            image
                .write_to(&mut bytes, ImageFormat::Png)
                .map_err(failed)?;
            Kind::Png
        }
    };
    Ok(Thumbnail {
        width: image.width(),
        height: image.height(),
        kind: out,
        bytes: bytes.into_inner(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_round_up_to_a_standard_one() {
        assert_eq!(standard_width(1), 120);
        assert_eq!(standard_width(200), 250);
        assert_eq!(standard_width(250), 250);
        assert_eq!(standard_width(99_999), 1280);
    }

    #[test]
    fn scaling_keeps_the_aspect_and_never_enlarges() {
        assert_eq!(scaled(4000, 3000, 250), (250, 188));
        assert_eq!(scaled(100, 50, 250), (100, 50));
    }

    #[test]
    fn a_thumbnail_is_smaller_and_a_png_stays_png() {
        let png = crate::media::tests::png(600, 300);
        let small = thumbnail(&png, Kind::Png, 250).expect("a thumbnail");
        assert_eq!(
            (small.width, small.height, small.kind),
            (250, 125, Kind::Png)
        );
        assert_eq!(crate::media::detect(&small.bytes), Ok(Kind::Png));
    }

    #[test]
    fn a_jpeg_decoded_small_comes_out_at_the_size_a_whole_decode_gives() {
        // 1,000 × 777: an eighth is not a whole number of pixels, so the DCT-scaled image is
        // resized to exactly what scaling the whole image gives.
        let image = image::RgbImage::from_fn(1000, 777, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let bytes = crate::media::tests::encoded(image.into(), ImageFormat::Jpeg);
        let small = thumbnail(&bytes, Kind::Jpeg, 120).expect("a thumbnail");
        assert_eq!(
            (small.width, small.height, small.kind),
            (120, 94, Kind::Jpeg)
        );
        assert_eq!(scaled(1000, 777, 120), (120, 94));
        let same = thumbnail(&bytes, Kind::Jpeg, 1280).expect("no scaling");
        assert_eq!((same.width, same.height), (1000, 777));
    }
}
