//! Scenario file of datasets written from `ndarray` arrays (whole, row
//! slabs, a transposed view).

use crate::common::scenario;
use crate::common::{ramp, Data};
use std::path::Path;

#[cfg(feature = "ndarray")]
pub(crate) fn arrays(dir: &Path) {
    scenario(dir, "ndarray", |f, m| {
        let a = ndarray::Array2::from_shape_vec((6, 4), ramp::<f64>(0, 24, 4)).unwrap();
        f.new_dataset::<f64>()
            .shape(&[6, 4])
            .create("whole")
            .unwrap()
            .write_array(&a)
            .unwrap();
        m.dataset_of::<f64>("whole", &[6, 4], Data::Ramp { seed: 4 });
        // Row slabs, one of them from a transposed (non-contiguous) view.
        let ds = f
            .new_dataset::<f64>()
            .shape(&[6, 4])
            .create("slabs")
            .unwrap();
        ds.write_rows_array(0, &a.slice(ndarray::s![0..3, ..]))
            .unwrap();
        let t = a.slice(ndarray::s![3..6, ..]).t().to_owned();
        ds.write_rows_array(3, &t.t()).unwrap();
        m.dataset_of::<f64>("slabs", &[6, 4], Data::Ramp { seed: 4 });
    });
}
