"""Background (re)training of the suggestion model as a programme's codings grow."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task

from recolte.coding.models import Coding, SuggestionModel
from recolte.coding.selectors import current_model
from recolte.coding.services.training import (
    in_flight,
    model_request,
    model_train,
    suggestions_refresh,
)
from recolte.registry.models import Programme


def retrain_every() -> int:
    """New codings since the last model that trigger a retraining."""
    return int(getattr(settings, "RECOLTE_SUGGEST_RETRAIN_EVERY", 20))


@task()
def retrain_task(model_id: int) -> int:
    """Train the queued model, then refresh the suggestions; return how many were made."""
    model = SuggestionModel.objects.select_related("programme").get(pk=model_id)
    try:
        model = model_train(programme=model.programme, model=model)
    except Exception as error:
        # Shown on the review page; the task result keeps the traceback.
        SuggestionModel.objects.filter(pk=model_id).update(
            status=SuggestionModel.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    return suggestions_refresh(programme=model.programme)


def retrain(programme: Programme) -> SuggestionModel | None:
    """Queue a training of the programme's model (None if one is already on its way)."""
    model = model_request(programme=programme)
    if model is not None:
        retrain_task.enqueue(model.pk)
    return model


def retrain_if_grown(programme_id: int) -> SuggestionModel | None:
    programme = Programme.objects.get(pk=programme_id)
    if in_flight(programme) is not None:
        return None
    last = current_model(programme)
    codings = Coding.objects.filter(code__programme=programme).count()
    if codings - (last.n_codings if last else 0) < retrain_every():
        return None
    return retrain(programme)


def on_coding_saved(sender, instance: Coding, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        programme_id = instance.code.programme_id
        # After commit: the worker must see the coding, and a rolled-back one must not count.
        transaction.on_commit(lambda: retrain_if_grown(programme_id))


def connect() -> None:
    post_save.connect(on_coding_saved, sender=Coding, dispatch_uid="coding-suggest-retrain")
