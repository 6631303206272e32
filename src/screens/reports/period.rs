//! The custom range (docs/reports.md §5.3): From and To typed as dates, checked by [`Period::custom`];
//! a refusal is shown in place and keeps what was typed.

use crate::domain::audit_trail::parse_day;
use crate::domain::report::Period;
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::{centered, dialog, dim, request_status, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

/// The custom-range dialog: two date fields, offered with the period on screen.
pub struct RangeForm {
    pub form: Form,
    /// Why the range as a whole was refused (it starts after it ends, it is too long).
    pub error: Option<String>,
    /// What the fields were offered with, to tell whether anything was typed.
    offered: Vec<String>,
}

impl RangeForm {
    pub fn new(shown: Period) -> RangeForm {
        let field = |label: &str, day: chrono::NaiveDate| {
            let mut f = FormField::text(label)
                .with_select_on_focus()
                .with_max_len(10)
                .with_hint("YYYY-MM-DD, the whole day included");
            f.set_value(&day.format("%Y-%m-%d").to_string());
            f
        };
        let form =
            Form::new(vec![field("From", shown.from), field("To", shown.to)]).with_input_width(12);
        let offered = form.values();
        RangeForm {
            form,
            error: None,
            offered,
        }
    }

    /// Something other than the offered dates was typed.
    pub fn changed(&self) -> bool {
        self.form.values() != self.offered
    }

    /// The range typed, or `None` with the reasons shown at the fields and under them.
    pub fn submit(&mut self) -> Option<Period> {
        self.form.clear_errors();
        self.error = None;
        let mut days = Vec::new();
        for (i, label) in [(0, "From"), (1, "To")] {
            match parse_day(label, &self.form.value(i)) {
                Ok(Some(day)) => days.push(day),
                Ok(None) => self
                    .form
                    .set_error(i, format!("{label} date is required: YYYY-MM-DD")),
                Err(e) => self.form.set_error(i, e),
            }
        }
        if let Some(i) = self.form.first_error() {
            self.form.set_focus(i);
            return None;
        }
        let [from, to] = days[..] else {
            return None;
        };
        match Period::custom(from, to) {
            Ok(p) => Some(p),
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        dim(frame, area, theme);
        let inner = dialog(frame, centered(area, 64, 11), "Custom range", theme);
        frame.render_widget(
            Paragraph::new(Span::styled(
                "The report over these days, both included:",
                theme.muted,
            )),
            rows(inner, 0, 1),
        );
        self.form.render(frame, rows(inner, 2, 4), theme);
        request_status(frame, rows(inner, 7, 2), None, self.error.as_deref(), theme);
    }
}
