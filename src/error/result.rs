//! h5sink's `Result` alias.

use super::Error;

/// h5sink's result type.
///
/// ```
/// fn save() -> h5sink::Result<Vec<u8>> {
///     let file = h5sink::File::in_memory()?;
///     file.create_group("g")?;
///     file.into_bytes()
/// }
/// assert!(save().is_ok());
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;
