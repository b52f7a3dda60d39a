"""Lexical features: accent-insensitive TF-IDF over words and character n-grams, plus org tokens."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

# Function words carry no topic here; kept short because char n-grams already smooth morphology.
FRENCH_STOPWORDS = [
    "a",
    "au",
    "aux",
    "avec",
    "ce",
    "ces",
    "cet",
    "cette",
    "dans",
    "de",
    "des",
    "du",
    "elle",
    "en",
    "et",
    "est",
    "etre",
    "il",
    "ils",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lui",
    "mais",
    "me",
    "meme",
    "ne",
    "nos",
    "notre",
    "nous",
    "on",
    "ou",
    "par",
    "pas",
    "pour",
    "qu",
    "que",
    "qui",
    "sa",
    "se",
    "ses",
    "son",
    "sont",
    "sur",
    "ta",
    "te",
    "un",
    "une",
    "vos",
    "votre",
    "vous",
    "y",
    "d",
    "l",
    "n",
    "s",
    "c",
    "j",
    "m",
    "ont",
    "ete",
    "plus",
    "tout",
    "tous",
    "comme",
    "aussi",
    "entre",
]


def _org_tokens(orgs: Sequence[str] | None) -> list[str]:
    return ["".join(ch for ch in o.lower() if ch.isalnum()) for o in orgs or ()]


class LexicalFeatures:
    """Word 1–2-grams and char 3–5-grams (TF-IDF) concatenated with a bag of mentioned orgs."""

    def __init__(self, org_weight: float = 0.5):
        self.word = TfidfVectorizer(
            strip_accents="unicode",
            lowercase=True,
            ngram_range=(1, 2),
            sublinear_tf=True,
            stop_words=FRENCH_STOPWORDS,
            token_pattern=r"(?u)\b\w\w+\b",
        )
        self.char = TfidfVectorizer(
            strip_accents="unicode",
            lowercase=True,
            analyzer="char_wb",
            ngram_range=(3, 5),
            sublinear_tf=True,
            min_df=1,
        )
        self.orgs = TfidfVectorizer(analyzer=_org_tokens)
        self.org_weight = org_weight
        self._with_orgs = False

    def fit(self, texts: Sequence[str], orgs: Sequence[Sequence[str] | None]) -> LexicalFeatures:
        self.word.fit(texts)
        self.char.fit(texts)
        self._with_orgs = any(orgs)
        if self._with_orgs:
            self.orgs.fit(orgs)
        return self

    def text_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Unit-norm blend of word and char TF-IDF, for cosine similarity between texts."""
        blended = sparse.hstack([self.word.transform(texts), self.char.transform(texts)])
        return normalize(blended.tocsr())

    def transform(
        self, texts: Sequence[str], orgs: Sequence[Sequence[str] | None]
    ) -> sparse.csr_matrix:
        blocks = [self.word.transform(texts), self.char.transform(texts)]
        if self._with_orgs:
            blocks.append(self.org_weight * self.orgs.transform(orgs))
        return sparse.hstack(blocks).tocsr()


def cosine(a: sparse.spmatrix | np.ndarray, b: sparse.spmatrix | np.ndarray) -> np.ndarray:
    """Dense cosine-similarity matrix between the rows of two unit-norm matrices."""
    out = a @ b.T
    return out.toarray() if sparse.issparse(out) else np.asarray(out)
