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

/// Writes the graph section: the SVG, a legend, and each node's details with its findings
/// (`rows` are the findings table's rows, `#finding-<index>` their anchors).
pub(super) fn render(graph: &TrustGraph, rows: &[&Finding], page: &mut String) {
    page.push_str("<section aria-labelledby=\"graph-h\">\n<h2 id=\"graph-h\">Trust graph</h2>\n");
    if graph.nodes.is_empty() {
        page.push_str("<p>No certificate, profile or NPS host in the bundle.</p>\n</section>\n");
        return;
    }
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
        edge(&positions, e.from, e.to, class, page);
    }
    for &(from, to, severity) in &joins {
        edge(
            &positions,
            from,
            to,
            &format!("e-join j-{}", severity.name()),
            page,
        );
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

/// A curve from one node to another, leaving and entering on the sides that face each other.
fn edge(positions: &[(usize, usize)], from: usize, to: usize, class: &str, page: &mut String) {
    let (Some(&(fx, fy)), Some(&(tx, ty))) = (positions.get(from), positions.get(to)) else {
        return;
    };
    let (x1, x2) = if fx <= tx {
        (fx + NODE_W, tx)
    } else {
        (fx, tx + NODE_W)
    };
    let (y1, y2) = (fy + NODE_H / 2, ty + NODE_H / 2);
    let mid = x1.midpoint(x2);
    let _ = writeln!(
        page,
        "<path class=\"edge {class}\" d=\"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}\" marker-end=\"url(#arrow)\"/>"
    );
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
                            "<li class=\"sev-{sev}\">{symbol} <a href=\"#finding-{r}\">{id} {name}</a>: {message}{symptom}</li>",
                            sev = f.severity.name(),
                            symbol = super::html::symbol(f.severity),
                            id = escape(&f.rule_id),
                            name = escape(&f.rule_name),
                            message = escape(&f.message),
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
