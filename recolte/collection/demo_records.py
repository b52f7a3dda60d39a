"""Demo records for the demo programme: our own French sample text, loaded idempotently."""

import datetime

from django.db import transaction

from recolte.collection.instruments import Instrument, recorded
from recolte.collection.models import Confidentiality, Record
from recolte.collection.services import RecordText, box_create, record_save
from recolte.registry.models import Organisation, Programme

INTERVIEW_GRDR = """\
Enquêtrice : Comment les associations de migrants participent-elles au projet aujourd'hui ?

Animatrice : Au début, elles finançaient surtout des équipements dans leur village d'origine. \
Depuis deux ans, elles siègent au comité de pilotage et proposent elles-mêmes les activités.

Enquêtrice : Qu'est-ce qui a rendu ce changement possible ?

Animatrice : Les réunions mensuelles à Montreuil et à Kayes, tenues en même temps par \
visioconférence. Les membres de la diaspora voient les comptes et les décisions en direct, \
ce qui a rétabli la confiance après une année difficile.

Enquêtrice : Et les difficultés ?

Animatrice : La connexion reste fragile à Kayes, et les jeunes prennent peu la parole. \
Nous essayons de leur confier la préparation des ordres du jour.
"""

INTERVIEW_AGRISUD = """\
Question : Quelles pratiques agroécologiques ont été adoptées par les maraîchers ?

Réponse : Le compost de fumier et de résidus de récolte est maintenant généralisé dans les \
trois périmètres. Les producteurs ont réduit de moitié leurs achats d'engrais chimiques.

Question : Comment la formation a-t-elle été organisée ?

Réponse : Par des parcelles de démonstration tenues par des paysans relais. Les visites \
entre pairs ont convaincu davantage que les sessions en salle.
"""

MEETING_NOTES = """\
Visite du centre d'activités de Konséguéla avec l'équipe du projet et le comité de gestion.

Le centre fournit l'électricité solaire à une vingtaine d'artisans : soudeurs, couturières, \
meuniers. Le comité tient un registre des paiements affiché sur le mur de la salle commune.

Les artisans ont décrit la baisse de leurs dépenses en carburant et l'allongement des heures \
de travail. Le comité souhaite étendre le réseau à l'école voisine.
"""

BOXES = (
    (
        "Un registre affiché pour gagner la confiance",
        "Le comité de gestion a choisi d'afficher chaque mois les paiements de tous les usagers. "
        "Les retards ont diminué dès le deuxième mois, car chacun voit que les règles "
        "s'appliquent à tous.",
    ),
    (
        "La couturière qui travaille le soir",
        "Grâce à l'éclairage, une couturière termine ses commandes après la tombée de la nuit. "
        "Elle a embauché une apprentie et forme désormais deux jeunes filles du quartier.",
    ),
)

WORKSHOP_MINUTES = """\
Atelier de capitalisation sur les dispositifs de formation professionnelle.

Présentation des trois dispositifs étudiés : l'apprentissage en atelier, les chantiers écoles \
et la formation en alternance avec les entreprises locales.

Travail en groupes : chaque groupe a identifié ce qui a favorisé l'insertion des jeunes. \
Le suivi après la formation revient dans tous les groupes comme le facteur décisif.

Conclusions : rédiger une fiche par dispositif et la partager avec les fonds nationaux \
d'appui à la formation avant la fin de l'année.
"""

VIDEO_VTT = """\
WEBVTT

00:00:01.000 --> 00:00:06.000
<v Déléguée syndicale>Dans les plantations, les ouvriers manipulent des produits dangereux.

00:00:06.500 --> 00:00:12.000
<v Déléguée syndicale>Avec la formation, nous avons obtenu des équipements de protection.

00:00:12.500 --> 00:00:18.000
<v Ouvrier>Maintenant nous savons à qui nous adresser quand un collègue est malade.
"""


def _org(programme: Programme, name: str) -> Organisation | None:
    return (
        programme.organisations.filter(acronym__iexact=name).first()
        or programme.organisations.filter(name__iexact=name).first()
    )


def _pilot(programme: Programme, code: str):
    return programme.pilot_operations.filter(code=code).first()


@transaction.atomic
def load_demo_records(programme: Programme) -> None:
    """Two interviews, an on-site meeting with two boxes, a workshop and a video (idempotent)."""
    specs = (
        (
            Instrument.INTERVIEW,
            "Entretien avec l'animatrice du programme migrants",
            "GRDR",
            "grdr-migrants",
            datetime.date(2025, 3, 12),
            "Kayes",
            RecordText(text=INTERVIEW_GRDR),
        ),
        (
            Instrument.INTERVIEW,
            "Entretien sur les pratiques agroécologiques",
            "Agrisud",
            "",
            datetime.date(2025, 4, 3),
            "",
            RecordText(text=INTERVIEW_AGRISUD),
        ),
        (
            Instrument.SITE_MEETING,
            "Visite du centre d'activités de Konséguéla",
            "GERES",
            "geres-konseguela",
            datetime.date(2025, 2, 20),
            "Konséguéla",
            RecordText(text=MEETING_NOTES),
        ),
        (
            Instrument.WORKSHOP,
            "Atelier sur les dispositifs de formation",
            "ESSOR",
            "essor-formation",
            datetime.date(2025, 5, 15),
            "Paris",
            RecordText(text=WORKSHOP_MINUTES),
        ),
        (
            Instrument.VIDEO,
            "Vidéo : la santé au travail dans la filière banane",
            "CGT",
            "cgt-banane",
            datetime.date(2025, 6, 2),
            "",
            RecordText(upload=("sante-travail.vtt", VIDEO_VTT.encode())),
        ),
    )
    for instrument, title, org_name, pilot_code, day, place, content in specs:
        if Record.objects.filter(programme=programme, title=title).exists():
            continue
        organisation = _org(programme, org_name)
        people = list(organisation.people.all()[:2]) if organisation else []
        record = Record(
            programme=programme,
            instrument=instrument,
            title=title,
            date=day,
            place=place,
            pilot=_pilot(programme, pilot_code) if pilot_code else None,
            interviewer="Équipe de capitalisation",
            consent_given="consent_given" in recorded(instrument).fields,
            link="https://video.example.org/sante-au-travail" if instrument == "video" else "",
            confidentiality=Confidentiality.PROGRAMME,
        )
        record_save(
            record=record,
            organisations=[organisation] if organisation else [],
            people=people,
            content=content,
        )
        if instrument == Instrument.SITE_MEETING:
            for box_title, text in BOXES:
                box_create(record=record, title=box_title, text=text)
