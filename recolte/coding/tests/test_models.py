import pytest
from django.db import IntegrityError

from recolte.coding.models import Code, Coding, Memo
from recolte.collection.models import Resource, ResourceVersion


def make_version(world, text="Bonjour le monde"):
    resource = Resource.objects.create(programme=world.programme, title="R")
    return ResourceVersion.objects.create(resource=resource, number=1, text=text)


def test_coding_span_must_be_non_empty(world):
    version = make_version(world)
    code = Code.objects.create(programme=world.programme, key="k", name="K")
    Coding.objects.create(version=version, start=0, end=3, code=code)
    with pytest.raises(IntegrityError):
        Coding.objects.create(version=version, start=3, end=3, code=code)


def test_memo_has_exactly_one_target(world):
    code = Code.objects.create(programme=world.programme, key="k", name="K")
    version = make_version(world)
    with pytest.raises(IntegrityError):
        Memo.objects.create(
            programme=world.programme, code=code, resource=version.resource, text="x"
        )
