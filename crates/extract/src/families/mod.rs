//! The registered families. One file each; add yours to [`all`].

mod da_dashboard;
pub mod diet;
pub mod diet_bills;
mod hodanren;
mod mhlw_press;
mod mhlw_usage;
mod mic_card_stats;
mod municipal_notice;
pub mod page;
mod table;

pub use da_dashboard::DaDashboard;
pub use diet::Diet;
pub use diet_bills::DietBills;
pub use hodanren::Hodanren;
pub use mhlw_press::MhlwPress;
pub use mhlw_usage::MhlwUsage;
pub use mic_card_stats::MicCardStats;
pub use municipal_notice::MunicipalNotice;
pub use page::{links_of, notice_of, PageFamily};
pub use table::{extract_tables, header_key, TableFamily, TableOptions};

/// Every family, in a stable order.
pub fn all() -> Vec<Box<dyn crate::Family>> {
    vec![
        Box::new(PageFamily),
        Box::new(TableFamily),
        Box::new(MunicipalNotice),
        Box::new(Diet),
        Box::new(Hodanren),
        Box::new(MhlwPress),
        Box::new(MicCardStats),
        Box::new(DaDashboard),
        Box::new(MhlwUsage),
        Box::new(DietBills),
    ]
}
