"""Build recolte/registry/data/countries.json: countries, regions and a pre-projected world map.

The committed JSON is the only thing the application reads; this script documents how it was made
and can remake it. It needs three npm packages, installed in a scratch directory (never committed):

    npm install --prefix /tmp/recolte-countries \
        i18n-iso-countries@7.14.0 countries-list@3.4.1 world-atlas@2.0.2
    .venv/bin/python scripts/build_countries.py /tmp/recolte-countries/node_modules

Sources and choices:
- i18n-iso-countries (MIT): alpha-2/alpha-3/numeric codes, French and English names. A few names
  are replaced by the usual short forms (OVERRIDES); the replaced forms stay as search aliases.
- countries-list (MIT): continent per alpha-2 (NA and SA become AM). Antarctica is left out; the
  other "AN" territories take their UN M49 continent.
- world-atlas (ISC, Natural Earth data, public domain): countries-110m.json draws the map;
  countries-50m.json and countries-10m.json only give label points for small countries missing
  from the 110m file. Unattributed 110m shapes follow ISO 3166: N. Cyprus is drawn with CY,
  Somaliland with SO, Kosovo as XK. French Guiana and Svalbard are split from France and Norway.
- Projection: Natural Earth I (same formula as d3-geo), 1000 units wide, Antarctica cropped,
  coordinates rounded to 0.1 and repeated points dropped.
- Regions use UN M49 codes, with a hand-placed representative point.
"""

import json
import math
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "recolte/registry/data/countries.json"
WIDTH = 1000.0
SCALE = WIDTH / 2 / (math.pi * 0.8707)
CROP_LAT = -58.0  # southern edge of the map: keeps Tierra del Fuego, drops Antarctica

CONTINENT = {"AF": "AF", "AS": "AS", "EU": "EU", "OC": "OC", "NA": "AM", "SA": "AM"}
ANTARCTIC = {"BV": "AM", "GS": "AM", "HM": "OC", "TF": "AF"}  # UN M49 placement

FR_OVERRIDES = {
    "AE": "Émirats arabes unis",
    "BN": "Brunei",
    "CF": "République centrafricaine",
    "CI": "Côte d'Ivoire",
    "CZ": "Tchéquie",
    "DO": "République dominicaine",
    "IO": "Territoire britannique de l'océan Indien",
    "SA": "Arabie saoudite",
    "SZ": "Eswatini",
    "TF": "Terres australes et antarctiques françaises",
    "TZ": "Tanzanie",
    "US": "États-Unis",
    "VG": "Îles Vierges britanniques",
    "VI": "Îles Vierges des États-Unis",
}
EN_OVERRIDES = {
    "BN": "Brunei",
    "CG": "Republic of the Congo",
    "CD": "Democratic Republic of the Congo",
    "CI": "Côte d'Ivoire",
    "CN": "China",
    "CZ": "Czechia",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "GM": "Gambia",
    "IR": "Iran",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "MK": "North Macedonia",
    "NL": "Netherlands",
    "PN": "Pitcairn Islands",
    "PS": "Palestine",
    "RE": "Réunion",
    "RU": "Russia",
    "SY": "Syria",
    "TR": "Türkiye",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "US": "United States",
    "VA": "Holy See",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
    "AX": "Åland Islands",
}
# Spellings met in programme documents that neither package carries.
ALIASES = {
    "BY": ["Bélarus"],
    "CD": ["RDC", "RD Congo", "Congo-Kinshasa", "DRC", "DR Congo"],
    "CG": ["Congo-Brazzaville", "Congo Brazzaville"],
    "CV": ["Cabo Verde", "Cap Vert"],
    "GB": ["Grande-Bretagne"],
    "GN": ["Guinée Conakry", "Guinée-Conakry", "Guinea Conakry", "Guinea-Conakry"],
    "KG": ["Kirghizstan"],
    "LR": ["Liberia"],
    "MK": ["Macédoine"],
    "MM": ["Birmanie", "Burma"],
    "NG": ["Nigeria"],
    "NL": ["Hollande", "Holland"],
    "PS": ["Territoires palestiniens", "Palestinian Territories"],
    "SV": ["Salvador"],
    "SZ": ["Swaziland"],
    "TL": ["Timor oriental", "East Timor"],
    "VN": ["Viêt Nam", "Viet Nam", "Viêt-Nam"],
    "US": ["USA", "Etats-Unis d'Amérique"],
}
REGIONS = [  # code, French, English, continent, (lon, lat), aliases
    ("002", "Afrique", "Africa", "AF", (18, 4), []),
    (
        "015",
        "Afrique du Nord",
        "Northern Africa",
        "AF",
        (12, 28),
        ["Maghreb", "Afrique septentrionale"],
    ),
    (
        "011",
        "Afrique de l'Ouest",
        "Western Africa",
        "AF",
        (-4, 12),
        ["Afrique occidentale", "West Africa"],
    ),
    ("017", "Afrique centrale", "Middle Africa", "AF", (18, -2), ["Central Africa"]),
    (
        "014",
        "Afrique de l'Est",
        "Eastern Africa",
        "AF",
        (37, -4),
        ["Afrique orientale", "East Africa"],
    ),
    ("018", "Afrique australe", "Southern Africa", "AF", (24, -25), []),
    ("202", "Afrique subsaharienne", "Sub-Saharan Africa", "AF", (22, 6), ["Sub Saharan Africa"]),
    ("019", "Amériques", "Americas", "AM", (-80, 15), ["Amérique"]),
    (
        "419",
        "Amérique latine et Caraïbes",
        "Latin America and the Caribbean",
        "AM",
        (-62, -8),
        ["Amérique latine", "Latin America", "Amérique latine et Caraïbe"],
    ),
    ("013", "Amérique centrale", "Central America", "AM", (-87, 14), []),
    ("005", "Amérique du Sud", "South America", "AM", (-60, -18), []),
    ("029", "Caraïbes", "Caribbean", "AM", (-71, 19), ["Caraïbe", "Antilles"]),
    ("021", "Amérique du Nord", "Northern America", "AM", (-100, 48), ["North America"]),
    ("142", "Asie", "Asia", "AS", (90, 40), []),
    ("145", "Asie occidentale", "Western Asia", "AS", (44, 31), ["Moyen-Orient", "Middle East"]),
    ("034", "Asie du Sud", "Southern Asia", "AS", (76, 22), ["South Asia"]),
    (
        "035",
        "Asie du Sud-Est",
        "South-eastern Asia",
        "AS",
        (108, 8),
        ["South-East Asia", "Southeast Asia"],
    ),
    ("030", "Asie de l'Est", "Eastern Asia", "AS", (114, 36), ["East Asia"]),
    ("143", "Asie centrale", "Central Asia", "AS", (66, 43), []),
    ("150", "Europe", "Europe", "EU", (15, 52), []),
    ("151", "Europe de l'Est", "Eastern Europe", "EU", (30, 53), ["Europe orientale"]),
    ("154", "Europe du Nord", "Northern Europe", "EU", (15, 62), ["Europe septentrionale"]),
    ("039", "Europe du Sud", "Southern Europe", "EU", (14, 41), ["Europe méridionale"]),
    ("155", "Europe de l'Ouest", "Western Europe", "EU", (5, 48), ["Europe occidentale"]),
    ("009", "Océanie", "Oceania", "OC", (150, -22), []),
]
UNATTRIBUTED = {"N. Cyprus": "CY", "Somaliland": "SO", "Kosovo": "XK"}
SPLITS = {"FR": ("GF", lambda lon, lat: lon < -30), "NO": ("SJ", lambda lon, lat: lat > 74)}
# Label points (lon, lat) for territories absent from every world-atlas file.
POINTS = {
    "BQ": (-68.3, 12.2),
    "BV": (3.4, -54.4),
    "CC": (96.9, -12.2),
    "CX": (105.7, -10.5),
    "GF": (-53.1, 3.9),
    "GP": (-61.6, 16.2),
    "MQ": (-61.0, 14.6),
    "RE": (55.5, -21.1),
    "SJ": (17.0, 78.5),
    "TK": (-171.9, -9.2),
    "YT": (45.1, -12.8),
    "UM": (166.6, 19.3),
}


def project(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(max(lat, -89.9))
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return WIDTH / 2 + SCALE * x, -SCALE * y


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Undo TopoJSON delta encoding and quantisation: arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict, arcs: list) -> list[list[list[tuple[float, float]]]]:
    if geometry["type"] == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in poly] for poly in geometry["arcs"]]
    return []


def area_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Shoelace area (absolute) and centroid of a projected ring."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-9:
        xs, ys = zip(*points, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def mean_lonlat(poly: list) -> tuple[float, float]:
    lons, lats = zip(*poly[0], strict=True)
    return sum(lons) / len(lons), sum(lats) / len(lats)


def shapes_by_code(topo: dict, numeric: dict[str, str]) -> dict[str, list]:
    arcs = decode_arcs(topo)
    shapes: dict[str, list] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = numeric.get(geometry.get("id")) or UNATTRIBUTED.get(geometry["properties"]["name"])
        if code:
            shapes.setdefault(code, []).extend(polygons(geometry, arcs))
    for source, (target, inside) in SPLITS.items():
        moved = [p for p in shapes.get(source, []) if inside(*mean_lonlat(p))]
        if moved:
            shapes[source] = [p for p in shapes[source] if p not in moved]
            shapes.setdefault(target, []).extend(moved)
    return shapes


def clip_side(points: list[tuple[float, float]], keep_east: bool) -> list[tuple[float, float]]:
    """Sutherland–Hodgman against the meridian 180 (lon continuous past it, up to 360)."""
    inside = (lambda p: p[0] >= 180) if keep_east else (lambda p: p[0] <= 180)
    out: list[tuple[float, float]] = []
    for a, b in zip(points, points[1:] + points[:1], strict=True):
        if inside(a) != inside(b):
            t = (180 - a[0]) / (b[0] - a[0])
            cut = (180.0, a[1] + t * (b[1] - a[1]))
            out.extend([a, cut] if inside(a) else [cut])
        elif inside(a):
            out.append(a)
    return out


def split_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Rings of the 110m file that cross lon ±180 (Fiji, Chukotka) would streak across the map."""
    if all(abs(b[0] - a[0]) < 180 for a, b in zip(points, points[1:], strict=False)):
        return [points]
    unwrapped = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    west = clip_side(unwrapped, keep_east=False)
    east = [(lon - 360, lat) for lon, lat in clip_side(unwrapped, keep_east=True)]
    return [r for r in (west, east) if len(r) > 2]


def projected(poly: list) -> list[list[tuple[float, float]]]:
    return [
        [project(lon, max(lat, CROP_LAT)) for lon, lat in piece]
        for r in poly
        for piece in split_antimeridian(r)
    ]


def label_point(polys: list) -> tuple[float, float]:
    _, x, y = max((area_centroid(projected(p)[0]) for p in polys), key=lambda t: t[0])
    return x, y


def svg_path(polys: list, top: float) -> str:
    parts = []
    for poly in polys:
        for r in projected(poly):
            pts: list[str] = []
            for x, y in r:
                pt = f"{x:.1f} {y - top:.1f}".replace(".0 ", " ").removesuffix(".0")
                if not pts or pts[-1] != pt:
                    pts.append(pt)
            if len(pts) > 2:
                parts.append("M" + pts[0] + "L" + " ".join(pts[1:]) + "Z")
    return "".join(parts)


def fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def names(entry: str | list[str]) -> list[str]:
    return [entry] if isinstance(entry, str) else list(entry)


def build(modules: Path) -> dict:
    load = lambda rel: json.loads((modules / rel).read_text(encoding="utf-8"))  # noqa: E731
    codes = {c[0]: (c[1], c[2]) for c in load("i18n-iso-countries/codes.json")}
    fr, en = (
        load("i18n-iso-countries/langs/fr.json")["countries"],
        load("i18n-iso-countries/langs/en.json")["countries"],
    )
    continents = load("countries-list/countries.min.json")
    numeric = {num: a2 for a2, (_, num) in codes.items()}
    world = load("world-atlas/countries-110m.json")
    drawn = shapes_by_code(world, numeric)
    finer = {
        **shapes_by_code(load("world-atlas/countries-10m.json"), numeric),
        **shapes_by_code(load("world-atlas/countries-50m.json"), numeric),
    }

    all_xy = [
        project(lon, max(lat, CROP_LAT))
        for polys in drawn.values()
        for p in polys
        for r in p
        for lon, lat in r
    ]
    top = math.floor(min(y for _, y in all_xy)) - 4
    height = math.ceil(max(y for _, y in all_xy) - top) + 4

    def point(code: str, lonlat: tuple[float, float] | None = None) -> list[float]:
        if lonlat is None:
            polys = drawn.get(code) or finer.get(code)
            x, y = label_point(polys) if polys else project(*POINTS[code])
        else:
            x, y = project(*lonlat)
        return [round(x, 1), round(y - top, 1)]

    countries = []
    for code, (alpha3, num) in sorted(codes.items()):
        if code == "AQ":
            continue
        fr_names, en_names = names(fr[code]), names(en[code])
        name_fr = FR_OVERRIDES.get(code, fr_names[0])
        name_en = EN_OVERRIDES.get(code, en_names[0])
        variants = [*fr_names, *en_names, continents[code]["name"], alpha3, *ALIASES.get(code, [])]
        countries.append(
            {
                "code": code,
                "alpha3": alpha3,
                "numeric": num,
                "name_fr": name_fr,
                "name_en": name_en,
                "continent": ANTARCTIC.get(code) or CONTINENT[continents[code]["continent"]],
                "aliases": variants,
                "path": svg_path(drawn.get(code, []), top),
                "point": point(code),
                "area": round(sum(area_centroid(projected(p)[0])[0] for p in drawn.get(code, []))),
            }
        )
    regions = [
        {
            "code": code,
            "name_fr": nfr,
            "name_en": nen,
            "continent": cont,
            "aliases": aliases,
            "point": point(code, lonlat),
        }
        for code, nfr, nen, cont, lonlat, aliases in REGIONS
    ]
    drop_ambiguous(countries + regions)
    return {"viewbox": [0, 0, int(WIDTH), height], "countries": countries, "regions": regions}


def drop_ambiguous(places: list[dict]) -> None:
    """Keep an alias only if it names one place and differs from the place's own names."""
    owners: dict[str, set[str]] = {}
    for place in places:
        for text in [place["name_fr"], place["name_en"], *place["aliases"]]:
            owners.setdefault(fold(text), set()).add(place["code"])
    for place in places:
        own = {fold(place["name_fr"]), fold(place["name_en"])}
        kept: dict[str, str] = {}
        for text in place["aliases"]:
            key = fold(text)
            if key in own or key in kept:
                continue
            if len(owners[key]) > 1:
                print(f"ambiguous alias dropped: {text!r} {sorted(owners[key])}", file=sys.stderr)
                continue
            kept[key] = text
        place["aliases"] = sorted(kept.values())


def main() -> None:
    modules = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/recolte-countries/node_modules")
    data = build(modules)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(
        f"{OUT}: {len(data['countries'])} countries, {len(data['regions'])} regions, "
        f"{OUT.stat().st_size // 1024} KB"
    )


if __name__ == "__main__":
    main()
