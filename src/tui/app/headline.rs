//! A plan change said in words with the headline figure it moved ("pandas deferred in your
//! code: cold start 286.8 → 125.3 ms"), so every key that changes the plan answers on screen.

use crate::output::units::ms;
use lmms_core::whatif::Projection;

/// The headline figures before a change.
#[derive(Debug, Clone, Copy)]
pub struct Headline {
    cold_start_us: u64,
    p95_us: f64,
    daily_import_s: f64,
}

impl Headline {
    pub fn of(p: &Projection) -> Headline {
        Headline {
            cold_start_us: p.cold_start_us,
            p95_us: p.percentiles.p95_us,
            daily_import_s: p.daily_import_s,
        }
    }

    /// `what`, then the first headline figure that moved, before → after: cold start, else P95,
    /// else daily import time.
    pub fn said(self, what: &str, now: &Projection) -> String {
        let after = Headline::of(now);
        let moved = if after.cold_start_us != self.cold_start_us {
            format!(
                "cold start {} → {} ms",
                ms(self.cold_start_us),
                ms(after.cold_start_us)
            )
        } else if after.p95_us != self.p95_us {
            format!(
                "P95 {} → {} ms",
                ms(self.p95_us.round() as u64),
                ms(after.p95_us.round() as u64)
            )
        } else if after.daily_import_s != self.daily_import_s {
            format!(
                "daily import {:.0} → {:.0} s",
                self.daily_import_s, after.daily_import_s
            )
        } else {
            "no headline figure moved".into()
        };
        format!("{what}: {moved}")
    }
}
