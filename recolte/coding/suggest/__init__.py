"""Suggest thematic codes for passages; measure how well the suggestions match human coding."""

from .codebook import LEVEL_DEFINITIONS, Codebook
from .embedding import e5_embedders, hashing_embed
from .evaluate import cross_validate, evaluate, ranking_metrics
from .model import Embed, SuggestConfig, SuggestedCode, Suggester

__all__ = [
    "LEVEL_DEFINITIONS",
    "Codebook",
    "Embed",
    "SuggestConfig",
    "Suggester",
    "SuggestedCode",
    "cross_validate",
    "e5_embedders",
    "evaluate",
    "hashing_embed",
    "ranking_metrics",
]
