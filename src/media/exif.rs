//! Whether an image's EXIF data holds a GPS position (the GPS IFD pointer, tag 0x8825, in its
//! first IFD): the uploader is warned, since a portrait's position can say where someone
//! lives. Thumbnails never carry EXIF (they are re-encoded pixels).

use super::Kind;

/// The EXIF tag that points at the GPS IFD.
const GPS_IFD_TAG: u16 = 0x8825;

/// Whether `bytes` (an image of type `kind`) carry EXIF data with a GPS position.
pub fn has_gps_position(bytes: &[u8], kind: Kind) -> bool {
    let tiff = match kind {
        Kind::Jpeg => jpeg_exif(bytes),
        Kind::Png => png_exif(bytes),
        Kind::Webp => webp_exif(bytes),
        Kind::Gif => None,
    };
    tiff.is_some_and(tiff_has_gps)
}

/// The TIFF structure of a JPEG's APP1 `Exif` segment.
fn jpeg_exif(bytes: &[u8]) -> Option<&[u8]> {
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        if marker == 0x01 || (0xD0..=0xD8).contains(&marker) || marker == 0xFF {
            at += if marker == 0xFF { 1 } else { 2 };
            continue;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let segment = bytes.get(at + 4..at + 2 + length)?;
        if marker == 0xE1 {
            if let Some(tiff) = segment.strip_prefix(b"Exif\0\0") {
                return Some(tiff);
            }
        }
        at += 2 + length;
    }
    None
}

/// The TIFF structure of a PNG's `eXIf` chunk.
fn png_exif(bytes: &[u8]) -> Option<&[u8]> {
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let length = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = bytes.get(at + 8..(at + 8).checked_add(length)?)?;
        match kind {
            b"eXIf" => return Some(data),
            b"IEND" => return None,
            _ => at = at + 12 + length,
        }
    }
    None
}

/// The TIFF structure of a WebP's `EXIF` chunk.
fn webp_exif(bytes: &[u8]) -> Option<&[u8]> {
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let kind = &bytes[at..at + 4];
        let length = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().ok()?) as usize;
        let data = bytes.get(at + 8..(at + 8).checked_add(length)?)?;
        if kind == b"EXIF" {
            return Some(data.strip_prefix(b"Exif\0\0").unwrap_or(data));
        }
        at = at + 8 + length + (length & 1);
    }
    None
}

/// Whether a TIFF structure's first IFD has the GPS IFD pointer.
fn tiff_has_gps(tiff: &[u8]) -> bool {
    let big_endian = match tiff.get(..2) {
        Some(b"MM") => true,
        Some(b"II") => false,
        _ => return false,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let two: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(match big_endian {
            true => u16::from_be_bytes(two),
            false => u16::from_le_bytes(two),
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let four: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(match big_endian {
            true => u32::from_be_bytes(four),
            false => u32::from_le_bytes(four),
        })
    };
    let Some(ifd) = u32_at(4).map(|o| o as usize) else {
        return false;
    };
    let Some(count) = u16_at(ifd) else {
        return false;
    };
    (0..usize::from(count)).any(|entry| u16_at(ifd + 2 + 12 * entry) == Some(GPS_IFD_TAG))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A little-endian TIFF structure whose first IFD has one entry with `tag`.
    fn tiff_with(tag: u16) -> Vec<u8> {
        let mut tiff = b"II*\0".to_vec();
        tiff.extend(8u32.to_le_bytes());
        tiff.extend(1u16.to_le_bytes());
        tiff.extend(tag.to_le_bytes());
        tiff.extend(4u16.to_le_bytes());
        tiff.extend(1u32.to_le_bytes());
        tiff.extend(26u32.to_le_bytes());
        tiff.extend(0u32.to_le_bytes());
        tiff
    }

    /// A JPEG start with an APP1 Exif segment holding `tiff`.
    fn jpeg_with(tiff: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE1];
        bytes.extend(((tiff.len() + 8) as u16).to_be_bytes());
        bytes.extend(b"Exif\0\0");
        bytes.extend(tiff);
        bytes.extend([0xFF, 0xDA, 0, 2]);
        bytes
    }

    #[test]
    fn a_gps_pointer_is_found_and_other_tags_are_not_it() {
        assert!(has_gps_position(&jpeg_with(&tiff_with(0x8825)), Kind::Jpeg));
        assert!(!has_gps_position(
            &jpeg_with(&tiff_with(0x010F)),
            Kind::Jpeg
        ));
    }

    #[test]
    fn broken_exif_is_no_position() {
        let mut tiff = tiff_with(0x8825);
        tiff[4] = 0xF0;
        assert!(!has_gps_position(&jpeg_with(&tiff), Kind::Jpeg));
        assert!(!has_gps_position(
            &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF],
            Kind::Jpeg
        ));
    }
}
