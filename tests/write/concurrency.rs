//! Concurrency: handles of one file used from several threads at once.
//!
//! Eight threads write disjoint, interleaved row ranges of a contiguous
//! dataset (lock-free positional writes) and of a chunked, shuffled,
//! deflated one (through the file's lock; two threads share every chunk),
//! each also creates a dataset of its own, while another thread commits
//! every few milliseconds. The file is checked by the five readers and an
//! h5py twin (`common::run_oracles`).

use crate::common;

use crate::common::{ramp, Data, Manifest};
use h5sink::{Attribute, Dataset, DatasetWriter, File, Group};

// Compile-time proof of what may cross threads.
const _: () = {
    const fn clone_send_sync<T: Clone + Send + Sync>() {}
    const fn send_sync<T: Send + Sync>() {}
    const fn send<T: Send>() {}
    clone_send_sync::<Dataset>();
    clone_send_sync::<Group>();
    clone_send_sync::<Attribute>();
    send_sync::<File>();
    send::<DatasetWriter<f32>>();
};

const ROWS: u64 = 4096;
const LEN: u64 = 64;
const BATCH: u64 = 16;
const THREADS: u64 = 8;

#[test]
fn threads_write_disjoint_rows() {
    let dir = common::out_dir("concurrency");
    let mut m = Manifest::new("threads");
    let f = File::create(m.h5_path(&dir)).unwrap();
    let contig = f
        .new_dataset::<f32>()
        .shape(&[ROWS, LEN])
        .create("contig")
        .unwrap();
    let chunked = f
        .new_dataset::<f32>()
        .shape(&[ROWS, LEN])
        .chunk(&[2 * BATCH, LEN])
        .shuffle()
        .deflate(4)
        .create("chunked")
        .unwrap();
    let g = f.create_group("g").unwrap();
    f.flush().unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let writers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (contig, chunked, g) = (contig.clone(), chunked.clone(), g.clone());
                s.spawn(move || {
                    // Batches t, t + 8, t + 16, ...: neighbours belong to
                    // other threads, and every chunk holds two threads' rows.
                    let mut b = t;
                    while b * BATCH < ROWS {
                        let r = b * BATCH;
                        let n = (BATCH * LEN) as usize;
                        contig.write_rows(r, &ramp::<f32>(r * LEN, n, 1)).unwrap();
                        chunked.write_rows(r, &ramp::<f32>(r * LEN, n, 2)).unwrap();
                        b += THREADS;
                    }
                    g.new_dataset::<i32>()
                        .shape(&[16])
                        .create(&format!("t{t}"))
                        .unwrap()
                        .write_rows(0, &ramp::<i32>(0, 16, 10 + t))
                        .unwrap();
                })
            })
            .collect();
        let f = &f;
        let done = &done;
        s.spawn(move || {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                f.flush().unwrap();
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        });
        for w in writers {
            w.join().unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    f.close().unwrap();
    m.dataset_of::<f32>("contig", &[ROWS, LEN], Data::Ramp { seed: 1 })
        .dataset_of::<f32>("chunked", &[ROWS, LEN], Data::Ramp { seed: 2 })
        .chunks(&[2 * BATCH, LEN])
        .shuffle()
        .deflate(4)
        .group("g");
    for t in 0..THREADS {
        m.dataset_of::<i32>(&format!("g/t{t}"), &[16], Data::Ramp { seed: 10 + t });
    }
    m.write(&dir);
    common::run_oracles(&dir);
}
