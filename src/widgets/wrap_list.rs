//! Lists whose long entries wrap instead of being cut (docs/architecture.md §2.1): every entry whole when
//! they all fit, else the selected entry whole and the others on one row each.

/// The rows each entry takes, given how many lines each needs whole: every entry whole when all fit in
/// `height` rows, else one row each except the selected entry, which is always whole.
pub fn entry_heights(lines: &[usize], selected: usize, height: usize) -> Vec<usize> {
    let whole = lines.iter().map(|&n| n.max(1)).sum::<usize>() <= height;
    lines
        .iter()
        .enumerate()
        .map(|(i, &n)| if whole || i == selected { n.max(1) } else { 1 })
        .collect()
}

/// The first entry to show so that the whole of `selected` is in view, moving `scroll` as little as
/// possible, and without leaving rows empty at the bottom while entries above are hidden.
pub fn scroll_to(heights: &[usize], selected: usize, scroll: usize, height: usize) -> usize {
    let selected = selected.min(heights.len().saturating_sub(1));
    let mut top = scroll.min(selected);
    while top < selected && heights[top..=selected].iter().sum::<usize>() > height {
        top += 1;
    }
    while top > 0 && heights[top - 1..].iter().sum::<usize>() <= height {
        top -= 1;
    }
    top
}

/// `text` in at most `max` characters, cut in the middle when too long so that both its start and its
/// end show (`Install the overflow…(basin 2)`): names that differ only at the end stay apart.
pub fn fit_middle(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    if max < 8 {
        return crate::widgets::fit_text(text, max);
    }
    let tail = (max - 1) / 3;
    let head = max - 1 - tail;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(n - tail).collect();
    format!("{}…{}", start.trim_end(), end.trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_in_the_middle_keeps_both_ends() {
        let a = fit_middle("Install the overflow sensor (basin 1)", 30);
        let b = fit_middle("Install the overflow sensor (basin 2)", 30);
        assert!(a.chars().count() <= 30, "{a}");
        assert_ne!(a, b);
        assert!(
            a.starts_with("Install the") && a.ends_with("(basin 1)"),
            "{a}"
        );
        assert_eq!(fit_middle("short", 30), "short");
        assert_eq!(fit_middle("abcdefghij", 5), "abcd…");
    }

    #[test]
    fn all_whole_when_they_fit_else_only_the_selected() {
        assert_eq!(entry_heights(&[2, 1, 3], 0, 6), vec![2, 1, 3]);
        assert_eq!(entry_heights(&[2, 1, 3], 2, 5), vec![1, 1, 3]);
        assert_eq!(entry_heights(&[0, 2], 1, 1), vec![1, 2]);
    }

    #[test]
    fn the_selected_entry_is_kept_whole_in_view() {
        let h = [1, 1, 1, 3, 1];
        // Selecting the tall entry from the top scrolls just enough to show all three of its rows.
        assert_eq!(scroll_to(&h, 3, 0, 4), 2);
        assert_eq!(scroll_to(&h, 3, 0, 5), 1);
        assert_eq!(scroll_to(&h, 3, 0, 3), 3);
        // Above the window: it becomes the first entry.
        assert_eq!(scroll_to(&h, 1, 3, 4), 1);
        // No empty rows at the bottom while entries above are hidden.
        assert_eq!(scroll_to(&h, 4, 4, 7), 0);
        assert_eq!(scroll_to(&[], 0, 3, 4), 0);
    }
}
