//! Bills of materials: the catalog as the generator reads it, and writing BOM versions.
