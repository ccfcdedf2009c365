//! How a usage is said, in every output: set by you, implied by deferred modules, measured on
//! replayed requests (with how many and its interval), or assumed (no requests, none set).

use super::units::number;
use lmms_core::model::ModuleId;
use lmms_core::whatif::sampled::Share;
use lmms_core::whatif::{Analysis, Usage};

/// A table cell: a usage set as set (`42.5`), a measured one marked (`10ᵐ`), an implied one
/// marked and whole (`↳5`, `↳<1`) — never rounded to 0 or 100.
pub fn cell(usage: Usage) -> String {
    match usage {
        Usage::Planned(pct) => number(pct),
        Usage::Measured(s) => format!("{}ᵐ", number(round1(s.fraction() * 100.0))),
        Usage::WithDeferred(pct) if pct > 0.0 && pct < 1.0 => "↳<1".into(),
        Usage::WithDeferred(pct) if pct > 99.0 && pct < 100.0 => "↳>99".into(),
        Usage::WithDeferred(pct) => format!("↳{pct:.0}"),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A measured share with its count and interval: `needed by 10 of 100 requests (5.5–17.4 %,
/// measured)`.
fn measured(s: Share) -> String {
    format!(
        "needed by {} of {} requests ({}–{} %, measured)",
        s.needed,
        s.of,
        number(round1(s.low * 100.0)),
        number(round1(s.high * 100.0))
    )
}

/// The module's usage in words, saying where it comes from: `needed by 10 of 100 requests
/// (5.5–17.4 %, measured): report ×10`, `used by 5% of requests (set by you)`, or assumed.
pub fn said(a: &Analysis, m: ModuleId) -> String {
    match a.usage(m) {
        Usage::Measured(s) => {
            let kinds: Vec<String> = (a.needed_by(m).into_iter().take(4))
                .map(|(kind, n)| format!("{} ×{n}", lmms_core::printable::printable(&kind)))
                .collect();
            let share = measured(s);
            match kinds.is_empty() {
                true => share,
                false => format!("{share}: {}", kinds.join(", ")),
            }
        }
        Usage::Planned(pct) => {
            let source = match a.plan().usage_set(m) {
                Some(_) => "set by you",
                None => "assumed",
            };
            format!("used by {}% of requests ({source})", number(pct))
        }
        Usage::WithDeferred(pct) => format!(
            "loads with deferred modules, so {pct:.1}% of requests need it (its own usage counts \
             once it is deferred)"
        ),
    }
}

/// The usage in a code comment: `used by 5% of requests`, or, measured, `needed by 10 of 100
/// requests (5.5–17.4 %, measured)` (the report's usage line says where the others come from).
pub fn short(a: &Analysis, m: ModuleId) -> String {
    match a.usage(m) {
        Usage::Measured(s) => measured(s),
        usage => format!("used by {}% of requests", number(usage.pct())),
    }
}

/// Where the usages of a report come from, in a line: measured on how many requests (and how
/// many raised), or assumed.
pub fn source(a: &Analysis) -> String {
    match a.requests() {
        Some(r) => {
            let raised = r.raised().count();
            let raised = match raised {
                0 => String::new(),
                n => format!(", {n} of which raised"),
            };
            format!(
                "usage measured on {} replayed requests ({}{raised}); a usage you set overrides it",
                r.requests.len(),
                lmms_core::printable::printable(&r.source)
            )
        }
        None => "usage assumed (100 % unless set): the trace has no replayed requests \
                 (record --handler or --driver measures it)"
            .into(),
    }
}
