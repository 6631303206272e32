//! Drawing the wizard: the step bar, the build list, each step's panel and the questions on top.

mod accessories;
mod fields;
mod modal;
mod review;

use super::state::Step;
use super::{OrderWizardScreen, Phase, Preview};
use crate::screens::Screen;
use crate::theme::Theme;
use crate::widgets::{self, fit_text, panel, row};
use accessories::accessories_panel;
use fields::form_panel;
use modal::modal;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use review::review_panel;

/// Width of the build list beside steps 3-5.
const LIST_W: u16 = 18;

/// The number of an accessory group (`720.702` or `702` → 702), for sorting.
pub(super) fn group_code(subcategory: &str) -> u32 {
    subcategory
        .rsplit('.')
        .next()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(u32::MAX)
}

fn group_title(code: u32) -> String {
    let name = match code {
        702 => "Baskets, bins & shelves",
        703 => "Holders, plates & hangers",
        704 => "Lighting add-ons",
        705 => "Electronic & digital add-ons",
        _ => "Other",
    };
    format!("{code} · {name}")
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Greedy word wrap to `max` columns; a word longer than a line is cut.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && width(&line) + 1 + width(word) > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit_text(&l, max)).collect()
}

fn para(frame: &mut Frame, area: Rect, line: Line) {
    if area.width > 0 && area.height > 0 {
        frame.render_widget(Paragraph::new(line), area);
    }
}

/// A rectangle `dx` columns in from `r`'s left, clipped.
fn indent(r: Rect, dx: u16) -> Rect {
    let x = r.x.saturating_add(dx).min(r.right());
    Rect::new(x, r.y, r.right() - x, r.height)
}

pub(super) fn render(s: &mut OrderWizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.width < 20 || area.height < 6 {
        return;
    }
    let [bar, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    match s.phase.clone() {
        Phase::Loading => {
            step_bar(s, frame, bar, theme);
            let inner = framed(frame, body, s.title(), theme);
            para(
                frame,
                row(inner, 1),
                Line::styled("… Loading the order wizard", theme.muted),
            );
            return;
        }
        Phase::Blocked(message) => {
            let inner = framed(frame, body, s.title(), theme);
            for (y, l) in (1..).zip(wrap(&format!("ERROR: {message}"), usize::from(inner.width))) {
                para(frame, row(inner, y), Line::styled(l, theme.error));
            }
            return;
        }
        Phase::Ready => {}
    }
    step_bar(s, frame, bar, theme);
    let step = s.step();
    // The build list sits beside the configuration, where each build's state matters most; the
    // accessory table and the BOM preview need the full width.
    let main = if step == Step::Configuration && s.edit.is_none() {
        let list = Rect::new(body.x, body.y, LIST_W.min(body.width), body.height);
        build_list(s, frame, list, theme);
        indent(body, LIST_W)
    } else {
        body
    };
    match step {
        Step::Customer | Step::Builds | Step::Configuration => form_panel(s, frame, main, theme),
        Step::Accessories => accessories_panel(s, frame, main, theme),
        Step::Review => review_panel(s, frame, main, theme),
    }
    modal(s, frame, area, theme);
}

/// Draws a panel and returns its inside, one column in from each border.
fn framed(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) -> Rect {
    let block: Block = panel(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    widgets::inset(inner, 1)
}

fn step_bar(s: &OrderWizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let steps: &[Step] = if s.edit.is_some() {
        &[Step::Configuration, Step::Accessories]
    } else {
        &Step::ALL
    };
    let current = s.step();
    let mut spans = vec![Span::raw(" ")];
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", theme.muted));
        }
        let (mark, style) = if *step == current {
            ("▶", theme.focus)
        } else if *step > current || s.phase != Phase::Ready {
            ("○", theme.muted)
        } else if s.step_ok(*step) {
            ("✔", theme.ok)
        } else {
            ("✖", theme.error)
        };
        spans.push(Span::styled(
            format!("{mark} {} {}", step.number(), step.short()),
            style,
        ));
    }
    if s.edit.is_some() {
        spans.push(Span::styled(
            format!(
                "   Build {} · PO {}",
                s.state.build_label(0),
                s.state.header.po_number.trim()
            ),
            theme.muted,
        ));
    }
    para(frame, area, Line::from(spans));
}

/// The step's panel, titled; returns the inside with a one-column margin.
fn step_panel(s: &OrderWizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) -> Rect {
    let title = fit_text(&panel_title(s), usize::from(area.width).saturating_sub(6));
    framed(frame, area, &title, theme)
}

fn panel_title(s: &OrderWizardScreen) -> String {
    let step = s.step();
    let b = s.selected();
    let label = s.state.build_label(b);
    if s.edit.is_some() {
        return format!("Edit build {label} · {}", step.title());
    }
    let n = s.state.builds.len();
    match step {
        Step::Customer | Step::Builds => {
            format!("Step {} of 5 · {}", step.number(), step.title())
        }
        _ if n > 1 => format!(
            "Step {} of 5 · {} · {label} ({} of {n})",
            step.number(),
            step.title(),
            b + 1
        ),
        _ => format!("Step {} of 5 · {} · {label}", step.number(), step.title()),
    }
}

/// Steps 3-5: every build with its state; the selected one is the one shown.
fn build_list(s: &OrderWizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner = framed(frame, area, "Builds", theme);
    let review = s.step() == Step::Review;
    let w = usize::from(inner.width).saturating_sub(4);
    for i in 0..s.state.builds.len() {
        let (mark, style) = build_mark(s, i, theme);
        let selected = i == s.selected();
        let line = if selected {
            Line::from(Span::styled(
                format!("▶ {mark} {:<w$}", fit_text(&s.state.build_label(i), w)),
                theme.selected,
            ))
        } else {
            Line::from(vec![
                Span::raw("  "),
                Span::styled(mark, style),
                Span::raw(format!(" {}", fit_text(&s.state.build_label(i), w))),
            ])
        };
        para(
            frame,
            row(inner, u16::try_from(i).unwrap_or(u16::MAX)),
            line,
        );
    }
    let legend: [(&str, Style, &str); 3] = if review {
        [
            ("✔", theme.ok, "BOM ready"),
            ("!", theme.warn, "warnings"),
            ("✖", theme.error, "BOM failed"),
        ]
    } else {
        [
            ("✔", theme.ok, "complete"),
            ("!", theme.warn, "warnings"),
            ("✖", theme.error, "incomplete"),
        ]
    };
    let top = inner.height.saturating_sub(3);
    if top > u16::try_from(s.state.builds.len()).unwrap_or(u16::MAX) {
        for (k, (mark, style, text)) in legend.into_iter().enumerate() {
            let y = top + u16::try_from(k).unwrap_or(0);
            para(
                frame,
                row(inner, y),
                Line::from(vec![
                    Span::styled(mark, style),
                    Span::styled(format!(" {text}"), theme.muted),
                ]),
            );
        }
    }
}

fn build_mark(s: &OrderWizardScreen, i: usize, theme: &Theme) -> (&'static str, Style) {
    let Some(build) = s.state.builds.get(i) else {
        return (" ", theme.muted);
    };
    if s.step() == Step::Review {
        return match s.previews.get(i) {
            Some(Preview::Ready(p)) if p.notes.is_empty() => ("✔", theme.ok),
            Some(Preview::Ready(_)) => ("!", theme.warn),
            Some(Preview::Failed(_)) => ("✖", theme.error),
            _ => ("…", theme.muted),
        };
    }
    let errors = !s.step_errors(Step::Configuration, i).is_empty()
        || !s.step_errors(Step::Accessories, i).is_empty();
    if errors {
        ("✖", theme.error)
    } else if build.warnings(s.state.family).is_empty() {
        ("✔", theme.ok)
    } else {
        ("!", theme.warn)
    }
}
