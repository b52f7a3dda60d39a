"""Answer types beyond text (multiple choice, number, date, scale, yes/no) and skip logic."""

import csv
import io
from datetime import date
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from recolte.collection import services as svc
from recolte.collection.answer_table import answers_table
from recolte.collection.forms_campaigns import QuestionForm
from recolte.collection.models import Response
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.testing import PASSWORD


def _add(campaign, text, answer_type, **fields):
    return svc.question_add(campaign=campaign, text_fr=text, answer_type=answer_type, **fields)


def _response(campaign, world):
    return svc.response_for(campaign, world.lead, Response.Channel.BROWSER)


def _refused(response, question, text) -> str:
    with pytest.raises(ValidationError) as refused:
        svc.answer_save(response=response, question=question, text=text)
    assert not response.answers.filter(question=question).exclude(text="").exists()
    return " ".join(refused.value.messages)


@pytest.fixture
def typed(world):
    """The logbook plus one question of each new type."""
    campaign = logbook(world)
    return campaign, {
        "multiple": _add(campaign, "Avec qui ?", "multiple", choices="Mairie\nÉcole\nSyndicat"),
        "number": _add(campaign, "Combien ?", "number", minimum=0, maximum=500),
        "date": _add(campaign, "Quand ?", "date"),
        "scale": _add(campaign, "Utile ?", "scale", scale_low="Pas du tout", scale_high="Très"),
        "yes_no": _add(campaign, "Réunion tenue ?", "yes_no"),
    }


def test_each_type_stores_a_clean_value(world, typed):
    campaign, q = typed
    response = _response(campaign, world)
    cases = {
        "multiple": ("École\nMairie\nÉcole", "École\nMairie"),
        "number": (" 12,50 ", "12.5"),
        "date": ("2026-03-04", "2026-03-04"),
        "scale": ("4", "4"),
        "yes_no": ("no", "no"),
    }
    for kind, (given, stored) in cases.items():
        assert svc.answer_save(response=response, question=q[kind], text=given).text == stored


@pytest.mark.parametrize(
    ("kind", "given", "says"),
    [
        ("multiple", "Mairie\nPréfecture", "Choisissez parmi"),
        ("number", "501", "au plus 500"),
        ("number", "-1", "au moins 0"),
        ("number", "douze", "Saisissez un nombre"),
        ("number", "NaN", "Saisissez un nombre"),
        ("number", "1e400", "Saisissez un nombre"),
        ("number", "1e-999999999", "Saisissez un nombre"),
        ("number", "Infinity", "Saisissez un nombre"),
        ("date", "2026-02-30", "date valide"),
        ("date", "04/03/2026", "date valide"),
        ("date", "20260304", "date valide"),
        ("scale", "6", "de 1 à 5"),
        ("scale", "2.5", "de 1 à 5"),
        ("yes_no", "peut-être", "Choisissez parmi"),
    ],
)
def test_hostile_answers_are_refused_in_the_respondents_language(world, typed, kind, given, says):
    campaign, q = typed
    with translation.override("fr"):
        assert says in _refused(_response(campaign, world), q[kind], given)


def test_refusals_speak_english_too(world, typed):
    campaign, q = typed
    with translation.override("en"):
        assert "at most 500" in _refused(_response(campaign, world), q["number"], "900")


def test_figures_stay_out_of_the_text_corpus(world, typed):
    """Numbers, dates, scales and yes/no are structured answers, not passages to search."""
    campaign, q = typed
    response = _response(campaign, world)
    svc.answer_save(response=response, question=first_question(campaign), text="Avec la mairie.")
    svc.answer_save(response=response, question=q["multiple"], text="Mairie\nSyndicat")
    for kind, text in (("number", "42"), ("date", "2026-03-04"), ("scale", "5"), ("yes_no", "yes")):
        svc.answer_save(response=response, question=q[kind], text=text)
    svc.response_submit(response=response)
    text = Response.objects.get(pk=response.pk).resource.current.text
    assert "Avec la mairie." in text and "Avec qui ?\n\nMairie; Syndicat" in text
    for hidden in ("Combien", "42", "Quand", "2026", "Utile", "Réunion tenue"):
        assert hidden not in text


@pytest.fixture
def conditional(world):
    """Q3 yes/no; Q4 (required) shown only if Q3 is yes; Q5 shown only if Q4 is "Ateliers"."""
    campaign = logbook(world)
    gate = _add(campaign, "Une réunion a-t-elle eu lieu ?", "yes_no")
    asked = _add(
        campaign,
        "Sous quelle forme ?",
        "choice",
        choices="Ateliers\nPlénière",
        required=True,
        show_if=gate,
        show_if_values="yes",
    )
    deeper = _add(
        campaign, "Combien d'ateliers ?", "number", show_if=asked, show_if_values="Ateliers"
    )
    return campaign, gate, asked, deeper


def test_unmet_condition_makes_a_question_neither_required_nor_stored(world, conditional):
    campaign, gate, asked, deeper = conditional
    response = _response(campaign, world)
    svc.answer_save(response=response, question=first_question(campaign), text="Oui.")
    assert svc.missing_answers(response) == []  # gate unanswered: the required one is not asked
    svc.answer_save(response=response, question=gate, text="no")
    assert svc.answer_save(response=response, question=asked, text="Ateliers").text == ""
    svc.answer_save(response=response, question=gate, text="yes")
    assert svc.missing_answers(response) == [asked]
    svc.answer_save(response=response, question=asked, text="Ateliers")
    svc.answer_save(response=response, question=deeper, text="3")
    # The condition changes after the answers: they are dropped at submission, chain included.
    svc.answer_save(response=response, question=gate, text="no")
    assert svc.missing_answers(response) == []
    svc.response_submit(response=response)
    assert set(response.answers.exclude(text="").values_list("question_id", flat=True)) == {
        first_question(campaign).pk,
        gate.pk,
    }
    assert "Sous quelle forme" not in response.resource.current.text


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_conditions_only_on_earlier_choice_questions(world, conditional, english):
    campaign, gate, asked, deeper = conditional
    text_question = first_question(campaign)
    with pytest.raises(ValidationError, match="choice or yes/no"):
        _add(campaign, "Et ?", "long_text", show_if=text_question, show_if_values="x")
    with pytest.raises(ValidationError, match="Choose the answers"):
        _add(campaign, "Et ?", "long_text", show_if=gate, show_if_values="maybe")
    # A cycle would need a question to depend on a later one: refused, by edit or by move.
    with pytest.raises(ValidationError, match="earlier question"):
        svc.question_update(question=gate, show_if=asked, show_if_values="Ateliers")
    with pytest.raises(ValidationError, match="earlier question"):
        svc.question_update(question=asked, show_if=asked, show_if_values="Ateliers")
    with pytest.raises(ValidationError, match="stay after"):
        svc.question_move(question=asked, step=-1)
    with pytest.raises(ValidationError, match="must stay a choice"):
        svc.question_update(question=gate, answer_type="long_text")
    with pytest.raises(ValidationError, match="change their condition first"):
        svc.question_delete(question=gate)


def test_question_form_offers_earlier_choice_answers_only(world, conditional, english):
    campaign, gate, asked, deeper = conditional
    form = QuestionForm(instance=asked, campaign=campaign)
    offered = [
        value for _group, options in form.fields["condition"].choices for value, _ in options
    ]
    assert offered == [f"{gate.pk}:yes", f"{gate.pk}:no"]
    assert form.initial["condition"] == [f"{gate.pk}:yes"]
    two = QuestionForm(
        {
            "text_fr": "Q",
            "answer_type": "short_text",
            "condition": [f"{gate.pk}:no", f"{asked.pk}:Ateliers"],
        },
        campaign=campaign,
    )
    assert not two.is_valid() and "condition" in two.errors
    wrong = QuestionForm(
        {"text_fr": "Q", "answer_type": "number", "minimum": "5", "maximum": "1"}, campaign=campaign
    )
    assert wrong.is_valid()
    with pytest.raises(ValidationError, match="minimum is greater"):
        svc.question_add(campaign=campaign, **wrong.cleaned_data)


def test_answers_export_has_typed_columns(client, world, typed):
    campaign, q = typed
    response = _response(campaign, world)
    svc.answer_save(response=response, question=first_question(campaign), text="=1+1 texte")
    svc.answer_save(response=response, question=q["multiple"], text="Mairie\nÉcole")
    svc.answer_save(response=response, question=q["number"], text="12.5")
    svc.answer_save(response=response, question=q["yes_no"], text="yes")
    svc.answer_save(response=response, question=q["date"], text="2026-03-04")
    with translation.override("en"):
        header, rows = answers_table(campaign, campaign.responses.all())
    assert header[:3] == ["organisation", "status", "submitted"]
    assert header[3:] == [
        f"{n}. {t}"
        for n, t in enumerate(
            [
                "Which cooperations did you build this quarter?",
                "Quelles questions restent ouvertes ?",
                "Avec qui ?",
                "Combien ?",
                "Quand ?",
                "Utile ?",
                "Réunion tenue ?",
            ],
            start=1,
        )
    ]
    row = rows[0]
    assert row[5:] == ["Mairie; École", Decimal("12.5"), date(2026, 3, 4), "", "Yes"]
    client.login(username=world.users["team"].username, password=PASSWORD)
    url = reverse("collection:answers_export", args=["prog", campaign.pk, "csv"])
    table = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert table[1][3] == "'=1+1 texte"  # formula neutralised by the one writer
    assert table[1][6] == "12.5"
    outsider = client.login(username=world.users["outsider"].username, password=PASSWORD)
    assert outsider and client.get(url).status_code in (403, 404)


def test_answering_page_renders_each_type_and_condition(client, world, conditional):
    campaign, gate, asked, deeper = conditional
    client.login(username=world.users["contributor"].username, password=PASSWORD)
    page = client.get(reverse("collection:respond", args=["prog", campaign.pk])).content.decode()
    assert "<legend>3. Une réunion a-t-elle eu lieu ?</legend>" in page
    assert f'data-show-if="q-{gate.pk}" data-show-values="yes"' in page
    assert "Seulement si la réponse à la question 3 est «\u00a0Oui\u00a0»" in page
    save = reverse("collection:respond_save", args=["prog", campaign.pk])
    refused = client.post(save, {f"q-{deeper.pk}": "x", f"q-{gate.pk}": "yes"}, HTTP_X_AUTOSAVE="1")
    assert refused.status_code == 409 and "5. Combien" in refused.json()["error"]
    assert refused.json()["saved"] == [gate.pk]  # the valid answer is kept


def test_a_document_fills_typed_answers_and_leaves_bad_ones_to_check(world, typed):
    campaign, q = typed
    document = docx.Document()
    for line in ("Réunion tenue ?", "Oui, en mars.", "Combien ?", "une vingtaine"):
        document.add_paragraph(line)
    document.add_paragraph("Avec qui ?")
    document.add_paragraph("Mairie, Syndicat")
    out = io.BytesIO()
    document.save(out)
    outcome = svc.docx_answer_parse(response=_response(campaign, world), data=out.getvalue())
    answers = dict(Response.objects.get().answers.values_list("question_id", "text"))
    assert answers[q["yes_no"].pk] == "yes"
    assert answers[q["multiple"].pk] == "Mairie\nSyndicat"
    assert q["number"] in outcome.unmatched and not answers.get(q["number"].pk)
