//! Compressed rows: one flat Vec of items plus row offsets. Children, importers and samples of
//! 200,000 modules cost two allocations instead of 200,000.

/// Rows of items in one vector (compressed sparse rows): row `i` is `items[start[i]..start[i +
/// 1]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csr<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Csr<T> {
    /// Groups `(row, item)` pairs into `rows` rows, keeping the pairs' order within a row.
    pub fn from_pairs(rows: usize, pairs: &[(u32, T)]) -> Self {
        let start = starts(rows, pairs.iter().map(|&(row, _)| row));
        // Pairs already in row order (one run's samples, read in id order) are the items as
        // they stand; otherwise each goes to its row's next slot.
        let items = if pairs.is_sorted_by_key(|&(row, _)| row) {
            pairs.iter().map(|&(_, item)| item).collect()
        } else {
            place(&start, pairs.iter().copied())
        };
        Csr { start, items }
    }

    /// The same from the pairs `pairs()` yields, called twice (to count, then to place), so
    /// no list of the pairs is ever held.
    pub fn from_pair_iter<I: Iterator<Item = (u32, T)>>(
        rows: usize,
        pairs: impl Fn() -> I,
    ) -> Self {
        let start = starts(rows, pairs().map(|(row, _)| row));
        let items = place(&start, pairs());
        Csr { start, items }
    }

    /// The same from two lists, `items[i]` going to row `row_of[i]`: items already in row
    /// order become the rows as they are, neither copied nor held twice.
    pub fn from_rows(rows: usize, row_of: &[u32], items: Vec<T>) -> Self {
        debug_assert_eq!(row_of.len(), items.len());
        let start = starts(rows, row_of.iter().copied());
        let items = if row_of.is_sorted() {
            items
        } else {
            place(&start, row_of.iter().copied().zip(items))
        };
        Csr { start, items }
    }

    /// Sorts each row by `key`, keeping equal items in their order.
    pub fn sort_rows_by_key<K: Ord>(&mut self, key: impl Fn(&T) -> K) {
        for row in 0..self.rows() {
            let (s, e) = (self.start[row] as usize, self.start[row + 1] as usize);
            let items = &mut self.items[s..e];
            if !items.is_sorted_by_key(&key) {
                items.sort_by_key(&key);
            }
        }
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

    /// Row `row`'s items.
    pub fn row(&self, row: usize) -> &[T] {
        &self.items[self.start[row] as usize..self.start[row + 1] as usize]
    }

    /// Row `row`'s items, to change in place.
    pub fn row_mut(&mut self, row: usize) -> &mut [T] {
        &mut self.items[self.start[row] as usize..self.start[row + 1] as usize]
    }

    /// How many rows.
    pub fn rows(&self) -> usize {
        self.start.len() - 1
    }

    /// How many items in all rows.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no row holds an item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Row offsets for items whose rows come in `row_of`.
fn starts(rows: usize, row_of: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut start = vec![0u32; rows + 1];
    // Internal iteration: chained and flattened sources run as plain loops.
    row_of.for_each(|row| start[row as usize + 1] += 1);
    for i in 0..rows {
        start[i + 1] += start[i];
    }
    start
}

/// Each item in its row's next slot (`start` from `starts` over the same rows). Any item fills
/// the slots first: every one is overwritten.
fn place<T: Copy>(start: &[u32], mut pairs: impl Iterator<Item = (u32, T)>) -> Vec<T> {
    let len = start.last().map_or(0, |&end| end as usize);
    let Some((row, first)) = pairs.next() else {
        return Vec::new();
    };
    let mut fill: Vec<u32> = start[..start.len() - 1].to_vec();
    let mut items: Vec<T> = vec![first; len];
    std::iter::once((row, first))
        .chain(pairs)
        .for_each(|(row, item)| {
            items[fill[row as usize] as usize] = item;
            fill[row as usize] += 1;
        });
    items
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
    fn rows_from_two_lists_match_pairs() {
        for pairs in [
            vec![(2, 'a'), (0, 'b'), (2, 'c')],
            vec![(0, 'x'), (1, 'y'), (1, 'z')],
        ] {
            let (row_of, items): (Vec<u32>, Vec<char>) = pairs.iter().copied().unzip();
            assert_eq!(
                Csr::from_rows(3, &row_of, items),
                Csr::from_pairs(3, &pairs)
            );
        }
        assert_eq!(
            Csr::<u8>::from_rows(2, &[], Vec::new()).row(1),
            &[] as &[u8]
        );
    }

    #[test]
    fn rows_from_an_iterator_match_pairs() {
        let pairs = [(2, 'a'), (0, 'b'), (2, 'c'), (1, 'd')];
        let csr = Csr::from_pair_iter(3, || pairs.iter().copied());
        assert_eq!(csr, Csr::from_pairs(3, &pairs));
        assert_eq!(csr.row(2), &['a', 'c']);
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
