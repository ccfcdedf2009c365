//! Where everything goes on screen. Rendering and mouse handling both use these, so a click
//! always lands on what was drawn there. Plain numbers, no terminal types: the state computes
//! with them, the renderer turns them into ratatui's `Rect`.

/// A rectangle of screen cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub fn new(x: u16, y: u16, width: u16, height: u16) -> Area {
        Area {
            x,
            y,
            width,
            height,
        }
    }

    fn rows(self, y: u16, height: u16) -> Area {
        Area { y, height, ..self }
    }
}

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Area,
    /// The table: its first line is the column header, the rest are rows.
    pub table: Area,
    pub detail: Area,
    /// The what-if projection; its height says how much of it fits.
    pub whatif: Area,
    pub footer: Area,
}

impl Areas {
    pub fn body(&self) -> Area {
        self.table
            .rows(self.table.y + 1, self.table.height.saturating_sub(1))
    }

    pub fn body_height(&self) -> usize {
        self.body().height as usize
    }
}

pub fn too_small(area: Area) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub fn areas(area: Area) -> Areas {
    let header_h = 2;
    let footer_h = 1;
    // Panels grow with the screen: title line + content.
    let (detail_h, whatif_h) = match area.height {
        44.. => (6, 12),
        36..44 => (5, 9),
        20..36 => (4, 4),
        _ => (3, 2),
    };
    // Stacked top to bottom; on a screen too short for all, the lower panels shrink first
    // and the table keeps at least one line.
    let mut y = area.y;
    let bottom = area.y + area.height;
    let mut take = |want: u16| {
        let h = want.min(bottom - y);
        let a = area.rows(y, h);
        y += h;
        a
    };
    let header = take(header_h);
    let fixed = detail_h + whatif_h + footer_h;
    let table = take(area.height.saturating_sub(header_h + fixed).max(1));
    let detail = take(detail_h);
    let whatif = take(whatif_h);
    let footer = take(footer_h);
    Areas {
        header,
        table,
        detail,
        whatif,
        footer,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    SelfMs,
    CumulativeMs,
    /// What deferring the module alone would save.
    RetainedMs,
    UsagePct,
    Decision,
    Suggestion,
    /// Where the module comes from: program, third-party, stdlib, start-up.
    Class,
    Percent,
    Bar,
}

/// Column widths for a table `width` wide: the name takes the rest; on narrow terminals the
/// bar, the percentage, the label, usage, decision, retained and self time give way in turn.
pub fn columns(width: u16) -> Vec<(Column, u16)> {
    let mut cols = vec![
        (Column::SelfMs, 9),
        (Column::CumulativeMs, 10),
        (Column::RetainedMs, 9),
        (Column::UsagePct, 6),
        (Column::Decision, 5),
        (Column::Suggestion, 8),
        (Column::Class, 5),
        (Column::Percent, 7),
        (Column::Bar, 12),
    ];
    let name_min = 24;
    let fixed = |cols: &[(Column, u16)]| cols.iter().map(|c| c.1 + 1).sum::<u16>();
    for drop in [
        Column::Bar,
        Column::Class,
        Column::Percent,
        Column::Suggestion,
        Column::UsagePct,
        Column::Decision,
        Column::RetainedMs,
        Column::SelfMs,
    ] {
        if width >= name_min + fixed(&cols) {
            break;
        }
        cols.retain(|c| c.0 != drop);
    }
    let name = width.saturating_sub(fixed(&cols)).max(1);
    let mut out = vec![(Column::Name, name)];
    out.extend(cols);
    out
}

/// The column under x (relative to the table's left edge).
pub fn column_at(width: u16, x: u16) -> Option<Column> {
    let mut left = 0u16;
    for (col, w) in columns(width) {
        if x >= left && x < left + w {
            return Some(col);
        }
        left += w + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_give_way_and_fill_the_width() {
        let names = |w| columns(w).iter().map(|c| c.0).collect::<Vec<_>>();
        assert_eq!(names(120).len(), 10);
        assert_eq!(
            names(80),
            [
                Column::Name,
                Column::SelfMs,
                Column::CumulativeMs,
                Column::RetainedMs,
                Column::UsagePct,
                Column::Decision,
                Column::Suggestion
            ]
        );
        assert_eq!(
            names(60),
            [
                Column::Name,
                Column::SelfMs,
                Column::CumulativeMs,
                Column::RetainedMs
            ]
        );
        assert_eq!(names(40), [Column::Name, Column::CumulativeMs]);
        for w in [40u16, 60, 80, 200] {
            let total: u16 = columns(w).iter().map(|c| c.1 + 1).sum::<u16>() - 1;
            assert_eq!(total, w, "width {w}");
        }
        assert_eq!(column_at(120, 0), Some(Column::Name));
        let name_w = columns(120)[0].1;
        assert_eq!(column_at(120, name_w + 1), Some(Column::SelfMs));
    }

    #[test]
    fn areas_stack_without_overlap() {
        let a = areas(Area::new(0, 0, 80, 24));
        assert_eq!(a.header.y + a.header.height, a.table.y);
        assert_eq!(a.table.y + a.table.height, a.detail.y);
        assert_eq!(a.detail.y + a.detail.height, a.whatif.y);
        assert_eq!(a.whatif.y + a.whatif.height, a.footer.y);
        assert_eq!(a.footer.y + 1, 24);
        assert_eq!(a.body_height(), a.table.height as usize - 1);
        for h in [MIN_HEIGHT, 19, 20, 35, 36, 80] {
            let a = areas(Area::new(0, 0, 80, h));
            assert_eq!(a.footer.y + 1, h, "height {h}");
            assert!(a.body_height() >= 3, "height {h}");
        }
    }
}
