//! How errors echo a caller's values: at most [`ECHO_MAX`] characters of a
//! name, path or value, with its full length, so a huge input never floods a
//! message.

/// At most this many characters of a caller's value are echoed in a message.
pub(crate) const ECHO_MAX: usize = 200;

/// `s` as a message shows it: a value longer than a [`clip`]ped one is
/// clipped, whichever call made the error, so no message echoes a huge
/// name, path or value in full (the error's fields keep it whole). Values
/// already clipped where the error was made pass unchanged.
pub(super) fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    // A clipped value: ECHO_MAX characters and "... (N characters)".
    if s.chars().count() <= ECHO_MAX + 32 {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(clip(s))
    }
}

/// `s`, cut to [`ECHO_MAX`] characters (with a note of its full length), so
/// a huge name or value does not flood an error message.
pub(crate) fn clip(s: &str) -> String {
    let n = s.chars().count();
    if n <= ECHO_MAX {
        return s.to_owned();
    }
    let head: String = s.chars().take(ECHO_MAX).collect();
    format!("{head}... ({n} characters)")
}

/// The message of `Error::NotFound`: a member missing at a path of a
/// group, or an attribute missing on a group or dataset.
pub(super) fn not_found(kind: &str, path: &str, group: &str) -> String {
    if kind == "attribute" {
        format!("no attribute named {:?} on {:?}", shown(path), shown(group))
    } else {
        format!("no {kind} at {:?} in group {:?}", shown(path), shown(group))
    }
}
