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

    /// Everything between the header and the footer: room for an overlay.
    pub fn below_header(&self) -> Area {
        self.table
            .rows(self.table.y, self.footer.y.saturating_sub(self.table.y))
    }

    pub fn body_height(&self) -> usize {
        self.body().height as usize
    }
}

pub fn too_small(area: Area) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The panels' tallest when the table leaves room: title line + content.
const DETAIL_MAX: u16 = 8;
const WHATIF_MAX: u16 = 12;

/// The screen's areas when the table has `rows` rows to show and the what-if panel
/// `whatif_lines` lines: panels grow with the screen, and into what the table does not need
/// (the what-if panel first, up to its lines).
pub fn areas(area: Area, rows: usize, whatif_lines: usize) -> Areas {
    let header_h = 2;
    let footer_h = 1;
    // Panels grow with the screen: title line + content.
    let (mut detail_h, mut whatif_h) = match area.height {
        44.. => (6, 12),
        36..44 => (5, 9),
        20..36 => (4, 4),
        _ => (3, 2),
    };
    let body = area
        .height
        .saturating_sub(header_h + footer_h + detail_h + whatif_h + 1);
    let rows = u16::try_from(rows).unwrap_or(u16::MAX).max(3);
    let mut spare = body.saturating_sub(rows);
    let whatif_wants = (u16::try_from(whatif_lines).unwrap_or(u16::MAX) + 1).min(WHATIF_MAX);
    let grow = spare.min(whatif_wants.saturating_sub(whatif_h));
    whatif_h += grow;
    spare -= grow;
    detail_h += spare.min(DETAIL_MAX.saturating_sub(detail_h));
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

/// The name column's least width, and the most it takes before the bar gets the rest.
const NAME_MIN: u16 = 12;
const NAME_ENOUGH: u16 = 48;
/// The bar's widest.
const BAR_MAX: u16 = 40;

/// Column widths for a table `width` wide whose longest name text is `name_wants` wide: the
/// name gets what it needs first (up to 48) from the bar, the percentage and the class; the
/// rule, usage, decision, retained and self time give way, in turn, only to keep the name at
/// its least (12); on wide terminals the bar takes what the name does not need.
pub fn columns(width: u16, name_wants: u16) -> Vec<(Column, u16)> {
    let mut cols = vec![
        (Column::SelfMs, 9),
        (Column::CumulativeMs, 10),
        // Wide enough for `retained ▼`.
        (Column::RetainedMs, 10),
        (Column::UsagePct, 6),
        (Column::Decision, 5),
        (Column::Suggestion, 8),
        (Column::Class, 5),
        (Column::Percent, 7),
        (Column::Bar, 12),
    ];
    let name_min = name_wants.clamp(NAME_MIN, NAME_ENOUGH);
    let fixed = |cols: &[(Column, u16)]| cols.iter().map(|c| c.1 + 1).sum::<u16>();
    // Columns that only show make room for a long name; those that carry the plan (rule, use
    // %, defer) and the figures go only once the name is at its least, elided in the middle.
    for (drop, name_least) in [
        (Column::Bar, name_min),
        (Column::Percent, name_min),
        (Column::Class, name_min),
        (Column::Suggestion, NAME_MIN),
        (Column::UsagePct, NAME_MIN),
        (Column::Decision, NAME_MIN),
        (Column::RetainedMs, NAME_MIN),
        (Column::SelfMs, NAME_MIN),
    ] {
        if width >= name_least + fixed(&cols) {
            continue;
        }
        cols.retain(|c| c.0 != drop);
    }
    let mut name = width.saturating_sub(fixed(&cols)).max(1);
    // Room the name does not need widens the bar.
    if let Some(bar) = cols.iter_mut().find(|c| c.0 == Column::Bar) {
        let spare = name.saturating_sub(name_wants.max(NAME_MIN));
        let grow = spare.min(BAR_MAX - bar.1);
        bar.1 += grow;
        name -= grow;
    }
    let mut out = vec![(Column::Name, name)];
    out.extend(cols);
    out
}

/// `text` in `width` columns: as it is when it fits; else its leading indentation and fold
/// marker kept, and the dotted name elided in the middle at dots
/// (`  ▸ botocore.….urllib3.exceptions`) — the detail panel has the full name.
pub fn elide(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return text.to_string();
    }
    let prefix_len = text
        .chars()
        .take_while(|c| matches!(c, ' ' | '▸' | '▾' | '←' | '·'))
        .count();
    let prefix: String = text.chars().take(prefix_len).collect();
    let rest: Vec<char> = text.chars().skip(prefix_len).collect();
    let room = width.saturating_sub(prefix_len);
    // Words (a note, a count) are cut at the end; a dotted name in the middle.
    if room < 5 || rest.contains(&' ') {
        return text
            .chars()
            .take(width.saturating_sub(1))
            .chain(['…'])
            .collect();
    }
    // Head: the first dotted part when it leaves room for a tail; tail: the longest end that
    // starts at a dot and fits, else the last characters.
    let first_dot = rest.iter().position(|&c| c == '.');
    let head_len = match first_dot {
        Some(d) if d < room / 2 => d + 1,
        _ => room / 3,
    };
    let tail_room = room - head_len - 1;
    let tail_start = (rest.len() - tail_room..rest.len())
        .find(|&i| i >= head_len && rest[i] == '.')
        .unwrap_or(rest.len() - tail_room);
    let head: String = rest[..head_len].iter().collect();
    let tail: String = rest[tail_start..].iter().collect();
    format!("{prefix}{head}…{tail}")
}

/// The column under x (relative to the table's left edge), for these columns.
pub fn column_at(columns: &[(Column, u16)], x: u16) -> Option<Column> {
    let mut left = 0u16;
    for &(col, w) in columns {
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
        let names = |w, wants| columns(w, wants).iter().map(|c| c.0).collect::<Vec<_>>();
        assert_eq!(names(120, 24).len(), 10);
        // A long name at 100 columns: the bar, the percentage and the class give way first.
        assert_eq!(
            names(100, 40),
            [
                Column::Name,
                Column::SelfMs,
                Column::CumulativeMs,
                Column::RetainedMs,
                Column::UsagePct,
                Column::Decision,
                Column::Suggestion,
                Column::Class
            ]
        );
        assert!(columns(100, 40)[0].1 >= 40);
        // At 60, use % and defer stay: the name is elided to keep them.
        assert_eq!(
            names(60, 24),
            [
                Column::Name,
                Column::SelfMs,
                Column::CumulativeMs,
                Column::RetainedMs,
                Column::UsagePct,
                Column::Decision
            ]
        );
        assert!((NAME_MIN..24).contains(&columns(60, 24)[0].1));
        // At 80 with a 48-wide name, the rule stays too.
        assert!(names(80, 48).contains(&Column::Suggestion));
        assert_eq!(
            names(40, 24),
            [Column::Name, Column::SelfMs, Column::CumulativeMs]
        );
        for (w, wants) in [
            (40u16, 24u16),
            (60, 24),
            (80, 30),
            (100, 60),
            (160, 20),
            (200, 24),
        ] {
            let cols = columns(w, wants);
            let total: u16 = cols.iter().map(|c| c.1 + 1).sum::<u16>() - 1;
            assert_eq!(total, w, "width {w}");
        }
        // At 160 columns short names leave the room to the bar, not to blank space.
        let wide = columns(160, 20);
        let bar = wide.iter().find(|c| c.0 == Column::Bar).unwrap().1;
        assert_eq!(bar, 40);
        assert_eq!(wide[0].1, 51, "{wide:?}");
        let cols = columns(120, 24);
        assert_eq!(column_at(&cols, 0), Some(Column::Name));
        assert_eq!(column_at(&cols, cols[0].1 + 1), Some(Column::SelfMs));
    }

    #[test]
    fn long_names_elide_in_the_middle_at_dots() {
        let name = "    ▸ botocore.vendored.requests.packages.urllib3.exceptions";
        assert_eq!(elide(name, 80), name);
        let short = elide(name, 36);
        assert_eq!(short, "    ▸ botocore.….urllib3.exceptions");
        assert!(short.chars().count() <= 36);
        for w in 1..60 {
            assert!(elide(name, w).chars().count() <= w.max(1), "{w}");
        }
        assert_eq!(
            elide("  only the first importer is known", 20),
            "  only the first im…"
        );
    }

    #[test]
    fn a_short_table_gives_its_room_to_the_panels() {
        let full = areas(Area::new(0, 0, 100, 30), 100, 8);
        let short = areas(Area::new(0, 0, 100, 30), 8, 8);
        assert!(short.body_height() >= 8);
        // The what-if panel grows to its 8 lines (and a title), the detail panel takes the rest.
        assert_eq!(short.whatif.height, 9);
        assert!(short.detail.height > full.detail.height);
        assert_eq!(short.detail.height, DETAIL_MAX);
        assert_eq!(short.footer.y, 29);
    }

    #[test]
    fn areas_stack_without_overlap() {
        let a = areas(Area::new(0, 0, 80, 24), 100, 8);
        assert_eq!(a.header.y + a.header.height, a.table.y);
        assert_eq!(a.table.y + a.table.height, a.detail.y);
        assert_eq!(a.detail.y + a.detail.height, a.whatif.y);
        assert_eq!(a.whatif.y + a.whatif.height, a.footer.y);
        assert_eq!(a.footer.y + 1, 24);
        assert_eq!(a.body_height(), a.table.height as usize - 1);
        for h in [MIN_HEIGHT, 19, 20, 35, 36, 80] {
            let a = areas(Area::new(0, 0, 80, h), 100, 8);
            assert_eq!(a.footer.y + 1, h, "height {h}");
            assert!(a.body_height() >= 3, "height {h}");
        }
    }
}
