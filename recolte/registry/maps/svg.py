"""Server-rendered SVG maps: where pilot operations take place, and who works with whom.

Both maps are plain SVG strings built from committed data (no tiles, no network, no script
needed to read them); static/registry/actormap.js adds zoom, pan and neighbour highlighting.
"""

from collections.abc import Callable
from html import escape

import numpy as np
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from recolte.registry.countries import reference_data
from recolte.registry.models import ORGANISATION_FIELDS, Country, Nature

from .labels import Label, place_labels
from .layout import force_layout

# Paul Tol / Okabe–Ito colours, chosen to stay apart for colour-blind readers.
NATURE_COLOURS: dict[str, str] = {
    Nature.NGO: "#0072B2",
    Nature.UNION: "#D55E00",
    Nature.LOCAL_AUTHORITY: "#009E73",
    Nature.PUBLIC_AGENCY: "#56B4E9",
    Nature.COOPERATIVE: "#E69F00",
    Nature.SOCIAL_ECONOMY: "#CC79A7",
    Nature.COMPANY: "#F0E442",
    Nature.CONSUMERS: "#882255",
    Nature.TRAINING: "#44AA99",
    Nature.NETWORK: "#332288",
    Nature.RESEARCH: "#999933",
    Nature.FUNDER: "#661100",
    Nature.OTHER: "#BBBBBB",
}
# ColorBrewer YlGnBu without its palest step, which would vanish against the neutral land.
SEQUENTIAL = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]
NEUTRAL = "#dde1e6"
SEA = "#f5f8fb"
MARKER = 'r="4" stroke="#1f2937" stroke-width="0.8"'
REGION = 'r="9" fill-opacity="0.85" stroke="#1f2937" stroke-width="1.5" stroke-dasharray="3 2"'
FONT = 'font-family="system-ui, sans-serif"'
SMALL_AREA = 12  # px²: below this a country also gets a marker so it can be seen and hovered
# Actor map: node radius grows with the square root of the degree; edges thicken with the
# number of shared operations, up to a cap; the legend runs in columns under the network.
NODE_RADIUS, NODE_RADIUS_PER_ROOT_DEGREE = 5, 2.5
EDGE_WIDTH_PER_SHARED, EDGE_WIDTH_MAX = 1.2, 6
LEGEND_COLUMNS = 3
LABEL_SIZE = 11  # font size of the node labels
MARGIN_X, MARGIN_Y = 70, 30  # px kept free around the network for labels


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _svg_open(viewbox: tuple[int, int, int, int], label: str, css_class: str, role: str) -> str:
    zoom = {
        "data-zoom-in": _("Zoom in"),
        "data-zoom-out": _("Zoom out"),
        "data-zoom-reset": _("Reset view"),
    }
    attrs = " ".join(f'{k}="{_attr(v)}"' for k, v in zoom.items())
    box = " ".join(str(v) for v in viewbox)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" class="{css_class}" '
        f'role="{role}" aria-label="{_attr(label)}" data-zoomable="" {attrs}>'
        f"<title>{escape(label)}</title>"
    )


# ---------------------------------------------------------------- world map


def _count_classes(top: int) -> list[int]:
    """Lower bounds of up to five colour classes on a 1-2-3-5 ladder up to `top`."""
    ladder = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000]
    steps = [s for s in ladder if s <= top] or [1]
    if len(steps) > len(SEQUENTIAL):
        picks = np.linspace(0, len(steps) - 1, len(SEQUENTIAL)).round().astype(int)
        steps = [steps[i] for i in picks]
    return steps


def _class_colours(steps: list[int]) -> list[str]:
    if len(steps) == 1:
        return [SEQUENTIAL[2]]
    picks = np.linspace(0, len(SEQUENTIAL) - 1, len(steps)).round().astype(int)
    return [SEQUENTIAL[i] for i in picks]


def _default_description(country: Country, count: int) -> str:
    return ngettext(
        "%(name)s — %(count)d pilot operation", "%(name)s — %(count)d pilot operations", count
    ) % {"name": country, "count": count}


def world_map_svg(
    country_counts: dict[str, int],
    *,
    link_for: Callable[[Country], str] | None = None,
    title: str = "",
    describe: Callable[[Country, int], str] | None = None,
    legend_title: str = "",
) -> str:
    """A world map with countries shaded by count (codes as keys) and regions as circles.

    `describe(country, count)` gives the tooltip (default: "Name — N pilot operation(s)");
    `link_for(country)` makes each shaded country a link.
    """
    data = reference_data()
    describe = describe or _default_description
    counts = {code: n for code, n in country_counts.items() if n > 0}
    known = Country.objects.in_bulk(list(counts))
    top = max(counts.values(), default=1)
    steps = _count_classes(top)
    colours = _class_colours(steps)

    def shape(tag: str, geometry: str, country: Country, css: str = "has-pilots") -> str:
        n = counts[country.code]
        fill = colours[max(i for i, lo in enumerate(steps) if n >= lo)]
        element = (
            f'<{tag} {geometry} fill="{fill}" class="{css}" data-code="{country.code}" '
            f'data-count="{n}"><title>{escape(describe(country, n))}</title></{tag}>'
        )
        return f'<a href="{_attr(link_for(country))}">{element}</a>' if link_for else element

    name_key = "name_en" if (get_language() or "fr").startswith("en") else "name_fr"
    x0, y0, width, height = data["viewbox"]
    title = title or _("Countries of the pilot operations")
    out = [_svg_open((x0, y0, width, height), title, "world-map", "group" if link_for else "img")]
    out.append(f'<rect x="{x0}" y="{y0}" width="{width}" height="{height}" fill="{SEA}"/>')
    out.append('<g class="countries" stroke="#ffffff" stroke-width="0.4" fill-rule="evenodd">')
    shaded, markers = [], []
    for place in data["countries"]:
        country = known.get(place["code"])
        if country is None and place["path"]:
            out.append(
                f'<path d="{place["path"]}" fill="{NEUTRAL}" data-code="{place["code"]}">'
                f"<title>{escape(place[name_key])}</title></path>"
            )
        elif country is not None:
            if place["path"]:
                shaded.append(shape("path", f'd="{place["path"]}"', country))
            if place["area"] < SMALL_AREA:
                x, y = place["point"]
                markers.append(shape("circle", f'{MARKER} cx="{x}" cy="{y}"', country))
    out.extend([*shaded, '</g><g class="regions">'])
    regions = [r for r in data["regions"] if r["code"] in known]
    for place in regions:
        x, y = place["point"]
        out.append(
            shape(
                "circle", f'{REGION} cx="{x}" cy="{y}"', known[place["code"]], "region has-pilots"
            )
        )
    out.extend([*markers, "</g>"])
    heading = legend_title or _("Pilot operations")
    out.append(_world_legend(steps, colours, top, height, heading, bool(regions)))
    out.append("</svg>")
    return "".join(out)


def _world_legend(
    steps: list[int], colours: list[str], top: int, height: int, heading: str, with_region: bool
) -> str:
    rows = [
        (
            _("none"),
            f'<rect width="14" height="10" fill="{NEUTRAL}" stroke="#9ca3af" stroke-width="0.5"/>',
        )
    ]
    for i, (lo, fill) in enumerate(zip(steps, colours, strict=True)):
        hi = steps[i + 1] - 1 if i + 1 < len(steps) else top
        label = str(lo) if hi <= lo else f"{lo}–{hi}"
        rows.append((label, f'<rect width="14" height="10" fill="{fill}"/>'))
    if with_region:
        rows.append(
            (
                _("region"),
                '<circle cx="7" cy="5" r="5" fill="none" stroke="#1f2937" '
                'stroke-width="1.2" stroke-dasharray="2 1.5"/>',
            )
        )
    box_h = 22 + 15 * len(rows)
    top_y = height - box_h - 8
    out = [
        f'<g class="legend" data-fixed="" transform="translate(8 {top_y})" {FONT} font-size="10">',
        f'<rect width="130" height="{box_h}" rx="3" fill="#ffffff" fill-opacity="0.85"/>',
        f'<text x="8" y="14" font-weight="bold">{escape(heading)}</text>',
    ]
    for i, (label, swatch) in enumerate(rows):
        y = 22 + 15 * i
        out.append(
            f'<g transform="translate(8 {y})">{swatch}<text x="20" y="9">{escape(label)}</text></g>'
        )
    out.append("</g>")
    return "".join(out)


def _shown(spec, value) -> str:
    """A node field as its tooltip shows it: a choice's label, a true flag's field label."""
    if isinstance(value, bool):
        return str(spec.label) if value else ""
    labels = dict(spec.field.choices or ())
    return str(labels.get(value, "" if labels else value if value is not None else ""))


def _node_title(node: dict) -> str:
    """The organisation's name, then its fields shown on the map, e.g. "CGT (trade union)"."""
    shown = [_shown(spec, node.get(spec.name)) for spec in ORGANISATION_FIELDS if spec.on_map]
    return f"{node['name']} ({', '.join(text for text in shown if text)})"


def _edge_width(weight: int) -> float:
    return min(1 + EDGE_WIDTH_PER_SHARED * (weight - 1), EDGE_WIDTH_MAX)


def _radius(degree: int) -> float:
    return round(NODE_RADIUS + NODE_RADIUS_PER_ROOT_DEGREE * float(np.sqrt(degree)), 1)


def actor_map_svg(network: dict, *, width: int = 1000, height: int = 700, title: str = "") -> str:
    """The actor network as SVG: nodes coloured by nature, sized by degree, linked to pages."""
    nodes = sorted(network["nodes"], key=lambda node: node["id"])
    edges = sorted(network["edges"], key=lambda e: (e["source"], e["target"]))
    title = title or _("Map of actors")
    natures = [nature for nature in Nature if any(node["nature"] == nature for node in nodes)]
    columns = LEGEND_COLUMNS
    legend_h = 30 + 18 * ((len(natures) + 1 + columns - 1) // columns)
    out = [_svg_open((0, 0, width, height), title, "actor-map", "group")]
    if not nodes:
        # Outside the f-string: xgettext does not read calls inside f-strings.
        empty = escape(_("No organisation yet."))
        out.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" {FONT} '
            f'font-size="14">{empty}</text></svg>'
        )
        return "".join(out)
    index = {node["id"]: i for i, node in enumerate(nodes)}
    pos = force_layout(
        len(nodes), [(index[e["source"]], index[e["target"]], e["weight"]) for e in edges]
    )
    margin_x, margin_top, margin_bottom = MARGIN_X, MARGIN_Y, MARGIN_Y + legend_h
    xy = np.column_stack(
        [
            margin_x + pos[:, 0] * (width - 2 * margin_x),
            margin_top + pos[:, 1] * (height - margin_top - margin_bottom),
        ]
    ).round(1)
    labels = {node["id"]: node["label"] for node in nodes}
    out.append('<g class="edges" stroke="#8c96a3" stroke-opacity="0.7" stroke-linecap="round">')
    for e in edges:
        (x1, y1), (x2, y2) = xy[index[e["source"]]], xy[index[e["target"]]]
        tip = _("%(a)s – %(b)s: %(pilots)s") % {
            "a": labels[e["source"]],
            "b": labels[e["target"]],
            "pilots": "; ".join(e["pilots"]),
        }
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
            f'stroke-width="{_edge_width(e["weight"]):.1f}" class="edge" '
            f'data-source="{e["source"]}" data-target="{e["target"]}">'
            f"<title>{escape(tip)}</title></line>"
        )
    out.append(f'</g><g class="nodes" {FONT} font-size="{LABEL_SIZE}">')
    places = place_labels(
        [(x, y, _radius(n["degree"]), n["label"]) for n, (x, y) in zip(nodes, xy, strict=True)],
        size=LABEL_SIZE,
        width=width,
        height=height - legend_h,
    )
    for node, (x, y), place in zip(nodes, xy, places, strict=True):
        r = _radius(node["degree"])
        stroke = (
            'stroke="#111111" stroke-width="2.5"'
            if node["is_member"]
            else ('stroke="#ffffff" stroke-width="1.5"')
        )
        fill = NATURE_COLOURS.get(node["nature"], NATURE_COLOURS[Nature.OTHER])
        out.append(
            f'<a href="{_attr(node["url"])}" class="node" data-org-id="{node["id"]}" '
            f'data-nature="{_attr(node["nature"])}">'
            f"<title>{escape(_node_title(node))}</title>"
            f'<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}" {stroke}/>'
            + _label(node["label"], place)
            + "</a>"
        )
    out.append("</g>")
    out.append(_actor_legend(natures, width, height - legend_h, columns))
    out.append("</svg>")
    return "".join(out)


def _label(text: str, place: Label | None) -> str:
    """A node's label where `place_labels` found room; none (the tooltip names it) elsewhere."""
    if place is None:
        return ""
    return (
        f'<text class="label" x="{place.x:.1f}" y="{place.y:.1f}" text-anchor="{place.anchor}" '
        f'paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round">'
        f"{escape(text)}</text>"
    )


def _actor_legend(natures: list[Nature], width: int, top: int, columns: int) -> str:
    col_w = (width - 20) / columns
    heading = escape(_("Nature of the organisation"))  # outside the f-string, for xgettext
    out = [
        f'<g class="legend" data-fixed="" transform="translate(10 {top})" {FONT} font-size="11">',
        f'<text x="0" y="14" font-weight="bold">{heading}</text>',
    ]
    entries = [
        (str(n.label), f'<circle cx="6" cy="6" r="6" fill="{NATURE_COLOURS[n]}"/>') for n in natures
    ]
    entries.append(
        (
            _("member of the network"),
            '<circle cx="6" cy="6" r="5" fill="#ffffff" stroke="#111111" stroke-width="2.5"/>',
        )
    )
    for i, (label, swatch) in enumerate(entries):
        x, y = round((i % columns) * col_w), 24 + 18 * (i // columns)
        out.append(
            f'<g transform="translate({x} {y})">{swatch}'
            f'<text x="18" y="10">{escape(label)}</text></g>'
        )
    out.append("</g>")
    return "".join(out)
