//! What names a module in the graph (an index into its arenas) and who imports it.

use std::num::NonZeroU32;

/// A module's index, stored plus one so that an `Option<ModuleId>` (a parent, an importer, an
/// immediate dominator) takes four bytes rather than eight: at a million modules that is a
/// few megabytes in each table that holds one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(NonZeroU32);

impl ModuleId {
    /// The module at `index` in the graph's tables.
    pub fn new(index: u32) -> ModuleId {
        // Name ids are u32 and a name takes at least one byte of a line: u32::MAX names would
        // need a trace far over any input the readers accept.
        ModuleId(NonZeroU32::new(index.wrapping_add(1)).expect("module index below u32::MAX"))
    }

    /// The module's index into the graph's tables.
    pub fn index(self) -> usize {
        self.raw() as usize
    }

    /// The index as the name table's id.
    pub fn raw(self) -> u32 {
        self.0.get() - 1
    }
}

impl std::fmt::Debug for ModuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ModuleId({})", self.raw())
    }
}

/// Who imports a module: another module, or the program itself.
pub type Importer = Option<ModuleId>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_importer_takes_four_bytes_and_ids_keep_their_order() {
        assert_eq!(std::mem::size_of::<Importer>(), 4);
        assert_eq!(ModuleId::new(0).index(), 0);
        assert_eq!(ModuleId::new(u32::MAX - 1).raw(), u32::MAX - 1);
        assert!(ModuleId::new(3) < ModuleId::new(7));
        assert_eq!(format!("{:?}", ModuleId::new(5)), "ModuleId(5)");
    }
}
