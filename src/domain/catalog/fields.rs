//! Reading one record's keys: typed getters that record a message for each problem instead of stopping.

use super::Json;
use crate::text::check_text;
use std::collections::{HashMap, HashSet};

pub(super) fn parse_json(text: &str, file: &str, errs: &mut Vec<String>) -> Option<Json> {
    match serde_json::from_str(text) {
        Ok(v) => Some(v),
        Err(e) => {
            errs.push(format!("{file}: not valid JSON: {e}"));
            None
        }
    }
}

/// Reads `{"metadata": {...}, "<key>": {id: record}}` and returns the records in file order.
pub(super) fn records<'a>(
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

/// The records of a parsed catalog file, `{"metadata": {...}, "<key>": {id: record}}`, in file order, with
/// every id given twice reported.
pub(super) fn keyed_records<'a>(
    root: &'a Json,
    file: &str,
    key: &str,
    kind: &str,
    errs: &mut Vec<String>,
) -> Option<&'a [(String, Json)]> {
    let records = records(root, file, key, errs)?;
    duplicate_ids(records, file, kind, errs);
    Some(records)
}

/// One record of `file`: the name its messages use, and its keys when the id is checked and the value is an
/// object.
pub(super) fn record<'a>(
    file: &str,
    kind: &str,
    id: &str,
    max: usize,
    value: &'a Json,
    errs: &mut Vec<String>,
) -> (String, Option<&'a [(String, Json)]>) {
    let what = format!("{file}: {kind} \"{id}\"");
    check_id(&what, id, max, errs);
    let rec = object(&what, value, errs);
    (what, rec)
}

pub(super) fn duplicate_ids(
    records: &[(String, Json)],
    file: &str,
    kind: &str,
    errs: &mut Vec<String>,
) {
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

pub(super) fn check_id(what: &str, id: &str, max: usize, errs: &mut Vec<String>) {
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

pub(super) fn object<'a>(
    what: &str,
    value: &'a Json,
    errs: &mut Vec<String>,
) -> Option<&'a [(String, Json)]> {
    match value {
        Json::Object(entries) => Some(entries),
        other => {
            errs.push(format!("{what}: must be an object, found {}", other.kind()));
            None
        }
    }
}

/// The keys of one record, with typed getters that record a message for each problem.
pub(super) struct Fields<'w, 'a, 'e> {
    what: &'w str,
    entries: &'a [(String, Json)],
    errs: &'e mut Vec<String>,
}

impl<'w, 'a, 'e> Fields<'w, 'a, 'e> {
    pub(super) fn new(
        what: &'w str,
        entries: &'a [(String, Json)],
        errs: &'e mut Vec<String>,
    ) -> Self {
        Fields {
            what,
            entries,
            errs,
        }
    }

    /// Refuses keys outside `allowed` and keys given twice, so no value is silently dropped.
    pub(super) fn allow_only(&mut self, allowed: &[&str]) {
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
    pub(super) fn req_str(&mut self, key: &str, max: usize) -> Option<String> {
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
    pub(super) fn req_nullable_str(&mut self, key: &str, max: usize) -> Option<Option<String>> {
        if self.get(key).is_none() {
            self.missing(key);
            return None;
        }
        self.opt_str(key, max)
    }

    /// An optional string; absent and null both mean none. `None` = invalid.
    pub(super) fn opt_str(&mut self, key: &str, max: usize) -> Option<Option<String>> {
        match self.get(key) {
            None | Some(Json::Null) => Some(None),
            Some(Json::Str(s)) => self.check_len(key, s, max).then(|| Some(s.clone())),
            Some(other) => {
                self.wrong(key, "a string or null", other);
                None
            }
        }
    }

    pub(super) fn req_bool(&mut self, key: &str) -> Option<bool> {
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

    pub(super) fn req_enum<T>(
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
    pub(super) fn req_quantity(&mut self, key: &str) -> Option<i32> {
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

    pub(super) fn req_array(&mut self, key: &str) -> Option<&'a [Json]> {
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

    pub(super) fn req_object(&mut self, key: &str) -> Option<&'a [(String, Json)]> {
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
