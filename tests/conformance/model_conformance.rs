//! The whole data model against five readers: attributes, every type
//! (bool, fixed strings, f16, compounds with arrays, enums), fill values,
//! compact storage, `/`-paths and open handles, in-memory files. Each
//! scenario file is checked by h5py, pyfive, jsfive, h5wasm and h5dump, and
//! by an h5py twin with identical `h5dump -p` text; check.py prints the
//! reader matrix (n/a only where a reader's own code says it cannot).

#[cfg(feature = "ndarray")]
mod arrays;
mod attributes;
mod paths;
mod storage_and_fill;
mod typed_datasets;
mod types;

use crate::common;
#[cfg(feature = "ndarray")]
use arrays::arrays;
use attributes::attributes;
use paths::paths;
use storage_and_fill::storage_and_fill;
use typed_datasets::typed_datasets;

#[test]
fn model_with_five_readers() {
    let dir = common::out_dir("model_conformance");
    typed_datasets(&dir);
    attributes(&dir);
    storage_and_fill(&dir);
    paths(&dir);
    #[cfg(feature = "ndarray")]
    arrays(&dir);
    common::run_oracles(&dir);
}
