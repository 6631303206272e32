//! The chart view (docs/reports.md §5.2), drawn with ratatui's own widgets: bars with `BarChart`,
//! lines with `Chart`, a series of counts with `Sparkline`.

use crate::domain::report::{BarGroup, Chart, LineSeries};
use crate::theme::Theme;
use crate::widgets::{fit_text, row, rows};
use ratatui::Frame;
use ratatui::layout::{Direction, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup as Group, Chart as LineChart, Dataset, GraphType, LegendPosition,
    Paragraph, Sparkline,
};

/// How a bar chart is laid out in its area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarLayout {
    /// Upright bars `bar_width` wide, `bar_gap` apart within a group (so two figures never touch)
    /// and one more column between groups; every `label_every`-th group is labelled, so labels fit.
    Vertical {
        bar_width: u16,
        bar_gap: u16,
        label_every: usize,
    },
    /// One row per bar, the group's label before its first bar; the first `groups` groups are
    /// drawn (the table view has them all), with a blank row between groups when `gap`.
    Horizontal {
        label_width: u16,
        groups: usize,
        gap: bool,
    },
}

/// Upright bars when every group fits with its label, or when lying bars would not all fit;
/// otherwise one row per bar, the long labels before them (docs/reports.md §5.2).
pub fn bar_layout(
    width: u16,
    height: u16,
    series: usize,
    groups: usize,
    longest_label: usize,
) -> BarLayout {
    let (w, h) = (usize::from(width), usize::from(height));
    let s = series.max(1);
    let g = groups.max(1);
    let bar_gap = usize::from(s > 1);
    // Each group takes its bars and their gaps, and one column before the next group.
    let bar_width = (1..=12usize)
        .rev()
        .find(|bw| g * (s * (bw + bar_gap) + 1) - bar_gap - 1 <= w);
    let lying_rows = |gap: bool| g * s + if gap && s > 1 { g - 1 } else { 0 };
    if let Some(bw) = bar_width {
        let group_w = s * bw + (s - 1) * bar_gap;
        // A label may run on under the gaps, up to one column before the next group's.
        let stride = group_w + bar_gap + 1;
        let label_every = (longest_label + 1).div_ceil(stride).clamp(1, g);
        if h >= 4 && (label_every == 1 || lying_rows(false) > h) {
            return BarLayout::Vertical {
                bar_width: u16::try_from(bw).unwrap_or(1),
                bar_gap: u16::from(bar_gap > 0),
                label_every,
            };
        }
    }
    let gap = lying_rows(true) <= h;
    let per_group = s + usize::from(gap && s > 1);
    let fit = (h + usize::from(gap && s > 1)) / per_group.max(1);
    BarLayout::Horizontal {
        label_width: u16::try_from(longest_label.min(w / 2)).unwrap_or(0),
        groups: fit.min(groups),
        gap: gap && s > 1,
    }
}

/// A figure as a chart writes it: whole numbers bare, others with one decimal.
pub fn value_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e12 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A figure in the bar chart's whole-number scale (tenths, so 12.3 and 12.4 differ).
fn scaled(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        (v * 10.0).round() as u64
    } else {
        0
    }
}

fn series_style(theme: &Theme, i: usize) -> Style {
    theme.series[i % theme.series.len()]
}

/// The legend: each series with its mark in the order its bars stand (so it reads without colour
/// too), then the unit the figures are in.
fn legend(names: &[&str], unit: &str, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(", then "));
        }
        spans.push(Span::styled("■ ", series_style(theme, i)));
        spans.push(Span::raw(name.to_string()));
    }
    spans.push(Span::raw("  "));
    if !unit.is_empty() {
        spans.push(Span::styled(format!("in {unit}"), theme.muted));
    }
    Line::from(spans)
}

/// Draws `chart` into `area` (legend line included).
pub fn draw(frame: &mut Frame, area: Rect, chart: &Chart, theme: &Theme) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    match chart {
        Chart::Bars {
            series,
            groups,
            unit,
        } => draw_bars(frame, area, series, groups, unit, theme),
        Chart::Lines {
            x_labels,
            series,
            unit,
        } => draw_lines(frame, area, x_labels, series, unit, theme),
        Chart::Spark {
            values,
            first,
            last,
            unit,
        } => draw_spark(frame, area, values, (first, last), unit, theme),
    }
}

fn draw_bars(
    frame: &mut Frame,
    area: Rect,
    series: &[String],
    groups: &[BarGroup],
    unit: &str,
    theme: &Theme,
) {
    let names: Vec<&str> = series.iter().map(String::as_str).collect();
    frame.render_widget(Paragraph::new(legend(&names, unit, theme)), row(area, 0));
    let plot = rows(area, 2, area.height.saturating_sub(2));
    let s = series.len().max(1);
    let longest = groups
        .iter()
        .map(|g| g.label.chars().count())
        .max()
        .unwrap_or(0);
    let max = groups
        .iter()
        .flat_map(|g| g.values.iter().map(|v| scaled(*v)))
        .max()
        .unwrap_or(0)
        .max(1);
    // A figure too wide for its upright bar is rounded to a whole number, which may fit.
    let bar = |i: usize, v: f64, width: usize| {
        let style = series_style(theme, i);
        let mut text = value_text(v);
        if text.chars().count() >= width {
            text = value_text(v.round());
        }
        Bar::default()
            .value(scaled(v))
            .text_value(text)
            .style(style)
            .value_style(style.add_modifier(Modifier::REVERSED))
    };
    match bar_layout(plot.width, plot.height, s, groups.len(), longest) {
        BarLayout::Vertical {
            bar_width,
            bar_gap,
            label_every,
        } => {
            let gap = usize::from(bar_gap);
            let stride = s * (usize::from(bar_width) + gap) + 1;
            let room = stride * label_every - 1;
            let data: Vec<Group> = groups
                .iter()
                .enumerate()
                .map(|(n, g)| {
                    let label = if n % label_every == 0 {
                        fit_text(&g.label, room)
                    } else {
                        String::new()
                    };
                    let bars: Vec<Bar> = g
                        .values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| bar(i, *v, usize::from(bar_width)))
                        .collect();
                    Group::new(bars).label(Line::from(label))
                })
                .collect();
            let chart = BarChart::grouped(data)
                .bar_width(bar_width)
                .bar_gap(bar_gap)
                .group_gap(1)
                .max(max)
                .label_style(theme.muted);
            frame.render_widget(chart, plot);
        }
        BarLayout::Horizontal {
            label_width,
            groups: shown,
            gap,
        } => {
            let label_w = usize::from(label_width);
            let data: Vec<Group> = groups
                .iter()
                .take(shown)
                .map(|g| {
                    let bars: Vec<Bar> = g
                        .values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let label = if i == 0 {
                                format!("{:<label_w$}", fit_text(&g.label, label_w))
                            } else {
                                " ".repeat(label_w)
                            };
                            bar(i, *v, usize::MAX).label(Line::from(label))
                        })
                        .collect();
                    Group::new(bars)
                })
                .collect();
            let chart = BarChart::grouped(data)
                .direction(Direction::Horizontal)
                .bar_width(1)
                .bar_gap(0)
                .group_gap(u16::from(gap))
                .max(max)
                .label_style(theme.base);
            let hidden = groups.len().saturating_sub(shown);
            let bars_area = if hidden > 0 {
                let text = format!("{hidden} more not drawn: v shows every row in the table");
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        fit_text(&text, usize::from(plot.width)),
                        theme.muted,
                    )),
                    row(plot, plot.height.saturating_sub(1)),
                );
                rows(plot, 0, plot.height.saturating_sub(1))
            } else {
                plot
            };
            frame.render_widget(chart, bars_area);
        }
    }
}

/// Up to three labels of the x axis: the first, the middle and the last.
fn axis_labels(labels: &[String]) -> Vec<String> {
    match labels.len() {
        0 => Vec::new(),
        1 | 2 => labels.to_vec(),
        n => vec![
            labels[0].clone(),
            labels[(n - 1) / 2].clone(),
            labels[n - 1].clone(),
        ],
    }
}

fn draw_lines(
    frame: &mut Frame,
    area: Rect,
    x_labels: &[String],
    series: &[LineSeries],
    unit: &str,
    theme: &Theme,
) {
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    frame.render_widget(Paragraph::new(legend(&names, unit, theme)), row(area, 0));
    let plot = rows(area, 1, area.height.saturating_sub(1));
    let markers = [Marker::Braille, Marker::Dot, Marker::Block];
    let datasets: Vec<Dataset> = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Dataset::default()
                .marker(markers[i % markers.len()])
                .graph_type(GraphType::Line)
                .style(series_style(theme, i))
                .data(&s.points)
        })
        .collect();
    let x_max = (x_labels.len().saturating_sub(1)).max(1) as f64;
    let y_top = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .filter(|y| y.is_finite())
        .fold(0.0_f64, f64::max);
    // A little headroom over the highest point, and a round top for percentages.
    let y_max = if unit == "%" && y_top <= 100.0 {
        100.0
    } else {
        (y_top * 1.1).max(1.0).ceil()
    };
    let x_axis = Axis::default()
        .bounds([0.0, x_max])
        .style(theme.muted)
        .labels(axis_labels(x_labels));
    let y_axis = Axis::default()
        .bounds([0.0, y_max])
        .style(theme.muted)
        .labels(vec![
            "0".to_string(),
            value_text((y_max / 2.0).round()),
            value_text(y_max),
        ]);
    let chart = LineChart::new(datasets)
        .x_axis(x_axis)
        .y_axis(y_axis)
        .legend_position(None::<LegendPosition>);
    frame.render_widget(chart, plot);
}

fn draw_spark(
    frame: &mut Frame,
    area: Rect,
    values: &[u64],
    (first, last): (&str, &str),
    unit: &str,
    theme: &Theme,
) {
    let highest = values.iter().max().copied().unwrap_or(0);
    let latest = values.last().copied().unwrap_or(0);
    let head = Line::from(vec![
        Span::styled(" ■ ", series_style(theme, 0)),
        Span::raw(format!("{unit}   highest {highest} · latest {latest}")),
    ]);
    frame.render_widget(Paragraph::new(head), row(area, 0));
    let plot = rows(area, 2, area.height.saturating_sub(3));
    let width = usize::from(plot.width.saturating_sub(2));
    // Each value as wide as the area allows (up to four columns), the latest kept when it is narrow.
    let each = (width / values.len().max(1)).clamp(1, 4);
    let keep = (width / each).min(values.len());
    let cut = values.len() - keep;
    let data: Vec<u64> = values[cut..]
        .iter()
        .flat_map(|v| std::iter::repeat_n(*v, each))
        .collect();
    let drawn = u16::try_from(data.len()).unwrap_or(plot.width);
    let spark_area = Rect::new(plot.x + 1, plot.y, drawn, plot.height);
    frame.render_widget(
        Sparkline::default()
            .data(&data)
            .max(highest.max(1))
            .style(series_style(theme, 0)),
        spark_area,
    );
    let under = Rect::new(plot.x + 1, plot.bottom(), drawn, 1).intersection(area);
    let left = if cut > 0 { "…" } else { first };
    frame.render_widget(
        Paragraph::new(Span::styled(left.to_string(), theme.muted)),
        under,
    );
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(last.to_string(), theme.muted)).right_aligned()),
        under,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_stand_when_labels_fit_and_lie_when_they_do_not() {
        // Three stages, one series, short labels: upright and wide.
        assert_eq!(
            bar_layout(60, 12, 1, 3, 8),
            BarLayout::Vertical {
                bar_width: 12,
                bar_gap: 0,
                label_every: 1
            }
        );
        // Long item names that fit as rows: lying bars, names before them.
        assert_eq!(
            bar_layout(60, 12, 1, 8, 40),
            BarLayout::Horizontal {
                label_width: 30,
                groups: 8,
                gap: false
            }
        );
        // 26 weeks: too many rows to lie, so upright, one label in three.
        assert_eq!(
            bar_layout(60, 12, 1, 26, 5),
            BarLayout::Vertical {
                bar_width: 1,
                bar_gap: 0,
                label_every: 3
            }
        );
        // Six stages of two series: a column between the two bars, two between the stages, and
        // the labels running on under the gaps.
        assert_eq!(
            bar_layout(60, 12, 2, 6, 8),
            BarLayout::Vertical {
                bar_width: 3,
                bar_gap: 1,
                label_every: 1
            }
        );
        // Two series: a blank row between groups while everything fits.
        assert_eq!(
            bar_layout(60, 14, 2, 4, 30),
            BarLayout::Horizontal {
                label_width: 30,
                groups: 4,
                gap: true
            }
        );
        // More groups than rows, and too many to stand: the first that fit.
        assert_eq!(
            bar_layout(20, 6, 1, 40, 30),
            BarLayout::Horizontal {
                label_width: 10,
                groups: 6,
                gap: false
            }
        );
    }

    #[test]
    fn figures_are_written_bare_or_with_one_decimal() {
        assert_eq!(value_text(14.0), "14");
        assert_eq!(value_text(87.46), "87.5");
        assert_eq!(scaled(-3.0), 0);
        assert_eq!(scaled(f64::NAN), 0);
        assert_eq!(scaled(12.34), 123);
        assert_eq!(
            axis_labels(&["a".into(), "b".into(), "c".into(), "d".into()]),
            vec!["a", "b", "d"]
        );
    }
}
