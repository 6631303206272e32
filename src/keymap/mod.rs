//! Every key binding of the application, in one table.
//!
//! The same table resolves keys, draws the help overlay and fills the key bar, so every key that works
//! is documented and nothing shown is dead. A key stack lists the active contexts innermost first,
//! e.g. `[TextInput, Form, Session, Global]`; the innermost binding of a chord wins.

mod action;
mod chord;
mod context;
mod defaults;
mod priority;
pub mod scan;

pub use action::Action;
pub use chord::KeyChord;
pub use context::KeyContext;
pub use defaults::{Binding, DEFAULT_BINDINGS};
pub use priority::Priority;

use crossterm::event::{KeyEvent, KeyEventKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub context: KeyContext,
    pub chords: Vec<KeyChord>,
    pub action: Action,
    /// The chords of this line that the key bar shows (empty: the line is help-only).
    pub bar_chords: Vec<KeyChord>,
}

impl HelpLine {
    /// The chords joined for display, e.g. `F5/Ctrl-R`.
    pub fn keys(&self) -> String {
        join(&self.chords)
    }

    /// The chords the key bar shows, e.g. `Enter` where the help says `Enter/m`.
    pub fn bar_keys(&self) -> String {
        join(&self.bar_chords)
    }
}

fn join(chords: &[KeyChord]) -> String {
    chords
        .iter()
        .map(KeyChord::label)
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: DEFAULT_BINDINGS.to_vec(),
        }
    }
}

impl Keymap {
    pub fn new(bindings: Vec<Binding>) -> Keymap {
        Keymap { bindings }
    }

    pub fn all(&self) -> &[Binding] {
        &self.bindings
    }

    /// The action `key` triggers under `stack` (innermost context first).
    ///
    /// With a text field focused, printable keys belong to the field and resolve to nothing.
    pub fn resolve(&self, stack: &[KeyContext], key: KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let chord = KeyChord::from_event(key);
        if chord.is_text() && stack.contains(&KeyContext::TextInput) {
            return None;
        }
        stack.iter().find_map(|ctx| {
            self.bindings
                .iter()
                .find(|b| b.context == *ctx && b.chord == chord)
                .map(|b| b.action)
        })
    }

    /// Every binding that works under `stack`, innermost first. Chords shadowed by an inner context,
    /// and printable chords swallowed by a focused text field, are left out.
    pub fn bindings_for(&self, stack: &[KeyContext]) -> Vec<(KeyChord, Action)> {
        self.live(stack).map(|b| (b.chord, b.action)).collect()
    }

    /// The keys of `action` in `context`, as the help writes them (e.g. `v`), for hints in screen text.
    pub fn key_label(&self, context: KeyContext, action: Action) -> String {
        self.help(&[context])
            .into_iter()
            .flat_map(|(_, lines)| lines)
            .find(|l| l.action == action)
            .map(|l| l.keys())
            .unwrap_or_default()
    }

    /// The live bindings of `stack` grouped by context, each action with all its chords: the help.
    pub fn help(&self, stack: &[KeyContext]) -> Vec<(KeyContext, Vec<HelpLine>)> {
        let mut groups: Vec<(KeyContext, Vec<HelpLine>)> = Vec::new();
        for b in self.live(stack) {
            if groups.last().is_none_or(|(c, _)| *c != b.context) {
                groups.push((b.context, Vec::new()));
            }
            if let Some((_, lines)) = groups.last_mut() {
                let bar = b.bar.then_some(b.chord);
                if let Some(line) = lines.iter_mut().find(|l| l.action == b.action) {
                    line.chords.push(b.chord);
                    line.bar_chords.extend(bar);
                } else {
                    lines.push(HelpLine {
                        context: b.context,
                        chords: vec![b.chord],
                        action: b.action,
                        bar_chords: bar.into_iter().collect(),
                    });
                }
            }
        }
        groups
    }

    /// The items of the bottom key bar: the bar-marked lines of the help, innermost first, each with
    /// its first live bar chord only (`? Help`, or `F1 Help` while `?` types into a field).
    pub fn key_bar(&self, stack: &[KeyContext]) -> Vec<HelpLine> {
        self.help(stack)
            .into_iter()
            .flat_map(|(_, lines)| lines)
            .filter(|l| !l.bar_chords.is_empty())
            .map(|mut l| {
                l.bar_chords.truncate(1);
                l
            })
            .collect()
    }

    fn live<'a>(&'a self, stack: &'a [KeyContext]) -> impl Iterator<Item = &'a Binding> + 'a {
        let typing = stack.contains(&KeyContext::TextInput);
        stack.iter().enumerate().flat_map(move |(depth, ctx)| {
            self.bindings.iter().filter(move |b| {
                b.context == *ctx
                    && !(typing && b.chord.is_text())
                    && !stack[..depth].iter().any(|inner| {
                        self.bindings
                            .iter()
                            .any(|o| o.context == *inner && o.chord == b.chord)
                    })
            })
        })
    }
}

#[cfg(test)]
mod tests;
