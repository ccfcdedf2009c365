//! `report --format html`: one self-contained page (no network, no CDN) a teammate can open
//! without lmms-tui — the trace's figures, the what-if projection of the plan given, the
//! slowest modules, the import tree as nested `<details>` (it folds with JavaScript off), and
//! why the heaviest packages are loaded. The script only adds search, sorting, deep links
//! (`#pandas.core.frame` opens the tree down to it) and unfolding before printing.

mod icicle;

use std::fmt::Write as _;
use std::io::{self, Write};

use super::figures::{failed_line, interleaved_line, noise_line, projection_lines, run_spread};
use super::units::{count, ms, percent};
use super::untimed::ms_or_untimed;
use super::why::WhyFormat;
use lmms_core::model::{ModuleClass, ModuleId, Sort, SortKey, packages};
use lmms_core::printable::printable;
use lmms_core::whatif::{Analysis, PlanEffect};

/// Past this many modules the tree leaves out imports too small to see, and says how many.
const TREE_MODULES: usize = 20_000;
/// Deeper than this, modules are listed flat under their ancestor at this depth (browsers cap
/// how deep they nest elements), each marked with its real depth.
const TREE_DEPTH: u32 = 64;
/// The packages whose importers are explained.
const EXPLAINED: usize = 8;

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// Text for HTML: the printable form, with markup characters escaped (attributes too).
fn esc(text: &str) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `top`: the slowest table's rows.
pub fn write(a: &Analysis, top: usize, out: &mut impl Write) -> io::Result<()> {
    let mut page = String::with_capacity(64 * 1024 + a.graph().len() * 200);
    let g = a.graph();
    let files = g.meta().files.join(", ");
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"lmms-tui {version}\">\n\
         <title>Import time: {title} — lmms-tui</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        version = env!("CARGO_PKG_VERSION"),
        title = esc(&files),
    );
    header(a, &mut page);
    whatif(a, &mut page);
    icicle::icicles(a, &mut page);
    slowest(a, top, &mut page);
    tree(a, &mut page);
    why(a, &mut page);
    let _ = write!(
        page,
        "<footer><p>Made by lmms-tui {} from {}. Each module's figures are medians over the runs \
         it appears in; whole-trace figures are medians of each run's own figure.</p></footer>\n\
         <script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&files)
    );
    out.write_all(page.as_bytes())
}

fn header(a: &Analysis, page: &mut String) {
    let g = a.graph();
    let total = g.total();
    let _ = write!(
        page,
        "<header>\n<h1>Import time</h1>\n<p class=\"files\">{}</p>\n<dl class=\"figures\">\n",
        esc(&g.meta().files.join(", "))
    );
    let mut figure = |label: &str, value: String, id: &str| {
        let _ = writeln!(
            page,
            "<div><dt>{label}</dt><dd id=\"{id}\">{}</dd></div>",
            esc(&value)
        );
    };
    figure(
        "total import time",
        format!("{} ms", ms(total.median)),
        "total",
    );
    figure("runs", g.runs().to_string(), "runs");
    figure("modules", g.len().to_string(), "modules");
    figure("over runs", run_spread(g), "spread");
    figure(
        "interpreter start-up",
        format!("{} ms", ms(g.startup_us())),
        "startup",
    );
    if let Some(python) = &g.meta().python {
        figure("Python", python.clone(), "python");
    }
    figure(
        "import edges",
        if g.edges_complete() {
            "every import (recorded)".into()
        } else {
            "first-import tree only".into()
        },
        "edges",
    );
    page.push_str("</dl>\n");
    for caveat in [noise_line(g), interleaved_line(g), failed_line(g)]
        .into_iter()
        .flatten()
    {
        let _ = writeln!(page, "<p class=\"caveat\">{}</p>", esc(&caveat));
    }
    page.push_str("</header>\n");
}

fn whatif(a: &Analysis, page: &mut String) {
    page.push_str("<section id=\"whatif\">\n<h2>What-if: the plan</h2>\n<dl class=\"lines\">\n");
    let over = a.within_budget() == Some(false);
    for (figure, value) in projection_lines(a) {
        let class = if over && figure == super::figures::Figure::Budget {
            " class=\"over\""
        } else {
            ""
        };
        let _ = writeln!(
            page,
            "<div{class}><dt title=\"{}\">{}</dt><dd>{}</dd></div>",
            esc(figure.explain()),
            esc(figure.label()),
            esc(&value)
        );
    }
    page.push_str("</dl>\n</section>\n");
}

/// The numbers of a module as table cells (sortable: each holds its value in µs).
fn cells(a: &Analysis, m: ModuleId) -> String {
    let g = a.graph();
    let module = g.module(m);
    let retained = a.retained_us(m);
    let mut out = String::new();
    for us in [module.self_us, module.cumulative_us] {
        let shown = ms_or_untimed(g, m, us);
        let _ = write!(out, "<td class=\"num\" data-v=\"{us}\">{shown}</td>");
    }
    let _ = write!(
        out,
        "<td class=\"num\" data-v=\"{retained}\">{}</td>",
        ms(retained)
    );
    let _ = write!(
        out,
        "<td class=\"num\" data-v=\"{0}\">{1}%</td>",
        module.cumulative_us,
        percent(module.cumulative_us, g.total_us())
    );
    out
}

fn slowest(a: &Analysis, top: usize, page: &mut String) {
    let g = a.graph();
    let _ = write!(
        page,
        "<section id=\"slowest\">\n<h2>Slowest modules</h2>\n<p class=\"note\">The {} slowest by \
         cumulative time (its own and its imports'); <em>retained</em> is what deferring it \
         alone in your code would save.</p>\n<div class=\"scroll\"><table id=\"slowest-table\">\n\
         <thead><tr><th>module</th><th>class</th><th class=\"num\">self ms</th>\
         <th class=\"num\">cumulative ms</th><th class=\"num\">retained ms</th>\
         <th class=\"num\">% total</th></tr></thead>\n<tbody>\n",
        top.min(g.len())
    );
    let keys = a.keys();
    for m in Sort::by(SortKey::Cumulative).top(&keys, top) {
        let _ = writeln!(
            page,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td>{}</tr>",
            fragment(g.name(m)),
            esc(g.name(m)),
            g.module(m).class.key(),
            cells(a, m)
        );
    }
    page.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// A name as a link's fragment: every byte but letters, digits and `._~-` percent-encoded, so
/// the script's decodeURIComponent gives the name back (`%41` stays `%41`, `%zz` is no error).
fn fragment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// What the plan does to a module, as a tag.
fn plan_tag(a: &Analysis, m: ModuleId) -> &'static str {
    match a.effect(m) {
        PlanEffect::KeptByOthers => "<span class=\"tag kept\">deferred, kept loaded</span>",
        PlanEffect::Lazy => "<span class=\"tag lazy\">deferred</span>",
        PlanEffect::LazyEverywhere => "<span class=\"tag lazy\">deferred everywhere</span>",
        PlanEffect::WithDeferred => "<span class=\"tag lazy\">leaves start-up</span>",
        PlanEffect::Eager => "",
    }
}

fn tree(a: &Analysis, page: &mut String) {
    let g = a.graph();
    // On huge traces, the imports below this cumulative time are counted, not drawn.
    let floor_us = if g.len() > TREE_MODULES {
        let mut cumulative: Vec<u64> = g.ids().map(|m| g.module(m).cumulative_us).collect();
        let nth = TREE_MODULES;
        cumulative.select_nth_unstable_by(nth, |x, y| y.cmp(x));
        cumulative[nth] + 1
    } else {
        0
    };
    let _ = write!(
        page,
        "<section id=\"tree\">\n<h2>Import tree</h2>\n<p class=\"note\">Each module under the \
         module that first imported it, heaviest first as the explorer shows it, interpreter \
         start-up folded in one item: self · cumulative ms, and the bar is its share of the {} \
         ms total. {}</p>\n<div id=\"tree-tools\"></div>\n<ul class=\"tree\">\n",
        ms(g.total_us()),
        if floor_us > 0 {
            format!(
                "With {} modules, imports under {} ms are counted under their importer, not \
                 drawn.",
                g.len(),
                ms(floor_us)
            )
        } else {
            String::new()
        }
    );
    // An explicit stack, so deep chains cannot overflow ours.
    let mut stack: Vec<Step> = Vec::new();
    let order = Order {
        keys: a.keys(),
        floor_us,
    };
    order.push_roots(&mut stack);
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave { nested } => page.push_str(if nested {
                "</ul></details></li>\n"
            } else {
                "</details></li>\n"
            }),
            Step::Hidden { count: n, us } => {
                let _ = writeln!(
                    page,
                    "<li class=\"hidden\">… {} under {} ms not drawn: {} ms together</li>",
                    count(n, "import"),
                    ms(floor_us),
                    ms(us)
                );
            }
            Step::Enter(m) => {
                if let Some(nested) = enter(a, m, page) {
                    stack.push(Step::Leave { nested });
                    order.push_children(&mut stack, g.children(m));
                }
            }
            Step::Startup(roots) => {
                let _ = writeln!(
                    page,
                    "<li class=\"node startup\"><details><summary><span class=\"name\">\
                     (interpreter start-up)</span><span class=\"num\">{}</span></summary><ul>",
                    ms(g.startup_us())
                );
                stack.push(Step::Leave { nested: true });
                order.push_children(&mut stack, &roots);
            }
        }
    }
    page.push_str("</ul>\n</section>\n");
}

/// A step of the tree's walk.
enum Step {
    Enter(ModuleId),
    Leave {
        nested: bool,
    },
    Hidden {
        count: usize,
        us: u64,
    },
    /// The folded item holding interpreter start-up's top-level modules.
    Startup(Vec<ModuleId>),
}

/// The explorer's order (its default sort, heaviest first) and the floor under which imports
/// are counted, not drawn.
struct Order<'a> {
    keys: lmms_core::model::Keys<'a>,
    floor_us: u64,
}

impl Order<'_> {
    /// The program's top-level imports, with start-up as one item where its total sorts.
    fn push_roots(&self, stack: &mut Vec<Step>) {
        let g = self.keys.graph;
        let (startup, program): (Vec<ModuleId>, Vec<ModuleId>) =
            g.roots().iter().partition(|&&r| g.module(r).startup);
        let before = stack.len();
        self.push_children(stack, &program);
        if startup.is_empty() {
            return;
        }
        // The stack pops from the end: the group goes after every heavier root.
        let heavier = (stack[before..].iter())
            .filter(|s| matches!(s, Step::Enter(m) if g.module(*m).cumulative_us >= g.startup_us()))
            .count();
        stack.insert(stack.len() - heavier, Step::Startup(startup));
    }

    /// Children to draw (from the first), and those under the floor counted in one line.
    fn push_children(&self, stack: &mut Vec<Step>, children: &[ModuleId]) {
        let g = self.keys.graph;
        let (mut shown, hidden): (Vec<ModuleId>, Vec<ModuleId>) =
            (children.iter()).partition(|&&c| g.module(c).cumulative_us >= self.floor_us);
        if !hidden.is_empty() {
            stack.push(Step::Hidden {
                count: hidden.len(),
                us: hidden.iter().map(|&c| g.module(c).cumulative_us).sum(),
            });
        }
        Sort::default().sort(&self.keys, &mut shown);
        stack.extend(shown.into_iter().rev().map(Step::Enter));
    }
}

/// Writes a module's item; for one with children, opens their list and says whether they nest
/// (`Some(nested)`), else closes the item (`None`).
fn enter(a: &Analysis, m: ModuleId, page: &mut String) -> Option<bool> {
    let g = a.graph();
    let module = g.module(m);
    let depth = module.depth;
    let share = module.cumulative_us as f64 * 100.0 / g.total_us().max(1) as f64;
    let class = match module.class {
        ModuleClass::Startup => " startup",
        ModuleClass::Program => " program",
        _ => "",
    };
    let deep = if depth > TREE_DEPTH {
        format!("<span class=\"depth\">·depth {depth}·</span> ")
    } else {
        String::new()
    };
    let summary = format!(
        "{deep}<span class=\"name\">{name}</span>{tag}<span class=\"num\">{self_ms} · \
         {cum_ms}</span><span class=\"bar\" style=\"--w:{share:.2}%\"></span>",
        name = esc(g.name(m)),
        tag = plan_tag(a, m),
        self_ms = ms_or_untimed(g, m, module.self_us),
        cum_ms = ms_or_untimed(g, m, module.cumulative_us),
    );
    let id = esc(g.name(m));
    if g.children(m).is_empty() {
        let _ = writeln!(
            page,
            "<li id=\"{id}\" class=\"leaf{class}\"><div class=\"row\">{summary}</div></li>"
        );
        return None;
    }
    // The program's top-level imports open, so the page shows something without a click;
    // start-up stays folded, as in the explorer.
    let open = if depth < 1 && !module.startup {
        " open"
    } else {
        ""
    };
    // Past the depth cap, children stay in this list instead of nesting further.
    let nested = depth < TREE_DEPTH;
    let _ = write!(
        page,
        "<li id=\"{id}\" class=\"node{class}\"><details{open}><summary>{summary}</summary>"
    );
    page.push_str(if nested { "<ul>\n" } else { "\n" });
    Some(nested)
}

fn why(a: &Analysis, page: &mut String) {
    let g = a.graph();
    let keys = a.keys();
    let mut list = packages::packages(g);
    packages::sort_packages(&mut list, &keys, Sort::by(SortKey::Cumulative));
    let heaviest: Vec<ModuleId> = list
        .iter()
        .filter_map(|p| p.root)
        // The program's own modules and what it runs first explain themselves.
        .filter(|&m| {
            let module = g.module(m);
            module.parent.is_some()
                && !matches!(module.class, ModuleClass::Program | ModuleClass::Startup)
        })
        .take(EXPLAINED)
        .collect();
    if heaviest.is_empty() {
        return;
    }
    page.push_str(
        "<section id=\"why\">\n<h2>Why the heaviest packages are loaded</h2>\n<p class=\"note\">\
         Who imports each from outside it, each importer's shortest chain from the program, and \
         where the import is (as <code>lmms-tui why</code> answers).</p>\n",
    );
    for m in heaviest {
        let mut text = Vec::new();
        let _ = WhyFormat::Text.write(g, &g.why(m), &mut text);
        let _ = writeln!(
            page,
            "<details class=\"why\"><summary><span class=\"name\">{}</span> <span class=\"num\">{} \
             ms</span></summary><pre>{}</pre></details>",
            esc(g.name(m)),
            ms(g.module(m).cumulative_us),
            esc(&String::from_utf8_lossy(&text))
        );
    }
    page.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_names_is_escaped() {
        assert_eq!(
            super::esc("<script>alert('x')</script>&\"\u{1b}[2J"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\\u{1b}[2J"
        );
    }
}
