"""The suggestion model: train a programme's model, store it, fill the suggestion table.

The machine learning lives in `recolte.coding.suggest` (pure, no Django); this module adapts the
programme's codebook and codings to it and stores the fitted model. Training and refreshing embed
text, so they run in the task worker (`tasks_suggest`); deciding (`suggestions`) never does.
"""

from __future__ import annotations

import copy
import pickle
import zlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

import numpy as np
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from recolte.coding.models import Code, Coding, Suggestion, SuggestionModel
from recolte.coding.selectors import current_model
from recolte.coding.suggest import Codebook, Suggester, ranking_metrics
from recolte.coding.suggest.model import CALIBRATION_FOLDS
from recolte.corpus import engine as corpus_engine
from recolte.corpus.models import Passage, PassageVector
from recolte.registry.models import Programme

NAME = "recolte-suggest"
# Bump when the way passages and codes are turned into training rows, or the pickled classes,
# change (rows-2: suggest.codebook.Code became CodeSpec; rows-3: calibration attributes).
FEATURES = "rows-3"
TOP_K = 3
BATCH = 128
# A queued or running training older than this is presumed lost (worker stopped).
STALE = timedelta(minutes=30)
PENDING = Suggestion.Status.PENDING


# --- adapting the programme to the pure model -------------------------------------------------


def codebook_of(programme: Programme) -> Codebook:
    """The programme's code tree as the suggester sees it (description counts as a question)."""
    codes = Code.objects.filter(programme=programme).select_related("parent").order_by("pk")
    return Codebook(
        [
            {
                "id": c.key,
                "label": c.name,
                "parent": c.parent.key if c.parent else None,
                "kind": c.kind,
                "questions": [q for q in [c.description.strip(), *c.question_list()] if q],
            }
            for c in codes
        ]
    )


def _orgs(passage: Passage) -> list[str]:
    return sorted({m.organisation.label for m in passage.mentions.all() if m.organisation})


def training_rows(programme: Programme) -> list[dict]:
    """One row per distinct (text, code): the coding's passage text, else the coded span."""
    codings = (
        Coding.objects.filter(code__programme=programme)
        .select_related("code", "version", "passage", "coder")
        .prefetch_related("passage__mentions__organisation")
        .order_by("pk")
    )
    rows: dict[tuple[str, str], dict] = {}
    for c in codings:
        text = c.passage.text if c.passage else c.text
        orgs = _orgs(c.passage) if c.passage else []
        rows.setdefault(
            (text, c.code.key),
            {
                "text": text,
                "code": c.code.key,
                "orgs": orgs,
                "passage": c.passage_id,
                "coder": c.coder.get_username() if c.coder else "",
            },
        )
    return list(rows.values())


class Vectors:
    """The corpus embedder, reusing the vectors the corpus already stored for passages."""

    def __init__(self, programme: Programme):
        self.engine = corpus_engine.embedder()
        self.programme = programme
        self.known: dict[str, np.ndarray] = {}
        self.features = f"{self.engine.name} {self.engine.version} {FEATURES}"

    def prime(self, passage_ids: Iterable[int]) -> None:
        stored = PassageVector.objects.filter(
            passage_id__in=list(passage_ids),
            model=self.engine.name,
            model_version=self.engine.version,
        ).select_related("passage")
        for v in stored:
            self.known[v.passage.text] = v.array()

    def passages(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            vecs = np.asarray(self.engine.passages(missing), dtype=np.float32)
            self.known.update(zip(missing, vecs, strict=True))
        return np.stack([self.known[t] for t in texts])

    def query(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.engine.query(texts), dtype=np.float32)


# --- storing the fitted model --------------------------------------------------------------------


def _dump(suggester: Suggester) -> bytes:
    """Pickle the learnt state only, without the embedding function: it holds the engine (torch
    modules, ctypes handles), which cannot be pickled. `load` attaches the embedder again."""
    clone = copy.copy(suggester)
    clone.embed = None
    clone.out_of_fold = None
    return zlib.compress(
        pickle.dumps(({"embed": "passages"}, clone), protocol=pickle.HIGHEST_PROTOCOL)
    )


def load(model: SuggestionModel, vectors: Vectors) -> Suggester:
    with model.file.open("rb") as fh:
        data = fh.read()
    # The file is written only by `model_train`, into our own media storage.
    slots, suggester = pickle.loads(zlib.decompress(data))  # noqa: S301
    for attr, role in slots.items():
        setattr(suggester, attr, getattr(vectors, role))
    return suggester


def _metrics(codebook: Codebook, suggester: Suggester) -> dict:
    """Cross-validated accuracy of this fit (the out-of-fold predictions its calibration made),
    and of the codebook alone on the same codings; none below the calibration's minimum."""
    if suggester.out_of_fold is None:
        return {}
    scores, gold, texts = suggester.out_of_fold
    result = {
        "supervised": ranking_metrics(codebook, scores, gold),
        "zero_shot": ranking_metrics(codebook, suggester.zero_shot_scores(texts), gold),
    }
    return {
        "folds": CALIBRATION_FOLDS,
        **{
            f"{method}_{level}_{metric}": round(result[method][level][metric], 4)
            for method in ("zero_shot", "supervised")
            for level, metric in (("leaf", "top1"), ("leaf", "top3"), ("section", "top1"))
        },
    }


# --- training ------------------------------------------------------------------------------------


def in_flight(programme: Programme) -> SuggestionModel | None:
    return (
        SuggestionModel.objects.filter(
            programme=programme,
            status__in=[SuggestionModel.Status.QUEUED, SuggestionModel.Status.TRAINING],
            created__gte=timezone.now() - STALE,
        )
        .order_by("-version")
        .first()
    )


def model_request(*, programme: Programme) -> SuggestionModel | None:
    """A queued model row to train, or None when a training is already queued or running."""
    if in_flight(programme) is not None:
        return None
    last = SuggestionModel.objects.filter(programme=programme).aggregate(v=Max("version"))["v"]
    try:
        with transaction.atomic():
            return SuggestionModel.objects.create(
                programme=programme, name=NAME, version=(last or 0) + 1
            )
    except IntegrityError:  # another request took this version number at the same moment
        return None


def model_train(*, programme: Programme, model: SuggestionModel | None = None) -> SuggestionModel:
    """Fit a suggester on the programme's codings (zero-shot when there are none) and store it."""
    model = model or model_request(programme=programme)
    if model is None:
        raise ValidationError(_("A training of the suggestion model is already under way."))
    model.status = SuggestionModel.Status.TRAINING
    model.save(update_fields=["status"])
    n_codings = Coding.objects.filter(code__programme=programme).count()
    codebook = codebook_of(programme)
    rows = training_rows(programme)
    vectors = Vectors(programme)
    vectors.prime(r["passage"] for r in rows if r["passage"])
    suggester = Suggester(codebook, vectors.passages, vectors.query).fit(rows)
    data = _dump(suggester)
    model.file.save(f"{programme.slug}-{model.version}.pickle.z", ContentFile(data), save=False)
    model.metrics = _metrics(codebook, suggester)
    if suggester.high_threshold is not None:
        # top-1 scores at or above it were right 85 % of the time out of fold (calibration.py)
        model.metrics["high_threshold"] = suggester.high_threshold
    if suggester.agreement:  # the assistant as a coder, shown on the agreement page
        model.metrics["assistant_kappa"] = suggester.agreement
        model.metrics["chance_codes"] = sorted(suggester.chance_codes)
    model.features_version = vectors.features
    model.n_training, model.n_codings = len(rows), n_codings
    model.trained_at = timezone.now()
    model.status = SuggestionModel.Status.READY
    model.save()
    # Older files are never loaded again; their rows stay as the history of the assistant.
    for old in SuggestionModel.objects.filter(programme=programme, version__lt=model.version):
        if old.file:
            old.file.delete()
    return model


# --- suggesting ----------------------------------------------------------------------------------


def _excluded(passage_ids: list[int]) -> dict[int, set[int]]:
    """Per passage, the codes already applied to it or rejected for it."""
    out: dict[int, set[int]] = defaultdict(set)
    applied = Coding.objects.filter(passage_id__in=passage_ids).values_list("passage_id", "code_id")
    rejected = Suggestion.objects.filter(
        passage_id__in=passage_ids, status=Suggestion.Status.REJECTED
    ).values_list("passage_id", "code_id")
    for passage_id, code_id in [*applied, *rejected]:
        out[passage_id].add(code_id)
    return out


def suggestions_refresh(
    *, programme: Programme, passages: Iterable[Passage] | None = None, k: int = TOP_K
) -> int:
    """Replace pending suggestions with the current model's top `k` codes; return how many.

    By default for every live passage without codings; for given passages even when coded (the
    codes already applied, or rejected before, are never proposed again).
    """
    model = current_model(programme)
    if model is None or not model.file:
        return 0
    vectors = Vectors(programme)
    if model.features_version != vectors.features:
        return 0  # fitted with another embedder: the next training replaces it
    suggester = load(model, vectors)
    found = Passage.objects.filter(programme=programme, retired_in__isnull=True).exclude(
        kind__in=[Passage.Kind.HEADING, Passage.Kind.PROMPT]  # titles and questions: no codes
    )
    if passages is None:
        found = found.filter(codings__isnull=True)
    else:
        found = found.filter(pk__in=[p.pk for p in passages])
    # Reading order, so that each resource's passages are scored with their neighbours.
    ids = list(found.order_by("resource_id", "ordinal").values_list("pk", flat=True))
    codes = {c.key: c for c in Code.objects.filter(programme=programme)}
    keys = suggester.codebook.ids
    # codes on which the assistant is no better than chance are not suggested
    codable = np.array(
        [key in codes and codes[key].codable and key not in suggester.chance_codes for key in keys]
    )
    excluded = _excluded(ids)
    Suggestion.objects.filter(passage_id__in=ids, status=PENDING).delete()
    made = 0
    for i in range(0, len(ids), BATCH):
        chunk = list(
            Passage.objects.filter(pk__in=ids[i : i + BATCH])
            .prefetch_related("mentions__organisation")
            .order_by("resource_id", "ordinal")
        )
        vectors.prime(p.pk for p in chunk)
        scores = suggester.scores(
            [p.text for p in chunk], [_orgs(p) for p in chunk], [p.resource_id for p in chunk]
        )
        new = []
        for passage, row in zip(chunk, scores, strict=True):
            allowed = codable & np.array(
                [
                    codes[key].pk not in excluded[passage.pk] if key in codes else False
                    for key in keys
                ]
            )
            ranked = [j for j in np.argsort(-row, kind="stable") if allowed[j]][:k]
            new += [
                Suggestion(
                    passage=passage,
                    code=codes[keys[j]],
                    model=model,
                    score=float(row[j]),
                    rank=rank,
                )
                for rank, j in enumerate(ranked, start=1)
            ]
        Suggestion.objects.bulk_create(new)
        made += len(new)
    return made
