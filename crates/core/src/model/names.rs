//! Interned module names: one text buffer, offsets, and a hash table of ids. At 200,000
//! modules this costs ~35 bytes a name instead of two boxed copies and a map.

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

#[derive(Debug, Clone, Default)]
pub struct Names {
    text: String,
    /// End offset of each name in `text`; a name starts where the previous one ends.
    ends: Vec<u32>,
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Names {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Room for about `additional` more names without rehashing as they arrive.
    pub fn reserve(&mut self, additional: usize, text_bytes: usize) {
        let Names {
            text,
            ends,
            index,
            hasher,
        } = self;
        ends.reserve(additional);
        text.reserve(text_bytes);
        index.reserve(additional, |&id| hasher.hash_one(slice(text, ends, id)));
    }

    pub fn name(&self, id: u32) -> &str {
        slice(&self.text, &self.ends, id)
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.get_hashed(name, self.hash(name))
    }

    /// The hash `get_hashed` and `intern_hashed` take: computed by `hasher()` anywhere, so a
    /// reader can hash names on another thread.
    pub fn hash(&self, name: &str) -> u64 {
        self.hasher.hash_one(name)
    }

    pub fn hasher(&self) -> DefaultHashBuilder {
        self.hasher.clone()
    }

    pub fn get_hashed(&self, name: &str, hash: u64) -> Option<u32> {
        self.index.find(hash, |&id| self.name(id) == name).copied()
    }

    /// The id of `name`, adding it on first sight; ids follow first appearance.
    pub fn intern(&mut self, name: &str) -> u32 {
        self.intern_hashed(name, self.hash(name))
    }

    /// `intern` with the name's `hash` already computed.
    pub fn intern_hashed(&mut self, name: &str, hash: u64) -> u32 {
        let Names {
            text,
            ends,
            index,
            hasher,
        } = self;
        if let Some(&id) = index.find(hash, |&id| slice(text, ends, id) == name) {
            return id;
        }
        let id = ends.len() as u32;
        text.push_str(name);
        ends.push(text.len() as u32);
        index.insert_unique(hash, id, |&id| hasher.hash_one(slice(text, ends, id)));
        id
    }
}

/// Name `id`: it starts where the previous one ends.
fn slice<'a>(text: &'a str, ends: &[u32], id: u32) -> &'a str {
    let i = id as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

impl PartialEq for Names {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text && self.ends == other.ends
    }
}

/// The top-level package of a dotted name: `botocore` for `botocore.utils`.
pub fn top_level_package(name: &str) -> &str {
    name.split_once('.').map_or(name, |(top, _)| top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_once_in_first_appearance_order() {
        let mut names = Names::default();
        assert_eq!(names.intern("os"), 0);
        assert_eq!(names.intern("json.decoder"), 1);
        assert_eq!(names.intern("os"), 0);
        assert_eq!(names.get("json.decoder"), Some(1));
        assert_eq!(names.get("json"), None);
        assert_eq!(names.name(1), "json.decoder");
        for i in 0..10_000 {
            assert_eq!(names.intern(&format!("m{i}")), i + 2);
        }
        assert_eq!(names.get("m9999"), Some(10_001));
        assert_eq!(names.len(), 10_002);
    }
}

/// Python's keywords (3.7–3.13): a dotted name with one of them as a part cannot be imported by
/// an `import` statement.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// XID_Continue as CPython 3.7–3.13 know it: Unicode 15.1 added the zero-width joiners, which
/// their older Unicode data (and the eye) do not accept.
fn is_identifier_continue(c: char) -> bool {
    unicode_ident::is_xid_continue(c) && !matches!(c, '\u{200c}' | '\u{200d}')
}

/// Whether `name` may be written into Python source as a module name: dot-separated
/// identifiers by Python's own rule (`str.isidentifier()`: XID_Start or `_`, then XID_Continue;
/// PEP 3131), already in NFKC form (Python normalises identifiers, so `ﬁle` would import
/// `file`), none a keyword. Trace names are untrusted: anything else could be code.
pub fn is_python_module_name(name: &str) -> bool {
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    let normalised = name.is_ascii()
        || match is_nfkc_quick(name.chars()) {
            IsNormalized::Yes => true,
            IsNormalized::No => false,
            IsNormalized::Maybe => {
                unicode_normalization::UnicodeNormalization::nfkc(name).eq(name.chars())
            }
        };
    !name.is_empty()
        && normalised
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
                && chars.all(is_identifier_continue)
                && !KEYWORDS.contains(&part)
        })
}

#[cfg(test)]
mod python_name_tests {
    use super::is_python_module_name;

    #[test]
    fn only_dotted_identifiers_pass() {
        for ok in [
            "os",
            "os.path",
            "_frozen_importlib",
            "pandas._libs.tslib",
            "ünïcode.mod",
        ] {
            assert!(is_python_module_name(ok), "{ok}");
        }
        for hostile in [
            "os;__import__('os').system('touch /tmp/pwned')",
            "os\nimport subprocess",
            "a b",
            "a..b",
            ".a",
            "a.",
            "1abc",
            "a-b",
            "class.x",
            "x.import",
            "a\u{1b}[2J",
            "a#comment",
            "",
            "\"quoted\"",
            // Unicode "No" digits pass `char::is_alphanumeric` but are no identifier part.
            "a\u{b2}",
            "x\u{2460}",
            // Not NFKC: Python would import another name.
            "\u{fb01}le",
            // Bidi controls and zero-width joiners outside identifiers.
            "a\u{202e}b",
        ] {
            assert!(!is_python_module_name(hostile), "{hostile:?}");
        }
    }

    proptest::proptest! {
        /// Whatever passes is made of identifier characters (XID_Continue: letters, digits,
        /// `_`, combining marks) and single dots only; nothing that ends a line or a string.
        #[test]
        fn accepted_names_hold_nothing_but_identifiers(name in "\\PC{0,24}") {
            if is_python_module_name(&name) {
                proptest::prop_assert!(!name.contains(['\n', '\r', '"', '\'', '#', ' ', '\\']));
                proptest::prop_assert!(!name.contains(".."));
                proptest::prop_assert!(name.chars().all(|c| c == '.' || unicode_ident::is_xid_continue(c)));
            }
        }
    }
}
