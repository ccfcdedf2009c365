//! The page's icicles: the import tree as nested bars, before the plan and after it, on one
//! scale. Inline SVG that reads with scripts off (a `<title>` on every bar); the page's script
//! adds zoom. Each bar is an `<svg>` of its own, so its label is clipped to it.

use std::fmt::Write as _;

use super::esc;
use crate::output::units::{count, ms};
use lmms_core::model::icicle::{Bar, Icicle, Weights, icicle};
use lmms_core::model::{ImportGraph, ModuleClass};
use lmms_core::whatif::Analysis;

/// Rows drawn; deeper imports are counted.
const MAX_DEPTH: u32 = 24;
/// Bars narrower than this share of the total are counted, not drawn.
const NARROWEST: u64 = 1000;
/// A row's height, px.
const ROW: u32 = 18;

pub(super) fn icicles(a: &Analysis, page: &mut String) {
    let g = a.graph();
    let p = a.projection();
    let all = Weights::of(g, |_| true);
    let before = all.total(g.roots());
    let min = before / NARROWEST;
    let traced = all.icicle(g, g.roots(), min, MAX_DEPTH);
    let planned = icicle(g, |m| p.is_eager(m), min, MAX_DEPTH);
    let _ = write!(
        page,
        "<section id=\"icicle\">\n<h2>Where the time goes</h2>\n<p class=\"note\">The import \
         tree as bars: each module as wide as its own time and its imports' (medians summed), \
         under the module that first imported it, heaviest first; both on one scale. Click a \
         bar to zoom into it, the row above to zoom out.</p>\n{}<div class=\"icicles\">\n",
        legend()
    );
    let dropped = |m| a.leaves_cold_start(m);
    figure(g, &traced, before, "as traced", page, &dropped);
    figure(g, &planned, before, "with the plan", page, &|_| false);
    page.push_str("</div>\n</section>\n");
}

/// Each origin's colour (its CSS class is the class's trace.json key), and the plan's mark.
fn legend() -> String {
    let what = |class: ModuleClass| match class {
        ModuleClass::Program => "your code",
        ModuleClass::ThirdParty => "third-party",
        ModuleClass::Stdlib => "stdlib",
        ModuleClass::Startup => "start-up",
        ModuleClass::Unknown => "program or package (a text trace cannot tell)",
    };
    let key = (ModuleClass::ALL.into_iter())
        .map(|c| (c.key(), what(c)))
        .chain([("dropped", "left out by the plan")]);
    let items: String = key
        .map(|(class, what)| format!("<span class=\"key {class}\"></span>{what} "))
        .collect();
    format!("<p class=\"legend\">{items}</p>\n")
}

/// One icicle under its caption.
fn figure(
    g: &ImportGraph,
    icicle: &Icicle,
    scale_us: u64,
    caption: &str,
    page: &mut String,
    dropped: &dyn Fn(lmms_core::model::ModuleId) -> bool,
) {
    let rows = icicle.bars.iter().map(|b| b.depth + 1).max().unwrap_or(1);
    let left_out = match (icicle.narrow, icicle.deeper) {
        (0, 0) => String::new(),
        (n, d) => format!(
            " · not drawn: {} too narrow, {} too deep",
            count(n, "bar"),
            count(d, "bar")
        ),
    };
    let _ = write!(
        page,
        "<figure><figcaption>{caption}: {} ms{left_out}</figcaption>\n<svg class=\"icicle\" \
         width=\"100%\" height=\"{}\" role=\"img\" aria-label=\"import tree, {caption}\">\n",
        ms(icicle.total_us),
        rows * ROW
    );
    for bar in &icicle.bars {
        bar_svg(g, bar, scale_us, dropped(bar.module), page);
    }
    page.push_str("</svg></figure>\n");
}

/// A bar: its place in percent of the scale (kept in `data-` for the zoom), its class, a title
/// with its figures and a label clipped to it.
fn bar_svg(g: &ImportGraph, bar: &Bar, scale_us: u64, dropped: bool, page: &mut String) {
    let scale = scale_us.max(1) as f64;
    let (x, w) = (
        bar.start_us as f64 * 100.0 / scale,
        bar.width_us as f64 * 100.0 / scale,
    );
    let module = g.module(bar.module);
    let class = module.class.key();
    let name = esc(g.name(bar.module));
    let _ = writeln!(
        page,
        "<svg class=\"b {class}{}\" x=\"{x:.3}%\" y=\"{y}\" width=\"{w:.3}%\" height=\"{h}\" \
         data-x=\"{x:.4}\" data-w=\"{w:.4}\" data-m=\"{name}\"><title>{name}: {} ms with its \
         imports, {} ms its own</title><rect width=\"100%\" height=\"100%\"/><text x=\"3\" \
         y=\"13\">{name}</text></svg>",
        if dropped { " dropped" } else { "" },
        ms(bar.width_us),
        ms(module.self_us),
        y = bar.depth * ROW,
        h = ROW - 1,
    );
}
