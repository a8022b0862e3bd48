/work/main/wasm/target/wasm32-wasip1/release/deps/wasi_check-fcbde089352f091a.d: src/bin/wasi-check.rs

/work/main/wasm/target/wasm32-wasip1/release/deps/wasi_check-fcbde089352f091a.wasm: src/bin/wasi-check.rs

src/bin/wasi-check.rs:
