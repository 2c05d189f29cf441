//! The trust graph of the HTML report, laid out here and drawn as inline SVG: columns left to
//! right (roots, CAs by depth, leaves, client profiles, NPS hosts), each column ordered by the
//! mean position of the nodes it is joined to in the columns before it (one barycentre pass,
//! the heart of a layered — Sugiyama — layout; enough for graphs whose leaves are grouped, and
//! linear in nodes and edges, where a layout crate's crossing minimisation is not). Each node
//! links to its details, which list its findings; a finding whose related places are on an NPS
//! host or a profile draws a join edge to it, so the founding case shows as the CA with the
//! hosts that fail to mitigate it.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::html::escape;
use super::{Finding, Severity};
use crate::trust_graph::{EdgeKind, NodeKind, TrustGraph};

const NODE_W: usize = 180;
const NODE_H: usize = 46;
const COLUMN_GAP: usize = 48;
const ROW_GAP: usize = 16;
const MARGIN: usize = 12;
/// Characters of a label drawn in a node; the whole label is its tooltip and in its details.
const LABEL_CHARS: usize = 25;
/// Most nodes drawn: above it, the nodes that carry findings first, then the others in column
/// order, and the page says how many are left out (the page's size budget holds).
pub(super) const MAX_NODES_DRAWN: usize = 400;

/// Writes the graph section: the SVG, a legend, and each node's details with its findings
/// (`rows` are the findings table's rows, `#finding-<index>` their anchors).
pub(super) fn render(graph: &TrustGraph, rows: &[&Finding], page: &mut String) {
    page.push_str("<section aria-labelledby=\"graph-h\">\n<h2 id=\"graph-h\">Trust graph</h2>\n");
    if graph.nodes.is_empty() {
        page.push_str("<p>No certificate, profile or NPS host in the bundle.</p>\n</section>\n");
        return;
    }
    let reduced;
    let graph = if graph.nodes.len() > MAX_NODES_DRAWN {
        reduced = with_findings_first(graph, rows);
        let _ = writeln!(
            page,
            "<p class=\"meta\">{MAX_NODES_DRAWN} of {} nodes drawn: those that carry findings first; every finding is in the table.</p>",
            graph.nodes.len()
        );
        &reduced
    } else {
        graph
    };
    // Which rows bite on which node: by entity, a group by its members.
    let mut node_of: HashMap<&str, usize> = HashMap::new();
    for (i, n) in graph.nodes.iter().enumerate() {
        node_of.insert(n.key.as_str(), i);
        for m in &n.members {
            node_of.insert(m.as_str(), i);
        }
    }
    let mut file_nodes: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, n) in graph.nodes.iter().enumerate() {
        if matches!(
            n.kind,
            NodeKind::NpsHost | NodeKind::ClientProfile | NodeKind::Intune
        ) {
            for f in &n.files {
                file_nodes.entry(f.as_str()).or_default().push(i);
            }
        }
    }
    let mut findings_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut joins: Vec<(usize, usize, Severity)> = Vec::new();
    for (r, f) in rows.iter().enumerate() {
        let Some(&n) = node_of.get(f.entity.as_str()) else {
            continue;
        };
        findings_of.entry(n).or_default().push(r);
        for rel in &f.related {
            for &other in file_nodes
                .get(&*rel.location.path)
                .map_or(&[][..], Vec::as_slice)
            {
                if other != n {
                    joins.push((n, other, f.severity));
                    findings_of.entry(other).or_default().push(r);
                }
            }
        }
    }
    joins.sort();
    joins.dedup();
    for list in findings_of.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    let worst = |n: usize| {
        findings_of.get(&n).and_then(|rs| {
            rs.iter()
                .filter_map(|&r| rows.get(r))
                .map(|f| f.severity)
                .max()
        })
    };
    let positions = layout(graph);
    let bottoms = column_bottoms(&positions);
    let width = positions.iter().map(|p| p.0 + NODE_W).max().unwrap_or(0) + MARGIN;
    let height = positions.iter().map(|p| p.1 + NODE_H).max().unwrap_or(0) + MARGIN;
    let _ = writeln!(
        page,
        "<div class=\"graph\"><svg role=\"group\" aria-labelledby=\"graph-h graph-desc\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n<desc id=\"graph-desc\">{} nodes and {} edges: roots on the left, then CAs, leaves, client profiles and NPS hosts; each node links to its details below.</desc>",
        graph.nodes.len(),
        graph.edges.len() + joins.len()
    );
    page.push_str(concat!(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">",
        "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"currentColor\"/></marker></defs>\n"
    ));
    for e in &graph.edges {
        let class = match e.kind {
            EdgeKind::Issued => "e-issued",
            EdgeKind::AlsoIssued => "e-also",
            EdgeKind::Pins => "e-pins",
            EdgeKind::Filters => "e-filters",
            EdgeKind::Deploys => "e-deploys",
            EdgeKind::Presents => "e-presents",
        };
        edge(&positions, &bottoms, e.from, e.to, class, page);
    }
    for &(from, to, severity) in &joins {
        let class = format!("e-join j-{}", severity.name());
        edge(&positions, &bottoms, from, to, &class, page);
    }
    for (i, n) in graph.nodes.iter().enumerate() {
        let Some(&(x, y)) = positions.get(i) else {
            continue;
        };
        let severity = worst(i);
        let class = severity.map_or("n-none".to_owned(), |s| format!("n-{}", s.name()));
        let count = findings_of.get(&i).map_or(0, Vec::len);
        let badge = match severity {
            Some(s) => format!("{} {count}", super::html::symbol(s)),
            None => "✓".to_owned(),
        };
        let label: String = if n.label.chars().count() > LABEL_CHARS {
            n.label.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
        } else {
            n.label.clone()
        };
        let _ = writeln!(
            page,
            "<a href=\"#node-{i}\" class=\"node {class}\" data-key=\"{key}\"><title>{kind}: {full}</title>\
<rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"6\"/>\
<text x=\"{tx}\" y=\"{ty1}\" class=\"kind\">{kind}</text><text x=\"{tx}\" y=\"{ty2}\">{label}</text>\
<text x=\"{bx}\" y=\"{ty1}\" class=\"badge\" text-anchor=\"end\">{badge}</text></a>",
            key = escape(&n.key),
            kind = n.kind.name(),
            full = escape(&n.label),
            tx = x + 8,
            bx = x + NODE_W - 8,
            ty1 = y + 17,
            ty2 = y + 36,
            label = escape(&label),
        );
    }
    page.push_str("</svg></div>\n");
    page.push_str(concat!(
        "<p class=\"legend\">Solid arrow: the issuer the chain engine chose · dashed grey: another issuer ",
        "(a cross-certificate, a renewed CA), a path not chosen · blue: a profile's pinned root · ",
        "dotted: a profile's issuer filter · green: what an Intune object deploys or names · ",
        "purple: the server certificate an NPS policy presents · ",
        "dashed red: a finding joined to a host or profile it names. ",
        "✖ error, ⚠ warning, ℹ note, ✓ no finding.</p>\n"
    ));
    details(graph, rows, &findings_of, page);
    page.push_str("</section>\n");
}

/// At most [`MAX_NODES_DRAWN`] nodes of `graph`: those a row names by entity first, then the
/// rest in the graph's order; the edges between them kept.
fn with_findings_first(graph: &TrustGraph, rows: &[&Finding]) -> TrustGraph {
    let named: std::collections::HashSet<&str> = rows.iter().map(|f| f.entity.as_str()).collect();
    let has_finding = |n: &crate::trust_graph::GraphNode| {
        named.contains(n.key.as_str()) || n.members.iter().any(|m| named.contains(m.as_str()))
    };
    let mut order: Vec<usize> = (0..graph.nodes.len()).collect();
    order.sort_by_key(|&i| (!graph.nodes.get(i).is_some_and(has_finding), i));
    let mut keep: Vec<usize> = order.into_iter().take(MAX_NODES_DRAWN).collect();
    keep.sort_unstable();
    let new_index: HashMap<usize, usize> = keep.iter().enumerate().map(|(n, &o)| (o, n)).collect();
    TrustGraph {
        nodes: keep
            .iter()
            .filter_map(|&i| graph.nodes.get(i).cloned())
            .collect(),
        edges: graph
            .edges
            .iter()
            .filter_map(|e| {
                Some(crate::trust_graph::GraphEdge {
                    from: *new_index.get(&e.from)?,
                    to: *new_index.get(&e.to)?,
                    kind: e.kind,
                })
            })
            .collect(),
    }
}

/// The top-left corner of each node: columns with nodes packed left to right, each column
/// ordered by the barycentre of its neighbours already placed.
fn layout(graph: &TrustGraph) -> Vec<(usize, usize)> {
    let mut columns: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, n) in graph.nodes.iter().enumerate() {
        columns.entry(n.column).or_default().push(i);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    for e in &graph.edges {
        if let Some(list) = neighbours.get_mut(e.from) {
            list.push(e.to);
        }
        if let Some(list) = neighbours.get_mut(e.to) {
            list.push(e.from);
        }
    }
    let mut position: Vec<Option<(usize, usize)>> = vec![None; graph.nodes.len()];
    for (slot, nodes) in columns.values().enumerate() {
        let x = MARGIN + slot * (NODE_W + COLUMN_GAP);
        // The mean row of the placed neighbours; unplaced ones keep their order after them.
        let mut keyed: Vec<(usize, usize, usize)> = nodes
            .iter()
            .enumerate()
            .map(|(order, &n)| {
                let placed: Vec<usize> = neighbours
                    .get(n)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .filter_map(|&m| position.get(m).copied().flatten().map(|p| p.1))
                    .collect();
                let centre = if placed.is_empty() {
                    usize::MAX
                } else {
                    placed.iter().sum::<usize>() / placed.len()
                };
                (centre, order, n)
            })
            .collect();
        keyed.sort_unstable();
        for (row, &(_, _, n)) in keyed.iter().enumerate() {
            if let Some(p) = position.get_mut(n) {
                *p = Some((x, MARGIN + row * (NODE_H + ROW_GAP)));
            }
        }
    }
    position
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect()
}

/// The lowest node bottom of each column, by the column's left edge: where an edge that skips
/// columns can pass below them.
fn column_bottoms(positions: &[(usize, usize)]) -> BTreeMap<usize, usize> {
    let mut bottoms = BTreeMap::new();
    for &(x, y) in positions {
        let b = bottoms.entry(x).or_insert(0);
        *b = (*b).max(y + NODE_H);
    }
    bottoms
}

/// The `d` of an edge from one node to another, leaving and entering on the sides that face
/// each other: a curve between neighbouring columns; across columns in between, a lane below
/// their lowest node, so the edge never runs behind a node it does not join.
fn edge_path(
    positions: &[(usize, usize)],
    bottoms: &BTreeMap<usize, usize>,
    from: usize,
    to: usize,
) -> Option<String> {
    let (&(fx, fy), &(tx, ty)) = (positions.get(from)?, positions.get(to)?);
    let (x1, x2) = if fx <= tx {
        (fx + NODE_W, tx)
    } else {
        (fx, tx + NODE_W)
    };
    let (y1, y2) = (fy + NODE_H / 2, ty + NODE_H / 2);
    let (left, right) = (fx.min(tx), fx.max(tx));
    // Nodes of one column (cross-certified CAs at one depth) skip nothing: no lane.
    let lane = (left + 1 < right)
        .then(|| {
            bottoms
                .range(left + 1..right)
                .map(|(_, &b)| b + ROW_GAP / 2)
                .max()
        })
        .flatten();
    let Some(lane) = lane else {
        let mid = x1.midpoint(x2);
        return Some(format!("M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"));
    };
    // Out of the node, down to the lane, along it, and up into the other node.
    let g = COLUMN_GAP / 2;
    let (a, b) = if x1 <= x2 {
        (x1 + g, x2 - g)
    } else {
        (x1 - g, x2 + g)
    };
    Some(format!(
        "M{x1},{y1} C{a},{y1} {x1},{lane} {a},{lane} L{b},{lane} C{x2},{lane} {b},{y2} {x2},{y2}"
    ))
}

fn edge(
    positions: &[(usize, usize)],
    bottoms: &BTreeMap<usize, usize>,
    from: usize,
    to: usize,
    class: &str,
    page: &mut String,
) {
    if let Some(d) = edge_path(positions, bottoms, from, to) {
        let _ = writeln!(
            page,
            "<path class=\"edge {class}\" d=\"{d}\" marker-end=\"url(#arrow)\"/>"
        );
    }
}

/// Each node's details: what it is, where it came from, and the findings that bite on it.
fn details(
    graph: &TrustGraph,
    rows: &[&Finding],
    findings_of: &BTreeMap<usize, Vec<usize>>,
    page: &mut String,
) {
    page.push_str("<div class=\"nodes\">\n");
    for (i, n) in graph.nodes.iter().enumerate() {
        let _ = write!(
            page,
            "<section class=\"node-details\" id=\"node-{i}\" tabindex=\"-1\"><h3>{}: {}</h3><dl>",
            n.kind.name(),
            escape(&n.label)
        );
        for (k, v) in &n.details {
            let _ = write!(page, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
        }
        if !n.files.is_empty() {
            let files: Vec<String> = n
                .files
                .iter()
                .take(20)
                .map(|f| format!("<code>{}</code>", escape(f)))
                .collect();
            let more = n.files.len().saturating_sub(20);
            let _ = write!(
                page,
                "<dt>read from</dt><dd>{}{}</dd>",
                files.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
        page.push_str("</dl>");
        match findings_of.get(&i) {
            None => page.push_str("<p>✓ No finding.</p>"),
            Some(list) => {
                page.push_str("<ul>");
                for &r in list {
                    if let Some(f) = rows.get(r) {
                        let symptom = f
                            .symptom
                            .as_ref()
                            .map(|s| format!(" — {}", escape(&s.describe())))
                            .unwrap_or_default();
                        let _ = write!(
                            page,
                            "<li><span class=\"sev-{sev}\">{symbol}</span> <a href=\"#finding-{r}\">{id} {name}</a>: {message}{symptom}<p class=\"fix\"><strong>Fix:</strong> {fix}</p></li>",
                            sev = f.severity.name(),
                            symbol = super::html::symbol(f.severity),
                            id = escape(&f.rule_id),
                            name = escape(&f.rule_name),
                            message = escape(&f.message),
                            fix = escape(&super::human::reflow(&f.fix)),
                        );
                    }
                }
                page.push_str("</ul>");
            }
        }
        page.push_str("</section>\n");
    }
    page.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::{COLUMN_GAP, NODE_H, NODE_W, ROW_GAP, column_bottoms, edge_path};

    /// Three columns, one node each on one row: the edge between neighbours is a curve; the
    /// edge that skips the middle column runs below the middle node, never behind it.
    #[test]
    fn edges_that_skip_columns_pass_below_the_nodes_between() -> Result<(), String> {
        let step = NODE_W + COLUMN_GAP;
        let positions = [(0, 0), (step, 0), (2 * step, 0)];
        let bottoms = column_bottoms(&positions);
        let near = edge_path(&positions, &bottoms, 0, 1).ok_or("no path")?;
        assert!(!near.contains('L'), "{near}");
        let far = edge_path(&positions, &bottoms, 0, 2).ok_or("no path")?;
        let lane = NODE_H + ROW_GAP / 2;
        assert!(
            far.contains(&format!("L{},{lane}", 2 * step - COLUMN_GAP / 2)),
            "{far}"
        );
        // Leftwards (a profile to its root) takes the same lane.
        let back = edge_path(&positions, &bottoms, 2, 0).ok_or("no path")?;
        assert!(back.contains(&format!(",{lane} L")), "{back}");
        // Two nodes of one column (cross-certified CAs at one depth): a curve, no lane.
        let column = [(0, 0), (0, NODE_H + ROW_GAP)];
        let same = edge_path(&column, &column_bottoms(&column), 0, 1).ok_or("no path")?;
        assert!(!same.contains('L'), "{same}");
        Ok(())
    }
}
