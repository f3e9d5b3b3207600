"""Events: what happened, with whom, where and when.

A trigger word names the event ("talks", "met", "stabbed", "crashed", "fire", "arrested",
"sentenced", "resigned"); :data:`TRIGGERS` gives each its PLOVER type and its family (the
kind of occurrence: "talks", "attack", "fire"). The mapping, with OTHER where PLOVER has no
category:

==========  =====================================================================================
CONSULT     talks, negotiations, meetings, summits, visits, interviews, briefings and press
            conferences, statements to reporters, phone calls, debates, hearings, speeches,
            campaign rallies, campaign stops, town halls
AGREE       agreements, deals, treaties, ceasefires, signings
ACCUSE      accusations, charges, indictments, lawsuits, trials, court appearances
THREATEN    threats, warnings
REJECT      rejections, vetoes
REQUEST     demands, appeals, calls for action
PROTEST     protests, demonstrations, marches, protest rallies, strikes, riots, clashes of protesters
            with police
SANCTION    sanctions, embargoes, convictions, verdicts, sentences, guilty pleas
ASSAULT     attacks, assaults, bombings, drone strikes, shootings, stabbings, murders, slayings,
            massacres, rapes, kidnappings, hijackings
FIGHT       offensives, air strikes, shelling, clashes, battles, invasions, recaptures
MOBILIZE    deployments, military build-ups
COERCE      arrests, detentions, raids, police searches, surrenders, police shootings
RETREAT     resignations (also "to leave office"), withdrawals (also "ended her bid")
AID         aid, assistance
OTHER       accidents and disasters (fires, explosions, collapses, crashes, storms, floods,
            earthquakes, wildfires, stampedes), deaths, rescues and responders at work, escapes,
            elections, votes and referendums, ceremonies, funerals and processions, vigils, days of
            mourning, fundraisers,
            launches, sports fixtures, announcements of decisions, and dated actions with a
            named actor but no trigger word ("Pope Francis announced new church law on Thursday")
==========  =====================================================================================

For each trigger, in its sentence:

- place: the place named with "in"/"at"/"near" that hangs on the trigger or its verb (a visit's
  object: "visited Kyiv"); for an event on the ground, else a place the sentence names with
  such a preposition, or before its own noun ("a Kabul car bombing"); of several places in one
  phrase the town, else the site, else the region, else the country ("at a Walmart in El Paso,
  Texas": El Paso; "the Manezh hall in central Moscow": Moscow); "to"/"from" only for visits,
  and never a place that only describes another ("the Mediterranean coastal town"); places
  coordinated for one trigger ("talks with NATO in Brussels on Wednesday and with the OSCE in
  Vienna on Thursday") give one event per place, each with the date next to it; a background
  event (a month or a year) only a place of its own; an attack or a
  fight with no such place, the place it is aimed at ("an attack on Kandahar", "Abqaiq was the
  target of an attack"); a legal step, the court that takes part in it ("Manhattan Supreme Court
  Justice X rejected"); never where someone speaks of the event ("Speaking on TV in Cairo");
- date: the date expression that hangs on the trigger or its verb, else the sentence's day date
  nearest the trigger (``found.dates``, resolved against the publication date), never one that
  qualifies another noun ("to protest the results of the 2020 election", "his Thursday
  schedule") or dates a count ("as of Monday"); an event named by its year ("his bid for the
  nomination in the 2020 election on Wednesday") keeps its year; an event that only says who
  someone is ("X, the suspect in a shooting, was released on Friday") takes no day or place from
  the clause around it; a month or a year ("in 2014") marks the event as background, which is
  news only at a town or a site of its own;
- participants: people who are the trigger verb's subject or object, or named with it ("held
  talks with", "X and his counterpart, Y", "Speaking at a briefing, X said"); not who speaks of
  the event ("Peskov said the negotiations had been held") nor who acts before or after it
  ("ahead of the talks on Monday, Stoltenberg warned": neither his talks nor his Monday);
- parties: countries and organisations in the same roles; the outlet that reports ("Wikinews
  attended the premiere") only of what is said to it (an interview, a statement);
- status: scheduled when the event lies ahead (its date after publication, or "will", "is due
  to", "plans to"), occurred when it lies behind, reported otherwise;
- duration: "more than seven hours" when stated.

People name an event when they act: "protesters gathered", "firefighters put the fire out".

Not events: words inside a direct quote, in a date ("Sunday, March 1": a month, not a march),
in a name ("Hong Kong Police Headquarters"), modifying another noun ("the fire service", "the
death toll"), negated, under "if", "could", "might", "may", "should", "can", wished or intended
("would consider charging", "his refusal to hold a vote"), the charge of a legal step ("charged
with murder", "arrested on a charge of assault"), a battle with an illness or a condition ("a
long battle with cancer"), a tally ("the popular vote", "as of Monday, 813 had died"), the news
itself ("Reports named him on Sunday"), a counterfactual ("would have died"), "a cardiac arrest",
a crime in general ("murder carries the death penalty"), a kind ("hurricanes
cause damage", "director of debate"), background in a relative clause ("the room the group
was visiting"), words ("Trump attacked Clinton"), bare statements ("X said on Monday"), and the
headline repeated as the text's first line. A day named inside a quote is the speaker's.

One occurrence, one record:

- in a sentence, words of the same type are one event ("an accident followed by a fire ...
  killed seven"); a death or injury ("killed", "died") and an announcement ("announced his
  resignation on Wednesday") join the sentence's other event, giving it their day and place;
- across sentences, a mention joins an earlier event of the same type whose place and date do
  not differ ("the rally in Reno" ... "the rally"); a mention with neither a place nor a day of
  its own only ever joins one; deaths and injuries with no day of their own told within three
  sentences of an attack, a fight or an accident are its toll ("A woman died at the scene");
- an event on the ground (an accident, attack, fight, arrest, protest, deployment) that states
  only its day or only its place takes the other: its place from the nearest earlier event
  within six sentences, else the lead's ("nationwide": the lead's country); its day from the
  nearest earlier event of its type ("Police arrested him in Strickland Street", after "a mass
  shooting in Christchurch on Friday"); background events (a month or a year) take no day;
  "the same day" is the day of the event before of its type (for OTHER, of its family: a death
  gives no day to the mourning after it); an announcement or an election takes no day from
  context, and an election no town: the country of the story; an announcement is an event only
  with a day or a place of its own; the present perfect ("has died") takes no day;
- a day after publication counted from another ("two days later") in a past-tense clause is a
  misread date and dropped;
- a step of a court case that names nobody ("Sentencing is scheduled for February 4") concerns
  the people of the case told before;
- verbs with different actors are different acts ("the government announced" ... "the Coast
  Guard announced").

An event needs a place or a day of its own, and someone taking part unless it is an event on
the ground, which needs no named actor ("a fire killed five"), or is stated with both its place
and its day ("after a jury trial in Paris on Thursday"); a step of a story told in the
past with neither ("Five crew members were rescued", "police said the gunman surrendered") is
an event on the ground with the story's place, and the day of the step told just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.base import DateMention, Found
from newsgraph.extract.entities import is_outlet
from newsgraph.extract.lexicon import SETTLEMENT_NOUNS
from newsgraph.extract.quotes import CUE_VERBS
from newsgraph.models import Event, EventPlace, Place

Status = Literal["occurred", "scheduled", "reported"]


def _entries(kind: str, family: str, words: str) -> dict[str, tuple[str, str]]:
    return dict.fromkeys(words.split(), (kind, family))


#: trigger lemma -> (PLOVER type, family); multi-word triggers are matched on their head word.
TRIGGERS: dict[str, tuple[str, str]] = {
    **_entries("CONSULT", "talks", "talk talks negotiation negotiate consultation"),
    **_entries("CONSULT", "meeting", "meeting meet summit"),
    **_entries("CONSULT", "press conference", "briefing conference"),
    **_entries("CONSULT", "visit", "visit trip"),
    **_entries("CONSULT", "interview", "interview"),
    **_entries("CONSULT", "call", "call"),
    **_entries("CONSULT", "rally", "rally"),
    **_entries("CONSULT", "debate", "debate"),
    **_entries("CONSULT", "speech", "speech"),
    **_entries("CONSULT", "hearing", "hearing"),
    **_entries("CONSULT", "campaign stop", "stop"),
    **_entries("CONSULT", "town hall", "hall"),
    **_entries("AGREE", "agreement", "agreement accord treaty deal ceasefire sign"),
    **_entries("ACCUSE", "accusation", "accuse accusation allege allegation blame"),
    **_entries("ACCUSE", "charge", "charge indict indictment sue lawsuit"),
    **_entries("ACCUSE", "trial", "trial appearance"),
    **_entries("THREATEN", "warning", "threaten threat warn warning"),
    **_entries("REJECT", "rejection", "reject rejection refuse veto"),
    **_entries("REQUEST", "request", "demand request appeal urge"),
    **_entries("PROTEST", "protest", "protest demonstration march demonstrate riot protester demonstrator"),
    **_entries("SANCTION", "sanctions", "sanction sanctions embargo"),
    **_entries("SANCTION", "sentence", "sentence sentencing convict conviction verdict jail imprison plead"),
    **_entries(
        "ASSAULT",
        "attack",
        """attack assault bombing bomb shooting shoot stab stabbing massacre murder slaying rape kidnap
        kidnapping hijack strike""",
    ),
    **_entries("FIGHT", "offensive", "offensive airstrike shelling clash battle invasion invade recapture"),
    **_entries("MOBILIZE", "military buildup", "buildup deployment deploy mobilization mobilize"),
    **_entries("COERCE", "arrest", "arrest detain detention raid surrender"),
    **_entries("COERCE", "search", "search"),
    **_entries("RETREAT", "resignation", "leave"),
    **_entries("RETREAT", "resignation", "resign resignation"),
    **_entries("RETREAT", "withdrawal", "withdraw withdrawal"),
    **_entries("AID", "aid", "aid assistance"),
    **_entries(
        "OTHER",
        "disaster",
        """fire blaze explosion explode blast collapse crash accident pileup collision overturn derail
        capsize sink earthquake quake storm hurricane typhoon cyclone flood flooding tornado landslide
        wildfire eruption stampede""",
    ),
    **_entries("OTHER", "death", "die kill dead injure wound"),
    **_entries("OTHER", "rescue", "rescue evacuate evacuation rescuer firefighter fireman responder"),
    **_entries("OTHER", "election", "election vote referendum"),
    **_entries(
        "OTHER",
        "ceremony",
        """ceremony funeral memorial inauguration vigil parade festival concert celebration fundraiser
        mourning procession""",
    ),
    **_entries("OTHER", "launch", "launch"),
    **_entries("OTHER", "escape", "escape jailbreak breakout"),
    **_entries("OTHER", "match", "match tournament"),
    **_entries("OTHER", "announcement", "announce"),
}
#: Nouns after a trigger that name the activity itself ("rescue work", "the search operation").
_ACTIVITY = frozenset("work operation mission effort attempt stage".split())
_AGENT_WORDS = frozenset("rescuers firefighters firemen responders".split())
_ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: Prepositions whose objects stand aside from the event.
_ASIDE = frozenset("according despite amid following after before over about regarding".split())
#: People who name an event when they act: "protesters gathered", "firefighters put it out".
_AGENTS = frozenset("protester demonstrator rescuer firefighter fireman responder".split())
#: Families that only add to the sentence's other event: "a fire killed five" is the fire.
_JOINERS = frozenset({"death", "announcement"})
#: Types of events on the ground, which need no named actor and take their place from context.
GROUND_TYPES = frozenset({"OTHER", "ASSAULT", "FIGHT", "COERCE", "PROTEST", "MOBILIZE"})
#: Prepositions that put a verb's subject at the event ("said during a rally", "spoke at a briefing").
_AT_EVENT = frozenset("during at in".split())
#: Prepositions that make an event a point in time for another action ("ahead of the talks on
#: Monday, Stoltenberg warned"): that action's actors and day are not the event's.
_TIME_REFERENCE = frozenset("before after ahead following prior since until".split())
#: Words before a trigger that put the event ahead ("the upcoming debates").
_AHEAD = frozenset("upcoming forthcoming next future coming planned scheduled".split())
#: Triggers that are events only as nouns.
_NOUN_ONLY = frozenset(
    """rally debate speech hearing stop hall fire trip appearance fundraiser match tournament strike
    blast ceremony funeral memorial concert festival""".split()
)
#: Triggers that are events only as verbs ("the stab wound", "a sign of").
_VERB_ONLY = frozenset("sign stab shoot kill die injure wound announce agree plead meet jail".split())
#: Verbs of a trigger that name no event ("to deal with", "to march on", "to aid").
_NOT_AS_VERB = frozenset("deal march aid talk trip fire match vote".split())
#: Verbs whose object names the event they take part in ("held talks", "attended a summit").
_LIGHT_VERBS = frozenset(
    "hold attend host join moderate chair organise organize lead stage convene launch begin carry".split()
)
#: Who hears a statement that is an event ("told reporters", "told TASS", "addressing the press").
_PRESS = frozenset("reporter reporters journalist journalists press media me us".split())
_HEDGES = frozenset("could might may should must can".split())
#: Verbs whose complement is wished or asked for, not done ("consider charging", "urged to meet").
_WISHES = frozenset(
    """consider seek want hope try propose urge ask call demand threaten vow promise intend wish refusal
    refuse plan proposal bid attempt effort threat pledge allow permit enable let""".split()
)
_FUTURE = re.compile(
    r"\b(will|would|shall|(?:is|are|was|were|be) due to|is to|are to|plans? to|planned|scheduled"
    r"|expected to|set to|to be held|next|upcoming|forthcoming)\b",
    re.I,
)
_DURATION = re.compile(
    r"\b(?:(?:more|less|fewer) than|over|nearly|almost|about|around|some|at least)?\s*"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many)"
    r"\s+(?:hours?|days?|minutes?|weeks?)\b",
    re.I,
)
#: "as of Tuesday": the day of a count or a state, not of an event (matched just before a date).
_AS_OF = re.compile(r"\bas of\s*$", re.I)
#: A day counted from another event ("a day after", "the day before"): the day of that clause only.
_RELATIVE = re.compile(r"\b(?:after|before|later|earlier|next|following|previous)\b", re.I)
#: A day counted from another ("two days later", "the next day").
_COUNTED = re.compile(r"\b(?:later|after|before|earlier|following|the next)\b", re.I)
_SAME_DAY = re.compile(r"\b(?:that|same)\b", re.I)
_PLACE_PREPOSITIONS = frozenset({"in", "at", "to", "from", "near", "outside", "inside"})
#: Prepositions that say where a thing happened, for places not hanging on the trigger.
_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "on", "across", "around", "throughout"})
PARTY_TYPES = frozenset({"GPE", "ORG"})
#: Entity types whose words are never a trigger ("Hong Kong Police Headquarters").
_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "LAW", "PRODUCT"})


@dataclass
class _Draft:
    type: str
    family: str  # the trigger table's family: "talks" and "negotiations" are one kind of event
    label: str
    trigger: Token
    sent: Span
    place: Place | None = None
    place_token: int | None = None
    date: DateMention | None = None
    #: a month, week or year the sentence gives ("in 2014"): a background event, no day to take
    vague: DateMention | None = None
    participants: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    status: Status = "reported"
    duration: str | None = None
    #: whether the place and the day were stated with the event (not taken from context)
    own_place: bool = False
    own_day: bool = False
    #: found from a dated action with no trigger word: takes nothing from context
    action: bool = False
    #: a step of the story with no day or place of its own: a later dated mention is another step
    narrated: bool = False
    #: the sentence's position among the article's sentences
    ordinal: int = 0
    #: only says who someone is ("the suspect in a shooting"): takes no day from its sentence
    aside: bool = False

    @property
    def day(self) -> str | None:
        return self.date.date if self.date is not None and self.date.granularity == "day" else None


def _lefts(token: Token) -> set[str]:
    return {t.lower_ for t in token.lefts}


def _trigger(token: Token) -> tuple[str, str] | None:
    """The (type, family) of the event a word names, or None."""
    pos = token.pos_
    if pos == "PROPN" and not token.ent_type_ and (token.is_sent_start or token.doc[token.i - 1].is_space):
        pos = "NOUN"  # "Sentencing is scheduled for ...": a sentence's first word, taken for a name
    if pos not in {"NOUN", "VERB"} or token.ent_type_ in _NAME_TYPES:
        return None
    lemma = token.lemma_.lower()
    if lemma in _QUITTING:
        # "ended his bid for the nomination", "suspended her campaign": a withdrawal (and no trigger
        # otherwise: "suspended parliament on Monday" stays a dated action)
        quits = pos == "VERB" and any(
            c.dep_ == "dobj" and c.lemma_.lower() in _CAMPAIGNS for c in token.children
        )
        return ("RETREAT", "withdrawal") if quits else None
    hit = TRIGGERS.get(lemma) or TRIGGERS.get(token.lower_)
    if hit is None or (token.lower_.startswith("accord") and pos != "NOUN"):
        return None  # "according to"
    lefts = _lefts(token)
    if pos == "VERB" and token.i > 0 and token.doc[token.i - 1].lower_ in {"the", "an", "a"}:
        return None  # "arrested the accused": a person, not an accusation
    if lemma == "meet" and any(c.dep_ == "auxpass" for c in token.children):
        return None  # "was met with applause"
    if pos == "NOUN" and token.dep_ in {"compound", "amod"} and token.head.lemma_ not in _ACTIVITY:
        return None  # "the fire service", "the death toll", "attack helicopters"; not "rescue work"
    if lemma in _NOUN_ONLY and pos != "NOUN":
        return None  # "to debate", "stop the war", "hearing that", "fired"
    if lemma in _VERB_ONLY and pos != "VERB" and lemma not in {"dead"}:
        return None
    if lemma in _NOT_AS_VERB and pos == "VERB":
        return None
    if lemma == "conference" and not lefts & {"press", "news"}:
        return None  # a "conference" alone is often not an event of this article
    if lemma == "stop" and "campaign" not in lefts:
        return None
    if lemma == "hall" and "town" not in lefts:
        return None
    if lemma == "vote" and lefts & {"popular", "electoral"}:
        return None  # "won the popular vote": a tally, not a vote held
    if lemma == "arrest" and lefts & {"cardiac", "heart", "respiratory"}:
        return None  # "suffered a cardiac arrest"
    if lemma == "overturn" and any(c.dep_ == "dobj" for c in token.children):
        return None  # "overturned the convictions": a ruling, not a vehicle on its roof
    if lemma == "call" and pos == "VERB":
        asks = any(
            c.dep_ == "prep"
            and (
                c.lower_ == "for"
                or (c.lower_ == "on" and any(g.ent_type_ in _ACTOR_TYPES for g in c.children))
            )
            for c in token.children
        )
        if asks and not any(c.dep_ == "prt" for c in token.children):
            return ("REQUEST", "call for action")  # "called for G7 action", "called on Obama to act"
        return None
    if lemma == "call" and not lefts & {"phone", "telephone", "conference"}:
        return None  # "a call for", "calls to resign"; a phone call is an event
    if lemma == "appearance" and not any(
        w in {"court", "hearing"} for t in token.subtree for w in (t.lower_,)
    ):
        return None
    if lemma == "plead" and not any(t.lower_ == "guilty" for t in token.subtree):
        return None
    if lemma == "launch" and not any(
        c.dep_ == "dobj" and c.lemma_.lower() not in TRIGGERS for c in token.children
    ):
        return None  # "launched a rocket" is a launch; "launched an attack" is the attack
    if lemma == "escape" and not any(c.dep_ == "prep" and c.lower_ == "from" for c in token.children):
        return None  # "escaped from a prison" is an event; "escaped injury" is not
    # "protesters gathered", "firefighters put the fire out": the people name the event
    if lemma in _AGENTS and _acting(token) is None:
        return None
    if lemma == "leave" and pos == "VERB":
        # "to leave office on August 2": a resignation
        if any(c.dep_ == "dobj" and c.lemma_.lower() in {"office", "post", "power"} for c in token.children):
            return ("RETREAT", "resignation")
        return None
    if lemma == "search":
        if pos == "VERB" and any(
            _AGENT_WORDS.intersection(t.lower_ for t in c.subtree)
            for c in token.children
            if c.dep_ == "nsubj"
        ):
            return ("OTHER", "rescue")  # rescuers searching the rubble
        # "police searched the block"; "the search for survivors" is part of the rescue
        return ("COERCE", "search") if pos == "VERB" else ("OTHER", "rescue")
    if lemma == "strike":
        if lefts & {"general", "hunger", "workers", "labour", "labor", "national"}:
            return ("PROTEST", "protest")
        if not lefts & {"drone", "air", "missile", "rocket", "military"}:
            return None
    if lemma == "rally" and any(
        w in {"protest", "protesters"} or w.startswith(("anti", "counter")) for w in lefts
    ):
        return ("PROTEST", "protest")
    if lemma in {"agree", "sign"} and not any(
        c.dep_ in {"dobj", "xcomp"} or (c.dep_ == "prep" and c.lower_ in {"to", "on", "with"})
        for c in token.children
    ):
        return None  # "experts agree that ...": an opinion, not an agreement
    if (
        lemma in _COUNT_ONLY
        and pos == "NOUN"
        and not any(
            c.dep_ in {"det", "poss", "nummod", "prep"} or c.lower_ in {"another", "double", "triple"}
            for c in token.children
        )
    ):
        return None  # "murder carrying the death penalty": the crime in general, not one
    if _charge_of(token):
        return None  # "charged with murder", "convicted of rape": the charge, not another event
    if hit[0] == "FIGHT" and _figurative(token):
        return None  # "a long battle with cancer", "his battle against poverty"
    if lemma == "clash" and _crowd_clash(token):
        return ("PROTEST", "protest")  # "protesters clashed with police": unrest, not war
    if lemma == "shoot" and pos == "VERB" and _subject_lemma(token) in _POLICE:
        return ("COERCE", "police shooting")  # force by the police, not an assault
    if lemma == "attack" and pos == "VERB" and _subject_type(token) == "PERSON":
        return None  # "Trump attacked Clinton": words, not an assault
    return hit


#: Verbs that withdraw from a race when their object is a campaign ("ended his bid").
_QUITTING = frozenset("end suspend abandon".split())
_CAMPAIGNS = frozenset("campaign bid candidacy run".split())
#: Crimes that are an event only as one occurrence ("the murder of", "a rape", "his murder").
_COUNT_ONLY = frozenset("murder slaying rape kidnapping massacre".split())
#: Legal words whose "with"/"of"/"for" names what someone is charged with, not an event.
_CHARGING = frozenset(
    "charge accuse blame convict sentence indict plead guilty guilt arrest jail try".split()
)


#: Who a fight is fought with, when it is not named: armed forces, police, crowds.
_COMBATANTS = frozenset(
    """force troop army navy soldier militant rebel insurgent fighter militia police officer guard
    protester demonstrator rioter gang gunman enemy jihadist extremist terrorist separatist
    supporter fan side unit""".split()
)
#: Words before a fight that make it a struggle, not combat ("a long battle", "a court battle").
_STRUGGLE = frozenset(
    "long lengthy lifelong brave courageous valiant personal private court legal custody political".split()
)


#: People whose clashes are unrest in the streets, not fighting between armed forces.
_CROWDS = frozenset("police protester demonstrator rioter counter-protester supporter fan hooligan".split())


def _crowd_clash(token: Token) -> bool:
    """ "Protesters clashed with police", "clashes with counter-protesters": a protest turned violent."""
    sides = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in {"with", "between"}:
            sides += [c for c in prep.children if c.dep_ == "pobj"]
    if token.dep_ in {"nsubj", "dobj"} or not sides:
        sides += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i != token.i]
    words = {t.lemma_.lower() for side in sides for t in side.subtree}
    return bool(words & _CROWDS)


def _figurative(token: Token) -> bool:
    """A battle with an illness or a condition, not between sides: "a long battle with cancer",
    "his battle against addiction". A fight is with a named side or with people who fight."""
    if token.pos_ != "NOUN":
        return False
    if any(c.lower_ in _STRUGGLE or c.dep_ == "poss" for c in token.children):
        return True  # "after a long battle", "her battle with"
    for prep in token.children:
        if prep.dep_ != "prep" or prep.lower_ not in {"with", "against", "over"}:
            continue
        for other in prep.children:
            if other.dep_ == "pobj":
                return not other.ent_type_ and other.lemma_.lower() not in _COMBATANTS
    return False


def _charge_of(token: Token) -> bool:
    noun = token.pos_ == "NOUN"
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head  # "convicted of drug violations, as well as related charges"
        if noun and token.pos_ == "VERB":
            return token.lemma_.lower() in _CHARGING  # (the parser may hang them on the verb)
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ not in {"with", "of", "for", "in", "on"}:
        return False
    return prep.head.lemma_.lower() in _CHARGING


def _acting(agent: Token) -> Token | None:
    """The verb an agent noun is the subject of ("thousands of protesters gathered": gathered)."""
    subject = agent
    if agent.dep_ == "pobj" and agent.head.lower_ == "of":
        subject = agent.head.head  # "thousands of protesters"
    if subject.dep_ in {"nsubj", "nsubjpass"} and subject.head.pos_ == "VERB":
        return subject.head
    return None


_POLICE = frozenset("police officer officers policeman policemen trooper troopers".split())


def _subject_lemma(verb: Token) -> str | None:
    """The subject's head word, through conjoined verbs ("Police arrived and shot him")."""
    node = verb
    for _ in range(3):
        subject = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None:
            return subject.lemma_.lower()
        if node.dep_ != "conj":
            return None
        node = node.head
    return None


def _subject_type(verb: Token) -> str | None:
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return subject.ent_type_ or None if subject is not None else None


def _label(token: Token, default: str) -> str:
    """The trigger's own words ("news briefing", "annual press conference", "talks")."""
    if token.pos_ != "NOUN":
        return default
    lefts = [t for t in token.lefts if t.dep_ in {"compound", "amod"} and t.is_alpha and not t.ent_type_]
    words = [*lefts, token]
    words.sort(key=lambda t: t.i)
    return " ".join(t.lower_ for t in words)


def _status(draft: _Draft, published: str | None) -> Status:
    if any(t.lower_ in _AHEAD for t in draft.trigger.lefts):
        return "scheduled"  # "the upcoming debates", whatever day the sentence names
    if draft.day and published:
        return "scheduled" if draft.day > published[:10] else "occurred"
    head = draft.trigger if draft.trigger.pos_ == "VERB" else draft.trigger.head
    window = draft.sent.text[: max(0, head.idx + len(head.text) - draft.sent.start_char)]
    clause = window[-80:]
    if _FUTURE.search(clause):
        return "scheduled"
    if head.tag_ in {"VBD", "VBN"} or any(
        c.tag_ == "VBD" for c in head.children if c.dep_ in {"aux", "auxpass"}
    ):
        return "occurred"
    return "reported"


def extract(doc: Doc, found: Found) -> list[Event]:
    """Find the article's events; fill ``found.events``."""
    published = found.article.metadata.published
    quoted = [(q.start, q.end) for q in found.quotes if q.kind != "indirect"]
    # a place inside a quote is the speaker's word, not where the text says something happened
    places_by_token = {
        i: p for i, p in _places_by_token(doc, found).items() if not _in_input_spans(found, doc[i], quoted)
    }
    date_tokens = _date_tokens(doc, found)
    text = found.repaired.text  # the text the parser read (``doc.text`` rebuilds it on each call)
    # a day named inside a quote is the speaker's, not the day of an event the text reports
    # ... nor a day that dates a count or a state ("as of Tuesday, 813 had died")
    spoken = [
        m
        for m in found.dates
        if not _in_input_spans_char(found, m.start, quoted)
        and not _AS_OF.search(text[max(0, m.start - 9) : m.start])
    ]
    drafts: list[_Draft] = []
    lead: Place | None = None
    content = 0
    title = " ".join((found.article.metadata.title or "").split()).rstrip(".").lower()
    for sent in doc.sents:
        if _is_dateline(sent, date_tokens):
            continue
        if title and " ".join(sent.text.split()).rstrip(".").lower() == title:
            continue  # the headline repeated as the first line sums up the events the body tells
        content += 1
        if lead is None and content <= 2:
            named = [(t.i, places_by_token[t.i]) for t in sent if t.i in places_by_token]
            best = min(named, key=lambda p: (_rank(p[1]), _qualifies(doc[p[0]])), default=None)
            lead = best[1] if best else min(_places_in(sent, found), key=_rank, default=None)
        hits = {
            t.i: h
            for t in sent
            if t.i not in date_tokens
            and (h := _trigger(t)) is not None
            and not _in_input_spans(found, t, quoted)
            and not _hypothetical(t)
        }
        if any(_AS_OF.search(text[max(0, m.start - 9) : m.start]) for m in _dates_in(sent, found.dates)):
            # "As of Monday, the virus had killed 813": a running count, not a death of that day
            hits = {i: h for i, h in hits.items() if h[1] != "death"}
        hits.update(_press_statements(sent, found, quoted, hits))
        # a place or date on another trigger, or on the verb that holds it, is that event's
        blockers = set(hits) | {_anchor_verb(doc[i]).i for i in hits}
        sentence_drafts: list[_Draft] = []
        for i, hit in hits.items():
            sentence_drafts.extend(
                _drafts_for(doc[i], sent, hit, found, places_by_token, published, blockers, spoken)
            )
        if not sentence_drafts:
            sentence_drafts = _dated_actions(sent, found, spoken, quoted, published, places_by_token)
        _share_sentence_context(sent, sentence_drafts, spoken, places_by_token, published)
        for draft in sentence_drafts:
            draft.ordinal = content
        drafts.extend(_join_in_sentence(sentence_drafts))
    merged = _merge(drafts)
    _take_context(merged, lead, published, [p for p in found.places if p.kind == "country"])
    events = [_record(d, found) for d in merged if _worth_a_record(d)]
    found.events = events
    return events


#: Subjects that report news rather than make it.
_MEDIA = frozenset("report media news newspaper press outlet reporter journalist source".split())
#: Verbs whose dated clause is no event of its own: being, seeming, saying, reporting.
_NO_ACTION = frozenset(
    """be have seem appear remain report say tell add claim believe think know expect estimate
    say describe write tweet show suggest indicate include continue become conduct issue feature
    publish email try attempt seek want""".split()
)


def _dated_actions(
    sent: Span,
    found: Found,
    mentions: list[DateMention],
    quoted: list[tuple[int, int]],
    published: str | None,
    places_by_token: dict[int, Place],
) -> list[_Draft]:
    """A sentence with no trigger word whose past or scheduled action names its day and its actor:
    "On Thursday, Pope Francis announced new church law", "Warren grilled Stumpf on Tuesday";
    places the action takes as its object are where it happened ("the army entered Tell Tamer and
    Ain Issa yesterday": one event in each)."""
    doc = sent.doc
    out: list[_Draft] = []
    for mention in mentions:
        if not (sent.start_char <= mention.start < sent.end_char) or mention.granularity != "day":
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or mention.date is None or _in_input_spans(found, span.root, quoted):
            continue
        if _dates_another(mention, span.root):
            continue  # "cancelled his Thursday schedule": the schedule's day, not the act's
        verb = span.root
        while verb.pos_ != "VERB" and verb.head.i != verb.i:
            verb = verb.head
        if verb.dep_ == "xcomp" and verb.head.pos_ == "VERB":
            verb = verb.head  # "began serving ... on January 2": began
        if verb.pos_ != "VERB" or verb.lemma_.lower() in _NO_ACTION | CUE_VERBS or _hypothetical(verb):
            continue
        if verb.lemma_.lower() in TRIGGERS:
            continue  # a trigger word that names no event here ("attacked the budget")
        if _subject_lemma(verb) in _MEDIA:
            continue  # "Reports named him on Sunday": the news, not an event
        future = any(c.lower_ in {"will", "shall"} for c in verb.children)
        if verb.tag_ not in {"VBD", "VBN"} and not future:
            continue  # "the toll rises", "a move to foil": no action of that day
        if verb.tag_ == "VBD" and mention.date > (published or "9999")[:10] and _COUNTED.search(mention.text):
            continue  # a past action on a day to come: a misread date
        people, parties = _actors(verb, sent, found)
        towns = {p.name for p in found.places}
        parties = [p for p in parties if p not in towns]
        if not people and not parties:
            continue
        objects: list[tuple[int | None, Place | None]] = []
        for child in verb.children:
            if child.dep_ == "dobj":
                for t in child.subtree:
                    place = places_by_token.get(t.i)
                    if place is not None and all(place is not p for _, p in objects):
                        objects.append((t.i, place))
        for place_token, place in objects or [(None, None)]:
            draft = _Draft(
                type="OTHER",
                family=verb.lemma_.lower(),
                label=verb.lemma_.lower(),
                trigger=verb,
                sent=sent,
                place=place,
                place_token=place_token,
                date=mention,
                participants=people,
                parties=parties,
                own_place=place is not None,
                own_day=True,
                action=True,
            )
            draft.status = _status(draft, published)
            out.append(draft)
        break
    return out


def _dates_in(sent: Span, mentions: list[DateMention]) -> list[DateMention]:
    return [m for m in mentions if sent.start_char <= m.start < sent.end_char]


def _places_in(sent: Span, found: Found) -> list[Place]:
    """Places a sentence names in any form ("the Turkish President": Turkey)."""
    start, end = found.offsets(sent.start_char, sent.end_char)
    return [p for p in found.places if any(start <= m.start < end for m in p.mentions)]


def _date_tokens(doc: Doc, found: Found) -> set[int]:
    """Token indices inside a date expression ("March" in "Sunday, March 1, 2020")."""
    out: set[int] = set()
    for mention in found.dates:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _is_dateline(sent: Span, date_tokens: set[int]) -> bool:
    """A line that is only a date ("Friday, January 4, 2019")."""
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    return bool(words) and all(t.i in date_tokens for t in words)


def _hypothetical(token: Token) -> bool:
    """ "if it launched an attack", "did not meet", "could attack": no event."""
    verb = token if token.pos_ == "VERB" else _anchor_verb(token)
    if any(c.dep_ == "neg" for c in verb.children) or any(c.dep_ == "neg" for c in token.children):
        return True
    if any(c.dep_ == "aux" and c.lower_ in _HEDGES for c in verb.children):
        return True
    auxes = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    if "have" in auxes and any(a in {"would", "could", "might"} for a in auxes):
        return True  # "he would have died had he not been armed"
    first = verb
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head  # "would allow people living in or visiting Hong Kong": visiting, living
    governor = first.head if first.dep_ in {"xcomp", "ccomp", "acl"} else None
    if governor is not None and governor.lemma_.lower() in _WISHES:
        return True  # "would consider charging", "wants to meet", "his refusal to hold a vote"
    for node in [token, *token.ancestors][:6]:
        if node.dep_ == "advcl" and any(c.lower_ in {"if", "unless", "whether"} for c in node.children):
            return True
        if node.dep_ == "ccomp" and any(c.lower_ in {"if", "whether"} for c in node.children):
            return True  # "to confirm if he is fit for trial"
    return False


def _press_statements(
    sent: Span, found: Found, quoted: list[tuple[int, int]], hits: dict[int, tuple[str, str]]
) -> dict[int, tuple[str, str]]:
    """ "X told reporters on Monday", "told TASS", "addressing the press", "speaking on al-Masirah
    TV": a briefing or interview."""
    out: dict[int, tuple[str, str]] = {}
    for token in sent:
        if token.i in hits or token.pos_ != "VERB" or _in_input_spans(found, token, quoted):
            continue
        if token.lemma_ not in {"tell", "address", "brief", "speak", "appear"}:
            continue
        for child in token.children:
            hearer = child
            if token.lemma_ == "appear" and child.lower_ != "on":
                continue  # "appeared on CNN"; not "appeared in court", "appeared to"
            if child.dep_ == "prep" and child.lower_ in {"to", "with", "on"}:
                hearer = next((c for c in child.children if c.dep_ == "pobj"), child)
            elif child.dep_ not in {"dobj", "dative"}:
                continue
            entity = _entity_name(found, hearer)
            if hearer.lower_ in _PRESS or (entity is not None and entity[1] == "ORG"):
                out[token.i] = ("CONSULT", "statement")
                break
    return out


#: Families whose "from" names where they happen ("withdrawal from north-eastern Syria").
_FROM_PLACE = frozenset({"withdrawal", "escape", "rescue"})
#: Families that are events only with a day of their own.
_DAY_ONLY = frozenset({"statement", "interview", "call for action", "announcement"})
#: Events that need no named actor to be news ("thousands protested in Madrid").
_ANONYMOUS = GROUND_TYPES


def _worth_a_record(draft: _Draft) -> bool:
    """An event needs a where or a when, and someone taking part (unless it is on the ground)."""
    when_or_where = draft.place is not None or draft.day is not None
    if draft.family in _DAY_ONLY and not draft.own_day and not draft.own_place:
        return False  # "told the BBC", "in an interview": an event only on a stated day or place
    if draft.vague is not None and draft.day is None and (draft.place is None or _rank(draft.place) >= 3):
        return False  # a background event with a year and a country: "the 2020 US election"
    # "after a jury trial in Paris on Thursday": stated where and when, it is news without a name
    stated = draft.own_place and draft.own_day
    return when_or_where and (bool(draft.participants or draft.parties) or draft.type in _ANONYMOUS or stated)


def _in_input_spans(found: Found, token: Token, spans: list[tuple[int, int]]) -> bool:
    return _in_input_spans_char(found, token.idx, spans)


def _in_input_spans_char(found: Found, char: int, spans: list[tuple[int, int]]) -> bool:
    start, _ = found.offsets(char, char + 1)
    return any(a <= start < b for a, b in spans)


def _places_by_token(doc: Doc, found: Found) -> dict[int, Place]:
    """doc token index -> geocoded place whose mention covers it."""
    by_entity = {p.entity_id: p for p in found.places if p.entity_id}
    out: dict[int, Place] = {}
    for entity_id, spans in found.entity_tokens.items():
        place = by_entity.get(entity_id)
        if place is None:
            continue
        for start, end in spans:
            for i in range(start, end):
                out[i] = place
    # places the parser did not name ("in Lyon" missed as an entity): through their mentions
    # (as written: "Irish" is no mention of Ireland here, nor a person's name a town)
    loose = {
        (m.start, m.end): p for p in found.places if not p.entity_id for m in p.mentions if m.text == p.name
    }
    if loose:
        for token in doc:
            if token.ent_type_ or not token.is_title:
                continue
            start, _ = found.offsets(token.idx, token.idx + len(token.text))
            place = next((p for (a, b), p in loose.items() if a <= start < b), None)
            if place is not None and token.i not in out:
                out[token.i] = place
    return out


def _anchor_verb(token: Token) -> Token:
    """The verb a trigger hangs on ("held" for "held talks", "hold" for "hold two rounds of talks")."""
    verb = token
    for _ in range(6):
        if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
            break
        verb = verb.head
    return verb


def _attachment(token: Token, prepositions: frozenset[str] = _PLACE_PREPOSITIONS) -> Token | None:
    """What a place is "in"/"at": the head of its locative preposition, through "the city of"."""
    current = token
    for _ in range(5):
        head = current.head
        if head.i == current.i:
            return None
        if head.dep_ == "prep" or head.pos_ == "ADP":
            if head.lower_ in prepositions:
                return head.head
            if head.lower_ != "of":
                return None
        elif head.pos_ in {"VERB", "AUX"}:
            return None  # "blaming Iran": an object, not a place
        current = head
    return None


def _locative(token: Token) -> bool:
    """Whether a place stands where something happens: "in Gdańsk", "a Kabul car bombing"."""
    return _attachment(token, _LOCATIVE) is not None or _modified_event(token) is not None


def _modified_event(token: Token) -> Token | None:
    """The event noun a place qualifies ("a Kabul car bombing": bombing), if any."""
    root = _name_root(token)
    head = root.head
    if root.dep_ not in {"compound", "nmod", "amod"} or head.pos_ != "NOUN":
        return None
    return next((n for n in (head, head.head) if n.pos_ == "NOUN" and TRIGGERS.get(n.lemma_.lower())), None)


def _describes_another(token: Token) -> bool:
    """ "the Mediterranean coastal town": a place that only describes another, unnamed one."""
    root = token
    while root.dep_ in {"compound", "flat"} and root.head.ent_iob_ == "I":
        root = root.head
    return root.dep_ in {"amod", "compound", "nmod"} and root.head.lemma_.lower() in SETTLEMENT_NOUNS


def _participle_head(verb: Token) -> Token | None:
    """ "Speaking at a briefing ..., Peskov said": the main verb whose subject the participle shares."""
    first = verb
    while first.dep_ == "conj" and first.head.i != first.i and first.head.pos_ == "VERB":
        first = first.head  # "..., observing the rescue and visiting the wounded"
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return None
    if first.dep_ in {"advcl", "xcomp"}:
        return first.head
    if first.dep_ == "pcomp" and first.head.lower_ in _TIME_REFERENCE | {"while", "when"}:
        return first.head.head  # "Before stepping on the debate stage, Trump was ...": he stepped on it
    return None


def _belongs(head: Token, trigger: Token, verbs: set[int], triggers: set[int]) -> bool:
    """Whether a place or date attached to ``head`` belongs to this trigger's event."""
    if head.i == trigger.i or head.i in verbs:
        return True
    node = head
    for _ in range(8):  # up from the attachment to the trigger or its verb, not through another trigger
        if node.i == trigger.i or node.i in verbs:
            return True
        if node.i in triggers:
            return False
        if (
            node.dep_ in {"prep", "advmod"}
            and node.lower_ in _TIME_REFERENCE
            and not node.left_edge.i <= trigger.i <= node.right_edge.i
        ):
            return False  # "ahead of the round of talks on Monday, he warned": the talks' day
        if node.dep_ in {"relcl", "acl"} and node.pos_ == "VERB" and node.i not in verbs:
            return False  # "Police, which said on Monday ..., face allegations": the saying's day
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _drafts_for(
    token: Token,
    sent: Span,
    hit: tuple[str, str],
    found: Found,
    places_by_token: dict[int, Place],
    published: str | None,
    triggers: set[int],
    day_mentions: list[DateMention],
) -> list[_Draft]:
    kind, family = hit
    verb = _anchor_verb(token)
    main = _participle_head(verb)
    verbs = {verb.i} | ({main.i} if main is not None else set())
    doc = sent.doc
    located: list[tuple[int, Place]] = []
    seen: set[str] = set()
    attach_party: dict[int, str] = {}  # place token -> the party it is attached to ("NATO in Brussels")
    for i in range(sent.start, sent.end):
        place = places_by_token.get(i)
        if place is None or place.name in seen or (i > 0 and places_by_token.get(i - 1) is place):
            continue
        head = _attachment(doc[i])
        if head is not None and _belongs(head, token, verbs, triggers) and not _describes_another(doc[i]):
            if (
                _preposition(doc[i]) in {"to", "from"}
                and family != "visit"
                and (_preposition(doc[i]) != "from" or family not in _FROM_PLACE)
            ):
                continue  # "flown to Moscow": where someone went, not where it happened
            located.append((i, place))
            seen.add(place.name)
            named = _entity_name(found, head)
            if named is not None and named[1] in PARTY_TYPES:
                attach_party[i] = named[0]
    if not located and family == "visit" and token.pos_ == "VERB":
        located = _visited(token, found, places_by_token)
    if not located and kind in {"ASSAULT", "FIGHT"}:
        located = _targets(token, places_by_token)
    located = _coordinated(located, doc)
    dates: list[tuple[int, DateMention]] = []
    for mention in day_mentions:
        if not (sent.start_char <= mention.start < sent.end_char):
            continue
        if _dates_another(mention, token):
            continue  # "to protest the results of the 2020 election": the election's year
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and (
            span.root.head.i in verbs | {token.i} or _belongs(span.root, token, verbs, triggers)
        ):
            dates.append((_depth(span.root, token, verbs), mention))
    aside = _describes_someone(token, verb)
    if aside:
        # "X, the suspect in a shooting in Kenosha, was released on Friday": the shooting is who X
        # is, not what happened on Friday
        start, end = token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
        dates = [d for d in dates if start <= d[1].start < end]
        located = [(i, p) for i, p in located if token.left_edge.i <= i <= token.right_edge.i]
    named_year = [d for d in dates if d[1].granularity != "day" and _names_time_of(d[1], token)]
    if named_year and token.dep_ == "pobj" and token.head.head.pos_ in {"NOUN", "PROPN"}:
        # "ended his bid for the nomination in the 2020 election on Wednesday": the election is
        # named by its year, not dated by the verb (but "voted on Tuesday in the 2020 election")
        dates = named_year
    if main is not None and dates and all(d[1].granularity != "day" for d in dates):
        # a background event ("rallied in Lima to protest the results of the 2021 election") is
        # not where the action its clause hangs on happens
        located = [(i, p) for i, p in located if (_attachment(doc[i]) or doc[i]).i != main.i]
    first = token
    while first.dep_ == "conj" and first.head.pos_ == first.pos_:
        first = first.head  # "people living in or visiting Hong Kong"
    if token.pos_ == "VERB" and first.dep_ in {"relcl", "acl"} and not dates:
        return []  # "the room the group was visiting", "people visiting Hong Kong": background
    if _generic(token) and not dates:
        return []  # "where hurricanes have an impact": no occurrence
    participants, parties = _actors(token, sent, found)
    if not participants and not parties:
        participants = _speakers(token, found)
    towns = {p.name for p in found.places if p.kind in {"city", "admin1"}}
    parties = [p for p in parties if p not in seen and p not in towns]
    if not located and (kind in _COURT_TYPES or kind == "REJECT"):
        located = _court(sent, found, parties)
    duration = _DURATION.search(sent.text)
    targets: list[tuple[int | None, Place | None]] = [(i, p) for i, p in located] or [(None, None)]
    drafts = []
    for place_token, place in targets:
        anchor = doc[place_token].idx if place_token is not None else token.idx
        # with several places, each takes the date right after it ("in Brussels on Wednesday")
        near = [d for d in dates if 0 <= d[1].start - anchor <= 40] if len(targets) > 1 else dates
        days = [d for d in near or dates if d[1].granularity == "day"]
        # the date nearest the verb in the parse, then in the text ("shot on Saturday, with the
        # toll rising on Monday": Saturday)
        best = min(days, key=lambda d: (d[0], abs(d[1].start - anchor)), default=None)
        date = best[1] if best is not None else None
        vague = next((d[1] for d in near or dates if d[1].granularity != "day"), None)
        own = attach_party.get(place_token) if place_token is not None else None
        shared = [p for p in parties if p not in attach_party.values()]
        draft = _Draft(
            type=kind,
            family=family,
            label=_label(token, family),
            trigger=token,
            sent=sent,
            place=place,
            place_token=place_token,
            date=date,
            vague=vague if date is None else None,
            participants=list(participants),
            parties=shared + ([own] if own and own not in shared else []),
            duration=duration.group().strip() if duration and kind == "CONSULT" else None,
            own_place=place is not None,
            own_day=date is not None,
            aside=aside,
        )
        _drop_impossible_day(draft, published)
        draft.status = _status(draft, published)
        drafts.append(draft)
    return drafts


_TIMES_OF_DAY = frozenset("morning afternoon evening night noon midnight dawn dusk hours".split())
#: Dependencies of a date that qualifies a noun ("the 2020 election", "Monday's attack").
_MODIFIER = frozenset({"nummod", "compound", "amod", "poss", "nmod"})


def _describes_someone(token: Token, verb: Token) -> bool:
    """Whether a trigger only says who someone is: it sits in an apposition or under a person on its
    way up to its verb ("X, the suspect in a shooting, ...", "the victim of an attack")."""
    for node in token.ancestors:
        if node.i == verb.i:
            return False
        if node.dep_ == "appos" or node.ent_type_ == "PERSON":
            return True
    return False


def _qualified(mention: DateMention, doc: Doc) -> Token | None:
    """The noun a date qualifies, through the words of a name ("the August 2017 Unite the Right
    rally": rally), or None when the date stands for itself ("on Friday", "Saturday morning")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or span.root.dep_ not in _MODIFIER:
        return None
    head = span.root.head
    for _ in range(6):
        if head.ent_type_ in {"DATE", "TIME"} or head.lower_ in _TIMES_OF_DAY:
            return None  # "Saturday morning", "Monday night": a time of the same date
        if head.dep_ not in _MODIFIER or head.head.i == head.i:
            break
        head = head.head
    return head


def _opens_name_of(mention: DateMention, trigger: Token) -> bool:
    """Whether a date opens the name of the trigger's event, whatever the parse ("the August 2017
    Unite the Right rally")."""
    doc = trigger.doc
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not 0 <= trigger.i - span.end <= 5:
        return False
    return all(t.pos_ in {"PROPN", "ADJ", "DET", "NUM"} or t.text == "-" for t in doc[span.end : trigger.i])


def _names_time_of(mention: DateMention, trigger: Token) -> bool:
    """Whether a date qualifies the trigger itself ("the 2020 election", "last year's summit")."""
    noun = _qualified(mention, trigger.doc)
    return noun is not None and (noun.i == trigger.i or _opens_name_of(mention, trigger))


def _dates_another(mention: DateMention, trigger: Token) -> bool:
    """Whether a date qualifies a noun other than the trigger ("the 2020 election", "last year's
    budget"): that noun's time, not the event's."""
    noun = _qualified(mention, trigger.doc)
    return noun is not None and noun.i != trigger.i and not _opens_name_of(mention, trigger)


#: Last words of the name of a court, where its rulings, trials and sentences take place.
_COURTS = frozenset("court tribunal".split())


def _court(sent: Span, found: Found, parties: list[str]) -> list[tuple[int, Place]]:
    """A court that takes part in a legal step is where it happens ("Manhattan Supreme Court Justice
    Frank Nervo rejected the request": at the Manhattan Supreme Court; not "Supreme Court Justice
    Ruth Bader Ginsburg died")."""
    for token in sent:
        named = _entity_name(found, token)
        if named is not None and named[0] in parties and named[0].split()[-1].lower() in _COURTS:
            return [(token.i, Place(name=named[0], kind="facility"))]
    return []


def _drop_impossible_day(draft: _Draft, published: str | None) -> None:
    """A day after publication told in the past tense ("two days later, he held a rally", counted
    from the wrong day) is a misread date: the event keeps no day."""
    verb = _anchor_verb(draft.trigger)
    counted = draft.date is not None and _COUNTED.search(draft.date.text)
    if counted and draft.day and published and draft.day > published[:10] and verb.tag_ == "VBD":
        draft.date = None
        draft.own_day = False


def _speakers(verb: Token, found: Found) -> list[str]:
    """ "Mayor Ana Ruiz told reporters ...": the speaker the quotes stage found for this cue."""
    start, _ = found.offsets(verb.idx, verb.idx + len(verb.text))
    names = [q.speaker for q in found.quotes if q.speaker and q.cue_start == start]
    return [n for n in names if len(n.split()) > 1 and n.istitle()][:1]  # a name, not "officials"


def _generic(token: Token) -> bool:
    """A bare plural ("hurricanes", "protests") in a present-tense clause, or a bare noun after "of"
    ("director of debate", "a history of violence"), speaks of a kind."""
    if any(c.dep_ in {"det", "poss", "nummod", "amod", "compound"} for c in token.children):
        return False
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.tag_ == "NN":
        return True
    if token.tag_ != "NNS":
        return False
    verb = _anchor_verb(token)
    return verb.tag_ in {"VBP", "VBZ"} or verb.pos_ != "VERB"


def _visited(verb: Token, found: Found, places_by_token: dict[int, Place]) -> list[tuple[int, Place]]:
    """ "visited Kyiv", "visited the White House": the place visited is the verb's object."""
    for child in verb.children:
        if child.dep_ != "dobj":
            continue
        if child.i in places_by_token:
            return [(child.i, places_by_token[child.i])]
        entity = found.entity(found.token_entity.get(child.i))
        if entity is not None and entity.type in {"FAC", "ORG", "GPE", "LOC"}:
            return [(child.i, Place(name=entity.name, kind="facility"))]
    return []


def _targets(trigger: Token, places_by_token: dict[int, Place]) -> list[tuple[int, Place]]:
    """The place an attack or a fight is aimed at: "bombed Kabul", "Kabul was shelled", "an attack
    on Kabul", "Abqaiq was the target of an attack"."""
    candidates: list[Token] = []
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in {"on", "against"}:
            candidates += [c for c in child.children if c.dep_ == "pobj"]
        elif trigger.pos_ == "VERB" and child.dep_ in {"dobj", "nsubjpass"}:
            candidates.append(child)
    of = trigger.head
    target = of.head if trigger.dep_ == "pobj" and of.lower_ == "of" else None
    if target is not None and target.lemma_.lower() == "target" and target.dep_ == "attr":
        candidates += [c for c in target.head.children if c.dep_ == "nsubj"]
    for candidate in candidates:
        for t in candidate.subtree:
            if t.i in places_by_token and places_by_token[t.i].kind != "country":
                return [(t.i, places_by_token[t.i])]
    return []


def _preposition(token: Token) -> str | None:
    """The preposition a place hangs on, through "the city of" ("to the city of Moscow": to)."""
    current = token
    for _ in range(5):
        head = current.head
        if head.i == current.i:
            return None
        if (head.dep_ == "prep" or head.pos_ == "ADP") and head.lower_ != "of":
            return head.lower_
        current = head
    return None


def _depth(node: Token, trigger: Token, verbs: set[int]) -> int:
    """Steps up the parse from ``node`` to the trigger or its verb."""
    for steps in range(12):
        if node.i == trigger.i or node.i in verbs or node.head.i == node.i:
            return steps
        node = node.head
    return 12


#: How specific a kind of place is: a town or site before its region, a region before its country.
_SPECIFIC = {"city": 0, "locality": 0, "facility": 1, "admin2": 2, "admin1": 3, "region": 3, "water": 3}


def _coordinated(located: list[tuple[int, Place]], doc: Doc) -> list[tuple[int, Place]]:
    """One place per occurrence: several only when coordinated ("in Brussels ... and in Vienna").

    Places in one phrase ("at a Walmart store in the border city of El Paso, Texas") give the
    most specific: the town, else the site, else the region, else the country.
    """
    groups: list[list[tuple[int, Place]]] = []
    for i, place in located:
        if groups and not any(t.lower_ in {"and", ";"} for t in doc[groups[-1][-1][0] : i]):
            groups[-1].append((i, place))
        else:
            groups.append([(i, place)])
    # of equal rank, the place named for itself, not the one that qualifies a noun ("the United
    # States commonwealth of Puerto Rico": Puerto Rico)
    return [min(group, key=lambda p: (_rank(p[1]), _qualifies(doc[p[0]]))) for group in groups]


def _name_root(token: Token) -> Token:
    """The last word of the name a token opens ("United States": States)."""
    root = token
    while root.dep_ in {"compound", "flat"} and root.head.i != root.i and root.head.ent_iob_ == "I":
        root = root.head
    return root


def _qualifies(token: Token) -> bool:
    """Whether the name a token opens qualifies a noun ("the United States commonwealth")."""
    return _name_root(token).dep_ in {"compound", "amod"}


def _rank(place: Place) -> int:
    return _SPECIFIC.get(place.kind or "", 4)


def _share_sentence_context(
    sent: Span,
    drafts: list[_Draft],
    mentions: list[DateMention],
    places_by_token: dict[int, Place],
    published: str | None,
) -> None:
    """Triggers that name no place or day take those of their sentence (places: events on the ground)."""
    if not drafts:
        return
    doc = sent.doc
    free: list[tuple[int, Place]] = []
    for i in range(sent.start, sent.end):
        place = places_by_token.get(i)
        if place is None or (i > 0 and places_by_token.get(i - 1) is place):
            continue
        if any(place is p for _, p in free) or not _locative(doc[i]) or _describes_another(doc[i]):
            continue
        free.append((i, place))
    free = _coordinated(free, doc)
    # "Speaking on TV in Yemen, X said it carried out the attack": where one speaks of an event
    # is not where it happened
    spoken_at = {d.place_token for d in drafts if d.type == "CONSULT" and d.own_place}
    free = [p for p in free if p[0] not in spoken_at and not _where_spoken(doc[p[0]])]
    days = [
        m
        for m in mentions
        if sent.start_char <= m.start < sent.end_char
        and m.granularity == "day"
        and m.date
        and not _RELATIVE.search(m.text)
    ]
    vague = [m for m in mentions if sent.start_char <= m.start < sent.end_char and m.granularity != "day"]
    claimed_days = {d.date.start for d in drafts if d.date is not None}
    # "ahead of the talks on Monday, he warned": Monday is the talks' day, not the warning's
    reference_days = {
        d.date.start for d in drafts if d.date is not None and _time_reference(d.trigger) is not None
    }
    # "the deadliest since an assault in Ghazni": Ghazni is the earlier assault's place
    reference_places = {
        d.place_token for d in drafts if d.place_token is not None and _time_reference(d.trigger) is not None
    }
    # "A few hours before the jet crashed, Iran fired missiles ... after the airstrike in Baghdad":
    # a place stated for one event is not another's
    claimed_places = {d.place_token for d in drafts if d.own_place and d.place_token is not None}
    for draft in drafts:
        usable = [
            p
            for p in free
            if draft.type in GROUND_TYPES
            and p[0] not in claimed_places
            and (p[0] not in reference_places or _time_reference(draft.trigger) is not None)
            and (
                _attachment(doc[p[0]], _LOCATIVE) is not None
                or (_modified_event(doc[p[0]]) or draft.trigger).i == draft.trigger.i
            )
        ]
        if draft.vague is not None:
            # a background event ("the 2021 election") is not where the sentence's action is,
            # unless the place names it ("last week a Kabul car bombing")
            usable = [p for p in usable if (_modified_event(doc[p[0]]) or doc[p[0]]).i == draft.trigger.i]
        if draft.place is None and usable:
            draft.place_token, draft.place = usable[0]
            draft.own_place = True
        if draft.date is None and draft.vague is None and not draft.aside:
            open_days = [m for m in days if m.start not in claimed_days] or [
                m for m in days if m.start not in reference_days or _time_reference(draft.trigger) is not None
            ]
            if open_days:
                draft.date = min(open_days, key=lambda m: abs(m.start - draft.trigger.idx))
                draft.own_day = True
                draft.status = _status(draft, published)
            else:
                draft.vague = next((m for m in vague if not _dates_another(m, draft.trigger)), None)
        _drop_impossible_day(draft, published)
        if draft.status == "scheduled" and published and draft.day and draft.day < published[:10]:
            draft.date = None  # a day already past is not the day of an event still ahead
            draft.own_day = False


#: Verbs of speaking whose place is where someone spoke ("Speaking on TV in Cairo, he said").
_SPEAKING_VERBS = frozenset("speak talk address say tell write tweet comment testify".split())


def _where_spoken(token: Token) -> bool:
    """Whether a place says where someone spoke: it hangs on a verb of speaking."""
    head = _attachment(token, _LOCATIVE)
    for _ in range(4):
        if head is None or head.pos_ in {"VERB", "AUX"}:
            break
        head = head.head if head.head.i != head.i else None  # "on TV in Cairo": TV, then speaking
    return (
        head is not None
        and head.pos_ == "VERB"
        and head.dep_ not in {"dobj", "nsubj", "nsubjpass", "pobj"}  # "arrested the accused in"
        and head.lemma_.lower() in _SPEAKING_VERBS
    )


def _join_in_sentence(drafts: list[_Draft]) -> list[_Draft]:
    """One event per type and place in a sentence; deaths and announcements join the sentence's event."""
    main = [d for d in drafts if d.family not in _JOINERS]
    # "hit by drone strikes in a pre-dawn raid", "killed in an attack": the event the other happens in
    for draft in list(main):
        host = _host(draft, main)
        if host is not None:
            _absorb(host, draft)
            main.remove(draft)
    out: list[_Draft] = []
    for draft in main:
        same = next(
            (
                d
                for d in out
                if d.type == draft.type
                and (d.family == draft.family or d.type != "OTHER")
                # "Monday's attack, the deadliest since an assault in Ghazni": two attacks
                and (_time_reference(d.trigger) is None) == (_time_reference(draft.trigger) is None)
                and (d.place is None or draft.place is None or d.place.name == draft.place.name)
                and (d.day is None or draft.day is None or d.day == draft.day)
            ),
            None,
        )
        if same is None:
            out.append(draft)
        else:
            _absorb(same, draft)
    joiners = [d for d in drafts if d.family in _JOINERS]
    if not out:
        # several deaths or announcements alone: one event
        for draft in joiners:
            same = next((d for d in out if d.family == draft.family), None)
            if same is None:
                out.append(draft)
            else:
                _absorb(same, draft)
        return out
    for draft in joiners:
        # the nearest event, one the sentence tells rather than one it dates by ("since an assault")
        target = min(
            out, key=lambda d: (_time_reference(d.trigger) is not None, abs(d.trigger.i - draft.trigger.i))
        )
        if draft.family == "announcement" and draft.own_day and target.own_day and draft.day != target.day:
            out.append(draft)  # "announced it on Wednesday and again at a rally on Friday"
        else:
            _absorb(target, draft)
    return out


def _host(draft: _Draft, drafts: list[_Draft]) -> _Draft | None:
    """The event on the ground another one is said to happen in ("strikes in a raid": the strikes)."""
    trigger = draft.trigger
    if draft.type not in GROUND_TYPES or trigger.dep_ != "pobj" or trigger.head.lower_ != "in":
        return None
    holder = trigger.head.head
    return next(
        (
            d
            for d in drafts
            if d is not draft
            and d.type in GROUND_TYPES
            and (holder.i == d.trigger.i or holder.i == _anchor_verb(d.trigger).i)
        ),
        None,
    )


def _absorb(target: _Draft, other: _Draft) -> None:
    """Fold another mention of one event into ``target``."""
    target.participants += [p for p in other.participants if p not in target.participants]
    target.parties += [p for p in other.parties if p not in target.parties]
    if target.date is None and other.date is not None:
        target.date, target.own_day = other.date, other.own_day
        target.vague = None
        target.status = other.status if other.status != "reported" else target.status
    if other.place is not None and (target.place is None or _rank(other.place) < _rank(target.place)):
        # the most specific place any mention names: "in Texas" ... "at a Walmart in El Paso"
        target.place, target.place_token, target.own_place = other.place, other.place_token, other.own_place
    target.duration = target.duration or other.duration


def _entity_name(found: Found, token: Token) -> tuple[str, str] | None:
    entity = found.entity(found.token_entity.get(token.i))
    return (entity.name, entity.type) if entity is not None else None


def _actors(token: Token, sent: Span, found: Found) -> tuple[list[str], list[str]]:
    """People and parties taking part: the trigger's arguments and those of the verb it hangs on."""
    heads: list[Token] = [token]
    verb = token
    while (
        verb.pos_ != "VERB"
        and verb.head.i != verb.i
        and verb.dep_ in {"dobj", "pobj", "prep", "nsubj", "compound", "attr", "conj", "appos"}
    ):
        verb = verb.head
    if verb.i != token.i:
        heads.append(verb)
    # "Russia is due to hold talks": the subject sits on a verb above
    climb = verb
    for _ in range(3):
        if any(c.dep_ in {"nsubj", "nsubjpass"} for c in climb.children) or climb.head is climb:
            break
        if climb.dep_ not in {"xcomp", "ccomp", "acomp", "conj"}:
            break
        climb = climb.head
        heads.append(climb)
    if verb.dep_ in {"relcl", "acl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        heads.append(verb.head)  # "the proclamation by Trump, which was made on Monday"
    # "Speaking at a news briefing ..., Peskov said": the participle's subject is the main clause's
    main = _participle_head(verb)
    if main is not None:
        heads.append(main)
    under_verb = next((a for a in [token, *token.ancestors] if a.head.i == verb.i and a.i != verb.i), None)
    at_it = under_verb is not None and under_verb.dep_ == "prep" and under_verb.lower_ in _AT_EVENT
    if _time_reference(token) is not None:
        heads = [token]  # "ahead of the talks, Stoltenberg warned": he acts before, not in, the talks
    people: list[str] = []
    parties: list[str] = []
    for head in heads:
        # "Peskov described the talks": who speaks of an event is not in it
        # ... unless it speaks at it: "X criticised the law during a campaign stop"
        talks_about = head is not token and head is not main and head.lemma_ in CUE_VERBS and not at_it
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in _ASIDE:
                continue  # "according to Brown", "despite criticism by UNESCO": not taking part
            if child.dep_ not in {
                "nsubj",
                "nsubjpass",
                "dobj",
                "prep",
                "agent",
                "poss",
                "compound",
                "dative",
            }:
                continue
            if talks_about and child.dep_ in {"nsubj", "nsubjpass", "agent", "dative"}:
                continue
            for t in child.subtree:
                if not (sent.start <= t.i < sent.end):
                    continue
                if t.dep_ == "relcl" or t.dep_ == "ccomp":
                    break
                named = _entity_name(found, t)
                if named is None:
                    continue
                name, kind = named
                target = people if kind == "PERSON" else parties if kind in PARTY_TYPES else None
                if target is not None and name not in target:
                    target.append(name)
    if not people and not parties and _adverbial(token, sent.root) and _time_reference(token) is None:
        # "..., while addressing the press yesterday": the sentence's subject takes part
        root = sent.root
        for child in root.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                named = _entity_name(found, child)
                if named is not None and named[1] == "PERSON":
                    people.append(named[0])
                elif named is not None and named[1] in PARTY_TYPES:
                    parties.append(named[0])
    if (
        not people
        and not parties
        and any(
            c.lower_ in {"he", "she"} for h in heads for c in h.children if c.dep_ in {"nsubj", "nsubjpass"}
        )
    ):
        # "He announced ...": the person the sentence before is about
        before = _previous_subject(sent, found)
        if before is not None:
            people.append(before)
    return people, parties


def _time_reference(token: Token) -> Token | None:
    """The preposition that makes a trigger a point in time for another action ("ahead of the talks",
    "after the meeting"), if any, up to the verb the trigger hangs on."""
    for node in [token, *token.ancestors]:
        if node.dep_ in {"prep", "advmod"} and node.lower_ in _TIME_REFERENCE and node.i != token.i:
            return node
        if node.pos_ in {"VERB", "AUX"} and node.i != token.i:
            return None
    return None


#: Verbs of saying, thinking and describing: their complement is what someone speaks of.
_SPEAKING = CUE_VERBS | frozenset("describe expect hope think believe call see".split())


def _adverbial(token: Token, root: Token) -> bool:
    """Whether a trigger stands in an adverbial part of the sentence ("..., while addressing the
    press"), not in what its main verb says or describes ("Peskov said the talks were held")."""
    if root.lemma_.lower() not in _SPEAKING:
        return True
    if token.i == root.i:
        return True
    branch = next((a for a in [token, *token.ancestors] if a.head.i == root.i), None)
    return branch is not None and branch.dep_ in {"advcl", "prep", "npadvmod", "advmod"}


def _previous_subject(sent: Span, found: Found) -> str | None:
    """The person who is the subject of the sentence before, if a person is."""
    if sent.start == 0:
        return None
    previous = sent.doc[sent.start - 1].sent
    subject = next((t for t in previous.root.children if t.dep_ in {"nsubj", "nsubjpass"}), None)
    named = _entity_name(found, subject) if subject is not None else None
    return named[0] if named is not None and named[1] == "PERSON" else None


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """Mentions of one occurrence across sentences become one draft (the first mention's)."""
    merged: list[_Draft] = []
    for draft in drafts:
        same = next((m for m in reversed(merged) if _same_event(m, draft)), None)
        if same is None:
            same = _toll_of(draft, merged)
            if same is not None:
                same.ordinal = max(same.ordinal, draft.ordinal)  # the story of it goes on
        if same is None:
            if draft.place is None and draft.day is None:
                if not _narrated(draft):
                    continue  # "the attack", "the event": a later mention of something, or nothing
                draft.narrated = True
            merged.append(draft)
            continue
        _absorb(same, draft)
    return merged


#: Kinds of events whose dead and injured the next sentences may count.
_DEADLY = frozenset({"disaster", "attack", "offensive"})


def _toll_of(draft: _Draft, merged: list[_Draft]) -> _Draft | None:
    """ "A fire broke out at the hall. A rescued woman died at the scene.": deaths and injuries told
    right after an attack or an accident, with no day of their own, are its toll."""
    if draft.family != "death" or draft.date is not None or draft.vague is not None:
        return None
    host = next((m for m in reversed(merged) if m.family in _DEADLY), None)
    if host is None or draft.ordinal - host.ordinal > 3:
        return None
    if draft.place is not None and host.place is not None and not _same_place(draft.place, host.place):
        return None
    return host


def _narrated(draft: _Draft) -> bool:
    """ "Five crew members were rescued": a new step of the story told in the past, on the ground,
    whose day and place are the story's."""
    trigger = draft.trigger
    if trigger.lemma_.lower() in _AGENTS:
        trigger = _acting(trigger) or trigger  # "responders drove onto the Ellipse"
    return (
        draft.type in GROUND_TYPES
        and draft.vague is None
        and trigger.pos_ == "VERB"
        and trigger.tag_ in {"VBD", "VBN"}
        and (
            trigger.dep_ in {"ROOT", "conj"}
            or (trigger.dep_ == "ccomp" and trigger.head.lemma_ in CUE_VERBS and draft.family != "death")
        )
    )  # "Police said the gunman surrendered": told as fact by a source


def _same_event(a: _Draft, b: _Draft) -> bool:
    if a.type != b.type or (a.family != b.family and a.type == "OTHER"):
        return False
    actors_a, actors_b = {*a.participants, *a.parties}, {*b.participants, *b.parties}
    if a.trigger.pos_ == b.trigger.pos_ == "VERB" and actors_a and actors_b and not actors_a & actors_b:
        return False  # "the government announced ..." and "the Coast Guard announced ...": two acts
    if a.narrated and a.day is None and (b.day or b.place):
        return False
    if a.place is not None and b.place is not None and not _same_place(a.place, b.place):
        return False
    when_a = a.day or (a.vague.date if a.vague else None)
    when_b = b.day or (b.vague.date if b.vague else None)
    if when_a and when_b and not (when_a.startswith(when_b) or when_b.startswith(when_a)):
        return False
    if (a.place is None) == (b.place is None):
        return True
    # a placed and an unplaced mention are one event when they share a day, or the unplaced one
    # is a bare later mention ("the attack")
    unplaced = b if b.place is None else a
    if bool(when_a and when_b) or (unplaced.date is None and unplaced.vague is None):
        return True
    # "were hit by drone strikes yesterday" ... "the attacks struck the plant at Abqaiq": the later
    # mention, definite and undated, places the event told before
    return b.place is not None and b.date is None and b.vague is None and _definite(b.trigger)


def _definite(trigger: Token) -> bool:
    """Whether a trigger noun points back ("the attacks", "this blast")."""
    return trigger.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"} for c in trigger.children
    )


def _same_place(a: Place, b: Place) -> bool:
    """One place named twice: the same name, a town and a site in it, or a town and its region or
    country ("El Paso" and "Texas"). Two sites in one town are two places (two mosques)."""
    if a.name == b.name:
        return True
    if a.lat is not None and (a.lat, a.lon) == (b.lat, b.lon) and (a.kind == "city") != (b.kind == "city"):
        return True  # a site or district placed at its town's point, and the town
    broad = {"country", "admin1", "region"}
    return a.country is not None and a.country == b.country and ((a.kind in broad) != (b.kind in broad))


#: Steps of a court case ("the trial", "sentencing", "his next court appearance").
_COURT_TYPES = frozenset({"ACCUSE", "SANCTION"})
#: Events that open or carry on a case, whose people its later steps concern.
_CASE_TYPES = _COURT_TYPES | {"COERCE"}
_NATIONWIDE = re.compile(r"\b(?:nationwide|across the country|across the nation|countrywide)\b", re.I)
#: How many sentences away an event still takes its place from another.
_NEAR = 6


#: Families of events held across a country, which take no town from the story around them.
_NATIONAL = frozenset({"election"})
#: Words for an election held in a town or a district, which keeps its town.
_LOCAL = frozenset("local municipal mayoral district district-level council city county by-election".split())
#: Families that take no day from the story around them: the day of an announcement or of an
#: election is the one the text gives it, not that of the death or the protest told before.
_OWN_DAY = frozenset({"election", "announcement"})


def _past_perfect(trigger: Token) -> bool:
    """ "a fruit had exploded in her mouth": a step before the story's time, not of its day."""
    verb = trigger if trigger.pos_ == "VERB" else _anchor_verb(trigger)
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children)


def _perfect(trigger: Token) -> bool:
    """ "One person in Hong Kong has died": the present perfect tells no day of the story's."""
    verb = trigger if trigger.pos_ == "VERB" else _anchor_verb(trigger)
    return any(c.dep_ == "aux" and c.lower_ in {"has", "have"} for c in verb.children)


def _same_kind(a: _Draft, b: _Draft) -> bool:
    """Whether two events are of one kind: one PLOVER type, and for OTHER one family."""
    return a.type == b.type and (a.type != "OTHER" or a.family == b.family)


def _take_context(
    drafts: list[_Draft], lead: Place | None, published: str | None, countries: list[Place]
) -> None:
    """Events on the ground take the day or place they lack from the nearest earlier event."""
    for index, draft in enumerate(drafts):
        earlier = drafts[:index][::-1]
        if draft.date is not None and _SAME_DAY.search(draft.date.text):
            # "the second attack ... on the same day": the day of the event before, not the last
            # date the text happened to name
            same = next(
                (d for d in earlier if d.type == draft.type and d.day and d.status != "scheduled"), None
            )
            if same is not None:
                draft.date = replace(draft.date, date=same.day)
                draft.status = _status(draft, published)
        if draft.type in _COURT_TYPES and not draft.participants and not draft.parties:
            # "Sentencing is scheduled for February 4": a step of the case told before, whose
            # defendant it concerns
            case = next(
                (d for d in earlier if d.type in _CASE_TYPES and d.participants),
                None,
            )
            if case is not None:
                draft.participants = list(case.participants)
        if draft.type not in GROUND_TYPES or draft.action:
            continue
        if draft.place is None and lead is not None and _NATIONWIDE.search(draft.sent.text):
            # "vigils nationwide": the country of the story
            draft.place = next((p for p in countries if p.country == lead.country), None)
        if draft.place is None and draft.vague is None:
            # the place of the story told around it, else of the lead while the story is told
            # (not for a background event, "the 2021 election": one the story only refers to)
            near = [d for d in earlier if d.place is not None and draft.ordinal - d.ordinal <= _NEAR]
            draft.place = near[0].place if near else lead
            if (
                draft.family in _NATIONAL
                and draft.place is not None
                and _rank(draft.place) < 3
                and not _lefts(draft.trigger) & _LOCAL
            ):
                # an election is held across the country, not in the town of the story's protest
                draft.place = next((p for p in countries if p.country == draft.place.country), None)
        if draft.status == "scheduled" or draft.family in _OWN_DAY:
            continue  # an election has its own day, not that of the protest told before it
        if draft.date is None and draft.vague is None and not _perfect(draft.trigger):
            past = [d for d in earlier if d.day is not None and d.status != "scheduled" and not d.action]
            # of the events with no PLOVER type, only one of the same kind: a death's day is not
            # the day of the mourning or of the announcement that follows it
            dated = next((d for d in past if d.type == draft.type and _same_kind(d, draft)), None)
            if dated is None and draft.family == "death" and past and past[0].family in _DEADLY:
                # "He died from his injuries a short time later": the day of the attack told before
                dated = past[0] if draft.ordinal - past[0].ordinal <= _NEAR else None
            if (
                dated is None
                and draft.narrated
                and past
                and draft.ordinal - past[0].ordinal <= 3
                and not _past_perfect(draft.trigger)
            ):
                dated = past[0]  # a step told right after a dated one: "Police arrived and shot him"
            if dated is not None:
                draft.date = dated.date
                draft.status = _status(draft, published)


#: Families of events in which whoever hears takes part: an interview, a statement to the press.
_TOLD = frozenset({"statement", "interview"})


def _record(draft: _Draft, found: Found) -> Event:
    start, end = found.offsets(draft.sent.start_char, draft.sent.end_char)
    text = found.article.text
    while end > start and text[end - 1].isspace():
        end -= 1
    place = draft.place
    label = draft.label + (f" in {place.name}" if place is not None else "")
    # the outlet that reports ("Wikinews attended the rally") takes part only in what is said to it
    parties = [p for p in draft.parties if draft.family in _TOLD or not is_outlet(p, found)]
    return Event(
        type=draft.type,
        label=label,
        participants=draft.participants,
        parties=parties,
        place=EventPlace(name=place.name, country=place.country, lat=place.lat, lon=place.lon)
        if place
        else None,
        date=draft.day,
        date_text=draft.date.text if draft.date else None,
        status=draft.status,
        duration=draft.duration,
        start=start,
        end=end,
    )
