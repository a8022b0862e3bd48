/work/main/wasm/target/wasm32-wasip1/release/deps/h5sink_wasm.d: src/lib.rs

/work/main/wasm/target/wasm32-wasip1/release/deps/h5sink_wasm.wasm: src/lib.rs

/work/main/wasm/target/wasm32-wasip1/release/deps/libh5sink_wasm.rlib: src/lib.rs

src/lib.rs:
