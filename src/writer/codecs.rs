//! The plugin compression options of [`DatasetWriterBuilder`]: LZF, LZ4,
//! bitshuffle, zstd and Blosc, as on `DatasetBuilder` (chunks compress on
//! the writer's worker threads like deflate's).

use super::builder::DatasetWriterBuilder;
use crate::dataset::codec_options::plugin_codec_options;
use crate::dataset::codecs::{BloscCodec, BloscShuffle};
use crate::types::Element;

impl<T: Element> DatasetWriterBuilder<T> {
    plugin_codec_options!(
        "```
# fn main() -> h5sink::Result<()> {
use h5sink::{BloscCodec, BloscShuffle, Filter};
let dir = tempfile::tempdir().unwrap();
let path = dir.path().join(\"w.h5\");
let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[100, 8])",
        ".create()?;
w.add(&[1.5f32; 10 * 8], &[0i64; 10])?;
w.close()?;
let file = h5sink::File::open(&path)?;
assert_eq!(file.dataset(\"images\")?.filters(), ",
        ");
assert_eq!(file.dataset(\"images\")?.read_raw::<f32>()?[..80], [1.5f32; 80]);
# Ok(()) }
```"
    );
}
