//! The Torvan catalog files (`parts.json`, `assemblies.json`, `categories.json`): parsing and validation.
//!
//! Pure code, no IO. Parsing refuses bad input with every problem found, each message naming the file and the
//! record, so one import run shows the catalog owner the whole list to fix. The JSON is read into an
//! order-preserving tree first ([`Json`]): `serde_json` maps silently keep the last of two equal keys, which
//! would hide a duplicated part or assembly id.

use crate::text::check_text;
use postgres_types::{FromSql, ToSql};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::{HashMap, HashSet};

/// Column widths of the catalog tables (database-schema.md); longer values are refused, never cut.
pub const MAX_ID_LEN: usize = 50;
pub const MAX_NAME_LEN: usize = 200;
pub const MAX_CODE_LEN: usize = 20;
pub const MAX_CATEGORY_NAME_LEN: usize = 100;
pub const MAX_MANUFACTURER_PART_NUMBER_LEN: usize = 100;
pub const MAX_MANUFACTURER_INFO_LEN: usize = 200;

const PARTS_FILE: &str = "parts.json";
const ASSEMBLIES_FILE: &str = "assemblies.json";
const CATEGORIES_FILE: &str = "categories.json";

/// `"PartType"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToSql, FromSql)]
#[postgres(name = "PartType")]
pub enum PartType {
    #[postgres(name = "COMPONENT")]
    Component,
    #[postgres(name = "MATERIAL")]
    Material,
}

impl PartType {
    pub const ALL: [PartType; 2] = [PartType::Component, PartType::Material];

    pub fn code(self) -> &'static str {
        match self {
            PartType::Component => "COMPONENT",
            PartType::Material => "MATERIAL",
        }
    }

    pub fn parse(s: &str) -> Option<PartType> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// `"EntityStatus"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToSql, FromSql)]
#[postgres(name = "EntityStatus")]
pub enum EntityStatus {
    #[postgres(name = "ACTIVE")]
    Active,
    #[postgres(name = "INACTIVE")]
    Inactive,
}

impl EntityStatus {
    pub const ALL: [EntityStatus; 2] = [EntityStatus::Active, EntityStatus::Inactive];

    pub fn code(self) -> &'static str {
        match self {
            EntityStatus::Active => "ACTIVE",
            EntityStatus::Inactive => "INACTIVE",
        }
    }

    pub fn parse(s: &str) -> Option<EntityStatus> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// `"AssemblyType"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToSql, FromSql)]
#[postgres(name = "AssemblyType")]
pub enum AssemblyType {
    #[postgres(name = "SIMPLE")]
    Simple,
    #[postgres(name = "COMPLEX")]
    Complex,
    #[postgres(name = "SERVICE_PART")]
    ServicePart,
    #[postgres(name = "KIT")]
    Kit,
}

impl AssemblyType {
    pub const ALL: [AssemblyType; 4] = [
        AssemblyType::Simple,
        AssemblyType::Complex,
        AssemblyType::ServicePart,
        AssemblyType::Kit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AssemblyType::Simple => "SIMPLE",
            AssemblyType::Complex => "COMPLEX",
            AssemblyType::ServicePart => "SERVICE_PART",
            AssemblyType::Kit => "KIT",
        }
    }

    pub fn parse(s: &str) -> Option<AssemblyType> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// `"ComponentType"`: what an `AssemblyComponent.childId` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToSql, FromSql)]
#[postgres(name = "ComponentType")]
pub enum ComponentType {
    #[postgres(name = "PART")]
    Part,
    #[postgres(name = "ASSEMBLY")]
    Assembly,
}

impl ComponentType {
    pub const ALL: [ComponentType; 2] = [ComponentType::Part, ComponentType::Assembly];

    pub fn code(self) -> &'static str {
        match self {
            ComponentType::Part => "PART",
            ComponentType::Assembly => "ASSEMBLY",
        }
    }

    pub fn parse(s: &str) -> Option<ComponentType> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// A row of `"Part"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub id: String,
    pub name: String,
    pub manufacturer_part_number: Option<String>,
    pub manufacturer_info: Option<String>,
    pub part_type: PartType,
    pub status: EntityStatus,
    pub description: Option<String>,
    /// Free-text grouping some records carry (not a category code); the Part table has no column for it.
    pub category: Option<String>,
    pub subcategory: Option<String>,
    /// Who makes the part, on records that have no `manufacturer_info`.
    pub vendor: Option<String>,
    /// Added by the import from [`SUPPLEMENTARY_PARTS`], not read from the file.
    pub supplementary: bool,
}

impl Part {
    /// The value for `"manufacturerInfo"`: the record's `manufacturer_info`, else its `vendor`, so that the
    /// maker named by either key is kept.
    pub fn manufacturer_info_column(&self) -> Option<&str> {
        self.manufacturer_info.as_deref().or(self.vendor.as_deref())
    }
}

/// One component link; its position in [`Assembly::components`] is its `sequenceOrder` − 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub child_type: ComponentType,
    pub child_id: String,
    pub quantity: i32,
    pub notes: Option<String>,
}

/// A row of `"Assembly"` with its ordered components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assembly {
    pub id: String,
    pub name: String,
    pub assembly_type: AssemblyType,
    pub category_code: Option<String>,
    pub subcategory_code: Option<String>,
    pub can_order: bool,
    pub is_kit: bool,
    pub status: EntityStatus,
    pub components: Vec<Component>,
}

/// A top-level category (`"Category"` level 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub subcategories: Vec<Subcategory>,
}

/// A subcategory (`"Category"` level 1, `parentId` = its category's code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subcategory {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    /// Informational cross-references; checked to name assemblies, not stored.
    pub assembly_refs: Vec<String>,
}

/// A part the import adds because a checklist needs it and the catalog lacks it (bom-rules.md section 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupplementaryPart {
    pub id: &'static str,
    pub name: &'static str,
    pub part_type: PartType,
    /// Why the part is needed, kept as the part's description for traceability.
    pub reason: &'static str,
}

/// Catalog gaps named in bom-rules.md section 10. They are loose packaging items, never assembly children.
/// A part the file already has is taken from the file instead.
pub const SUPPLEMENTARY_PARTS: &[SupplementaryPart] = &[
    SupplementaryPart {
        id: "T2-ANTI-FATIGUE-MAT",
        name: "ANTI-FATIGUE MAT",
        part_type: PartType::Component,
        reason: "Packed with every sink (packaging checklist PKG-01); missing from the Torvan catalog.",
    },
    SupplementaryPart {
        id: "IFU.T2.ESinkInstUserFR",
        name: "E-SINK AUTOMATION MANUAL, FRENCH",
        part_type: PartType::Component,
        reason: "Packed with French E-Sink orders (packaging checklist); missing from the Torvan catalog.",
    },
];

/// The three files, validated and cross-checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// The file's parts in file order, followed by the supplementary parts the file lacks.
    pub parts: Vec<Part>,
    pub assemblies: Vec<Assembly>,
    pub categories: Vec<Category>,
}

/// What an id resolves to under bom-rules.md R10.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved<'a> {
    Assembly(&'a Assembly),
    Part(&'a Part),
}

impl Catalog {
    /// Parts read from the file (the supplementary ones excluded).
    pub fn file_part_count(&self) -> usize {
        self.parts.iter().filter(|p| !p.supplementary).count()
    }

    /// Ids of the supplementary parts this catalog gained.
    pub fn supplementary_ids(&self) -> Vec<&str> {
        self.parts
            .iter()
            .filter(|p| p.supplementary)
            .map(|p| p.id.as_str())
            .collect()
    }

    pub fn component_count(&self) -> usize {
        self.assemblies.iter().map(|a| a.components.len()).sum()
    }

    /// Top-level categories plus subcategories: the number of `"Category"` rows.
    pub fn category_row_count(&self) -> usize {
        self.categories
            .iter()
            .map(|c| 1 + c.subcategories.len())
            .sum()
    }

    /// R10: assembly `id`, else assembly `ASSY-id`, else part `id`; exact and case-sensitive.
    pub fn resolve(&self, id: &str) -> Option<Resolved<'_>> {
        let assembly = |x: &str| self.assemblies.iter().find(|a| a.id == x);
        if let Some(a) = assembly(id) {
            return Some(Resolved::Assembly(a));
        }
        if let Some(a) = assembly(&format!("ASSY-{id}")) {
            return Some(Resolved::Assembly(a));
        }
        self.parts.iter().find(|p| p.id == id).map(Resolved::Part)
    }
}

/// What the cross-file checks need. It is gathered from every record whose relevant keys parsed, so that
/// one bad field does not hide a dangling reference elsewhere in the same record.
#[derive(Debug, Default)]
struct Links {
    /// Every key of parts.json (plus the supplementary parts), valid record or not.
    part_ids: HashSet<String>,
    /// Every key of assemblies.json.
    assembly_ids: HashSet<String>,
    /// (assembly id, 1-based position, part_id).
    components: Vec<(String, usize, String)>,
    /// (assembly id, category_code, subcategory_code).
    assembly_codes: Vec<(String, Option<String>, Option<String>)>,
    /// (category code, its subcategory codes), in file order.
    tree: Vec<(String, Vec<String>)>,
    /// (subcategory code, assembly_ref).
    refs: Vec<(String, String)>,
}

/// Parses and cross-checks the three catalog files. On failure every problem is returned, one message each.
pub fn parse_catalog(
    parts_json: &str,
    assemblies_json: &str,
    categories_json: &str,
) -> Result<Catalog, Vec<String>> {
    let mut errs = Vec::new();
    let mut links = Links::default();
    let parts = parse_parts(parts_json, &mut links, &mut errs);
    let assemblies = parse_assemblies(assemblies_json, &mut links, &mut errs);
    let categories = parse_categories(categories_json, &mut links, &mut errs);
    // Without all three files readable, the cross-checks would only echo the unreadable file.
    let (Some(mut parts), Some(assemblies), Some(categories)) = (parts, assemblies, categories)
    else {
        return Err(errs);
    };

    for s in SUPPLEMENTARY_PARTS {
        if links.part_ids.insert(s.id.to_string()) {
            parts.push(Part {
                id: s.id.to_string(),
                name: s.name.to_string(),
                manufacturer_part_number: None,
                manufacturer_info: None,
                part_type: s.part_type,
                status: EntityStatus::Active,
                description: Some(s.reason.to_string()),
                category: None,
                subcategory: None,
                vendor: None,
                supplementary: true,
            });
        }
    }

    cross_check(&links, &mut errs);
    if errs.is_empty() {
        Ok(Catalog {
            parts,
            assemblies,
            categories,
        })
    } else {
        Err(errs)
    }
}

fn cross_check(links: &Links, errs: &mut Vec<String>) {
    let resolves = |id: &str| {
        links.assembly_ids.contains(id)
            || links.assembly_ids.contains(&format!("ASSY-{id}"))
            || links.part_ids.contains(id)
    };
    for (assembly, position, part_id) in &links.components {
        if !resolves(part_id) {
            errs.push(format!(
                "{ASSEMBLIES_FILE}: assembly \"{assembly}\" component {position}: part_id \"{part_id}\" is not \
                 in the catalog (no assembly \"{part_id}\", no assembly \"ASSY-{part_id}\", no part \"{part_id}\")"
            ));
        }
    }

    // Category ids share one primary key across both levels.
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut parent_of: HashMap<&str, &str> = HashMap::new();
    for (code, _) in &links.tree {
        seen.insert(code, "category");
    }
    for (code, subs) in &links.tree {
        for sub in subs {
            if let Some(prev) = seen.insert(sub, "subcategory") {
                errs.push(format!(
                    "{CATEGORIES_FILE}: subcategory \"{sub}\" (in category \"{code}\") is also used as a {prev} \
                     code; category codes must be unique"
                ));
            } else {
                parent_of.insert(sub, code);
            }
        }
    }
    for (sub, r) in &links.refs {
        if !links.assembly_ids.contains(r) {
            errs.push(format!(
                "{CATEGORIES_FILE}: subcategory \"{sub}\": assembly_ref \"{r}\" is not an assembly in {ASSEMBLIES_FILE}"
            ));
        }
    }

    let top: HashSet<&str> = links.tree.iter().map(|(c, _)| c.as_str()).collect();
    for (id, category, subcategory) in &links.assembly_codes {
        if let Some(cat) = category
            && !top.contains(cat.as_str())
        {
            errs.push(format!(
                "{ASSEMBLIES_FILE}: assembly \"{id}\": category_code \"{cat}\" is not a category in {CATEGORIES_FILE}"
            ));
        }
        let Some(sub) = subcategory else {
            continue;
        };
        match parent_of.get(sub.as_str()) {
            None => errs.push(format!(
                "{ASSEMBLIES_FILE}: assembly \"{id}\": subcategory_code \"{sub}\" is not a subcategory in \
                 {CATEGORIES_FILE}"
            )),
            Some(parent) => {
                if let Some(cat) = category
                    && cat != parent
                    && top.contains(cat.as_str())
                {
                    errs.push(format!(
                        "{ASSEMBLIES_FILE}: assembly \"{id}\": subcategory_code \"{sub}\" belongs to category \
                         \"{parent}\", not to its category_code \"{cat}\""
                    ));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Per-file parsing. Each returns the records that are valid (None only when the file cannot be read at all);
// the caller uses them only when no problem was found anywhere.

fn parse_parts(text: &str, links: &mut Links, errs: &mut Vec<String>) -> Option<Vec<Part>> {
    let root = parse_json(text, PARTS_FILE, errs)?;
    let records = records(&root, PARTS_FILE, "parts", errs)?;
    let mut out = Vec::with_capacity(records.len());
    duplicate_ids(records, PARTS_FILE, "part", errs);
    for (id, value) in records {
        links.part_ids.insert(id.clone());
        let what = format!("{PARTS_FILE}: part \"{id}\"");
        check_id(&what, id, MAX_ID_LEN, errs);
        let Some(rec) = object(&what, value, errs) else {
            continue;
        };
        let mut f = Fields::new(&what, rec, errs);
        f.allow_only(&[
            "name",
            "manufacturer_part_number",
            "manufacturer_info",
            "type",
            "status",
            "description",
            "category",
            "subcategory",
            "vendor",
        ]);
        let name = f.req_str("name", MAX_NAME_LEN);
        let mpn = f.opt_str("manufacturer_part_number", MAX_MANUFACTURER_PART_NUMBER_LEN);
        let info = f.opt_str("manufacturer_info", MAX_MANUFACTURER_INFO_LEN);
        let part_type = f.req_enum("type", PartType::parse, &PartType::ALL.map(PartType::code));
        let status = f.req_enum(
            "status",
            EntityStatus::parse,
            &EntityStatus::ALL.map(EntityStatus::code),
        );
        let description = f.opt_str("description", usize::MAX);
        let category = f.opt_str("category", usize::MAX);
        let subcategory = f.opt_str("subcategory", usize::MAX);
        let vendor = f.opt_str("vendor", MAX_MANUFACTURER_INFO_LEN);
        if let (
            Some(name),
            Some(mpn),
            Some(info),
            Some(part_type),
            Some(status),
            Some(description),
            Some(category),
            Some(subcategory),
            Some(vendor),
        ) = (
            name,
            mpn,
            info,
            part_type,
            status,
            description,
            category,
            subcategory,
            vendor,
        ) {
            out.push(Part {
                id: id.clone(),
                name,
                manufacturer_part_number: mpn,
                manufacturer_info: info,
                part_type,
                status,
                description,
                category,
                subcategory,
                vendor,
                supplementary: false,
            });
        }
    }
    Some(out)
}

fn parse_assemblies(
    text: &str,
    links: &mut Links,
    errs: &mut Vec<String>,
) -> Option<Vec<Assembly>> {
    let root = parse_json(text, ASSEMBLIES_FILE, errs)?;
    let records = records(&root, ASSEMBLIES_FILE, "assemblies", errs)?;
    let mut out = Vec::with_capacity(records.len());
    duplicate_ids(records, ASSEMBLIES_FILE, "assembly", errs);
    for (id, value) in records {
        links.assembly_ids.insert(id.clone());
        let what = format!("{ASSEMBLIES_FILE}: assembly \"{id}\"");
        check_id(&what, id, MAX_ID_LEN, errs);
        let Some(rec) = object(&what, value, errs) else {
            continue;
        };
        let mut f = Fields::new(&what, rec, errs);
        f.allow_only(&[
            "name",
            "type",
            "category_code",
            "subcategory_code",
            "can_order",
            "is_kit",
            "status",
            "components",
        ]);
        let name = f.req_str("name", MAX_NAME_LEN);
        let assembly_type = f.req_enum(
            "type",
            AssemblyType::parse,
            &AssemblyType::ALL.map(AssemblyType::code),
        );
        let category_code = f.req_nullable_str("category_code", MAX_CODE_LEN);
        let subcategory_code = f.req_nullable_str("subcategory_code", MAX_CODE_LEN);
        let can_order = f.req_bool("can_order");
        let is_kit = f.req_bool("is_kit");
        let status = f.req_enum(
            "status",
            EntityStatus::parse,
            &EntityStatus::ALL.map(EntityStatus::code),
        );
        let items = f.req_array("components");
        if let (Some(c), Some(s)) = (&category_code, &subcategory_code) {
            links
                .assembly_codes
                .push((id.clone(), c.clone(), s.clone()));
        }
        let components = items.map(|items| {
            let mut ok = true;
            let mut list = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match parse_component(id, &what, i + 1, item, links, errs) {
                    Some(c) => list.push(c),
                    None => ok = false,
                }
            }
            ok.then_some(list)
        });
        if let (
            Some(name),
            Some(assembly_type),
            Some(category_code),
            Some(subcategory_code),
            Some(can_order),
            Some(is_kit),
            Some(status),
            Some(Some(components)),
        ) = (
            name,
            assembly_type,
            category_code,
            subcategory_code,
            can_order,
            is_kit,
            status,
            components,
        ) {
            out.push(Assembly {
                id: id.clone(),
                name,
                assembly_type,
                category_code,
                subcategory_code,
                can_order,
                is_kit,
                status,
                components,
            });
        }
    }
    Some(out)
}

fn parse_component(
    assembly_id: &str,
    assembly: &str,
    position: usize,
    value: &Json,
    links: &mut Links,
    errs: &mut Vec<String>,
) -> Option<Component> {
    let what = format!("{assembly} component {position}");
    let rec = object(&what, value, errs)?;
    let mut f = Fields::new(&what, rec, errs);
    f.allow_only(&["part_id", "quantity", "notes"]);
    let child_id = f.req_str("part_id", MAX_ID_LEN);
    let quantity = f.req_quantity("quantity");
    let notes = f.opt_str("notes", usize::MAX);
    if let Some(c) = &child_id {
        links
            .components
            .push((assembly_id.to_string(), position, c.clone()));
    }
    Some(Component {
        child_type: ComponentType::Part,
        child_id: child_id?,
        quantity: quantity?,
        notes: notes?,
    })
}

fn parse_categories(
    text: &str,
    links: &mut Links,
    errs: &mut Vec<String>,
) -> Option<Vec<Category>> {
    let root = parse_json(text, CATEGORIES_FILE, errs)?;
    let records = records(&root, CATEGORIES_FILE, "categories", errs)?;
    let mut out = Vec::with_capacity(records.len());
    duplicate_ids(records, CATEGORIES_FILE, "category", errs);
    for (code, value) in records {
        let what = format!("{CATEGORIES_FILE}: category \"{code}\"");
        check_id(&what, code, MAX_CODE_LEN, errs);
        let Some(rec) = object(&what, value, errs) else {
            links.tree.push((code.clone(), Vec::new()));
            continue;
        };
        let mut f = Fields::new(&what, rec, errs);
        f.allow_only(&["name", "description", "subcategories"]);
        let name = f.req_str("name", MAX_CATEGORY_NAME_LEN);
        let description = f.opt_str("description", usize::MAX);
        let subs = f.req_object("subcategories");
        let sub_codes = subs.map_or_else(Vec::new, |subs| {
            subs.iter().map(|(c, _)| c.clone()).collect()
        });
        links.tree.push((code.clone(), sub_codes));
        let subcategories = subs.map(|subs| {
            duplicate_ids(subs, CATEGORIES_FILE, "subcategory", errs);
            let mut ok = true;
            let mut list = Vec::with_capacity(subs.len());
            for (sub_code, v) in subs {
                match parse_subcategory(sub_code, v, links, errs) {
                    Some(s) => list.push(s),
                    None => ok = false,
                }
            }
            ok.then_some(list)
        });
        if let (Some(name), Some(description), Some(Some(subcategories))) =
            (name, description, subcategories)
        {
            out.push(Category {
                code: code.clone(),
                name,
                description,
                subcategories,
            });
        }
    }
    Some(out)
}

fn parse_subcategory(
    code: &str,
    value: &Json,
    links: &mut Links,
    errs: &mut Vec<String>,
) -> Option<Subcategory> {
    let what = format!("{CATEGORIES_FILE}: subcategory \"{code}\"");
    check_id(&what, code, MAX_CODE_LEN, errs);
    let rec = object(&what, value, errs)?;
    let mut f = Fields::new(&what, rec, errs);
    f.allow_only(&["name", "description", "assembly_refs"]);
    let name = f.req_str("name", MAX_CATEGORY_NAME_LEN);
    let description = f.opt_str("description", usize::MAX);
    let items = f.req_array("assembly_refs");
    let refs = items.map(|items| {
        let mut ok = true;
        let mut list = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            match v {
                Json::Str(s) => {
                    links.refs.push((code.to_string(), s.clone()));
                    list.push(s.clone());
                }
                other => {
                    ok = false;
                    errs.push(format!(
                        "{what}: assembly_refs entry {} must be a string, found {}",
                        i + 1,
                        other.kind()
                    ));
                }
            }
        }
        ok.then_some(list)
    });
    Some(Subcategory {
        code: code.to_string(),
        name: name?,
        description: description?,
        assembly_refs: refs??,
    })
}

fn parse_json(text: &str, file: &str, errs: &mut Vec<String>) -> Option<Json> {
    match serde_json::from_str(text) {
        Ok(v) => Some(v),
        Err(e) => {
            errs.push(format!("{file}: not valid JSON: {e}"));
            None
        }
    }
}

/// Reads `{"metadata": {...}, "<key>": {id: record}}` and returns the records in file order.
fn records<'a>(
    root: &'a Json,
    file: &str,
    key: &str,
    errs: &mut Vec<String>,
) -> Option<&'a [(String, Json)]> {
    let Json::Object(entries) = root else {
        errs.push(format!(
            "{file}: the top level must be an object with \"metadata\" and \"{key}\", found {}",
            root.kind()
        ));
        return None;
    };
    let mut f = Fields::new(file, entries, errs);
    f.allow_only(&["metadata", key]);
    if let Some(m) = f.get("metadata")
        && !matches!(m, Json::Object(_))
    {
        f.errs.push(format!(
            "{file}: \"metadata\" must be an object, found {}",
            m.kind()
        ));
    }
    f.req_object(key)
}

fn duplicate_ids(records: &[(String, Json)], file: &str, kind: &str, errs: &mut Vec<String>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (id, _) in records {
        *seen.entry(id).or_default() += 1;
    }
    let mut reported = HashSet::new();
    for (id, _) in records {
        let n = seen.get(id.as_str()).copied().unwrap_or(0);
        if n > 1 && reported.insert(id.as_str()) {
            errs.push(format!(
                "{file}: {kind} id \"{id}\" appears {n} times; each id must appear once"
            ));
        }
    }
}

fn check_id(what: &str, id: &str, max: usize, errs: &mut Vec<String>) {
    if let Err(m) = check_text(&format!("{what}: the id"), id, false) {
        errs.push(m);
    }
    let len = id.chars().count();
    if id.trim().is_empty() {
        errs.push(format!("{what}: the id is empty"));
    } else if id.trim() != id {
        errs.push(format!("{what}: the id has leading or trailing spaces"));
    }
    if len > max {
        errs.push(format!(
            "{what}: the id is {len} characters long, at most {max} are allowed"
        ));
    }
}

fn object<'a>(what: &str, value: &'a Json, errs: &mut Vec<String>) -> Option<&'a [(String, Json)]> {
    match value {
        Json::Object(entries) => Some(entries),
        other => {
            errs.push(format!("{what}: must be an object, found {}", other.kind()));
            None
        }
    }
}

/// The keys of one record, with typed getters that record a message for each problem.
struct Fields<'w, 'a, 'e> {
    what: &'w str,
    entries: &'a [(String, Json)],
    errs: &'e mut Vec<String>,
}

impl<'w, 'a, 'e> Fields<'w, 'a, 'e> {
    fn new(what: &'w str, entries: &'a [(String, Json)], errs: &'e mut Vec<String>) -> Self {
        Fields {
            what,
            entries,
            errs,
        }
    }

    /// Refuses keys outside `allowed` and keys given twice, so no value is silently dropped.
    fn allow_only(&mut self, allowed: &[&str]) {
        let mut seen = HashSet::new();
        for (k, _) in self.entries {
            if !allowed.contains(&k.as_str()) {
                self.errs.push(format!(
                    "{}: unknown key \"{k}\" (expected {})",
                    self.what,
                    allowed.join(", ")
                ));
            }
            if !seen.insert(k.as_str()) {
                self.errs.push(format!(
                    "{}: key \"{k}\" is given more than once",
                    self.what
                ));
            }
        }
    }

    fn get(&self, key: &str) -> Option<&'a Json> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn missing(&mut self, key: &str) {
        self.errs
            .push(format!("{}: missing required key \"{key}\"", self.what));
    }

    fn wrong(&mut self, key: &str, expected: &str, found: &Json) {
        self.errs.push(format!(
            "{}: \"{key}\" must be {expected}, found {}",
            self.what,
            found.kind()
        ));
    }

    /// Every stored string passes here: one line, no forbidden character, within `max`.
    fn check_len(&mut self, key: &str, s: &str, max: usize) -> bool {
        if let Err(m) = check_text(&format!("{}: \"{key}\"", self.what), s, false) {
            self.errs.push(m);
            return false;
        }
        let len = s.chars().count();
        if len > max {
            self.errs.push(format!(
                "{}: \"{key}\" is {len} characters long, at most {max} are allowed",
                self.what
            ));
            return false;
        }
        true
    }

    /// A required, non-empty string.
    fn req_str(&mut self, key: &str, max: usize) -> Option<String> {
        match self.get(key) {
            None => {
                self.missing(key);
                None
            }
            Some(Json::Str(s)) if s.trim().is_empty() => {
                self.errs
                    .push(format!("{}: \"{key}\" must not be empty", self.what));
                None
            }
            Some(Json::Str(s)) => self.check_len(key, s, max).then(|| s.clone()),
            Some(other) => {
                self.wrong(key, "a string", other);
                None
            }
        }
    }

    /// A key that must be present but may be null. `None` = invalid; `Some(None)` = null.
    fn req_nullable_str(&mut self, key: &str, max: usize) -> Option<Option<String>> {
        if self.get(key).is_none() {
            self.missing(key);
            return None;
        }
        self.opt_str(key, max)
    }

    /// An optional string; absent and null both mean none. `None` = invalid.
    fn opt_str(&mut self, key: &str, max: usize) -> Option<Option<String>> {
        match self.get(key) {
            None | Some(Json::Null) => Some(None),
            Some(Json::Str(s)) => self.check_len(key, s, max).then(|| Some(s.clone())),
            Some(other) => {
                self.wrong(key, "a string or null", other);
                None
            }
        }
    }

    fn req_bool(&mut self, key: &str) -> Option<bool> {
        match self.get(key) {
            None => {
                self.missing(key);
                None
            }
            Some(Json::Bool(b)) => Some(*b),
            Some(other) => {
                self.wrong(key, "true or false", other);
                None
            }
        }
    }

    fn req_enum<T>(
        &mut self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Option<T> {
        match self.get(key) {
            None => {
                self.missing(key);
                None
            }
            Some(Json::Str(s)) => {
                let v = parse(s);
                if v.is_none() {
                    self.errs.push(format!(
                        "{}: \"{key}\" has the unknown value \"{s}\" (expected one of {})",
                        self.what,
                        allowed.join(", ")
                    ));
                }
                v
            }
            Some(other) => {
                self.wrong(key, "a string", other);
                None
            }
        }
    }

    /// A whole number ≥ 1 that fits `"quantity" INTEGER`.
    fn req_quantity(&mut self, key: &str) -> Option<i32> {
        let n: i128 = match self.get(key) {
            None => {
                self.missing(key);
                return None;
            }
            Some(Json::Int(i)) => i128::from(*i),
            Some(Json::UInt(u)) => i128::from(*u),
            Some(Json::Float(x)) => {
                self.errs.push(format!(
                    "{}: \"{key}\" must be a whole number, found {x}",
                    self.what
                ));
                return None;
            }
            Some(other) => {
                self.wrong(key, "a whole number", other);
                return None;
            }
        };
        match i32::try_from(n) {
            Ok(q) if q >= 1 => Some(q),
            _ if n < 1 => {
                self.errs.push(format!(
                    "{}: \"{key}\" must be at least 1, found {n}",
                    self.what
                ));
                None
            }
            _ => {
                self.errs.push(format!(
                    "{}: \"{key}\" {n} is too large (at most {})",
                    self.what,
                    i32::MAX
                ));
                None
            }
        }
    }

    fn req_array(&mut self, key: &str) -> Option<&'a [Json]> {
        match self.get(key) {
            None => {
                self.missing(key);
                None
            }
            Some(Json::Array(items)) => Some(items),
            Some(other) => {
                self.wrong(key, "an array", other);
                None
            }
        }
    }

    fn req_object(&mut self, key: &str) -> Option<&'a [(String, Json)]> {
        match self.get(key) {
            None => {
                self.missing(key);
                None
            }
            Some(Json::Object(entries)) => Some(entries),
            Some(other) => {
                self.wrong(key, "an object", other);
                None
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// An order-preserving JSON tree that keeps duplicate keys

/// A JSON value whose objects keep every entry in file order, duplicates included.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// How a message names the value's type.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Int(_) | Json::UInt(_) | Json::Float(_) => "a number",
            Json::Str(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::UInt(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        Json::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            entries.push((k, v));
        }
        Ok(Json::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};

    const PARTS: &str = r#"{"metadata":{"version":"1"},"parts":{
        "P1":{"name":"BOLT","manufacturer_part_number":null,"manufacturer_info":null,"type":"COMPONENT","status":"ACTIVE"},
        "P2":{"name":"NUT","type":"MATERIAL","status":"INACTIVE","vendor":"TORVAN","description":"d"}}}"#;
    const ASSEMBLIES: &str = r#"{"metadata":{},"assemblies":{
        "A1":{"name":"KIT","type":"KIT","category_code":"718","subcategory_code":"718.001","can_order":true,
              "is_kit":true,"status":"ACTIVE","components":[{"part_id":"P2","quantity":3,"notes":"x"},{"part_id":"P1","quantity":1}]},
        "ASSY-P1":{"name":"TWIN","type":"SIMPLE","category_code":"718","subcategory_code":null,"can_order":false,
              "is_kit":false,"status":"ACTIVE","components":[]}}}"#;
    const CATEGORIES: &str = r#"{"metadata":{},"categories":{
        "718":{"name":"CONTROL BOX","description":"c","subcategories":{
            "718.001":{"name":"1 BASIN","description":"s","assembly_refs":["A1"]}}},
        "719":{"name":"SERVICE","description":null,"subcategories":{}}}}"#;

    fn errors(parts: &str, assemblies: &str, categories: &str) -> Vec<String> {
        match parse_catalog(parts, assemblies, categories) {
            Ok(_) => Vec::new(),
            Err(e) => e,
        }
    }

    fn assert_one_error_containing(errs: &[String], needles: &[&str]) {
        assert!(
            errs.iter().any(|e| needles.iter().all(|n| e.contains(n))),
            "no error containing {needles:?} in {errs:#?}"
        );
    }

    #[test]
    fn shipped_catalog_parses_with_the_expected_counts() {
        let c = parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON)
            .expect("the shipped catalog is valid");
        assert_eq!(c.file_part_count(), 284);
        assert_eq!(c.parts.len(), 286);
        assert_eq!(
            c.supplementary_ids(),
            vec!["T2-ANTI-FATIGUE-MAT", "IFU.T2.ESinkInstUserFR"]
        );
        assert_eq!(c.assemblies.len(), 318);
        assert_eq!(c.component_count(), 841);
        assert_eq!(c.categories.len(), 6);
        assert_eq!(c.category_row_count(), 52);
        // Component order is the JSON array order.
        let edr1 = c
            .assemblies
            .iter()
            .find(|a| a.id == "T2-CTRL-EDR1")
            .expect("T2-CTRL-EDR1");
        assert_eq!(edr1.components[0].child_id, "Q13404-02");
        assert_eq!(edr1.components[1].child_id, "PW-105R3-06");
        assert_eq!(edr1.components[3].quantity, 5);
        // The one record with extra keys keeps them; its vendor becomes the manufacturer info.
        let colour = c.parts.iter().find(|p| p.id == "708.77").expect("708.77");
        assert_eq!(colour.manufacturer_info_column(), Some("TORVAN"));
        assert!(colour.description.is_some());
        assert_eq!(colour.category.as_deref(), Some("PEGBOARD"));
    }

    #[test]
    fn shipped_catalog_resolves_twins_per_r10() {
        let c = parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON).expect("valid");
        assert!(matches!(
            c.resolve("T2-LEVELING-CASTOR-475"),
            Some(Resolved::Assembly(a)) if a.id == "ASSY-T2-LEVELING-CASTOR-475"
        ));
        assert!(matches!(c.resolve("6.65E+11"), Some(Resolved::Part(_))));
        assert!(c.resolve("NO-SUCH-ID").is_none());
    }

    #[test]
    fn small_catalog_parses_and_keeps_values() {
        let c = parse_catalog(PARTS, ASSEMBLIES, CATEGORIES).expect("valid");
        assert_eq!(c.file_part_count(), 2);
        assert_eq!(c.parts.len(), 2 + SUPPLEMENTARY_PARTS.len());
        let p2 = &c.parts[1];
        assert_eq!(p2.part_type, PartType::Material);
        assert_eq!(p2.status, EntityStatus::Inactive);
        assert_eq!(p2.manufacturer_info_column(), Some("TORVAN"));
        let a1 = &c.assemblies[0];
        assert_eq!(a1.assembly_type, AssemblyType::Kit);
        assert_eq!(
            a1.components,
            vec![
                Component {
                    child_type: ComponentType::Part,
                    child_id: "P2".into(),
                    quantity: 3,
                    notes: Some("x".into()),
                },
                Component {
                    child_type: ComponentType::Part,
                    child_id: "P1".into(),
                    quantity: 1,
                    notes: None,
                },
            ]
        );
        assert_eq!(c.assemblies[1].subcategory_code, None);
    }

    #[test]
    fn every_text_field_refuses_forbidden_characters() {
        // (file, the text replaced, where the message says it is)
        let cases: [(&str, &str, &str); 12] = [
            ("parts", r#""name":"BOLT""#, r#"part "P1": "name""#),
            ("parts", r#""vendor":"TORVAN""#, r#"part "P2": "vendor""#),
            (
                "parts",
                r#""description":"d""#,
                r#"part "P2": "description""#,
            ),
            ("parts", r#""P1":{"#, r#"part "P1X": the id"#),
            ("assemblies", r#""name":"KIT""#, r#"assembly "A1": "name""#),
            (
                "assemblies",
                r#""category_code":"718""#,
                r#"assembly "A1": "category_code""#,
            ),
            (
                "assemblies",
                r#""notes":"x""#,
                r#"assembly "A1" component 1: "notes""#,
            ),
            (
                "assemblies",
                r#""part_id":"P1""#,
                r#"assembly "A1" component 2: "part_id""#,
            ),
            (
                "categories",
                r#""name":"CONTROL BOX""#,
                r#"category "718": "name""#,
            ),
            (
                "categories",
                r#""description":"c""#,
                r#"category "718": "description""#,
            ),
            (
                "categories",
                r#""name":"1 BASIN""#,
                r#"subcategory "718.001": "name""#,
            ),
            (
                "categories",
                r#""description":"s""#,
                r#"subcategory "718.001": "description""#,
            ),
        ];
        for (c, escaped, kind) in [
            ('\u{1b}', "\\u001b", "the control character U+001B"),
            (
                '\u{202E}',
                "\\u202e",
                "the direction-changing character U+202E",
            ),
            ('\u{200B}', "\\u200b", "the zero-width character U+200B"),
        ] {
            for (file, text, at) in cases {
                // Put the character before the value's closing quote (the id's: inside the key).
                let evil = if text.ends_with(":{") {
                    text.replacen("\":{", &format!("X{escaped}\":{{"), 1)
                } else {
                    format!("{}{escaped}\"", &text[..text.len() - 1])
                };
                let at = at.replace("P1X", &format!("P1X{c}"));
                let (mut p, mut a, mut g) = (
                    PARTS.to_string(),
                    ASSEMBLIES.to_string(),
                    CATEGORIES.to_string(),
                );
                let target = match file {
                    "parts" => &mut p,
                    "assemblies" => &mut a,
                    _ => &mut g,
                };
                assert!(target.contains(text), "{text}");
                *target = target.replacen(text, &evil, 1);
                let errs = errors(&p, &a, &g);
                assert_one_error_containing(
                    &errs,
                    &[&format!("{file}.json: {at}: contains {kind}; remove it")],
                );
            }
        }
    }

    #[test]
    fn supplementary_part_already_in_the_file_is_taken_from_the_file() {
        let parts = PARTS.replace(
            r#""P1":{"#,
            r#""T2-ANTI-FATIGUE-MAT":{"name":"MAT FROM FILE","type":"COMPONENT","status":"ACTIVE"},"P1":{"#,
        );
        let c = parse_catalog(&parts, ASSEMBLIES, CATEGORIES).expect("valid");
        let mat: Vec<_> = c
            .parts
            .iter()
            .filter(|p| p.id == "T2-ANTI-FATIGUE-MAT")
            .collect();
        assert_eq!(mat.len(), 1);
        assert_eq!(mat[0].name, "MAT FROM FILE");
        assert!(!mat[0].supplementary);
        assert_eq!(c.supplementary_ids(), vec!["IFU.T2.ESinkInstUserFR"]);
    }

    #[test]
    fn duplicate_ids_are_found_although_json_maps_would_hide_them() {
        let parts = PARTS.replace(
            r#""P2":{"#,
            r#""P1":{"name":"AGAIN","type":"COMPONENT","status":"ACTIVE"},"P2":{"#,
        );
        let errs = errors(&parts, ASSEMBLIES, CATEGORIES);
        assert_one_error_containing(&errs, &["parts.json", "\"P1\"", "appears 2 times"]);
        let assemblies = ASSEMBLIES.replace(
            r#""ASSY-P1":{"#,
            r#""A1":{"name":"X","type":"KIT","category_code":null,"subcategory_code":null,"can_order":true,"is_kit":true,"status":"ACTIVE","components":[]},"ASSY-P1":{"#,
        );
        let errs = errors(PARTS, &assemblies, CATEGORIES);
        assert_one_error_containing(&errs, &["assemblies.json", "\"A1\"", "appears 2 times"]);
    }

    #[test]
    fn duplicate_key_inside_a_record_is_refused() {
        let parts = PARTS.replace(r#""name":"BOLT","#, r#""name":"BOLT","name":"SCREW","#);
        let errs = errors(&parts, ASSEMBLIES, CATEGORIES);
        assert_one_error_containing(&errs, &["part \"P1\"", "\"name\"", "more than once"]);
    }

    #[test]
    fn dangling_references_are_named() {
        let assemblies = ASSEMBLIES.replace(r#""part_id":"P2""#, r#""part_id":"GHOST""#);
        let errs = errors(PARTS, &assemblies, CATEGORIES);
        assert_one_error_containing(
            &errs,
            &[
                "assembly \"A1\" component 1",
                "\"GHOST\"",
                "not in the catalog",
            ],
        );

        let categories = CATEGORIES.replace(r#"["A1"]"#, r#"["A1","NOPE"]"#);
        let errs = errors(PARTS, ASSEMBLIES, &categories);
        assert_one_error_containing(
            &errs,
            &["subcategory \"718.001\"", "\"NOPE\"", "not an assembly"],
        );

        let assemblies = ASSEMBLIES.replace(
            r#""category_code":"718","subcategory_code":"718.001""#,
            r#""category_code":"999","subcategory_code":"718.009""#,
        );
        let errs = errors(PARTS, &assemblies, CATEGORIES);
        assert_one_error_containing(&errs, &["assembly \"A1\"", "category_code \"999\""]);
        assert_one_error_containing(&errs, &["assembly \"A1\"", "subcategory_code \"718.009\""]);

        let assemblies = ASSEMBLIES.replace(
            r#""category_code":"718","subcategory_code":"718.001""#,
            r#""category_code":"719","subcategory_code":"718.001""#,
        );
        let errs = errors(PARTS, &assemblies, CATEGORIES);
        assert_one_error_containing(&errs, &["assembly \"A1\"", "belongs to category \"718\""]);
    }

    #[test]
    fn bad_quantities_are_refused() {
        for (q, needle) in [
            ("-2", "at least 1, found -2"),
            ("0", "at least 1, found 0"),
            ("1.5", "whole number, found 1.5"),
            ("2.0", "whole number"),
            ("\"3\"", "must be a whole number, found a string"),
            ("3000000000", "too large"),
        ] {
            let assemblies = ASSEMBLIES.replace(r#""quantity":3"#, &format!(r#""quantity":{q}"#));
            let errs = errors(PARTS, &assemblies, CATEGORIES);
            assert_one_error_containing(
                &errs,
                &["assembly \"A1\" component 1", "\"quantity\"", needle],
            );
        }
    }

    #[test]
    fn bad_values_are_refused_and_all_problems_are_collected() {
        let long_id = "X".repeat(51);
        let long_name = "N".repeat(201);
        let parts = PARTS
            .replace(r#""type":"COMPONENT""#, r#""type":"WIDGET""#)
            .replace(r#""name":"NUT","#, &format!(r#""name":"{long_name}","#))
            .replace(
                r#""P2":{"#,
                &format!(
                    r#""{long_id}":{{"colour":"red","status":"ACTIVE","type":"COMPONENT"}},"P2":{{"#
                ),
            );
        let assemblies = ASSEMBLIES.replace(r#""is_kit":false,"#, "");
        let categories = CATEGORIES.replace(r#""name":"1 BASIN","#, "");
        let errs = errors(&parts, &assemblies, &categories);
        assert_one_error_containing(
            &errs,
            &[
                "part \"P1\"",
                "unknown value \"WIDGET\"",
                "COMPONENT, MATERIAL",
            ],
        );
        assert_one_error_containing(
            &errs,
            &["part \"P2\"", "\"name\" is 201 characters", "at most 200"],
        );
        assert_one_error_containing(&errs, &[&long_id, "51 characters", "at most 50"]);
        assert_one_error_containing(&errs, &[&long_id, "unknown key \"colour\""]);
        assert_one_error_containing(&errs, &[&long_id, "missing required key \"name\""]);
        assert_one_error_containing(
            &errs,
            &["assembly \"ASSY-P1\"", "missing required key \"is_kit\""],
        );
        assert_one_error_containing(
            &errs,
            &["subcategory \"718.001\"", "missing required key \"name\""],
        );
        assert!(errs.len() >= 7, "{errs:#?}");
    }

    #[test]
    fn a_bad_field_does_not_hide_a_dangling_reference() {
        let assemblies = ASSEMBLIES
            .replace(
                r#""part_id":"P2","quantity":3"#,
                r#""part_id":"GHOST","quantity":-3"#,
            )
            .replace(r#""type":"KIT""#, r#""type":"BUNDLE""#);
        let errs = errors(PARTS, &assemblies, CATEGORIES);
        assert_one_error_containing(&errs, &["assembly \"A1\" component 1", "\"GHOST\""]);
        assert_one_error_containing(&errs, &["assembly \"A1\" component 1", "found -3"]);
        assert_one_error_containing(&errs, &["assembly \"A1\"", "\"BUNDLE\""]);
        assert_eq!(errs.len(), 3, "{errs:#?}");
    }

    #[test]
    fn wrong_shapes_are_refused() {
        let errs = errors("[1,2]", "not json", r#"{"categories":[]}"#);
        assert_one_error_containing(&errs, &["parts.json", "top level must be an object"]);
        assert_one_error_containing(&errs, &["assemblies.json", "not valid JSON"]);
        assert_one_error_containing(
            &errs,
            &["categories.json", "\"categories\" must be an object"],
        );
        let errs = errors(
            r#"{"metadata":{},"parts":{},"extra":1}"#,
            ASSEMBLIES,
            CATEGORIES,
        );
        assert_one_error_containing(&errs, &["parts.json", "unknown key \"extra\""]);
    }

    #[test]
    fn category_codes_share_one_key_space() {
        let categories = CATEGORIES.replace(r#""718.001":{"#, r#""719":{"#);
        let errs = errors(PARTS, ASSEMBLIES, &categories);
        assert_one_error_containing(&errs, &["subcategory \"719\"", "must be unique"]);
    }
}
