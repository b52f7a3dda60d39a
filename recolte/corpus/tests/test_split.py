from recolte.collection.ingest.text import normalise
from recolte.corpus.split import MAX_CHARS, split, split_cues
from recolte.corpus.text import guess_language


def texts(text, **kw):
    return [(p.kind, text[p.start : p.end]) for p in split(text, **kw)]


def test_paragraphs_lists_headings_and_exact_offsets_with_accents_and_emoji():
    text = normalise(
        "Leçons apprises\r\n\r\nÀ Ménaka, les 🌍 femmes ont créé un puits.\r\n\r\n"
        "Trois leçons :\r\n- écouter\r\n- oser 🙂\r\n1. partager\r\n\r\nFin du récit."
    )
    parts = split(text)
    assert [p.kind for p in parts] == ["heading", "paragraph", "list", "paragraph"]
    for p in parts:
        assert text[p.start : p.end] == text[p.start : p.end].strip()
    assert text[parts[1].start : parts[1].end] == "À Ménaka, les 🌍 femmes ont créé un puits."
    assert text[parts[2].start : parts[2].end].endswith("1. partager")


def test_long_paragraph_is_cut_at_sentence_boundaries():
    sentence = "Les partenaires ont appris à se connaître avant de coopérer vraiment. "
    text = (sentence * 60).strip()
    parts = split(text)
    assert len(parts) >= 3
    assert all(p.end - p.start <= MAX_CHARS for p in parts)
    assert all(text[p.start : p.end].endswith(".") for p in parts)
    assert parts[0].start == 0 and parts[-1].end == len(text)


def test_french_sentences_come_from_spacy():
    text = ("M. Diallo a dit : « Le programme avance. » Puis il est parti. " * 40).strip()
    parts = split(text, french=True)
    assert len(parts) > 1
    assert all(text[p.start : p.end].endswith((".", "»")) for p in parts)


def test_transcript_gives_one_passage_per_speaker_turn():
    text = "Entretien du 3 mai\n\nAwa : Nous avons creusé.\nC'était long.\n\nMoussa: Oui, très."
    parts = split(text, transcript=True)
    turns = [p for p in parts if p.kind == "turn"]
    assert [(p.speaker, text[p.start : p.end]) for p in turns] == [
        ("Awa", "Awa : Nous avons creusé.\nC'était long."),
        ("Moussa", "Moussa: Oui, très."),
    ]


def test_cues_grouped_by_speaker():
    text = "Awa: un\n\nAwa: deux\n\nBen: trois"
    cues = [[0, 1, "Awa", 0, 7], [1, 2, "Awa", 9, 18], [2, 3, "Ben", 20, 30]]
    parts = split_cues(text, cues)
    assert [(p.speaker, text[p.start : p.end]) for p in parts] == [
        ("Awa", "Awa: un\n\nAwa: deux"),
        ("Ben", "Ben: trois"),
    ]


def test_language_guess():
    assert (
        guess_language("Les femmes de la commune ont construit un puits pour le village.") == "fr"
    )
    assert guess_language("The women of the village built a well with their own hands.") == "en"
    assert guess_language("Las mujeres del pueblo construyeron un pozo para la escuela.") == "es"
    assert guess_language("GRDR", default="fr") == "fr"
