//! The accessories the wizard offers (R9).

/// One of the accessories the wizard offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessoryDef {
    /// The owner's 700-series number (reference only).
    pub number: &'static str,
    /// The wizard's group: the number's series under category 720, e.g. `720.702`.
    pub subcategory: &'static str,
    pub id: &'static str,
}

const fn acc(number: &'static str, subcategory: &'static str, id: &'static str) -> AccessoryDef {
    AccessoryDef {
        number,
        subcategory,
        id,
    }
}

/// The 54 accessories of R9, in the table's order. The list is the product's (docs/bom-rules.md §3.9),
/// not a catalog query: `T2-OHL-INSTRO-KIT` (702.14) is stored under category 723, and category 720 also
/// holds kits that are not accessories.
pub const ACCESSORIES: [AccessoryDef; 54] = [
    acc("702.4", "720.702", "T-OA-BINRAIL-24-KIT"),
    acc("702.5", "720.702", "T-OA-BINRAIL-36-KIT"),
    acc("702.6", "720.702", "T-OA-BINRAIL-48-KIT"),
    acc("702.7", "720.702", "T-OA-PFW1236FM-KIT"),
    acc("702.8", "720.702", "T-OA-PFW1218FM-KIT"),
    acc("702.9", "720.702", "T-OA-PFW1818FM-KIT"),
    acc("702.10", "720.702", "T-OA-SSSHELF-1812"),
    acc("702.11", "720.702", "T-OA-SSSHELF-1812-BOLT-ON-KIT"),
    acc("702.12", "720.702", "T-OA-SSSHELF-3612"),
    acc("702.13", "720.702", "T-OA-SSSHELF-3612-BOLT-ON-KIT"),
    acc("702.14", "720.702", "T2-OHL-INSTRO-KIT"),
    acc("702.15", "720.702", "T-OA-B110505"),
    acc("702.16", "720.702", "T-OA-B110807"),
    acc("702.17", "720.702", "T-OA-B111105"),
    acc("702.18", "720.702", "B210-BLUE"),
    acc("702.19", "720.702", "T2-OA-LT-SSSHELF-LRG"),
    acc("702.20", "720.702", "T2-OA-LT-SSSHELF-SML"),
    acc("702.21", "720.702", "T-OA-SSSHELF-LGHT-1812-KIT"),
    acc("702.22", "720.702", "T-OA-SSSHELF-LGHT-3612-KIT"),
    acc("702.23", "720.702", "T2-OA-CUST-SHELF-HA-SML"),
    acc("702.24", "720.702", "T2-OA-CUST-SHELF-HA-LRG"),
    acc("702.25", "720.702", "T-OA-RAIL-SHELF-ADDER-SML"),
    acc("702.26", "720.702", "T-OA-RAIL-SHELF-ADDER-LRG"),
    acc("702.27", "720.702", "T-OA-FOOTREST-RAIL-KIT"),
    acc("702.28", "720.702", "T2-OA-DOSINGESK-BTMSHELF"),
    acc("703.29", "720.703", "T-OA-1BRUSH-ORG-PB-KIT"),
    acc("703.30", "720.703", "T-OA-6BRUSH-ORG-PB-KIT"),
    acc("703.31", "720.703", "T-OA-WRK-FLW-PB"),
    acc("703.32", "720.703", "T-OA-PPRACK-2066"),
    acc("703.33", "720.703", "T-OA-PB-SS-1L-SHLF"),
    acc("703.34", "720.703", "T-OA-PB-SS-2G-SHLF"),
    acc("703.35", "720.703", "T-OA-PB-SS-1GLOVE"),
    acc("703.36", "720.703", "T-OA-PB-SS-2GLOVE"),
    acc("703.37", "720.703", "T-OA-PB-SS-3GLOVE"),
    acc("703.38", "720.703", "T2-OA-SC-2020-SS"),
    acc("703.39", "720.703", "T2-OA-SC-2420-SS"),
    acc("703.40", "720.703", "T2-OA-SC-3020-SS"),
    acc("703.41", "720.703", "T2-AER-TUBEORG"),
    acc("704.42", "720.704", "T-OA-MLIGHT-PB-KIT"),
    acc("704.43", "720.704", "T-OA-DIM-MLIGHT-PB-KIT"),
    acc("704.44", "720.704", "T-OA-TASKLIGHT-PB"),
    acc("704.45", "720.704", "T-OA-TASKLIGHT-PB-MAG-KIT"),
    acc("705.46", "720.705", "T-OA-MNT-ARM"),
    acc("705.47", "720.705", "T-OA-MNT-ARM-1EXT"),
    acc("705.48", "720.705", "T-OA-MNT-ARM-2EXT"),
    acc("705.49", "720.705", "T-OA-KB-MOUSE-ARM"),
    acc("705.50", "720.705", "T-OA-2H-CPUSM"),
    acc("705.51", "720.705", "T-OA-2H-CPULG"),
    acc("705.52", "720.705", "T-OA-2H-CPUUV"),
    acc("705.53", "720.705", "T-OA-MMA-PB"),
    acc("705.54", "720.705", "T-OA-MMA-DUAL"),
    acc("705.55", "720.705", "T-OA-MMA-LTAB"),
    acc("705.56", "720.705", "T-OA-MMA-LAP"),
    acc("705.57", "720.705", "T-OA-MNT-SINGLE-COMBO-PB"),
];

/// The R9 entry for `id`, if it is an accessory the wizard offers.
pub fn accessory(id: &str) -> Option<&'static AccessoryDef> {
    ACCESSORIES.iter().find(|a| a.id == id)
}
