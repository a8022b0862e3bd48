//! Huge declared shapes allocate no memory before data arrives (peak RSS).

use super::helpers::tmp;
use h5sink::File;

// ----------------------------------------------------------------- memory

fn vm_hwm_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = s.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Huge declared shapes cost no memory until data arrives: an 8 TiB
/// contiguous dataset (a sparse file), a 2^50-row chunked one, a
/// resizable dataset grown to 2^40 rows of 2^20 floats, a 2^30-string
/// vlen dataset (16 GiB of references): peak RSS grows
/// by under 32 MiB.
#[test]
fn huge_declared_shapes_allocate_nothing() {
    let d = tmp("huge");
    let before = vm_hwm_kib();
    let f = File::create(d.join("huge.h5")).unwrap();
    let big = f
        .new_dataset::<f64>()
        .shape(&[1u64 << 40])
        .create("big")
        .unwrap();
    f.new_dataset::<f32>()
        .shape(&[1u64 << 50, 256])
        .chunk(&[64, 256])
        .deflate(4)
        .create("chunked")
        .unwrap()
        .write_rows(0, &[1.0f32; 256])
        .unwrap();
    f.new_dataset::<f32>()
        .shape(&[0u64, 1 << 20])
        .resizable()
        .create("grows")
        .unwrap()
        .resize(&[1u64 << 40, 1 << 20])
        .unwrap();
    f.new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[1u64 << 30])
        .create("names")
        .unwrap();
    big.write_rows((1 << 40) - 4, &[1.0f64; 4]).unwrap();
    f.flush().unwrap();
    f.close().unwrap();
    let len = std::fs::metadata(d.join("huge.h5")).unwrap().len();
    let after = vm_hwm_kib();
    println!("file length {len} bytes; VmHWM {before} KiB -> {after} KiB");
    assert!(
        len >= 8 << 40,
        "the 8 TiB dataset's space is reserved in the file"
    );
    assert!(
        after.saturating_sub(before) < 32 * 1024,
        "peak RSS grew by {} KiB",
        after - before
    );
    let _ = std::fs::remove_dir_all(&d);
}
