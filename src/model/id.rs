//! What names a module in the graph (an index into its arenas) and who imports it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub u32);

impl ModuleId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Who imports a module: another module, or the program itself.
pub type Importer = Option<ModuleId>;
