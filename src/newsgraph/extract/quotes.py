"""Quotes: direct, mixed and indirect speech, each attributed to a speaker.

1. Quote marks are paired per paragraph (straight marks after repair; double marks first,
   then single marks outside them). A paragraph whose quote never closes continues into
   the next paragraph when that one opens with a mark (multi-paragraph quotes); otherwise
   the quote runs to the paragraph's end (unbalanced marks).
2. A quote that stands as a clause (starts its sentence, or follows "X said:") is direct;
   a fragment inside other words ("described the talks as "positive"") is mixed, and its
   reported clause is given as ``clause_start``/``clause_end``.
3. The cue is a speech verb next to the quote (after it: ", the spokesman said"; before
   it: "Grushko said: "), the verb governing a mixed fragment, or "according to". The
   speaker is the cue's subject. A quote with no cue of its own continues the speech of
   the sentence before it in the same paragraph, or of a paragraph before it that ends on
   someone speaking or issuing a statement. Layouts of their own: "Said Ellis:", a
   transcript turn ("PENCE:", "Chris Matthews:"), "quote" - Name, any verb right after a
   quote that ends in a comma ('"...," Hollande retaliated'). A participle cue hung on a clause
   whose subject cannot speak ("A witness described how the attack unfolded, stating, ...")
   belongs to the one who described it.
4. Indirect speech is a speech verb whose clausal complement lies outside quote marks
   ("Peskov said Russia was not setting deadlines"), plus "according to X, ...",
   "accuse X of ...", "express hope that ...".
5. Speakers resolve to canonical entities: names through the entities stage, pronouns to the
   most recent person who is the subject of a nearby sentence, nominals ("the spokesman")
   to the person holding that role; a group named by a common noun ("Western governments")
   speaks for itself; an unresolved pronoun leaves the speaker null.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.base import Found
from newsgraph.extract.lexicon import TITLE_WORDS, person_gender
from newsgraph.models import Quote, QuoteKind

#: Verbs of saying: their subject is a speaker.
SPEECH_VERBS = frozenset(
    """say tell add state announce claim insist argue ask explain note warn declare write tweet post
    reply respond acknowledge suggest describe call confirm deny admit report recall promise vow urge
    predict concede assert stress point accuse allege charge complain contend maintain observe remark
    reiterate repeat emphasize emphasise mention disclose reveal testify caution threaten pledge demand
    propose counter retort quip joke lament boast muse continue conclude recount estimate indicate
    signal hint question wonder comment brief insist inform assure advise announce praise criticize
    criticise blast slam blame dismiss reject agree acknowledge concede shout yell scream whisper read
    exclaim answer boom bark snap scoff chant proclaim tout gush fume shoot lecture plead cry
    mock""".split()
)
#: Verbs of belief and stance: attributed, but not speech.
STANCE_VERBS = frozenset("believe think expect hope fear feel worry doubt assume consider".split())
CUE_VERBS = SPEECH_VERBS | STANCE_VERBS
#: Verbs that are only a cue when they take a clause, never when they govern a mixed fragment.
_CLAUSE_ONLY = frozenset("continue read point question".split())
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_PRONOUNS = frozenset("he she him her his hers".split())
_PLURAL_PRONOUNS = frozenset("they them we it".split())
#: Nouns for a group that speaks, and the entity type they stand for. "the alliance" alone refers
#: back to the nearest organisation; "the ministry" only to one with "ministry" in its name.
_NAMED_GROUP_NOUNS = frozenset(
    "ministry department party campaign administration committee union court council".split()
)
_GROUP_NOUNS = {
    **dict.fromkeys(
        "alliance organization organisation newspaper agency company firm bank group paper network".split(),
        "ORG",
    ),
    **dict.fromkeys(_NAMED_GROUP_NOUNS, "ORG"),
    "government": "GPE",
    "country": "GPE",
}


@dataclass
class _Marked:
    """A quoted passage: character offsets in the parsed text, marks excluded."""

    start: int
    end: int
    opened: int  # offset of the opening mark (or the paragraph start if none)


@dataclass
class _Attribution:
    start: int  # content, parsed-text characters
    end: int
    kind: QuoteKind
    cue: Token | Span | None
    subject: Token | None
    clause: tuple[int, int] | None = None
    speaker_span: tuple[int, int] | None = None  # when the speaker is no verb's subject


# ---------------------------------------------------------------- 1. quote marks
#: Quote marks by family: (opening only, closing only, either way).
DOUBLE = ("\u201c\u201e\u00ab", "\u201d\u00bb", '"')
SINGLE = ("\u2018\u201a\u2039", "\u2019\u203a", "'")
_AFTER_CLOSE = ".,;:!?)]}\u2014\u2013-'\"\u2019\u201d"


def _is_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{\u2014\u2013-/:;,\u201c\u2018\"'") and not after.isspace()


def _is_close(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in _AFTER_CLOSE)


def _pair_marks(
    text: str, start: int, end: int, family: tuple[str, str, str], skip: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Pair the quote marks of one family in ``text[start:end]``, outermost pairs only.

    Returns (open, close) offsets; close is -1 for a quote still open at the end, open is
    ``start - 1`` for a close whose quote opened before this paragraph. Curly marks say
    which way they face, so quotes nested in the same family pair correctly ("he calls
    “hell” than"); straight marks are read from the characters around them.
    """
    opening, closing, either = family
    single = either == "'"
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for i in range(start, end):
        ch = text[i]
        if (ch not in opening and ch not in closing and ch != either) or any(a <= i < b for a, b in skip):
            continue
        inside_word = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
        if single and ch not in opening and inside_word:
            continue  # an apostrophe: "Russia's", "don't"
        opens = ch in opening or (
            ch == either and (not stack or (_is_open(text, i) and not _is_close(text, i)))
        )
        if opens and single and ch == either and not _is_open(text, i):
            continue  # "the students' union": an apostrophe with no quote open
        if opens and stack and ch in opening and _is_close(text, i) and not _is_open(text, i):
            opens = False  # a typo'd closing mark: 'problems for her here,“ said Jim Clyburn'
        if opens and stack and stack[-1] == i - 1:
            continue  # two opening marks in a row ('"“You don't win') open one quote
        if opens:
            stack.append(i)
            continue
        if single and not stack:
            continue  # a closing single mark with no quote open is an apostrophe
        # a closing mark
        if (
            single
            and text[i - 1] in "sS"
            and _is_close(text, i)
            and _later_close(text, i, end, closing + either)
        ):
            continue  # a plural possessive inside the quote ("the voters' anger")
        if stack:
            opened = stack.pop()
            if not stack:
                pairs.append((opened, i))
        elif not pairs and not single and text[start:i].strip():
            pairs.append((start - 1, i))  # closes a quote opened in an earlier paragraph
    if stack:
        pairs.append((stack[0], -1))
    return pairs


def _later_close(text: str, i: int, end: int, closers: str) -> bool:
    return any(text[j] in closers and _is_close(text, j) for j in range(i + 1, end))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def find_quotes(text: str) -> list[_Marked]:
    """All quoted passages of ``text`` (marks excluded), joined across paragraphs."""
    found: list[_Marked] = []
    pending: _Marked | None = None
    for p_start, p_end in _paragraphs(text):
        pairs = _pair_marks(text, p_start, p_end, DOUBLE, [])
        if pending is not None:
            turn = _TRANSCRIPT_TURN.match(text, p_start + 1)  # '"PENCE: Well, ...' starts a new one
            if pairs and pairs[0][0] == p_start and turn is None:
                _first_open, first_close = pairs.pop(0)
                if first_close == -1:
                    pending.end = p_start + len(text[p_start:p_end].rstrip())
                    continue  # the quote goes on into the next paragraph
                pending.end = first_close
                found.append(pending)
                pending = None
            else:
                found.append(pending)  # unbalanced: it ended with its paragraph
                pending = None
        for open_, close in pairs:
            if close == -1:
                tail = text[open_ + 1 : p_end].rstrip()
                pending = _Marked(open_ + 1, open_ + 1 + len(tail), open_)
            elif open_ < p_start:
                found.append(_Marked(p_start, close, p_start))
            else:
                found.append(_Marked(open_ + 1, close, open_))
        doubles = [(m.opened, m.end + 1) for m in found if m.opened >= p_start] + [
            (o, (c if c >= 0 else p_end) + 1) for o, c in pairs
        ]
        for open_, close in _pair_marks(text, p_start, p_end, SINGLE, doubles):
            if close != -1 and close - open_ > 2 and " " in text[open_:close]:
                found.append(_Marked(open_ + 1, close, open_))
    if pending is not None:
        found.append(pending)
    found = [m for m in found if text[m.start : m.end].strip()]
    found.sort(key=lambda m: (m.start, -m.end))
    outer: list[_Marked] = []
    for mark in found:  # a quote within a quote is part of it ("I said, 'Look, ...'")
        if outer and mark.opened < outer[-1].end:
            continue
        outer.append(mark)
    return outer


# ---------------------------------------------------------------- 2-4. cues and content
def _inside(spans: Sequence[tuple[int, int]], char: int) -> bool:
    """Whether ``char`` lies in one of ``spans``: sorted, non-overlapping quote spans."""
    k = bisect_right(spans, (char, sys.maxsize)) - 1  # the last span opening at or before it
    return k >= 0 and char < spans[k][1]


def _is_cue(token: Token, *, clause: bool = True) -> bool:
    if token.pos_ not in {"VERB", "AUX"} and token.lemma_ != "accord":
        return False
    if not clause and token.lemma_ in _CLAUSE_ONLY:
        return False
    return token.lemma_.lower() in CUE_VERBS


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, following conjunctions and auxiliaries ("X described ... and said")."""
    seen = 0
    # ", stating, ..." hung on the clause before it: its subject may be what happened, not who spoke
    participle = (
        verb.tag_ == "VBG" and verb.dep_ in {"conj", "advcl"} and all(c.dep_ != "aux" for c in verb.children)
    )
    while verb is not None and seen < 6:
        seen += 1
        for child in verb.children if verb.lemma_ in CUE_VERBS else ():
            # the passive's agent speaks: "Rubio was asked by the moderator"
            if child.dep_ == "agent":
                agent = next((c for c in child.children if c.dep_ == "pobj"), None)
                if agent is not None:
                    return agent
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if subjects and verb.lemma_ in CUE_VERBS and verb.lemma_ not in _HEARD:
            # a passive verb of saying: "no deaths were reported", "he was told that ..." name
            # what was said or to whom; the speaker is the agent, or unknown
            subjects = [c for c in subjects if c.dep_ != "nsubjpass"]
            if not subjects:
                break
        if subjects and seen > 1 and _aside(verb):
            subjects = []  # "... the stadium - where the Panthers played - while chanting": not theirs
        embedded = verb.dep_ in {"ccomp", "acl", "relcl"}
        if subjects and seen > 1 and participle and embedded and not any(_speaker_like(c) for c in subjects):
            # "A witness described how the attack unfolded, stating, ...": the witness states it
            if verb.dep_ == "ccomp" and verb.head.i != verb.i:
                verb = verb.head
                continue
            if _speaker_like(verb.head):
                return verb.head
        if (
            participle
            and seen > 1
            and not subjects
            and verb.dep_ in {"acl", "relcl"}
            and _speaker_like(verb.head)
        ):
            return verb.head  # "An eyewitness described ...": the parser hung the verb on its subject
        if subjects:  # the nearest: "LONDON (Reuters) - Donald Trump said" has two
            return max(subjects, key=lambda c: (c.i < verb.i, c.i if c.i < verb.i else -c.i))
        if verb.dep_ == "xcomp" and verb.head.i != verb.i and verb.lemma_ in CUE_VERBS:
            # object control: "led the journalist to fear", "urged voters to say": the object
            controller = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
            if controller is not None and (_could_speak(controller) or _speaker_like(controller)):
                return controller
        if verb.dep_ == "conj" and verb.pos_ == "VERB" and verb.head.pos_ in {"NOUN", "PROPN"}:
            # "He adopted an accent and joked": the parser hung the verb on the object
            head = next((a for a in verb.ancestors if a.pos_ in {"VERB", "AUX"}), None)
            if head is not None:
                verb = head
                continue
        if verb.dep_ in {"conj", "xcomp", "advcl", "acomp", "dep"} and verb.head.i != verb.i:
            verb = verb.head
            continue
        if verb.dep_ == "pcomp" and verb.head.head.i != verb.head.i:  # "began by saying"
            verb = verb.head.head
            continue
        break
    for child in verb.children:  # "according to X"; "said Peskov" (inverted, parsed as object)
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


def _aside(verb: Token) -> bool:
    """Whether a verb heads a clause set off by dashes that opens with "where" or "when" (an aside
    on a place or a time, whose subject is nobody else's)."""
    wh = any(c.dep_ == "advmod" and c.lower_ in {"where", "when"} and c.i < verb.i for c in verb.children)
    return wh and any(c.dep_ == "punct" and c.text in _DASHES and c.i > verb.i for c in verb.children)


#: Verbs whose object is the one addressed ("told AFP", "asked the minister").
_ADDRESSING = frozenset("tell ask inform assure advise brief urge warn remind".split())
#: Passive verbs whose subject did speak: "he was quoted as saying", "was heard telling".
_HEARD = frozenset("quote hear overhear record".split())
_RELATIVES = frozenset("who whom which that".split())
#: Pronouns in the object case: never the one who names them ("call them ...").
_OBJECT_PRONOUNS = frozenset("him her them us me".split())
_INANIMATE = frozenset("it this that what which everything something anything nothing all there".split())
_SPEAKER_NOUNS = frozenset(
    """source official expert critic supporter opponent resident witness voter worker activist protester
    people citizen observer investigator researcher scientist doctor lawyer student teacher parent
    police authority employee staff spokesperson family neighbor neighbour friend man woman person
    men women boy girl mother father son daughter wife husband sister brother member delegate
    fan owner veteran survivor candidate crowd audience eyewitness bystander onlooker passenger""".split()
)
#: Entities that name where a speaker is, after "in"/"at"; an organisation there is the speaker's own.
_PLACED_TYPES = frozenset({"GPE", "LOC", "FAC"})
_NOT_SPEAKERS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


def _could_speak(token: Token) -> bool:
    return (token.pos_ in {"PROPN", "PRON"} or token.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}) and (
        token.ent_type_ not in _NOT_SPEAKERS
    )


def _speaker_like(token: Token) -> bool:
    """A person, organisation or a noun for one ("the spokesman", "officials", "the newspaper")."""
    if token.lower_ in _INANIMATE or token.lower_ in _RELATIVES:
        return False
    lemma = token.lemma_.lower()
    return _could_speak(token) or lemma in TITLE_WORDS or lemma in _GROUP_NOUNS or lemma in _SPEAKER_NOUNS


def _inverted_subject(verb: Token, window: Span) -> Token | None:
    """A speaker the parser did not make the subject: "..., said Peskov." or "..., Peskov said"."""
    for child in verb.children:
        # whom one tells or asks is no speaker: '"...," Ramos told AFP'
        deps = {"attr", "npadvmod"} if verb.lemma_ in _ADDRESSING else {"dobj", "attr", "npadvmod", "dative"}
        inside = window.start <= child.i < window.end
        if child.lower_ in _OBJECT_PRONOUNS and verb.lemma_ in _NAMING_VERBS:
            continue  # 'Obama and Clinton call them "lone wolves"': "them" is called, not calling
        if child.dep_ in deps and inside and _could_speak(child) and child.lower_ not in _INANIMATE:
            return child
    doc = verb.doc
    after = verb.i + 1
    # "Said Ellis:", '..." said Ellis', '...," said Ellis' (not the comma after an appositive:
    # '..." Ramos, 58, told AFP' - and one tells whom one addresses, never "told X" for "X told")
    prev = next((t for t in reversed(doc[window.start : verb.i]) if not t.is_space), None)
    opens = (
        verb.i == verb.sent.start
        or prev is None
        or prev.is_quote
        or prev.text in {":", "\u2014", "\u2013", "--"}
    )
    if prev is not None and prev.text == "," and prev.i > window.start and doc[prev.i - 1].is_quote:
        opens = True
    if opens and verb.lemma_ not in _TOLD and after < window.end and _inverted_name(doc[after]):
        return doc[after]
    before = verb.i - 1
    depth = 0
    while before >= window.start:  # back over adverbs and "(D-Md.)" to the noun phrase's head
        tok = doc[before]
        if tok.text == ")":
            depth += 1
        elif tok.text == "(":
            depth -= 1
        elif depth == 0 and tok.pos_ not in {"ADV", "AUX", "PART"}:
            break
        before -= 1
    if before >= window.start and _speaker_like(doc[before]):
        return doc[before]
    if before - 1 < window.start or doc[before].text != ",":
        return None
    # '..." Gene Sperling, a top Clinton adviser, said', '..." Brent Bozell, founder of the Media
    # Research Center, tells': back over the appositive to the name it describes
    head = doc[before - 1]
    for _ in range(8):
        if head.dep_ not in _APPOSITIVE_DEPS or not (window.start <= head.head.i < head.i):
            break
        head = head.head
    if head.i < before - 1 and _could_speak(head) and head.pos_ == "PROPN":
        return head
    if doc[before - 1].pos_ == "PROPN":
        return doc[before - 1]  # "her senior policy adviser, Jake Sullivan, said" misparsed
    if head.i < before - 1 and _speaker_like(head):
        return head
    return None


#: Verbs never inverted after a quote: '"...," told AFP' names whom one told.
_TOLD = frozenset("tell inform brief assure advise remind".split())
#: Dependencies that lead from inside an appositive up to the name it describes.
_APPOSITIVE_DEPS = frozenset({"appos", "pobj", "prep", "amod", "compound", "nummod", "npadvmod", "det"})


def _inverted_name(token: Token) -> bool:
    """Whether the word right after an inverted verb of saying names a speaker: '..." said Peskov',
    "said a person close to ...", "said one", and a surname the tagger took for another word
    ('..." said Skelly')."""
    if token.lower_ in _INANIMATE or (token.ent_type_ in _NOT_SPEAKERS and token.pos_ != "PROPN"):
        return False
    if _could_speak(token) or token.lower_ in {"one", "another"}:
        return True
    nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return (
        token.is_title
        and not token.is_stop
        and token.is_alpha
        and (nxt is None or nxt.is_punct or nxt.is_space)
        and token.pos_ in {"ADV", "NOUN", "ADJ", "VERB", "X"}
    )


def _content_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "ccomp":
            return child
    return None


def _span_chars(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _strip_punct(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _tokens_in(doc: Doc, start_char: int, end_char: int) -> Span | None:
    if end_char <= start_char:
        return None
    return doc.char_span(start_char, end_char, alignment_mode="expand")


def _named_participle(verb: Token) -> bool:
    """ "footage of Lopez saying", "Lopez asking": a participle right after a person's name."""
    return verb.tag_ == "VBG" and verb.i > 0 and verb.doc[verb.i - 1].ent_type_ == "PERSON"


def _cue_near(
    doc: Doc, window: Span, *, prefer_last: bool, quoted: Sequence[tuple[int, int]] = ()
) -> tuple[Token, Token | None] | None:
    """A speech verb in ``window`` with its subject.

    The subject may lie before the window in the same sentence ('Trump told Newsmax that ...,
    adding, "He lost ..."'), never inside quote marks ``quoted`` (the parser reaches into them).
    """
    verbs = [t for t in window if _is_cue(t) and t.lemma_ in SPEECH_VERBS]
    # the top verb of a chain: "He said Russia would demand ..." is said by "he"; but in "the spot
    # concludes with footage of Lopez saying, "..."" Lopez says it
    verbs = [v for v in verbs if _named_participle(v) or not any(a in verbs for a in v.ancestors)]
    if not verbs:
        return None
    verb = verbs[-1] if prefer_last else verbs[0]
    return verb, _speaker_token(verb, window, quoted)


def _speaker_token(verb: Token, window: Span, quoted: Sequence[tuple[int, int]]) -> Token | None:
    """Who speaks through ``verb``: its subject, else a participle's, else an inverted subject.

    The subject may lie before ``window`` in the same sentence ('Trump told Newsmax that ...,
    adding, "He lost ..."'), never inside quote marks ``quoted`` (the parser reaches into them).
    """

    def in_quote(token: Token) -> bool:
        return _inside(quoted, token.idx)

    named = verb.doc[verb.i - 1] if verb.i else None
    if (
        verb.tag_ == "VBG"
        and named is not None
        and named.ent_type_ == "PERSON"
        and (named.dep_ != "pobj" or named.head.lower_ == "of")
        and not in_quote(named)
    ):
        return named  # "footage of Hillary Clinton asking, ..."
    issuer = _issuer(verb) if verb.tag_ == "VBG" else None
    if issuer is not None and not in_quote(issuer):
        return issuer  # "The town released a statement saying ...": the town says it
    if verb.tag_ == "VBG":  # 'Trump told Newsmax that Romney "had ...," adding, "..."': Trump adds
        frame = next((a for a in verb.ancestors if a.dep_ == "ccomp" and a.head.lemma_ in SPEECH_VERBS), None)
        outer = _subject(frame.head) if frame is not None else None
        if outer is not None and _speaker_like(outer) and not in_quote(outer):
            return outer
    subject = _subject(verb)
    if subject is not None and in_quote(subject):
        # no speaker stands inside the quoted words ('on "Morning Joe," calling it'); the parser
        # may give the verb a second subject outside them ('"... the foundation," said a person')
        subject = next(
            (
                c
                for c in verb.children
                if c.dep_ in _SUBJECT_DEPS and c.dep_ != "nsubjpass" and not in_quote(c)
            ),
            None,
        )
    main = subject is not None and subject.head.i == verb.head.i and verb.head.dep_ == "ROOT"
    # ... and the participle's own subject is its own: "with many marchers and spectators chanting"
    absolute = (
        subject is not None
        and subject.head.i == verb.i
        and subject.pos_ in {"NOUN", "PROPN"}
        and verb.dep_ == "pcomp"
    )
    if subject is not None and verb.tag_ == "VBG" and not (_speaker_like(subject) or main or absolute):
        # 'X told reporters that the plan had failed, adding, "..."': not the plan; but the
        # subject of the main verb a participle hangs from is its own ("Groups of protesters
        # marched past the stadium where the Panthers played, chanting, "...""
        subject = None
    if (
        subject is not None
        and not (window.start <= subject.i < window.end)
        and (subject.sent.start != verb.sent.start or in_quote(subject) or not quoted)
    ):
        subject = None  # the parser reached into a quote for it
    if subject is None and verb.tag_ == "VBG":
        # 'Clinton seemed ready to riff on it, telling the crowd, "..."'; 'Adding, "..."' goes on
        # from the sentence before: the participle's subject is its sentence's first subject
        sent = verb.sent
        lead = [t for t in sent if t.i < verb.i and not t.is_punct and not in_quote(t)]
        if not lead and sent.start > 0:  # 'Adding, "..."', or a sentence the parser began in a quote
            sent = verb.doc[sent.start - 1].sent
        earlier = [t for t in sent if t.i < verb.i and not in_quote(t)]
        subject = next((t for t in earlier if t.dep_ in _SUBJECT_DEPS and _speaker_like(t)), None)
        if subject is None:  # the parser found no subject at all ("Trump/ROOT defended/amod ...")
            subject = next((t for t in earlier if t.ent_type_ == "PERSON" and t.pos_ == "PROPN"), None)
        if subject is None and verb.dep_ in {"advcl", "xcomp"} and verb.lemma_ != "add":
            # "The town released a statement saying ...", "The businessman began by ..., saying":
            # the participle's subject is the subject of the verb it hangs from ("adding" is
            # too often no speech: "the plan failed, adding "more pain"")
            own = next((c for c in verb.head.children if c.dep_ == "nsubj" and c.i < verb.i), None)
            if own is not None and own.pos_ in {"NOUN", "PROPN"} and not in_quote(own):
                subject = own
    if subject is None:
        subject = _inverted_subject(verb, window)
    return subject


#: Nouns for a text someone issues: "a statement saying", "a letter warning".
_STATEMENT_NOUNS = frozenset(
    """statement letter release memo note report post tweet message ad video study survey transcript
    sign banner placard poster shirt hat headline""".split()
)


def _issuer(verb: Token) -> Token | None:
    """Who issued the text a participle describes: "X put out a statement saying ...", "a
    statement from X saying ...", "X's letter warning ..."."""
    noun = verb.head
    if verb.dep_ != "acl" or noun.lemma_.lower() not in _STATEMENT_NOUNS:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None:
        return owner
    source = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}), None)
    if source is not None:
        return next((c for c in source.children if c.dep_ == "pobj"), None)
    if noun.dep_ == "dobj" and noun.head.pos_ in {"VERB", "AUX"}:
        subject = next((c for c in noun.head.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None and (_speaker_like(subject) or subject.pos_ in {"NOUN", "PROPN"}):
            return subject
    return None


def _according_source(according: Token) -> Token | None:
    """Who "according to" names: the object of "to", else the last noun before a break."""
    doc = according.doc
    to = doc[according.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is not None:
        return pobj
    following = []  # misparsed: "according to show insiders"
    for t in doc[according.i + 2 : min(len(doc), according.i + 10)]:
        if t.is_punct or t.is_space:
            break
        following.append(t)
    nouns = [t for t in following if t.pos_ in {"NOUN", "PROPN", "PRON"}]
    return nouns[-1] if nouns else None


def _according_to(window: Span) -> tuple[Span, Token | None] | None:
    for tok in window:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            return tok.doc[tok.i : tok.i + 2], _according_source(tok)
    return None


def _direct(
    doc: Doc,
    text: str,
    quotes: list[_Marked],
    k: int,
    paragraph: tuple[int, int],
    marks: Sequence[tuple[int, int]],
) -> _Attribution:
    """Attribute the k-th quote as direct: look after it, then before it, in its paragraph.

    ``marks`` are the spans of all quotes, marks included, sorted: no speaker is inside one.
    """
    q = quotes[k]
    p_start, p_end = paragraph
    if q.end > p_end:  # a quote over several paragraphs: its attribution follows its last one
        p_end = text.find("\n", q.end) if "\n" in text[q.end :] else len(text)
    # the attribution runs to the next quote, not to a short fragment inside it ('..." Texas
    # delegate Bill Eastland, wearing "Ted Cruz" pins, said')
    nxt = next((m.opened for m in quotes[k + 1 :] if m.opened >= q.end and not _embedded(text, m)), p_end)
    after_end = min(nxt, p_end)
    after = _tokens_in(doc, min(q.end + 1, after_end), after_end) if q.end + 1 < after_end else None
    prev = max([m.end + 1 for m in quotes[:k] if m.end < q.opened] + [p_start])
    before = _tokens_in(doc, prev, q.opened) if prev < q.opened else None
    inverted = _INVERTED_INTRO.search(text, prev, q.opened) if prev < q.opened else None
    if inverted is not None:  # "Said Ellis:", "Stated Stone:" - a name the tagger may take whole
        cue = _tokens_in(doc, inverted.start(1), inverted.end(1))
        return _Attribution(q.start, q.end, "direct", cue, None, speaker_span=inverted.span(2))
    headline = _HEADLINE_NAME.search(text, prev, q.opened) if prev < q.opened else None
    if headline is not None and _is_headline_name(headline.group(1)):
        # "POLLS WERE RIGHT - Carl Benson:", "Pollsters agree - Gallup's Ann Wright:": the name
        # between the dash and the colon speaks, whatever the headline before the dash says
        name_start, name_end = headline.span(1)
        cue = _tokens_in(doc, name_end, headline.end())
        return _Attribution(q.start, q.end, "direct", cue, None, speaker_span=(name_start, name_end))
    if before is not None and before.text.strip():
        introduced = _introduced_by(before, marks, after)
        if introduced is not None:
            return _Attribution(q.start, q.end, "direct", introduced[0], introduced[1])
    if after is not None:
        dash = _DASH_NAME.match(text, q.end + 1, after_end)
        if dash is not None:  # "quote" — Name
            name_start, name_end = dash.start(1), dash.start(1) + len(dash.group(1).rstrip(" ."))
            cue = _tokens_in(doc, dash.start(), dash.start(1))
            return _Attribution(q.start, q.end, "direct", cue, None, speaker_span=(name_start, name_end))
        # the attribution ends at the sentence end after the quote
        stop = next(
            (
                t.i
                for t in after
                if t.text in {".", "!", "?"}
                and t.i > after.start
                and t.i + 1 < len(doc)
                and (doc[t.i + 1].is_sent_start or doc[t.i + 1].is_space)
            ),
            after.end,
        )
        after = doc[after.start : stop]
        according = _according_to(after)
        if according is not None:
            return _Attribution(q.start, q.end, "direct", according[0], according[1])
        hit = _cue_near(doc, after, prefer_last=False, quoted=marks)
        if hit is not None and _new_statement(text, q, hit[0]):
            hit = None
        closing = hit is not None and _closes_sentence(hit[0], after)
        if hit is not None and (hit[0].i - after.start <= 12 or closing) and hit[1] is not None:
            return _Attribution(q.start, q.end, "direct", hit[0], hit[1])
        first = next((t for t in after if not t.is_punct and not t.is_space), None)
        named = first is not None and first.ent_type_ in {"PERSON", "ORG"}
        if hit is not None and first is not None and named and first.i < hit[0].i:
            # "...," Scott Pruitt, the attorney general of Oklahoma, one of the states suing, said.
            return _Attribution(q.start, q.end, "direct", hit[0], first)
        if hit is not None and first is not None:
            # '...," Texas delegate Bill Eastland, wearing a cowboy hat, said': the person named
            # before the first comma, however long the aside between them and the verb
            lead = [t for t in doc[first.i : hit[0].i] if t.pos_ == "PROPN" and t.ent_type_ == "PERSON"]
            comma = next((t.i for t in doc[first.i : hit[0].i] if t.text == ","), hit[0].i)
            lead = [t for t in lead if t.i < comma and t.i - first.i <= 6]
            if lead and not _inside(marks, lead[-1].idx):
                return _Attribution(q.start, q.end, "direct", hit[0], lead[-1])
        if hit is None and (text[q.end - 1 : q.end] in {",", "!", "?"} or text[q.end + 1 : q.end + 2] == ","):
            bare = _bare_verb(after, marks)
            if bare is not None and text[q.end - 1 : q.end] in {"!", "?"} and before is not None:
                # 'X posted on Twitter, "... TOGETHER!" Later Marine One landed': a cue before the
                # quote comes first; the next sentence's verb may say something else
                earlier = _cue_near(doc, before, prefer_last=True, quoted=marks)
                if earlier is not None and earlier[1] is not None:
                    bare = None
            if bare is not None:
                return _Attribution(q.start, q.end, "direct", bare[0], bare[1])
        subjectless = hit if hit is not None and hit[0].i - after.start <= 12 else None
    else:
        subjectless = None
    if before is not None and before.text.strip():
        according = _according_to(before)
        if according is not None:
            return _Attribution(q.start, q.end, "direct", according[0], according[1])
        hit = _cue_near(doc, before, prefer_last=True, quoted=marks)
        if hit is not None and (hit[1] is not None or subjectless is None):
            return _Attribution(q.start, q.end, "direct", hit[0], hit[1])
        if hit is None and before.text.rstrip().endswith(":"):
            # "More from the report:", "Here's Clinton in December 1992:" - who the colon introduces
            colon = before[-1] if before[-1].text == ":" else None
            # ... not the one it is said to ("explained it to the newspaper NRC Handelsblad:")
            speakers = [
                t
                for t in before
                if t.pos_ in {"PROPN", "NOUN"}
                and (t.ent_type_ in {"PERSON", "ORG"} or _speaker_like(t))
                and not _object_name(t, before)
            ]
            # "From the report:", "Transcript as follows:": the text it comes from
            tail = [t for t in before if not t.is_punct and not t.is_space][-3:]
            speakers += [t for t in tail if t.pos_ == "NOUN" and t.lemma_.lower() in _STATEMENT_NOUNS]
            if speakers:
                return _Attribution(q.start, q.end, "direct", colon, speakers[-1])
    if subjectless is not None:
        return _Attribution(q.start, q.end, "direct", subjectless[0], None)
    return _Attribution(q.start, q.end, "direct", None, None)


def _new_statement(text: str, q: _Marked, verb: Token) -> bool:
    """'"We feel good." She noted that the polls ...': after a quote closed by a full stop, a
    capitalised sentence whose verb reports its own clause or object says something new."""
    if text[q.start : q.end].rstrip()[-1:] != ".":
        return False
    following = text[q.end + 1 : q.end + 40].lstrip(" \t\"'\u201d\u2019")
    reports = _content_of(verb) is not None or (
        verb.lemma_ not in _ADDRESSING and any(c.dep_ == "dobj" and c.i > verb.i for c in verb.children)
    )
    return following[:1].isupper() and reports


def _embedded(text: str, mark: _Marked) -> bool:
    """A short quoted fragment that follows a word ('wearing "Ted Cruz" pins'), not a new quote."""
    before = text[max(0, mark.opened - 40) : mark.opened].rstrip()
    return bool(before) and before[-1].isalpha() and len(text[mark.start : mark.end].split()) <= 4


def _bare_verb(after: Span, quoted: Sequence[tuple[int, int]]) -> tuple[Token, Token] | None:
    """'"France is France," an angry Hollande retaliated.', '"...," he mocks.', '"...?" Trump went
    on': a quote ending in a comma (or ! or ?) and a clause of a speaker and a verb with nothing
    said of its own; whatever the verb, it attributes the quote."""
    words = [t for t in after if not t.is_space and not t.is_punct]
    if not words or _inside(quoted, words[0].idx):
        return None
    verb = next((t for t in words[:7] if t.pos_ == "VERB"), None)
    if verb is None or verb.lemma_ in _NOT_SAYING:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if subject is None or subject.left_edge.i != words[0].i or not _speaker_like(subject):
        return None
    own = [c for c in verb.children if c.i > verb.i and c.dep_ in {"dobj", "ccomp", "xcomp", "attr", "acomp"}]
    if own:
        return None  # '"...," Trump tweeted a photo': a verb with its own object reports no quote
    return verb, subject


#: Verbs after a quote that say what happened to someone, not that they spoke.
_NOT_SAYING = frozenset("die live be have get become seem appear".split())


def _introduced_by(
    before: Span, quoted: Sequence[tuple[int, int]], after: Span | None
) -> tuple[Token | Span | None, Token] | None:
    """The cue and speaker of a quote its sentence leads into.

    'the mother of three replied, "..."', 'footage of Clinton asking, "..."', 'the piece used
    her words as its headline: "..."': the verb of saying right before the quote, or the
    subject of the clause that ends with a colon. Not when the quote is followed by its own
    cue ('"..." he said').
    """
    words = [t for t in before if not t.is_space]
    if not words:
        return None
    colon = words[-1].text == ":"
    comma = words[-1].text == ","
    if words[-1].text in {",", ":"}:
        words.pop()
    if not words or words[-1].is_punct:
        return None
    last = words[-1]
    doc = before.doc
    ended = after is not None and after.start > 1 and doc[after.start - 2].text == "."
    if after is not None and not (ended and after.text.lstrip()[:1].isupper()):
        # '"..." he said', not 'To which she said, "..."' (the next quote's), nor a new sentence
        leads = after.end < len(doc) and doc[after.end].is_quote
        # 'shouted, "Cruz," Beck joked, again using an accent, "Amen!"': Beck's words are the next quote
        tail = next((x for x in reversed(after) if not x.is_space), None)
        one_clause = not any(x.text in {".", "!", "?"} for x in after)
        into_next = tail is not None and tail.text in {",", ":"} and one_clause
        for t in [t for t in after if not t.is_punct and not t.is_space][:4]:
            ends = into_next or all(x.is_punct or x.is_space for x in doc[t.i + 1 : after.end])
            if _is_cue(t) and t.lemma_ in SPEECH_VERBS and not (leads and ends):
                return None
    last = _verb_of_adverbials(last, before)  # "Lopez saying during the debate last week, "...""
    if _is_cue(last) and last.lemma_ in SPEECH_VERBS:
        speaker = _speaker_token(last, before, quoted)
        return (last, speaker) if speaker is not None else None
    owner = next((c for c in last.children if c.dep_ == "poss"), None)
    if (
        last.lemma_.lower() in _SAYING_NOUNS
        and owner is not None
        and (owner.pos_ in {"PROPN", "NOUN"} or owner.lower_ in _PRONOUNS)
    ):
        return last, owner  # 'In Lopez's words, "..."', 'Lopez's statement: "..."' (not "my answer:")
    if comma:
        return _comma_intro(last, before)
    if not colon:
        return None
    clause = before.doc[max(before.start, last.sent.start) : last.i + 1]
    if any(_is_cue(t) and t.lemma_ in SPEECH_VERBS for t in clause):
        return None  # "Nelson Diaz said of Mr. Rubio:" - the verb of saying decides, below
    dashed = re.search(r"\s[\u2014\u2013-]+\s*([A-Z][\w.'\u2019 ]{1,60})\s*:?\s*$", before.text)
    named = last.pos_ == "PROPN" and last.ent_type_ in {"PERSON", "ORG"} and not _object_name(last, before)
    if named or (dashed is not None and last.text[:1].isupper() and len(dashed.group(1).split()) <= 5):
        return before.doc[last.i + 1 : last.i + 2], last  # "POLLS NOT WRONG - Mark Blumenthal and Jon Cohen:"
    # "President Obama is rolling out a new campaign message:" - the clause's subject speaks
    root = next((t for t in [last, *last.ancestors] if t.pos_ in {"VERB", "AUX"}), None)
    if root is None or not (before.start <= root.i < before.end):
        return None
    subject = _subject(root)
    if subject is None or not (before.start <= subject.i < root.i):
        return None
    if subject.lower_ in {"i", "we", *_PRONOUNS, "they"} or _speaker_like(subject) or subject.pos_ == "NOUN":
        return before.doc[last.i + 1 : last.i + 2], subject
    return None


def _comma_intro(last: Token, before: Span) -> tuple[Token | Span | None, Token] | None:
    """'Filippo Grandi reacted skeptically to the deal, "[I am] concerned ..."': a person's main
    clause that runs into a quote opening with a capital after a comma introduces it."""
    doc = before.doc
    opening = doc[before.end + 1] if before.end + 1 < len(doc) else None
    if opening is None or not (opening.text[:1].isupper() or opening.text[:1] == "["):
        return None
    root = next((t for t in [last, *last.ancestors] if t.pos_ == "VERB"), None)
    if root is None or root.dep_ != "ROOT" or not (before.start <= root.i < before.end):
        return None
    if any(c.dep_ in {"dobj", "ccomp"} and c.i < before.end for c in root.children):
        return None  # "wore a hat reading, "..."": what the clause is about, not who speaks
    subject = next((c for c in root.children if c.dep_ == "nsubj" and c.i < root.i), None)
    if (
        subject is None
        or subject.i < before.start
        or not (subject.ent_type_ == "PERSON" or subject.lower_ in _PRONOUNS)
    ):
        return None
    return root, subject


def _object_name(name: Token, before: Span) -> bool:
    """Whether a name before a colon is whom the clause addresses ("Jeb Bush explained it to the
    Dutch newspaper NRC Handelsblad:"), a verb's object after its subject, not a speaker."""
    head = name
    for _ in range(6):
        if (
            head.dep_ not in {"compound", "appos", "flat", "conj"}
            or not before.start <= head.head.i < before.end
        ):
            break
        head = head.head
    if head.dep_ not in {"pobj", "dobj", "dative"}:
        return False
    for verb in head.ancestors:
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None and before.start <= subject.i < head.i and _speaker_like(subject):
            return True
    return False


_ADVERBIAL_DEPS = frozenset({"prep", "pobj", "npadvmod", "advmod", "amod", "compound", "det", "nummod"})


def _verb_of_adverbials(last: Token, before: Span) -> Token:
    """The verb a clause's trailing time and place phrases hang from ("saying during the debate
    last week" -> "saying"), when they are all that follows it; else ``last`` itself."""
    if last.pos_ in {"VERB", "AUX"}:
        return last
    head = last
    while head.pos_ not in {"VERB", "AUX"} and head.dep_ in _ADVERBIAL_DEPS and head.head.i != head.i:
        head = head.head
    if head.pos_ not in {"VERB", "AUX"} or head.i < before.start or head.i > last.i:
        return last
    if any(c.dep_ in {"dobj", "ccomp", "xcomp"} for c in head.children):
        return last  # "said the plan was dead on Monday, "...": the verb has its own content
    return head


def _closes_sentence(verb: Token, window: Span) -> bool:
    """'"I held and hugged" grieving families before ..., he said.': the attribution ends the sentence."""
    subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is None or subject.i > verb.i or subject.left_edge.i <= window.start:
        return False
    rest = verb.doc[verb.i + 1 : window.end]
    return (
        verb.doc[subject.left_edge.i - 1].text == ","
        and all(
            t.is_punct or t.is_space or t.pos_ in {"ADV", "ADP", "NOUN", "PROPN", "DET", "NUM"} for t in rest
        )
        and len(rest) <= 6
    )


#: A headline, a dash and a name before a colon that opens a quote: "POLLS WERE RIGHT - Carl Benson: "
_HEADLINE_NAME = re.compile(
    r"(?:\s[\u2014\u2013-]{1,2}|[\u2014\u2013])[ \t]*([A-Z][^\n:\u2014\u2013]{0,60}?)[ \t]*:[ \t]*$"
)


def _is_headline_name(name: str) -> bool:
    """A name or a named source ("Carl Benson", "White House", "Gallup pollster Ann Wright")."""
    words = name.split()
    if not 1 <= len(words) <= 6 or not words[-1][:1].isupper() or any(c in name for c in '.!?"\u201c'):
        return False
    return not any(w.lower() in CUE_VERBS or w.lower().rstrip("s") in CUE_VERBS for w in words)


#: "Said Ellis:" at the start of a sentence, right before the quote it introduces.
_INVERTED_INTRO = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\u201d\s)|(?<=\n))[ \t]*"
    r"(Said|Stated|Added|Wrote|Asked|Explained|Continued|Noted|Replied)"
    r"[ \t]+([A-Z][\w.'\u2019\-]+(?:[ \t]+[A-Z][\w.'\u2019\-]+){0,3})[ \t]*:\s*$"
)
_TRANSCRIPT_TURN = re.compile(r"([A-Z][A-Z.'\- ]{1,30}[A-Z]):[ \t]")
_NAMED_TURN = re.compile(r"([A-Z][\w.'\-]+(?: [A-Z][\w.'\-]+){1,2}):[ \t]")


def _named_turn(doc: Doc, text: str, start: int) -> re.Match[str] | None:
    """'"Chris Matthews: Seriously, ...': a turn of a transcript opened by a person's full name."""
    turn = _NAMED_TURN.match(text, start)
    if turn is None:
        return None
    span = _tokens_in(doc, turn.start(1), turn.end(1))
    return turn if span is not None and all(t.ent_type_ == "PERSON" for t in span) else None


_DASH_NAME = re.compile(r"[ \t]*[\u2015\u2014\u2013-]{1,2}[ \t]*([A-Z][^\n]{1,80})$", re.M)


def _governing_cue(doc: Doc, tokens: Span, quoted: list[tuple[int, int]]) -> Token | None:
    """The verb that attributes a quoted fragment.

    The highest verb of saying above it ("X said Y was "absolutely right""), else the nearest
    verb of stance, else the nearest verb whose subject could speak ("called Clinton a "champion"").
    """
    # a quote of several sentences hangs from its first one ('told Fox that "they hit Matt. ..."')
    first = tokens.doc[tokens.start : min(tokens.end, tokens[0].sent.end)]
    ancestors = [t for t in list(first.root.ancestors)[:12] if not _inside(quoted, t.idx)]
    speech = [t for t in ancestors if _is_cue(t, clause=False) and t.lemma_ in SPEECH_VERBS]
    for verb in speech:  # the nearest one whose own subject could speak
        # ... its own, or that of the verb it is coordinated with ("she attacked X and blamed Y
        # on "implicit bias"")
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is None and verb.dep_ == "conj":
            head = verb
            while head.dep_ == "conj" and head.head.i != head.i:
                head = head.head
            # ... unless the clauses are what a verb of saying above reports ("he did say he found
            # Trump "charming" and called ..."): that verb's speaker goes on
            if not (head.dep_ in {"ccomp", "xcomp"} and head.head in speech):
                subject = _subject(verb)
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        if (
            subject is None
            and infinitive
            and verb.dep_ in {"xcomp", "advcl"}
            and verb.head.lemma_ not in CUE_VERBS
        ):
            # "with Lewandowski taking to Twitter to call Fields "delusional"": who takes to it calls
            subject = next((c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None and (_speaker_like(subject) or _relative_speaker(subject)):
            return verb
    if speech:
        # no verb of saying with a speaker of its own ("what is typically called "regenerative
        # medicine""): a verb of belief above it with one speaks for it ("researchers hope ...")
        for verb in ancestors:
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if verb.lemma_ in STANCE_VERBS and subject is not None and _speaker_like(subject):
                return verb
        return speech[-1]
    # "..., Mr. Obama said, a majority of Americans have come to believe "that ...""
    aside = next((t for t in tokens.sent if t.lemma_ in SPEECH_VERBS and _parenthetical(t)), None)
    if aside is not None:
        return aside
    stance = next((t for t in ancestors if _is_cue(t, clause=False)), None)
    if stance is not None:
        return stance
    for head in ancestors:
        subject = _subject(head) if head.pos_ in {"VERB", "AUX"} else None
        if subject is not None and _could_speak(subject) and subject.lower_ not in _INANIMATE:
            return head
    return None


def _relative_speaker(subject: Token) -> bool:
    """ "Franklin Graham, who has vowed not to buy "..."": a relative pronoun standing for a speaker."""
    verb = subject.head
    return (
        subject.lower_ in {"who", "that", "which"}
        and verb.dep_ == "relcl"
        and verb.head.i != verb.i
        and (_could_speak(verb.head) or _speaker_like(verb.head))
        and verb.head.lower_ not in _INANIMATE
    )


def _is_title_of_work(span: Span) -> bool:
    """ "on "Fox & Friends"", "in "The Apprentice"", "Fox News's "Fox and Friends"": a capitalised
    name after a preposition or a possessive."""
    words = [t for t in span if t.is_alpha]
    root = span.root
    doc = span.doc
    mark = span.start - 1 if span.start and doc[span.start - 1].is_quote else span.start
    before = doc[mark - 1] if mark > 0 else None
    after_word = before is not None and (
        before.lower_ in _TITLE_PREPOSITIONS or before.lower_ in {"'s", "\u2019s"} or before.lower_ in _NAMING
    )
    end = span.end + 1 if span.end < len(doc) and doc[span.end].is_quote else span.end
    after = doc[end] if end < len(doc) else None
    # a nickname between a first name and a surname: 'Matiu "Matt" Ratana'
    nickname = (
        len(words) == 1
        and before is not None
        and before.ent_type_ == "PERSON"
        and after is not None
        and after.is_title
        and after.ent_type_ == "PERSON"
    )
    return (
        bool(words)
        and len(words) <= 8
        and all(t.is_title or t.is_upper or t.is_stop for t in words)
        and words[0].is_title
        and (after_word or nickname or (root.dep_ == "pobj" and root.head.lower_ in _TITLE_PREPOSITIONS))
    )


_TITLE_PREPOSITIONS = frozenset({"on", "in", "at", "from", "of", "for"})
#: Words before a name in quote marks that make it the name of a work or a site ("the website
#: "Bill's List"", "an album titled "Home"").
_NAMING = frozenset(
    """website site blog album book film movie song show series novel play podcast programme program
    magazine newsletter titled entitled""".split()
)
#: Nouns for something said: their possessor speaks ("Trump's claim that ...").
_CLAIM_NOUNS = frozenset(
    """claim statement assertion remark comment emphasis argument promise pledge insistence suggestion
    warning allegation accusation contention charge vow prediction declaration insinuation""".split()
)


#: Nouns for what someone said whose possessor speaks the quote they introduce.
_SAYING_NOUNS = _CLAIM_NOUNS | frozenset("word words response reply answer message tweet explanation".split())


def _claim_of(span: Span) -> tuple[Token, Token, tuple[int, int]] | None:
    """A fragment inside the clause of "X's claim that ...": the claim noun, X, and the clause."""
    for noun in list(span.root.ancestors)[:8]:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _CLAIM_NOUNS:
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        clause = next((c for c in noun.children if c.dep_ in {"acl", "ccomp", "relcl"}), None)
        if owner is None or clause is None or owner.lower_ in _INANIMATE:
            return None
        start, end = _strip_punct(noun.doc, clause.left_edge.i, clause.right_edge.i + 1)
        first, last = noun.doc[start], noun.doc[end - 1]
        return noun, owner, (min(first.idx, span.start_char), max(last.idx + len(last.text), span.end_char))
    return None


def _clause_of(verb: Token, inside: Span) -> tuple[int, int]:
    content = _content_of(verb)
    if content is not None and content.left_edge.i <= inside.start and inside.end <= content.right_edge.i + 1:
        start, end = _strip_punct(verb.doc, content.left_edge.i, content.right_edge.i + 1)
    else:
        start, end = _strip_punct(verb.doc, verb.i + 1, max(inside.end, verb.right_edge.i + 1))
    if end <= start:
        return inside.start_char, inside.end_char
    # the clause holds its quote, even the period inside the closing mark
    last = verb.doc[end - 1]
    return min(verb.doc[start].idx, inside.start_char), max(last.idx + len(last.text), inside.end_char)


def _is_clause_quote(text: str, q: _Marked, p_start: int, doc: Doc, prev_end: int | None) -> bool:
    """Whether a quote stands as its own clause (direct) rather than a fragment (mixed)."""
    inner = text[q.start : q.end].strip()
    if not inner:
        return False
    before = text[p_start : q.opened].rstrip()
    if not before:
        return True
    if prev_end is not None and before.endswith(",") and q.opened - prev_end <= 80:
        between = _tokens_in(doc, prev_end + 1, q.opened)
        if between is not None and any(t.lemma_ in SPEECH_VERBS for t in between):
            return True  # "We will," he said, "push ...": the second half of a split quote
    if before[-1] in ":":
        return True
    if before[-1] in ".!?\"'\u201d\u2019":
        return True
    if before[-1] == "," and inner.lstrip("[(\u2026. ")[:1].isupper():  # '"[I]f it was left up to ..."'
        return True
    last = _tokens_in(doc, max(p_start, q.opened - 30), q.opened)
    if last is not None and len(last):
        tail = [t for t in last if not t.is_punct and not t.is_space]
        # 'Mr. Barrett said, "we were floored."': right after the verb of saying, whatever the case
        after_verb = text[tail[-1].idx + len(tail[-1].text) : q.opened] if tail else ""
        if (
            tail
            and tail[-1].lemma_ in SPEECH_VERBS
            and tail[-1].pos_ in {"VERB", "AUX"}
            and (inner[:1].isupper() or after_verb.strip() in {",", ":"})
        ):
            return True
        if (
            tail
            and tail[-1].lemma_.lower() in _SAYING_NOUNS
            and any(c.dep_ == "poss" for c in tail[-1].children)
            and after_verb.strip() in {",", ":"}
        ):
            return True  # 'In Lopez's words, "the deal is dead."'
    return False


def _direct_and_mixed(doc: Doc, found: Found, quotes: list[_Marked]) -> list[_Attribution]:
    text = found.repaired.text  # the text the parser read (doc.text rebuilds it on each call)
    paragraphs = _paragraphs(text)
    out: list[_Attribution] = []
    previous: dict[int, _Attribution] = {}  # paragraph start -> last attributed quote in it
    marks = [(m.opened, m.end + 1) for m in quotes]
    for k, q in enumerate(quotes):
        paragraph = next((p for p in paragraphs if p[0] <= q.opened < p[1] + 1), (0, len(text)))
        zone = found.zone_of(found.offsets(q.start, q.end)[0])
        if zone in {"caption", "trailer"}:
            continue
        prev_end = quotes[k - 1].end if k and quotes[k - 1].end >= paragraph[0] else None
        if _is_clause_quote(text, q, paragraph[0], doc, prev_end):
            att = _direct(doc, text, quotes, k, paragraph, marks)
            turn = _TRANSCRIPT_TURN.match(text, q.start)
            if turn is None and not text[paragraph[0] : q.opened].strip():
                turn = _named_turn(doc, text, q.start)  # a turn opens its paragraph
            if turn is not None:  # "PENCE: Well, look, ..." in a transcript
                att.cue = _tokens_in(doc, turn.end(1), turn.end())
                att.subject, att.speaker_span = None, (turn.start(1), turn.end(1))
            if att.cue is None:
                carried = previous.get(paragraph[0])
                if carried is not None:
                    att.cue, att.subject = carried.cue, carried.subject
                else:
                    introduced = _introduced(doc, text, paragraphs, paragraph, q)
                    att = _continued(doc, paragraph, q) or introduced or att
        else:
            span = _tokens_in(doc, q.start, q.end)
            verb = _governing_cue(doc, span, marks) if span is not None and len(span) else None
            if span is None or not len(span) or _is_title_of_work(span):
                continue  # the title of a show or book: no one is quoted
            claim = _claim_of(span) if verb is None or verb.lemma_ not in SPEECH_VERBS else None
            if claim is not None:  # "Trump's claim that there have been "thousands of shootings""
                noun, owner, clause = claim
                att = _Attribution(q.start, q.end, "mixed", noun, owner, clause)
            elif verb is None:
                continue  # scare quotes
            else:
                speaker = _speaker_token(verb, verb.sent, marks)
                att = _Attribution(q.start, q.end, "mixed", verb, speaker, _clause_of(verb, span))
        out.append(att)
        if att.cue is not None:
            previous[paragraph[0]] = att
    return out


def _carry_over_paragraphs(text: str, attributions: list[_Attribution]) -> None:
    """A paragraph of quotation with no cue continues the speech that ends the paragraph before.

    'Carter said that ... would not happen.' then '"That's because this region ..."': Carter
    goes on. Direct, mixed and indirect speech all hand on their speaker; ``attributions`` is in
    text order, so a chain of such paragraphs keeps the first speaker.
    """
    paragraphs = _paragraphs(text)
    for n, att in enumerate(attributions):
        if att.kind != "direct" or att.cue is not None:
            continue
        k = next((i for i, (a, b) in enumerate(paragraphs) if a <= att.start <= b), 0)
        if k == 0 or text[paragraphs[k][0] : att.start].strip() not in _OPENING_MARKS:
            continue  # not at its paragraph's start
        p_start, p_end = paragraphs[k - 1]
        before = [a for a in attributions[:n] if a.cue is not None and p_start <= a.end <= p_end + 1]
        if before:
            carried = max(before, key=lambda a: a.start)
            att.cue, att.subject, att.speaker_span = carried.cue, carried.subject, carried.speaker_span


_OPENING_MARKS = frozenset({"", *DOUBLE[0], *DOUBLE[2], *SINGLE[0], *SINGLE[2]})


def _continued(doc: Doc, paragraph: tuple[int, int], q: _Marked) -> _Attribution | None:
    """A quote with no cue of its own: the last speech verb earlier in its paragraph."""
    before = _tokens_in(doc, paragraph[0], q.opened) if paragraph[0] < q.opened else None
    if before is None:
        return None
    hit = _cue_near(doc, before, prefer_last=True)
    if hit is None:
        # 'On "Face the Nation," Sen. Bernie Sanders identified ... . "The younger people ..."': the
        # person the sentence before names as its subject goes on
        last = next((t for t in reversed(before) if not t.is_space), None)
        sent = last.sent if last is not None else None
        if sent is None or last is None or last.text not in {".", "!", "?"} or sent.start < before.start:
            return None
        subject = _subject(sent.root) if sent.root.pos_ in {"VERB", "AUX"} else None
        if subject is None or subject.ent_type_ != "PERSON":
            return None
        return _Attribution(q.start, q.end, "direct", sent.root, subject)
    if hit[1] is None:
        return None
    return _Attribution(q.start, q.end, "direct", hit[0], hit[1])


def _introduced(
    doc: Doc, text: str, paragraphs: list[tuple[int, int]], paragraph: tuple[int, int], q: _Marked
) -> _Attribution | None:
    """A quote opening its paragraph after one that introduces it ("X said:", "Ryan said,")."""
    k = paragraphs.index(paragraph) if paragraph in paragraphs else 0
    if k == 0 or q.opened != paragraph[0]:
        return None
    p_start, p_end = paragraphs[k - 1]
    ending = text[p_start:p_end].rstrip()
    inverted = _INVERTED_INTRO.search(text, p_start, p_start + len(ending))
    if inverted is not None:  # "Stated Stone:" on a line of its own
        cue = _tokens_in(doc, inverted.start(1), inverted.end(1))
        return _Attribution(q.start, q.end, "direct", cue, None, speaker_span=inverted.span(2))
    window = _tokens_in(doc, p_start, p_end)
    if window is None or not len(window):
        return None
    words = [t for t in window if not t.is_punct and not t.is_space]
    said = ending.endswith(",") and bool(words) and words[-1].lemma_ in SPEECH_VERBS
    if not (ending.endswith(":") or said):
        # "Trump spoke only in bromides during the interview." then '"We have to do something."':
        # a paragraph that ends on a person speaking hands the quote that opens the next one to them
        # ... or on someone issuing a statement ("the DNC issued a statement apologizing ...")
        last = doc[window.end - 1].sent
        for verb in reversed(last):
            issued = any(c.dep_ == "dobj" and c.lemma_.lower() in _STATEMENT_NOUNS for c in verb.children)
            speaking = verb.lemma_ in SPEECH_VERBS or verb.lemma_ in {"speak", "talk"}
            if verb.pos_ != "VERB" or not (speaking or issued):
                continue
            if _content_of(verb) is not None or any(a.lemma_ in CUE_VERBS for a in verb.ancestors):
                return None  # reported speech: the speech it reports goes on (_carry_over_paragraphs)
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            named = subject is not None and (
                subject.ent_type_ in {"PERSON", "ORG"} or subject.pos_ == "PROPN"
            )
            if subject is not None and (named or (subject.pos_ == "NOUN" and _speaker_like(subject))):
                return _Attribution(q.start, q.end, "direct", verb, subject)
        return None
    hit = _cue_near(doc, window, prefer_last=True)
    if hit is not None:
        return _Attribution(q.start, q.end, "direct", hit[0], hit[1])
    # "Sanders made the following comment:" - the introducing sentence's subject
    last = doc[window.end - 1].sent
    subject = _subject(last.root) if last.root.pos_ in {"VERB", "AUX"} else None
    if subject is None or not _speaker_like(subject):
        return None
    return _Attribution(q.start, q.end, "direct", last.root, subject)


#: Verbs that name something as something ("called it a hoax"): the object and its naming are said.
_NAMING_VERBS = frozenset("call describe label brand dub".split())
_OBJECT_CUES = frozenset(
    """announce acknowledge confirm deny report vow promise reveal disclose admit demand predict say
    tweet""".split()
)
_STANCE_NOUNS = frozenset("hope concern fear confidence doubt belief regret optimism frustration".split())


def _indirect_content(tok: Token) -> tuple[int, int] | None:
    """Token range of what a cue verb reports, if it reports anything."""
    if tok.lemma_ == "express":  # "expressed hope that ..."
        noun = next((c for c in tok.children if c.dep_ == "dobj" and c.lemma_ in _STANCE_NOUNS), None)
        clause = (
            next((c for c in noun.children if c.dep_ in {"acl", "ccomp", "relcl"}), None) if noun else None
        )
        return (clause.left_edge.i, clause.right_edge.i + 1) if clause is not None else None
    if not _is_cue(tok):
        return None
    content = _content_of(tok)
    if content is not None:
        return content.left_edge.i, content.right_edge.i + 1
    if tok.lemma_ in {"accuse", "urge", "warn", "ask", "tell", "call"}:
        # "accuse Russia of planning ...", "urged Congress to act", "called on Trump to stop"
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        comp = next((c for c in tok.children if c.dep_ in {"prep", "xcomp"} and c.i > tok.i), None)
        if comp is not None and (
            (obj is not None and comp.dep_ == "xcomp") or comp.lower_ in {"of", "for", "on"}
        ):
            return (obj or comp).left_edge.i, comp.right_edge.i + 1
    if tok.lemma_ in {"ask", "wonder", "question"}:  # "asked the students if they were always so serious"
        clause = next(
            (
                c
                for c in tok.children
                if c.dep_ == "advcl" and any(m.lower_ in {"if", "whether"} for m in c.children)
            ),
            None,
        )
        if clause is not None:
            return clause.left_edge.i, clause.right_edge.i + 1
    if tok.lemma_ in _NAMING_VERBS:  # "called climate change a hoax", "described the showdown as ominous"
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        complement = next((c for c in tok.children if c.dep_ in {"oprd", "xcomp"} and c.i > tok.i), None)
        if complement is None and obj is not None:
            complement = next((c for c in obj.children if c.dep_ == "dobj" and c.i > obj.i), None)
        if complement is None:
            complement = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        if obj is not None and complement is not None and complement.i > obj.i:
            return obj.left_edge.i, complement.right_edge.i + 1
    parenthetical = _parenthetical(tok)
    if parenthetical is not None:
        return parenthetical
    reported = any(a.dep_ == "ccomp" and a.head.lemma_ in CUE_VERBS for a in [tok, *tok.ancestors])
    if tok.lemma_ in _OBJECT_CUES and not reported:  # "announced the arrest of a man", "denied it"
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.right_edge.i - obj.left_edge.i >= 1 and obj.lower_ not in _INANIMATE:
            return obj.left_edge.i, obj.right_edge.i + 1
    return None


def _parenthetical(verb: Token) -> tuple[int, int] | None:
    """ "The museum, Mr. Obama said, would ..." and "..., experts say.": the sentence is the content."""
    if verb.lemma_ not in SPEECH_VERBS or any(c.dep_ in {"dobj", "ccomp", "xcomp"} for c in verb.children):
        return None
    subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is None or subject.i > verb.i:
        return None
    doc, sent = verb.doc, verb.sent
    start = subject.left_edge.i
    end = verb.i + 1
    while (
        end < sent.end
        and not doc[end].is_punct
        and doc[end].dep_ in {"advmod", "npadvmod", "prep", "pobj", "det"}
    ):
        end += 1
    if start <= sent.start or doc[start - 1].text != ",":
        return None
    if end < sent.end and doc[end].text not in {",", ".", "!", "?"}:
        return None
    first, last = _strip_punct(doc, sent.start, sent.end)
    if last - first < 4:
        return None
    return first, last


def _relative_gap(verb: Token) -> bool:
    """A verb of saying inside a relative clause whose gap is in what it reports.

    "the guarantees that it said it wanted", "the jobs which the firm says it will keep": "it
    wanted" is no statement on its own (the noun before "that" fills it), so no reported speech.
    "The official who said the plan failed" and "a plan that officials say will fail" still are.
    """
    doc = verb.doc
    subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS and c.i < verb.i), None)
    content = _content_of(verb)
    if subject is None or content is None or subject.left_edge.i < 2:
        return False
    relative = doc[subject.left_edge.i - 1]
    noun = doc[relative.i - 1]
    if relative.lower_ not in {"that", "which", "whom"} or noun.pos_ not in {"NOUN", "PROPN"}:
        return False
    if noun.head.lemma_ in CUE_VERBS and noun.dep_ in {"dobj", "dative"}:
        return False  # "told reporters that she said ...": the "that" of the outer verb
    return any(c.dep_ in _SUBJECT_DEPS for c in content.children)


def _indirect(
    doc: Doc, quoted: list[tuple[int, int]], nested: dict[int, Token] | None = None
) -> list[_Attribution]:
    out: list[_Attribution] = []
    nested = nested or {}
    spans = sorted(quoted)

    def in_quote(char: int) -> bool:
        return _inside(spans, char)

    for tok in doc:
        if tok.pos_ not in {"VERB", "AUX"} and tok.lower_ != "according":
            continue
        if in_quote(tok.idx):
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            att = _according_clause(doc, tok)
            covered = sum(max(0, min(b, att.end) - max(a, att.start)) for a, b in quoted) if att else 0
            if att is not None and covered < 0.5 * (att.end - att.start):  # not the frame of a direct quote
                out.append(att)
            continue
        tokens = _indirect_content(tok)
        if tokens is None or _relative_gap(tok):
            continue
        start, end = _strip_punct(doc, *tokens)
        if end - start < 2:
            continue
        chars = _span_chars(list(doc[start:end]))
        inside = [(a, b) for a, b in quoted if a < chars[1] and chars[0] < b]
        if inside and not all(
            chars[0] <= a
            and b <= chars[1]
            and a in nested
            and nested[a].i != tok.i
            and tok in nested[a].ancestors
            for a, b in inside
        ):
            continue  # the frame of a direct quote, or a clause holding a mixed quote
        out.append(_Attribution(chars[0], chars[1], "indirect", tok, _subject(tok)))
    return out


def _according_clause(doc: Doc, according: Token) -> _Attribution | None:
    sent = according.sent
    source = _according_source(according)
    phrase_end = (source.right_edge.i + 1) if source is not None else according.i + 2
    comma = next((t.i for t in doc[according.i + 2 : phrase_end] if t.text == ","), None)
    if comma is not None and according.i - sent.start <= 1 and phrase_end >= sent.end - 1:
        phrase_end = comma  # "According to X, the move reeks of ...", the clause misparsed into X
    if according.i - sent.start <= 1:
        start, end = phrase_end, sent.end
    else:
        start, end = sent.start, according.i
    start, end = _strip_punct(doc, start, end)
    if end - start < 3:
        return None
    chars = _span_chars(list(doc[start:end]))
    return _Attribution(chars[0], chars[1], "indirect", doc[according.i : according.i + 2], source)


# ---------------------------------------------------------------- 5. speakers
@dataclass
class _Speaker:
    name: str | None
    entity_id: str | None
    start: int  # parsed-text characters of the local mention
    end: int


def _phrase_name(span: Span) -> str:
    """A speaker's name from a noun phrase: "the four "loopholes" -> "four loopholes".

    A title before a name the entities stage did not know goes: "Governor Ana Ruiz" -> "Ana Ruiz".
    """
    tokens = [t for t in span if not t.is_quote or t.dep_ == "case"]  # keep "Bishops' Conference"
    while tokens and tokens[0].lower_ in {"the", "a", "an"}:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[0].lower_ in TITLE_WORDS and tokens[1].pos_ == "PROPN":
        tokens = tokens[1:]
    text = "".join(t.text_with_ws for t in tokens) or span.text
    return re.sub(r"\s+", " ", text).strip()


def _verb_in_name(words: list[str]) -> bool:
    """Whether a name holds a past verb of saying ("stated stone", "added ellis")."""
    return any(w in {"said", "wrote", "told"} or w[:-1] in CUE_VERBS or w[:-2] in CUE_VERBS for w in words)


def _placed(token: Token, head: Token) -> bool:
    """Whether ``token`` hangs from ``head`` through a preposition of place ("a woman in
    Worcester", "the party in Goa"), not "of" or "for" ("the government of Ukraine")."""
    for ancestor in token.ancestors:
        if ancestor.i == head.i:
            return False
        if ancestor.dep_ == "prep":
            return ancestor.lower_ in _PLACE_PREPOSITIONS
    return False


_PLACE_PREPOSITIONS = frozenset("in at from near outside inside across throughout".split())


class _Resolver:
    def __init__(self, doc: Doc, found: Found, quoted: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.found = found
        self.quoted = quoted
        # (token index, entity id, is subject) of people named outside quotes
        self.references: list[tuple[int, str, bool]] = []
        for entity in found.entities:
            if entity.type != "PERSON":
                continue
            for start, end in found.entity_tokens.get(entity.id, []):
                if self._in_quote(doc[start].idx):
                    continue
                root = doc[start:end].root
                subj = root.dep_ in _SUBJECT_DEPS or (
                    root.dep_ == "appos" and root.head.dep_ in _SUBJECT_DEPS
                )
                self.references.append((start, entity.id, subj))
        self.references.sort()

    def _in_quote(self, char: int) -> bool:
        return _inside(self.quoted, char)

    def add_reference(self, token: int, entity_id: str) -> None:
        self.references.append((token, entity_id, True))
        self.references.sort()

    def _entity_mention(self, token: Token) -> tuple[str, int, int] | None:
        entity_id = self.found.token_entity.get(token.i)
        if entity_id is None or self._type(entity_id) != "PERSON":
            # the subject's head may be a title ("spokesman" in "Kremlin spokesman Dmitry Peskov") or a
            # dateline ("LONDON (Reuters) - Donald Trump"): a person named in the phrase speaks
            # not the possessor: "Lang's lawyer, Nina Petrova," speaks for herself
            owners = {t.i for c in token.children if c.dep_ == "poss" for t in c.subtree}
            # nor whom a clause on it speaks for or to: "An eyewitness described for news agency
            # PA Media ..." (but "a complaint filed by the SEC" is the SEC's)
            owners |= {
                t.i
                for c in token.children
                if c.dep_ in {"acl", "relcl"}
                for p in c.children
                if p.dep_ in {"prep", "dative"} and p.lower_ in {"for", "to"}
                for t in p.subtree
            }
            near = [
                t
                for t in token.subtree
                if t.i in self.found.token_entity and abs(t.i - token.i) <= 12 and t.i not in owners
            ]
            # nor the place someone is in: "a woman in Worcester, Massachusetts,", "The complaint,
            # filed in Washington," (but "the government of Ukraine" is Ukraine's)
            near = [
                t
                for t in near
                if not (self._type(self.found.token_entity[t.i]) in _PLACED_TYPES and _placed(t, token))
            ]
            people = [t for t in near if self._type(self.found.token_entity[t.i]) == "PERSON"]
            # a name the tagger knows but the entities stage dropped is itself, not the organisation
            # or place in its phrase ("Brent Bozell III, founder of the Media Research Center", "the
            # Catholic Bishops' Conference of the Philippines")
            own_name = token.pos_ == "PROPN" and token.ent_type_ in {"PERSON", "ORG"}
            others = [] if entity_id or own_name else near
            pick = min(people or others, key=lambda t: abs(t.i - token.i), default=None)
            if pick is not None:
                entity_id, token = self.found.token_entity[pick.i], pick
        if entity_id is None:
            return None
        for start, end in self.found.entity_tokens[entity_id]:
            if start <= token.i < end:
                return entity_id, start, end
        return entity_id, token.i, token.i + 1

    def _type(self, entity_id: str) -> str | None:
        entity = self.found.entity(entity_id)
        return entity.type if entity else None

    def resolve(self, token: Token | None) -> _Speaker | None:
        if token is None:
            return None
        doc = self.doc
        hit = self._entity_mention(token)
        if hit is not None:
            entity = self.found.entity(hit[0])
            span = doc[hit[1] : hit[2]]
            assert entity is not None
            return _Speaker(entity.name, entity.id, span.start_char, span.end_char)
        lower = token.lower_
        local = (token.idx, token.idx + len(token.text))
        if lower in _RELATIVES and token.head.dep_ == "relcl" and token.head.head.i != token.i:
            # "an architect who said he was stiffed": the relative clause's head noun speaks
            head = self.resolve(token.head.head)
            if head is not None:
                return _Speaker(head.name, head.entity_id, *local)
        if lower in _PRONOUNS:
            entity_id = self._antecedent(token)
            entity = self.found.entity(entity_id)
            return _Speaker(entity.name if entity else None, entity_id, *local)
        if lower in _PLURAL_PRONOUNS:
            group = self._group_antecedent(token)
            if group is not None:
                return _Speaker(group[0], group[1], *local)
        if lower in _PLURAL_PRONOUNS or token.pos_ == "PRON":
            return _Speaker(None, None, *local)
        if token.pos_ == "PROPN":  # a surname the entities stage missed here: "Lopez said"
            entity_id = self._by_surname(token)
            if entity_id is not None:
                entity = self.found.entity(entity_id)
                assert entity is not None
                return _Speaker(entity.name, entity_id, *local)
        # a nominal: "the spokesman", "the alliance", "Western governments", "a source"
        left = max(token.left_edge.i, token.i - 6)  # a name, not a misparsed sentence
        np = doc[left : token.i + 1]
        start, end = np.start_char, np.end_char
        if token.lemma_.lower() in TITLE_WORDS or lower in TITLE_WORDS:
            entity_id = self._by_role(token)
            if entity_id is not None:
                entity = self.found.entity(entity_id)
                assert entity is not None
                return _Speaker(entity.name, entity_id, start, end)
        noun = token.lemma_.lower()
        kind = _GROUP_NOUNS.get(noun)
        if kind is not None and np[0].lower_ == "the" and len(np) == 2:
            types = {"ORG", "GPE"} if kind == "GPE" else {"ORG"}
            entity_id = self._nearest(token, types, containing=noun if noun in _NAMED_GROUP_NOUNS else None)
            if entity_id is not None:
                entity = self.found.entity(entity_id)
                assert entity is not None
                return _Speaker(entity.name, entity_id, start, end)
        return _Speaker(_phrase_name(np), None, start, end)

    def resolve_span(self, start: int, end: int) -> _Speaker | None:
        """A speaker named by a stretch of text ("— Esther Tapia"): its entity, else the text."""
        span = _tokens_in(self.doc, start, end)
        if span is None or not len(span):
            return None
        last_word = span.text.split()[-1].lower()
        for token in span:
            entity = self.found.entity(self.found.token_entity.get(token.i))
            words = entity.name.lower().split() if entity is not None else []
            if entity is not None and last_word in words and not _verb_in_name(words):
                # (not a name the tagger took with the verb before it: "Stated Stone:")
                return _Speaker(entity.name, entity.id, span.start_char, span.end_char)
        return _Speaker(_phrase_name(span), None, span.start_char, span.end_char)

    def _group_antecedent(self, token: Token) -> tuple[str, str | None] | None:
        """What "it" or "they" speaks for: the subject of the sentence, else of the one before.

        "The Russian government put forth a draft. It said it wanted ..." -> Russian government.
        """
        doc = self.doc
        sent = token.sent
        candidates = [sent.root]
        if sent.start > 0:
            candidates.append(doc[sent.start - 1].sent.root)
        for root in candidates:
            subject = next((c for c in root.children if c.dep_ in _SUBJECT_DEPS), None)
            if subject is None or subject.i == token.i or subject.pos_ == "PRON":
                continue
            entity_id = self.found.token_entity.get(subject.i)
            if entity_id is not None:
                entity = self.found.entity(entity_id)
                if entity is not None and entity.type != "PERSON":
                    return entity.name, entity.id
                continue
            lemma = subject.lemma_.lower()
            if subject.pos_ == "NOUN" and (lemma in _GROUP_NOUNS or lemma in _SPEAKER_NOUNS):
                return _phrase_name(doc[subject.left_edge.i : subject.i + 1]), None
        return None

    def _gender(self, entity_id: str) -> str | None:
        entity = self.found.entity(entity_id)
        return person_gender(entity.name, tuple(entity.roles)) if entity is not None else None

    def _by_surname(self, token: Token) -> str | None:
        """The person whose name ends with this word, the one mentioned last before it."""
        word = token.text.lower()
        best = None
        for entity in self.found.entities:
            if (
                entity.type != "PERSON"
                or len(entity.name.split()) < 2
                or entity.name.split()[-1].lower() != word
            ):
                continue
            mentions = [s for s, _ in self.found.entity_tokens.get(entity.id, [])]
            key = max([s for s in mentions if s < token.i], default=-1)
            if best is None or key > best[0]:
                best = (key, entity.id)
        return best[1] if best else None

    def _by_role(self, token: Token) -> str | None:
        word = token.lemma_.lower()
        # "the health minister" is not the aviation minister: the nouns before the title must fit
        kinds = [c.lower_ for c in token.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
        best = None
        for entity in self.found.entities:
            roles = [r.lower() for r in entity.roles]
            if entity.type != "PERSON" or not any(
                (word in r or token.lower_ in r) and all(k in r for k in kinds) for r in roles
            ):
                continue
            before = [s for s, _ in self.found.entity_tokens[entity.id] if s < token.i]
            key = max(before) if before else -1
            if best is None or key > best[0]:
                best = (key, entity.id)
        return best[1] if best else None

    def _nearest(self, token: Token, types: set[str], *, containing: str | None = None) -> str | None:
        """The entity of these types mentioned last before ``token`` (within about 150 tokens)."""
        best = None
        for entity in self.found.entities:
            if entity.type not in types or (containing and containing not in entity.name.lower()):
                continue
            before = [s for s, _ in self.found.entity_tokens[entity.id] if token.i - 150 < s < token.i]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), entity.id)
        return best[1] if best else None

    def _antecedent(self, token: Token) -> str | None:
        """The person a pronoun most likely refers to: a subject of the nearest sentence naming one."""
        doc = self.doc
        sents = list(doc.sents)
        k = next((i for i, s in enumerate(sents) if s.start <= token.i < s.end), 0)
        wanted = "f" if token.lower_ in {"she", "her", "hers"} else "m"
        for i in range(k, max(-1, k - 6), -1):
            sent = sents[i]
            refs = [
                r
                for r in self.references
                if sent.start <= r[0] < min(sent.end, token.i) and self._gender(r[1]) in {None, wanted}
            ]
            if not refs:
                continue
            subjects = [r for r in refs if r[2]]
            return (subjects or refs)[-1][1]
        return None


def extract(doc: Doc, found: Found) -> list[Quote]:
    """Find quotes and reported speech; fill ``found.quotes``."""
    marks = find_quotes(found.repaired.text)
    marked = _direct_and_mixed(doc, found, marks)
    quoted = [(m.start - 1, m.end + 1) for m in marks]
    nested = {a.start - 1: a.cue for a in marked if a.kind == "mixed" and isinstance(a.cue, Token)}
    indirect = _indirect(doc, quoted, nested)
    attributions = sorted(marked + indirect, key=lambda a: a.start)
    _carry_over_paragraphs(found.repaired.text, attributions)
    resolver = _Resolver(doc, found, quoted)
    # names and nominals first: they become antecedents for the pronouns
    speakers: dict[int, _Speaker | None] = {}
    for pass_ in (0, 1):
        for n, att in enumerate(attributions):
            subject = att.subject
            is_pronoun = subject is not None and subject.lower_ in _PRONOUNS
            if (pass_ == 0) == is_pronoun:
                continue
            if subject is None and att.speaker_span is not None:
                speaker = resolver.resolve_span(*att.speaker_span)
            else:
                speaker = resolver.resolve(subject)
            speakers[n] = speaker
            if pass_ == 0 and speaker is not None and speaker.entity_id and subject is not None:
                entity = found.entity(speaker.entity_id)
                if entity is not None and entity.type == "PERSON":
                    resolver.add_reference(subject.i, speaker.entity_id)
    quotes: list[Quote] = []
    text = found.article.text
    for n, att in enumerate(attributions):
        start, end = found.offsets(att.start, att.end)
        speaker = speakers.get(n)
        record = Quote(text=text[start:end], start=start, end=end, kind=att.kind)
        if att.cue is not None:
            cue = att.cue if isinstance(att.cue, Span) else doc[att.cue.i : att.cue.i + 1]
            record.cue_start, record.cue_end = found.offsets(cue.start_char, cue.end_char)
            record.cue = text[record.cue_start : record.cue_end]
        if speaker is not None:
            record.speaker, record.speaker_id = speaker.name, speaker.entity_id
            record.speaker_start, record.speaker_end = found.offsets(speaker.start, speaker.end)
            record.speaker_text = text[record.speaker_start : record.speaker_end]
        if att.clause is not None:
            record.clause_start, record.clause_end = found.offsets(*att.clause)
        quotes.append(record)
    found.quotes = quotes
    return quotes
