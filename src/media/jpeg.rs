//! JPEG thumbnails decoded small: the decoder scales the DCT by 1/2, 1/4 or 1/8 while decoding,
//! so a 4,000 × 3,000 photo asked at 250 px is decoded as 500 × 375 pixels, never as twelve
//! million. Whatever this path cannot take (CMYK, 16-bit grey, an error, a decoder panic) falls
//! back to the full decode, which judges the file.

use std::panic::{AssertUnwindSafe, catch_unwind};

use image::{DynamicImage, GrayImage, RgbImage};
use jpeg_decoder::{Decoder, PixelFormat};

/// The most bytes of pixels the scaled decoder may hold (the full decode has its own limits).
const MAX_DECODED_BYTES: usize = 256 * 1024 * 1024;

/// `bytes` decoded at the smallest DCT scale that is still at least `width` × `height`, or
/// `None` when this path cannot decode it (the caller then decodes it whole).
pub(super) fn decode_at_least(bytes: &[u8], width: u32, height: u32) -> Option<DynamicImage> {
    let width = u16::try_from(width).ok()?;
    let height = u16::try_from(height).ok()?;
    // jpeg-decoder is fuzzed, but a panic on a hostile file must not take a request with it:
    // the full decode then gives the file's error.
    catch_unwind(AssertUnwindSafe(|| scaled_decode(bytes, width, height)))
        .ok()
        .flatten()
}

fn scaled_decode(bytes: &[u8], width: u16, height: u16) -> Option<DynamicImage> {
    let mut decoder = Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(MAX_DECODED_BYTES);
    decoder.read_info().ok()?;
    let (w, h) = decoder.scale(width, height).ok()?;
    let format = decoder.info()?.pixel_format;
    let pixels = decoder.decode().ok()?;
    let (w, h) = (u32::from(w), u32::from(h));
    match format {
        PixelFormat::RGB24 => RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8),
        PixelFormat::L8 => GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8),
        PixelFormat::L16 | PixelFormat::CMYK32 => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(image: DynamicImage) -> Vec<u8> {
        crate::media::tests::encoded(image, image::ImageFormat::Jpeg)
    }

    #[test]
    fn a_large_photo_is_decoded_at_an_eighth() {
        let photo = jpeg(DynamicImage::ImageRgb8(RgbImage::from_pixel(
            1600,
            1200,
            image::Rgb([30, 120, 200]),
        )));
        let small = decode_at_least(&photo, 200, 150).expect("decoded small");
        assert_eq!((small.width(), small.height()), (200, 150));
        let pixel = small.to_rgb8().get_pixel(100, 75).0;
        let near = |a: u8, b: u8| a.abs_diff(b) <= 4;
        assert!(
            near(pixel[0], 30) && near(pixel[1], 120) && near(pixel[2], 200),
            "{pixel:?}"
        );
        // Asked a little larger than an eighth, it decodes at a quarter, never smaller.
        let quarter = decode_at_least(&photo, 250, 188).expect("decoded small");
        assert_eq!((quarter.width(), quarter.height()), (400, 300));
    }

    #[test]
    fn a_grey_photo_stays_grey() {
        let grey = jpeg(DynamicImage::ImageLuma8(GrayImage::from_pixel(
            800,
            800,
            image::Luma([90]),
        )));
        let small = decode_at_least(&grey, 100, 100).expect("decoded small");
        assert!(matches!(small, DynamicImage::ImageLuma8(_)));
        assert_eq!((small.width(), small.height()), (100, 100));
    }

    #[test]
    fn what_this_path_cannot_read_is_left_to_the_full_decode() {
        assert!(decode_at_least(b"\xFF\xD8\xFF\xE0 not really", 100, 100).is_none());
        assert!(decode_at_least(&[], 100, 100).is_none());
        let photo = jpeg(DynamicImage::ImageRgb8(RgbImage::new(64, 64)));
        assert!(decode_at_least(&photo[..photo.len() / 3], 16, 16).is_none());
    }
}
