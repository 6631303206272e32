//! The questions drawn on top: resume, leave, yes/no and the build picker.

use super::{para, wrap};
use crate::screens::order_wizard::{Ask, Modal, OrderWizardScreen};
use crate::theme::Theme;
use crate::widgets::{centered, confirm, dialog, dim, fit_text, key_bar, row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub(super) fn modal(s: &OrderWizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (title, lines, keys): (&str, Vec<String>, &[crate::keymap::HelpLine]) = match &s.modal {
        Modal::None => return,
        Modal::Picker {
            accessories,
            sources,
            selected,
        } => {
            picker(s, frame, area, theme, *accessories, sources, *selected);
            return;
        }
        Modal::Resume => {
            let mut lines = vec!["You left an order before submitting it:".to_string()];
            if let Some(d) = s
                .saved_draft
                .clone()
                .and_then(crate::screens::order_wizard::state::WizardState::from_draft)
            {
                let po = d.header.po_number.trim();
                let po = if po.is_empty() {
                    "no PO number yet"
                } else {
                    po
                };
                lines.push(format!(
                    "  PO {po} · {} build(s) · at step {} ({})",
                    d.builds.len(),
                    d.step.number(),
                    d.step.short()
                ));
            }
            lines.push(String::new());
            lines.push("y resumes it · n discards it and starts over".into());
            lines.push("Esc leaves it for later".into());
            ("Resume the unfinished order?", lines, &s.keys.question)
        }
        Modal::Leave => (
            "Leave the wizard",
            vec![
                "Discard this order?".into(),
                String::new(),
                "y discards everything entered.".into(),
                "n keeps it as a draft: New order offers to resume it.".into(),
                "Esc returns to the wizard.".into(),
            ],
            &s.keys.question,
        ),
        Modal::Ask(ask) => {
            let target = s.state.build_label(s.selected());
            let (title, text) = match ask {
                Ask::RemoveBuilds { keep } => {
                    let list: Vec<String> = (*keep..s.state.builds.len())
                        .map(|i| s.state.build_label(i))
                        .collect();
                    (
                        "Fewer sinks",
                        format!(
                            "Remove build(s) {} and their configuration?",
                            list.join(", ")
                        ),
                    )
                }
                Ask::RemoveBasins { model, basins } => {
                    let list: Vec<String> = basins.iter().map(ToString::to_string).collect();
                    (
                        "Change model",
                        format!(
                            "{} has fewer basins: remove basin(s) {} and their configuration?",
                            model,
                            list.join(", ")
                        ),
                    )
                }
                Ask::ReplaceConfig { source } => (
                    "Copy configuration",
                    format!(
                        "Replace the configuration of {target} with a copy of {}?",
                        s.state.build_label(*source)
                    ),
                ),
                Ask::ReplaceAccessories { source } => (
                    "Copy accessories",
                    format!(
                        "Replace the accessories of {target} with a copy of {}?",
                        s.state.build_label(*source)
                    ),
                ),
                Ask::LeaveEdit => (
                    "Leave without saving",
                    format!("Discard your changes to build {target}?"),
                ),
            };
            (title, wrap(&text, 64), &s.keys.confirm)
        }
    };
    confirm::render(frame, area, title, &lines, keys, theme);
}

pub(super) fn picker(
    s: &OrderWizardScreen,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    accessories: bool,
    sources: &[usize],
    selected: usize,
) {
    dim(frame, area, theme);
    let title = if accessories {
        "Copy accessories from"
    } else {
        "Copy configuration from"
    };
    let n = u16::try_from(sources.len()).unwrap_or(u16::MAX);
    let inner = dialog(frame, centered(area, 56, n.saturating_add(6)), title, theme);
    let target = s.state.build_label(s.selected());
    para(
        frame,
        row(inner, 0),
        Line::styled(
            fit_text(&format!("Into {target}:"), usize::from(inner.width)),
            theme.muted,
        ),
    );
    for (k, i) in sources.iter().enumerate() {
        let Some(b) = s.state.builds.get(*i) else {
            continue;
        };
        let what = if accessories {
            format!("{} accessory line(s)", b.accessories.len())
        } else {
            match &b.model {
                Some(m) => format!("{m}, {} x {} in", b.width.trim(), b.length.trim()),
                None => "not configured".into(),
            }
        };
        let at = k == selected;
        let text = format!(
            "{}{:<18} {}",
            if at { "▶ " } else { "  " },
            fit_text(&s.state.build_label(*i), 18),
            what
        );
        let text = fit_text(&text, usize::from(inner.width));
        let style = if at { theme.selected } else { theme.base };
        para(
            frame,
            row(inner, 2 + u16::try_from(k).unwrap_or(u16::MAX)),
            Line::styled(format!("{text:<w$}", w = usize::from(inner.width)), style),
        );
    }
    if inner.height >= 2 {
        key_bar::render(frame, row(inner, inner.height - 1), &s.keys.picker, theme);
    }
}
