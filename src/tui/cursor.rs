//! Selection and scroll over a list of rows: the movement every view shares.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    /// First row shown.
    pub scroll: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    /// Wheel: scroll the view by rows, dragging the selection along when it leaves.
    Scroll(isize),
}

impl Cursor {
    /// Moves within `len` rows with `height` rows on screen.
    pub fn apply(&mut self, m: Move, len: usize, height: usize) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        let last = len - 1;
        let page = height.max(1);
        match m {
            Move::Up => self.selected = self.selected.saturating_sub(1),
            Move::Down => self.selected = (self.selected + 1).min(last),
            Move::PageUp => self.selected = self.selected.saturating_sub(page),
            Move::PageDown => self.selected = (self.selected + page).min(last),
            Move::Home => self.selected = 0,
            Move::End => self.selected = last,
            Move::Scroll(by) => {
                let max_scroll = len.saturating_sub(page);
                self.scroll = self.scroll.saturating_add_signed(by).min(max_scroll);
                self.selected = self
                    .selected
                    .clamp(self.scroll, (self.scroll + page - 1).min(last));
                return;
            }
        }
        self.reveal(len, height);
    }

    /// Selects a row and scrolls it into view.
    pub fn select(&mut self, row: usize, len: usize, height: usize) {
        self.selected = row;
        self.reveal(len, height);
    }

    /// Keeps the selection on screen and the scroll within bounds.
    pub fn reveal(&mut self, len: usize, height: usize) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        let page = height.max(1);
        self.selected = self.selected.min(len - 1);
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + page {
            self.scroll = self.selected + 1 - page;
        }
        self.scroll = self.scroll.min(len.saturating_sub(page));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_in_bounds_and_visible() {
        let mut c = Cursor::default();
        c.apply(Move::Up, 100, 10);
        assert_eq!(
            c,
            Cursor {
                selected: 0,
                scroll: 0
            }
        );
        c.apply(Move::PageDown, 100, 10);
        assert_eq!(
            c,
            Cursor {
                selected: 10,
                scroll: 1
            }
        );
        c.apply(Move::End, 100, 10);
        assert_eq!(
            c,
            Cursor {
                selected: 99,
                scroll: 90
            }
        );
        c.apply(Move::Down, 100, 10);
        assert_eq!(c.selected, 99);
        c.apply(Move::Home, 100, 10);
        assert_eq!(
            c,
            Cursor {
                selected: 0,
                scroll: 0
            }
        );
        c.apply(Move::Scroll(5), 100, 10);
        assert_eq!(
            c,
            Cursor {
                selected: 5,
                scroll: 5
            }
        );
        c.apply(Move::Scroll(-100), 100, 10);
        assert_eq!(
            c,
            Cursor {
                selected: 5,
                scroll: 0
            }
        );
        // The list shrinks under the cursor.
        c.select(99, 100, 10);
        c.reveal(3, 10);
        assert_eq!(
            c,
            Cursor {
                selected: 2,
                scroll: 0
            }
        );
        c.apply(Move::Down, 0, 10);
        assert_eq!(c, Cursor::default());
    }
}
