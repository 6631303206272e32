//! The inventory as the browser loads it, and where an item is used in open builds.
