//! Writes convert numbers as libhdf5 does: every number type into every
//! numeric dataset, values that do not fit refused with the value and its
//! position, and a refused call changes no byte of the file. The expected
//! values are computed here independently (in f64 and i128 arithmetic),
//! not with h5sink's conversion code.

mod bounded_pieces;
mod directions;
mod numbers;
mod readers;
mod refusals;
