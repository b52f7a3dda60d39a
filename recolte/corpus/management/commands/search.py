"""`recolte search "…" [--programme SLUG] [--json] [--limit N] [filters]` as a facilitator."""

import json

from django.core.management.base import BaseCommand, CommandError

from recolte.corpus.filters import FIELDS, hit_json, parse_filters
from recolte.corpus.search import MODES, passages_search
from recolte.registry.models import Programme
from recolte.registry.staff import COMMAND_USER


class Command(BaseCommand):
    help = "Search passages (hybrid BM25 + vectors)."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--programme", help="slug (default: the only programme)")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--mode", choices=MODES, default="hybrid")
        for name in FIELDS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name)

    def handle(self, *args, **options):
        programmes = Programme.objects.all()
        if options["programme"]:
            programmes = programmes.filter(slug=options["programme"])
        if programmes.count() != 1:
            raise CommandError("name the programme with --programme SLUG")
        results = passages_search(
            user=COMMAND_USER,
            programme=programmes.get(),
            query=options["query"],
            filters=parse_filters(options.get),
            limit=options["limit"],
            mode=options["mode"],
        )
        if options["json"]:
            out = {"query": results.query, "hits": [hit_json(h, why=True) for h in results.hits]}
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        for hit in results.hits:
            p = hit.passage
            self.stdout.write(f"{hit.score:.4f}  [{p.resource.title}] #{p.pk}  {p.text[:160]}")
