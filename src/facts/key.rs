//! Key material found in the bundle: the entity of the `key` scope. It is located, never
//! decoded (see `load::key`).

use crate::load::KeyData;
use crate::location::Location;

use super::fact::Fact;

impl Fact for KeyData {
    fn kind_name(&self) -> &'static str {
        "key"
    }
    fn identity(&self) -> String {
        format!(
            "key {}#{}",
            self.location.path,
            self.location
                .container_index
                .map_or(self.location.byte_offset, |i| usize::try_from(i)
                    .unwrap_or(usize::MAX))
        )
    }
    fn display_name(&self) -> String {
        format!("{} key in {}", self.kind.name(), self.location.path)
    }
    fn location(&self) -> Option<Location> {
        Some(self.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}
