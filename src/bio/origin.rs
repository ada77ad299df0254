//! Where a fact or an event was read: the infobox, or a sentence of the text.

use serde::Serialize;

/// Where a fact or an event came from (`{"kind": "infobox"}` or `{"kind": "text", …}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    /// The page's infobox.
    #[default]
    Infobox,
    /// A sentence of the text.
    Text(TextOrigin),
}

/// A sentence of the text a fact was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextOrigin {
    /// The section's stable id (the wiki layer names it; empty until then).
    pub section: String,
    /// The section's index in the page (0 for the lead).
    #[serde(skip)]
    pub section_index: usize,
    /// The sentence's bytes in the stored text, `[start, end)`.
    pub span: [usize; 2],
    /// The sentence, as plain text (left out of everyone's timeline, which does not store it).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sentence: String,
}

impl Origin {
    /// The text origin, if the fact was read from a sentence.
    pub fn text(&self) -> Option<&TextOrigin> {
        match self {
            Self::Infobox => None,
            Self::Text(t) => Some(t),
        }
    }

    /// `infobox` or `text`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Infobox => "infobox",
            Self::Text(_) => "text",
        }
    }
}

/// The longest sentence kept with a fact, in characters.
pub const MAX_SENTENCE_CHARS: usize = 400;

impl TextOrigin {
    /// The origin of a fact read from `sentence`.
    pub fn of(sentence: &super::prose::Sentence) -> Self {
        let cut = sentence
            .text
            .char_indices()
            .nth(MAX_SENTENCE_CHARS)
            .map_or(sentence.text.len(), |(at, _)| at);
        let mut text = sentence.text[..cut].to_owned();
        if cut < sentence.text.len() {
            text.push('…');
        }
        Self {
            sentence: text,
            ..Self::without_sentence(sentence)
        }
    }

    /// [`TextOrigin::of`] without the sentence's text: its section and span only, as stored.
    pub fn without_sentence(sentence: &super::prose::Sentence) -> Self {
        Self {
            section: String::new(),
            section_index: sentence.section,
            span: [sentence.span.0, sentence.span.1],
            sentence: String::new(),
        }
    }
}
