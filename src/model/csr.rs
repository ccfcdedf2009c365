//! Compressed rows: one flat Vec of items plus row offsets. Children, importers and samples of
//! 200,000 modules cost two allocations instead of 200,000.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csr<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Csr<T> {
    /// Groups `(row, item)` pairs into `rows` rows, keeping the pairs' order within a row.
    pub fn from_pairs(rows: usize, pairs: &[(u32, T)]) -> Self {
        let mut start = vec![0u32; rows + 1];
        for &(row, _) in pairs {
            start[row as usize + 1] += 1;
        }
        for i in 0..rows {
            start[i + 1] += start[i];
        }
        // Pairs already in row order (one run's samples, read in id order) are the items as
        // they stand; otherwise each goes to its row's next slot. Any item fills the slots
        // first: every one is overwritten.
        let items = if pairs.is_sorted_by_key(|&(row, _)| row) {
            pairs.iter().map(|&(_, item)| item).collect()
        } else {
            let mut fill: Vec<u32> = start[..rows].to_vec();
            let mut items: Vec<T> = vec![pairs[0].1; pairs.len()];
            for &(row, item) in pairs {
                items[fill[row as usize] as usize] = item;
                fill[row as usize] += 1;
            }
            items
        };
        Csr { start, items }
    }

    /// Sorts each row and drops repeats within it, compacting in place.
    pub fn dedup_rows(&mut self)
    where
        T: Ord,
    {
        let mut write = 0usize;
        for row in 0..self.rows() {
            let (s, e) = (self.start[row] as usize, self.start[row + 1] as usize);
            self.items[s..e].sort_unstable();
            self.start[row] = write as u32;
            for read in s..e {
                if read == s || self.items[read] != self.items[read - 1] {
                    self.items[write] = self.items[read];
                    write += 1;
                }
            }
        }
        let rows = self.rows();
        self.start[rows] = write as u32;
        self.items.truncate(write);
    }

    pub fn row(&self, row: usize) -> &[T] {
        &self.items[self.start[row] as usize..self.start[row + 1] as usize]
    }

    pub fn row_mut(&mut self, row: usize) -> &mut [T] {
        &mut self.items[self.start[row] as usize..self.start[row + 1] as usize]
    }

    pub fn rows(&self) -> usize {
        self.start.len() - 1
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

impl<T> Default for Csr<T> {
    fn default() -> Self {
        Csr {
            start: vec![0],
            items: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_pairs_by_row_in_order() {
        let csr = Csr::from_pairs(3, &[(2, 'a'), (0, 'b'), (2, 'c')]);
        assert_eq!(csr.row(0), &['b']);
        assert_eq!(csr.row(1), &[] as &[char]);
        assert_eq!(csr.row(2), &['a', 'c']);
        assert_eq!(csr.rows(), 3);
        assert_eq!(csr.len(), 3);
    }

    #[test]
    fn dedup_rows_sorts_and_compacts() {
        let mut csr = Csr::from_pairs(3, &[(0, 5), (0, 1), (0, 5), (2, 7), (2, 7), (1, 3)]);
        csr.dedup_rows();
        assert_eq!(csr.row(0), &[1, 5]);
        assert_eq!(csr.row(1), &[3]);
        assert_eq!(csr.row(2), &[7]);
        assert_eq!(csr.len(), 4);
    }
}
