//! Reading stored BOM versions back: versions, items in order, names, the current version.
