//! Opening a dump file: plain XML, or `.gz` / `.bz2`, decompressed as it is read; and writing
//! one, compressed the same way by its name. Counts the bytes read from the disk, for progress.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How much a reading buffer holds.
const BUFFER_BYTES: usize = 256 * 1024;

/// How a dump file is compressed, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain XML.
    None,
    /// `.gz`.
    Gzip,
    /// `.bz2`.
    Bzip2,
}

impl Compression {
    /// The compression a file name says.
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("gz") => Self::Gzip,
            Some(e) if e.eq_ignore_ascii_case("bz2") => Self::Bzip2,
            _ => Self::None,
        }
    }
}

/// A reader that counts the bytes it passes on.
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened dump: the XML, its file's size, and how many of the file's bytes were read.
pub struct Opened {
    /// The XML, decompressed.
    pub xml: Box<dyn BufRead + Send>,
    /// The file's size in bytes.
    pub size: u64,
    /// The file's bytes read so far.
    pub read: Arc<AtomicU64>,
}

/// Opens the dump at `path`.
pub fn open(path: &Path) -> io::Result<Opened> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let read = Arc::new(AtomicU64::new(0));
    let counted = BufReader::with_capacity(
        BUFFER_BYTES,
        Counted {
            inner: file,
            count: Arc::clone(&read),
        },
    );
    let xml: Box<dyn BufRead + Send> = match Compression::of(path) {
        Compression::None => Box::new(counted),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            BUFFER_BYTES,
            flate2::bufread::MultiGzDecoder::new(counted),
        )),
        Compression::Bzip2 => Box::new(BufReader::with_capacity(
            BUFFER_BYTES,
            bzip2::bufread::MultiBzDecoder::new(counted),
        )),
    };
    Ok(Opened { xml, size, read })
}

/// A dump being written, compressed as its name says.
pub enum Output {
    /// Plain XML.
    Plain(BufWriter<File>),
    /// Gzip.
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
    /// Bzip2.
    Bzip2(bzip2::write::BzEncoder<BufWriter<File>>),
}

impl Output {
    /// Creates the file at `path` (never over an existing one).
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = File::options().write(true).create_new(true).open(path)?;
        let file = BufWriter::with_capacity(BUFFER_BYTES, file);
        Ok(match Compression::of(path) {
            Compression::None => Self::Plain(file),
            Compression::Gzip => Self::Gzip(flate2::write::GzEncoder::new(
                file,
                flate2::Compression::default(),
            )),
            Compression::Bzip2 => Self::Bzip2(bzip2::write::BzEncoder::new(
                file,
                bzip2::Compression::default(),
            )),
        })
    }

    /// Ends the compression and writes everything to the disk.
    pub fn finish(self) -> io::Result<()> {
        let file = match self {
            Self::Plain(file) => file,
            Self::Gzip(encoder) => encoder.finish()?,
            Self::Bzip2(encoder) => encoder.finish()?,
        };
        file.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(w) => w.write(buf),
            Self::Gzip(w) => w.write(buf),
            Self::Bzip2(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Self::Plain(w) => w.write_all(buf),
            Self::Gzip(w) => w.write_all(buf),
            Self::Bzip2(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(w) => w.flush(),
            Self::Gzip(w) => w.flush(),
            Self::Bzip2(w) => w.flush(),
        }
    }
}
