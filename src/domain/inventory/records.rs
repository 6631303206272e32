//! Catalog records for unit tests: active, with the fields a test names and the rest empty.

use super::*;

pub(crate) fn part(id: &str, name: &str, mpn: Option<&str>) -> PartRecord {
    PartRecord {
        id: id.into(),
        name: name.into(),
        manufacturer_part_number: mpn.map(str::to_string),
        manufacturer_info: None,
        part_type: PartType::Component,
        status: EntityStatus::Active,
        photo_url: None,
        technical_drawing_url: None,
        description: None,
        created_at: None,
        updated_at: None,
    }
}

pub(crate) fn assembly(id: &str, name: &str, category: &str, sub: &str) -> AssemblyRecord {
    AssemblyRecord {
        category_code: Some(category.into()).filter(|c: &String| !c.is_empty()),
        subcategory_code: Some(sub.into()).filter(|c: &String| !c.is_empty()),
        can_order: true,
        ..AssemblyRecord::named(id, name)
    }
}

pub(crate) fn link(parent: &str, child: &str, quantity: i32) -> LinkRecord {
    LinkRecord {
        parent_id: parent.into(),
        child_type: ComponentType::Part,
        child_id: child.into(),
        quantity,
        notes: None,
    }
}

pub(crate) fn category(id: &str, name: &str, parent: Option<&str>) -> CategoryRecord {
    CategoryRecord {
        id: id.into(),
        name: name.into(),
        description: None,
        parent_id: parent.map(str::to_string),
        level: i32::from(parent.is_some()),
    }
}
