"""Suggest thematic codes for passages; measure how well the suggestions match human coding."""

from .codebook import LEVEL_DEFINITIONS, Codebook
from .embedding import disk_cached, e5_embedders, hashing_embed
from .evaluate import cross_validate, evaluate, learning_curve, ranking_metrics
from .model import Embed, SuggestConfig, SuggestedCode, Suggester

__all__ = [
    "LEVEL_DEFINITIONS",
    "Codebook",
    "Embed",
    "SuggestConfig",
    "Suggester",
    "SuggestedCode",
    "cross_validate",
    "disk_cached",
    "e5_embedders",
    "evaluate",
    "hashing_embed",
    "learning_curve",
    "ranking_metrics",
]
