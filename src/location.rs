//! Where a thing came from: a file and a position in it. Shared by every stage.

use std::sync::Arc;

/// A position in a scanned file. Text formats carry 1-based line and column; binary formats carry
/// only the byte offset. `container_index` numbers an item inside a container (a certificate in a
/// P7B or a PEM bundle), counted from 0 in file order.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct Location {
    /// The path as given on the command line joined with the file's path below it, `/`-separated.
    #[serde(with = "crate::cache::file_path")]
    pub path: Arc<str>,
    /// 1-based line, for text formats.
    pub line: Option<u32>,
    /// 1-based column (in characters), for text formats.
    pub column: Option<u32>,
    /// Offset of the item's first byte in the file as stored on disk (for UTF-16 text files, in
    /// the decoded text).
    pub byte_offset: usize,
    /// Length of the item in bytes.
    pub byte_len: usize,
    /// Index of the item inside its container, when the file holds several.
    pub container_index: Option<u32>,
}

impl Location {
    /// The whole file, or its start.
    pub fn file(path: Arc<str>) -> Self {
        Location {
            path,
            line: None,
            column: None,
            byte_offset: 0,
            byte_len: 0,
            container_index: None,
        }
    }

    /// A position in a text file, computing line and column from a byte offset into `text`.
    pub fn in_text(path: Arc<str>, text: &str, byte_offset: usize, byte_len: usize) -> Self {
        let (line, column) = line_column(text, byte_offset);
        Location {
            path,
            line: Some(line),
            column: Some(column),
            byte_offset,
            byte_len,
            container_index: None,
        }
    }
}

/// Where the lines of a text start, so that many positions in one text cost a binary search
/// each instead of a scan from the start (a file of 100,000 PEM blocks would otherwise take
/// quadratic time).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Default)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    /// For text that is not all ASCII: (byte offset, characters before it) every
    /// [`CHECKPOINT`] bytes, so a column costs a bounded count even on a one-line file.
    checkpoints: Option<Vec<(usize, usize)>>,
}

/// Bytes between character-count checkpoints.
const CHECKPOINT: usize = 4096;

impl LineIndex {
    /// Indexes `text`.
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i.saturating_add(1)),
        );
        let checkpoints = (!text.is_ascii()).then(|| {
            let mut points = vec![(0, 0)];
            let mut chars = 0usize;
            let mut next = CHECKPOINT;
            for (i, _) in text.char_indices() {
                if i >= next {
                    points.push((i, chars));
                    next = i.saturating_add(CHECKPOINT);
                }
                chars = chars.saturating_add(1);
            }
            points
        });
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// Characters of `text` before byte `at` (a character boundary).
    fn chars_before(&self, text: &str, at: usize) -> usize {
        match &self.checkpoints {
            None => at,
            Some(points) => {
                let i = points.partition_point(|(b, _)| *b <= at).saturating_sub(1);
                let (b, n) = points.get(i).copied().unwrap_or((0, 0));
                n.saturating_add(text.get(b..at).map_or(0, |s| s.chars().count()))
            }
        }
    }

    /// 1-based line and column (in characters) of `offset` in `text` (the text indexed), as
    /// [`line_column`] computes them.
    pub(crate) fn line_column(&self, text: &str, offset: usize) -> (u32, u32) {
        let mut end = offset.min(text.len());
        while end > 0 && !text.is_char_boundary(end) {
            end -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= end).max(1);
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        // Counted through the checkpoints: a long line costs at most one checkpoint span.
        let column = self
            .chars_before(text, end)
            .saturating_sub(self.chars_before(text, start))
            .saturating_add(1);
        (saturate(line), saturate(column))
    }

    /// A position in `text` (the text indexed).
    pub(crate) fn location(
        &self,
        path: Arc<str>,
        text: &str,
        byte_offset: usize,
        byte_len: usize,
    ) -> Location {
        let (line, column) = self.line_column(text, byte_offset);
        Location {
            path,
            line: Some(line),
            column: Some(column),
            byte_offset,
            byte_len,
            container_index: None,
        }
    }
}

/// 1-based line and column (in characters) of `offset` in `text`; an offset past the end or
/// inside a character clamps to the nearest earlier boundary.
pub(crate) fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let mut end = offset.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or("");
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (saturate(line), saturate(column))
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_agrees_with_the_direct_count_on_long_and_non_ascii_lines() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(if i % 7 == 0 { "é€" } else { "ab" });
            if i % 1000 == 999 {
                text.push('\n');
            }
        }
        let index = LineIndex::new(&text);
        for offset in (0..text.len())
            .step_by(97)
            .chain([text.len(), text.len() + 5])
        {
            assert_eq!(
                index.line_column(&text, offset),
                line_column(&text, offset),
                "{offset}"
            );
        }
        let ascii = "x".repeat(10_000);
        let index = LineIndex::new(&ascii);
        assert_eq!(index.line_column(&ascii, 9_999), (1, 10_000));
    }

    #[test]
    fn line_column_counts_from_one() {
        let text = "ab\ncd\néf";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 4), (2, 2));
        assert_eq!(line_column(text, 8), (3, 2));
        assert_eq!(line_column(text, 7), (3, 1));
        assert_eq!(line_column(text, 999), (3, 3));
    }

    #[test]
    fn the_index_agrees_with_the_scan_everywhere() {
        let text = "ab\ncd\néf\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_column(text, offset),
                line_column(text, offset),
                "{offset}"
            );
        }
    }
}
