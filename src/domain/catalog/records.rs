//! Per-file parsing. Each parser returns the records that are valid (None only when the file cannot be read
//! at all); the caller uses them only when no problem was found anywhere.

use super::fields::{Fields, duplicate_ids, keyed_records, object, parse_json, record};
use super::*;

pub(super) fn parse_parts(
    text: &str,
    links: &mut Links,
    errs: &mut Vec<String>,
) -> Option<Vec<Part>> {
    let root = parse_json(text, PARTS_FILE, errs)?;
    let records = keyed_records(&root, PARTS_FILE, "parts", "part", errs)?;
    let mut out = Vec::with_capacity(records.len());
    for (id, value) in records {
        links.part_ids.insert(id.clone());
        let (what, rec) = record(PARTS_FILE, "part", id, MAX_ID_LEN, value, errs);
        let Some(rec) = rec else {
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

pub(super) fn parse_assemblies(
    text: &str,
    links: &mut Links,
    errs: &mut Vec<String>,
) -> Option<Vec<Assembly>> {
    let root = parse_json(text, ASSEMBLIES_FILE, errs)?;
    let records = keyed_records(&root, ASSEMBLIES_FILE, "assemblies", "assembly", errs)?;
    let mut out = Vec::with_capacity(records.len());
    for (id, value) in records {
        links.assembly_ids.insert(id.clone());
        let (what, rec) = record(ASSEMBLIES_FILE, "assembly", id, MAX_ID_LEN, value, errs);
        let Some(rec) = rec else {
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

pub(super) fn parse_categories(
    text: &str,
    links: &mut Links,
    errs: &mut Vec<String>,
) -> Option<Vec<Category>> {
    let root = parse_json(text, CATEGORIES_FILE, errs)?;
    let records = keyed_records(&root, CATEGORIES_FILE, "categories", "category", errs)?;
    let mut out = Vec::with_capacity(records.len());
    for (code, value) in records {
        let (what, rec) = record(CATEGORIES_FILE, "category", code, MAX_CODE_LEN, value, errs);
        let Some(rec) = rec else {
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
    let (what, rec) = record(
        CATEGORIES_FILE,
        "subcategory",
        code,
        MAX_CODE_LEN,
        value,
        errs,
    );
    let rec = rec?;
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
