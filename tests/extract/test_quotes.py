"""Quotes: one case per construction, on short texts written for these tests."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.extract.quotes import find_quotes
from newsgraph.models import Analysis, Quote


def _quote(analysis: Analysis, starts: str) -> Quote:
    hits = [q for q in analysis.quotes if q.text.startswith(starts)]
    assert hits, f"no quote starting {starts!r} in {[q.text for q in analysis.quotes]}"
    return hits[0]


# ---------------------------------------------------------------- quote marks (no model)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "yes" and left.', ["yes"]),
        ("She called it \u201ca disgrace\u201d today.", ["a disgrace"]),
        # nested marks of the same family, told apart by the way curly marks face
        (
            "\u201cI would rather live in what he calls \u201chell\u201d than here,\u201d she said.",
            ["I would rather live in what he calls \u201chell\u201d than here,"],
        ),
        # single quotes in a headline; apostrophes are not quote marks
        ("Flynn says Trump 'absolutely right' on Russia's plan", ["absolutely right"]),
        ("The voters' anger isn't a quote.", []),
        # unbalanced: the quote runs to the end of its paragraph
        ('"We will win, he said.\nNext paragraph.', ["We will win, he said."]),
    ],
)
def test_find_quotes_pairs_marks(text: str, expected: list[str]) -> None:
    assert [text[m.start : m.end] for m in find_quotes(text)] == expected


def test_multi_paragraph_quote_is_one_passage() -> None:
    text = '"The first paragraph of the statement.\n"The second one ends it," she said.\n'
    (quote,) = find_quotes(text)
    assert text[quote.start : quote.end] == 'The first paragraph of the statement.\n"The second one ends it,'


# ---------------------------------------------------------------- direct quotes
@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "starts", "speaker", "cue"),
    [
        # cue after the quote, speaker named
        ('"The talks were useful," Maria Lopez said.', "The talks", "Maria Lopez", "said"),
        # inverted order
        ('"The talks were useful," said Maria Lopez.', "The talks", "Maria Lopez", "said"),
        # cue before, colon introduction
        ('Maria Lopez said: "The talks were useful."', "The talks", "Maria Lopez", "said"),
        # according to
        ('"The talks were useful," according to Maria Lopez.', "The talks", "Maria Lopez", "according to"),
        # a speaker with a parenthetical after the name
        ('"We will vote no," Rep. John Carter (R-Texas) said Friday.', "We will vote", "John Carter", "said"),
        # "quote" - Name layout
        ('"Nobody asked us what we wanted." \u2014 Ana Ruiz\n', "Nobody asked", "Ana Ruiz", "\u2014"),
        # transcript turn inside a quoted passage
        ('"SMITH: We never agreed to that deal."', "SMITH: We never", "SMITH", ":"),
    ],
)
def test_direct_quote_speaker_and_cue(text: str, starts: str, speaker: str, cue: str) -> None:
    quote = _quote(newsgraph.analyze(text), starts)
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", speaker, cue)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "starts", "speaker", "cue"),
    [
        # the speaker's appositive between the name and the cue, and the quote that follows
        (
            '"The budget is a mess," Tom Reyes, a former state treasurer, said on Monday. "Nobody reads it."',
            "Nobody reads",
            "Tom Reyes",
            "said",
        ),
        # "told AFP" names whom one told, never the speaker
        ('"We were wrong to wait," Lena Park, 58, told AFP in an interview.', "We were", "Lena Park", "told"),
        # a name with an appositive that holds an organisation
        (
            '"Yes, I back the plan," Ted Alvarez II, founder of the Harbor Institute, tells Channel 4.',
            "Yes, I",
            "Ted Alvarez II",
            "tells",
        ),
        # the parser gives the verb a subject inside the quote too
        (
            '"The cost, the delay, the paperwork," said a person close to the mayor.',
            "The cost",
            "person",
            "said",
        ),
        # any verb right after a quote ending in a comma attributes it
        (
            '"We are not done yet," Dana Whitfield laughed. "Not even close."',
            "Not even",
            "Dana Whitfield",
            "laughed",
        ),
        ('"We want answers," the crowd chanted.', "We want", "crowd", "chanted"),
        # a colon after whom it was said to: the clause's subject speaks
        (
            'Senator Dana Whitfield explained the plan to the weekly Harbor Times: "We start in May."',
            "We start",
            "Dana Whitfield",
            "explained",
        ),
        # a report introduced by a colon
        ('The study was long. From the report: "Most towns lack a plan."', "Most towns", "report", ":"),
        # the cue after a quote introduces the next one: the verb before it speaks
        (
            'When a man in the crowd shouted, "Resign," Whitfield joked, waving at the cameras, "Not today!"',
            "Resign",
            "man",
            "shouted",
        ),
        # a quote opening a paragraph after one that ends on a person speaking
        (
            'Dana Whitfield talked to reporters on Monday.\n\n"The talks were useful."',
            "The talks",
            "Dana Whitfield",
            "talked",
        ),
        # after a full stop, a sentence with its own object says something new: not the quote's cue
        (
            'Maria Lopez said the plan was fine.\n\n"I disagree," she said. "We feel good about it." '
            "She noted a rally on Saturday.",
            "We feel",
            "Maria Lopez",
            "said",
        ),
        # a short quoted fragment inside the attribution does not cut it off
        (
            '"We have had better rallies," Ohio delegate Tom Reyes, wearing a "Vote Reyes" pin, said as the '
            "music stopped.",
            "We have",
            "Tom Reyes",
            "said",
        ),
        # a person's clause running into the quote after a comma
        (
            'Lena Park, the city housing chief, reacted coolly to the deal, "[I am] worried about any plan."',
            "[I am]",
            "Lena Park",
            "reacted",
        ),
        # an inverted introduction, in the paragraph or on a line of its own
        ('The vote was close. Said Ellis: "I do not think it will last."', "I do not", "Ellis", "Said"),
        (
            'The vote was close.\n\nAdded Ellis:\n\n"I do not think it will last."',
            "I do not",
            "Ellis",
            "Added",
        ),
        # a paragraph ending on a person speaking, in a subordinate clause
        (
            'It is left to voters, since Dana Whitfield spoke only in slogans.\n\n"We have to act."',
            "We have",
            "Dana Whitfield",
            "spoke",
        ),
        # ... or on someone issuing a statement
        (
            'The city council issued a statement on Friday.\n\n"We regret the delay."',
            "We regret",
            "city council",
            "issued",
        ),
        # a verb of saying the parser coordinated with the object of the verb before
        (
            'Maria Lopez spoke for an hour. She then put on a fake accent and joked, "But we will win."',
            "But we",
            "Maria Lopez",
            "joked",
        ),
        # a transcript turn opened by a person's full name
        (
            'The panel argued.\n\n"Chris Matthews: Seriously, he says he will pay for it."',
            "Chris Matthews:",
            "Chris Matthews",
            ":",
        ),
        # a possessive source: the spokesman speaks, not the one they speak for
        (
            '"We will appeal," Whitfield\u2019s spokesman said.',
            "We will",
            "Whitfield\u2019s spokesman",
            "said",
        ),
    ],
)
def test_speaker_layouts(text: str, starts: str, speaker: str, cue: str) -> None:
    quote = _quote(newsgraph.analyze(text), starts)
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", speaker, cue)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "starts", "speaker"),
    [
        # a relative pronoun speaks for the noun it hangs from
        (
            'The mayor thanked Pastor Eli Brandt, who vowed to keep the shelter open "as long as it can."',
            "as long",
            "Pastor Eli Brandt",
        ),
        # an infinitive's speaker is the subject of the verb it completes
        (
            'The council denied it, with Dana Whitfield taking to Twitter to call the claim "pure fiction."',
            "pure fiction",
            "Dana Whitfield",
        ),
        # a place the subject is in, or a clause about it, names no speaker
        (
            'After a woman in Dayton, Ohio, told him she worries he is "too nice" to win, he laughed.',
            "too nice",
            "woman",
        ),
        (
            'The lawsuit, which was filed in a court in Boston, alleged that the firm "failed its workers."',
            "failed its",
            "lawsuit",
        ),
    ],
)
def test_mixed_quote_speaker(text: str, starts: str, speaker: str) -> None:
    quote = _quote(newsgraph.analyze(text), starts)
    assert (quote.kind, quote.speaker) == ("mixed", speaker)


@pytest.mark.slow
def test_pronoun_speaker_resolves_across_sentences() -> None:
    text = (
        "Interior Minister Karl Weber met the mayors on Monday.\n"
        '"We found no agreement," he said. "We will meet again."\n'
    )
    record = newsgraph.analyze(text)
    first, second = _quote(record, "We found"), _quote(record, "We will meet")
    assert (first.speaker, first.speaker_text) == ("Karl Weber", "he")
    assert second.speaker == "Karl Weber"  # no cue of its own: the speech goes on
    assert text[first.speaker_start : first.speaker_end] == "he"  # type: ignore[index]


@pytest.mark.slow
def test_nominal_speaker_resolves_by_role() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke to reporters in Moscow.\n"
        '"There is no room for optimism," the spokesman said.\n'
    )
    quote = _quote(newsgraph.analyze(text), "There is no room")
    assert (quote.speaker, quote.speaker_text) == ("Dmitry Peskov", "the spokesman")


@pytest.mark.slow
def test_split_quote_keeps_one_speaker() -> None:
    text = 'Officials met in Oslo.\n"We will," Anna Berg said, "push for a concrete answer."\n'
    record = newsgraph.analyze(text)
    assert _quote(record, "We will").speaker == "Anna Berg"
    assert _quote(record, "push for").kind == "direct"
    assert _quote(record, "push for").speaker == "Anna Berg"


@pytest.mark.slow
def test_multi_paragraph_quote_is_attributed_after_its_last_paragraph() -> None:
    text = (
        "Mayor Tom Reyes spoke at the opening.\n"
        '"The bridge took ten years to build.\n'
        '"It will carry forty thousand cars a day," Reyes said.\n'
    )
    quote = _quote(newsgraph.analyze(text), "The bridge took")
    assert quote.speaker == "Tom Reyes"
    assert "forty thousand" in quote.text


@pytest.mark.slow
def test_colon_paragraph_introduces_the_next_quote() -> None:
    text = 'Senator Jane Hill made the following comment:\n"The budget is a disgrace to this chamber."\n'
    assert _quote(newsgraph.analyze(text), "The budget").speaker == "Jane Hill"


@pytest.mark.slow
def test_headline_quote_is_found() -> None:
    text = (
        "Hill calls budget 'a disgrace to this chamber'\n\nSenator Jane Hill spoke on Monday in Washington.\n"
    )
    quote = _quote(newsgraph.analyze(text), "a disgrace")
    assert quote.speaker == "Jane Hill"


# ---------------------------------------------------------------- mixed quotes
@pytest.mark.slow
def test_mixed_quote_has_its_reported_clause() -> None:
    text = 'Kremlin spokesman Dmitry Peskov described the Monday talks in Geneva as "positive" on Tuesday.\n'
    quote = _quote(newsgraph.analyze(text), "positive")
    assert (quote.kind, quote.speaker, quote.cue) == ("mixed", "Dmitry Peskov", "described")
    assert quote.clause_start is not None and quote.clause_end is not None
    assert quote.clause_start <= quote.start and quote.end <= quote.clause_end
    assert "Geneva" in text[quote.clause_start : quote.clause_end]


@pytest.mark.slow
def test_mixed_quotes_of_two_speakers_in_one_sentence() -> None:
    text = (
        'Sergei Ryabkov said the sides had "opposite views," and Wendy Sherman said the proposals '
        'were "simply non-starters."\n'
    )
    record = newsgraph.analyze(text)
    assert _quote(record, "opposite views").speaker == "Sergei Ryabkov"
    assert _quote(record, "simply non-starters").speaker == "Wendy Sherman"


@pytest.mark.slow
def test_a_fragment_in_a_coordinated_clause_is_its_subjects() -> None:
    text = (
        "Governor Tom Baker described Senator Maria Lopez as a \u201cdisgrace\u201d after she attacked the"
        " police and blamed the shootings on \u201cimplicit bias\u201d in the force.\n"
    )
    record = newsgraph.analyze(text)
    assert _quote(record, "disgrace").speaker == "Tom Baker"
    assert _quote(record, "implicit bias").speaker == "Maria Lopez"


@pytest.mark.slow
def test_an_aside_between_dashes_does_not_take_the_participle() -> None:
    text = (
        "Groups of protesters marched around the stadium - where the Porto Lions played the Leeds"
        ' Rhinos - while chanting, "Hands up, don\'t shoot."\n'
    )
    assert _quote(newsgraph.analyze(text), "Hands up").speaker == "Groups"


@pytest.mark.slow
def test_a_quote_after_a_sentence_about_a_person_is_theirs() -> None:
    text = (
        'On "Face the Nation," Senator Maria Lopez named the cost of housing as the main worry of'
        ' young voters. "They are tired of paying half their pay in rent."\n'
    )
    assert _quote(newsgraph.analyze(text), "They are tired").speaker == "Maria Lopez"


@pytest.mark.slow
def test_scare_quotes_without_a_speaker_are_not_quotes() -> None:
    record = newsgraph.analyze('The so-called "reform" of 1998 changed little in the region.\n')
    assert not [q for q in record.quotes if q.text == "reform"]


# ---------------------------------------------------------------- indirect speech
@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "starts", "speaker", "cue"),
    [
        ("Peskov said Russia was not setting deadlines for the talks.", "Russia was not", "Peskov", "said"),
        ("The Kremlin says the talks gave no ground for optimism.", "the talks gave", "Kremlin", "says"),
        ("Moscow insists that the deployments are defensive.", "that the deployments", "Moscow", "insists"),
        (
            "Western governments accuse Russia of planning an invasion.",
            "Russia of planning",
            "Western governments",
            "accuse",
        ),
        (
            "Jens Stoltenberg expressed hope that the negotiations could pave the way for a solution.",
            "that the negotiations",
            "Jens Stoltenberg",
            "expressed",
        ),
        (
            "The new rules, Maria Lopez said, would cut emissions by half.",
            "The new rules",
            "Maria Lopez",
            "said",
        ),
        (
            "According to the ministry, the plant will close in May.",
            "the plant will",
            "ministry",
            "According to",
        ),
        ("The senator told reporters that the bill would pass.", "that the bill", "senator", "told"),
        ("The union warned that strikes would follow.", "that strikes", "union", "warned"),
        ("Officials denied that any data had been lost.", "that any data", "Officials", "denied"),
        # naming verbs: the object and what it is called are what was said
        ("Senator Maria Lopez called the plan a disaster.", "the plan a disaster", "Maria Lopez", "called"),
        ("The union described the offer as an insult.", "the offer as", "union", "described"),
        # a question reported with "if"
        (
            "Senator Maria Lopez asked the students if they were always so serious.",
            "if they were",
            "Maria Lopez",
            "asked",
        ),
        # what "say" takes as its object is what was said
        ("Senator Maria Lopez said the same of the governor.", "the same of", "Maria Lopez", "said"),
    ],
)
def test_indirect_speech(text: str, starts: str, speaker: str, cue: str) -> None:
    quote = _quote(newsgraph.analyze(text), starts)
    assert quote.kind == "indirect"
    assert quote.cue == cue
    assert quote.speaker is not None and speaker in quote.speaker


@pytest.mark.slow
def test_it_speaks_for_the_group_subject() -> None:
    text = "The Russian government put forth a draft treaty. It said it wanted guarantees from the West.\n"
    quote = _quote(newsgraph.analyze(text), "it wanted")
    assert quote.speaker == "Russian government"


@pytest.mark.slow
def test_unresolved_pronoun_leaves_the_speaker_null() -> None:
    quote = _quote(newsgraph.analyze('"It is over," she said.\n'), "It is over")
    assert quote.speaker is None
    assert quote.speaker_text == "she"


@pytest.mark.slow
def test_offsets_index_the_input_text() -> None:
    text = "Vladimir Putins spokesman Dmitry Peskov said\u00a0the talks  were \u201cpositive\u201d.\n"
    record = newsgraph.analyze(text)
    assert record.quotes
    for quote in record.quotes:
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker_text
        if quote.cue_start is not None:
            assert text[quote.cue_start : quote.cue_end] == quote.cue


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "\u201c\u201d",
        'He called it "..."',
        'She said "\u2014" and left.',
        "'''",
        '"Unclosed at the end',
        "\u201d closing first, then \u201copening",
        'Said: "?"',
        "He said: \n\n\n",
        # typewriter marks, and a clause that is only punctuation after the cue
        "Mrs. Smith, with her long service, ''is seen as having a closer tie with Obama,'' he said.",
    ],
)
def test_odd_quote_marks_never_break_the_analysis(text: str) -> None:
    record = newsgraph.analyze(text)
    for quote in record.quotes:
        assert text[quote.start : quote.end] == quote.text


@pytest.mark.slow
def test_random_quote_marks_and_paragraphs_never_break_the_analysis() -> None:
    import random

    rng = random.Random(7)
    marks = ['"', "\u201c", "\u201d", "'", "\u2018", "\u2019"]
    pieces = ["He said", "the talks", *marks, ",", ".", "\n", "\n\n", ":"]
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(5, 40))) for _ in range(60)]
    for record, text in zip(newsgraph.analyze_many(texts), texts, strict=True):
        for quote in record.quotes:
            assert text[quote.start : quote.end] == quote.text


def test_a_single_quote_inside_a_multi_paragraph_quote_is_part_of_it() -> None:
    text = "\"How can anybody do that?\n\n\"I said, 'Look, I don't know what he does.' \"\n\nNow he left.\n"
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert text[quotes[0].start : quotes[0].end].endswith("does.' ")


# ---------------------------------------------------------------- speakers the parse hides
@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "starts", "speaker"),
    [
        # a participle takes the subject of its clause, even when the subject is far before it
        (
            'Senator Maria Lopez told reporters that the plan had "no future," '
            'adding, "It never had a chance."',
            "It never had",
            "Maria Lopez",
        ),
        # a participle after a reported clause: the one who reports it goes on, not the clause's subject
        (
            'Senator Maria Lopez told Newsmax that Tom Reyes "had a crazy policy," '
            'adding, "He lost every vote."',
            "He lost every",
            "Maria Lopez",
        ),
        # a participle after a show's title in quote marks: the one on the show speaks, not "it"
        (
            "Former mayor Rudy Giuliani trashed the decision on MSNBC\u2019s \u201cMorning Joe,\u201d "
            "calling it a \u201cno-brainer\u201d to prosecute.",
            "no-brainer",
            "Rudy Giuliani",
        ),
        # whom one tells is no speaker
        ('"We will appeal the ruling," Tom Reyes told Reuters.', "We will appeal", "Tom Reyes"),
        # "footage of X asking": the person before the participle speaks, not the ad
        (
            'The ad shows footage of Senator Maria Lopez asking, "Why are we not ahead?"',
            "Why are we",
            "Maria Lopez",
        ),
        # ... also when time and place phrases stand between the participle and the quote
        (
            "The spot concludes with footage of Maria Lopez saying during the debate last week, "
            '"That makes me smart," a line Tom Reyes mocked on Monday.',
            "That makes me smart",
            "Maria Lopez",
        ),
        # object control: the one led to predict something predicts it
        (
            'The crisis has led the analyst Maria Lopez to predict a "long winter."',
            "long winter",
            "Maria Lopez",
        ),
        # a participle describing a statement: whoever issued it speaks
        (
            'Senator Maria Lopez put out a statement saying the state "cannot vet every refugee."',
            "cannot vet",
            "Maria Lopez",
        ),
        # a participle hanging from a verb: that verb's subject speaks, even a plain noun
        (
            'The council released a statement on Friday saying the plan "ignores the facts."',
            "ignores the facts",
            "council",
        ),
        # the verb of saying right before the quote, not an earlier one in the paragraph
        (
            "Ana Ruiz said the plan was fair. When pressed, Mayor Tom Reyes replied, "
            '"It is not fair at all."',
            "It is not fair",
            "Tom Reyes",
        ),
        # a clause that ends with a colon: its subject speaks
        (
            'Senator Maria Lopez is rolling out a new campaign message: "It is about you."',
            "It is about",
            "Maria Lopez",
        ),
        # a name right before the colon, after a headline and a dash
        (
            'POLLS WERE RIGHT - Carl Benson: "The polls did their job this year."',
            "The polls did",
            "Carl Benson",
        ),
        # a headline whose own words hold a verb of saying: the name after the dash still speaks
        (
            'Pundits agree - Carl Benson: "The polls did their job this year."',
            "The polls did",
            "Carl Benson",
        ),
        # an organisation after a headline's dash speaks, without the headline
        ('TRADE TALKS STALL - White House: "We are ready to wait."', "We are ready", "White House"),
        # coordinated subjects the parser hangs elsewhere: the object pronoun is called, not calling
        (
            "After the attack in the capital, Maria Lopez and Tom Reyes call them "
            '"lone wolves" in every interview.',
            "lone wolves",
            "Maria Lopez",
        ),
        # the possessor of the words that introduce a quote speaks
        (
            'Maria Lopez spoke in Ohio on Monday.\nIn Lopez\'s words, "the deal is dead."',
            "the deal is dead",
            "Maria Lopez",
        ),
        ('Tom Reyes was asked about it.\nReyes\'s reply: "We will win it."', "We will win", "Tom Reyes"),
        # a dateline before the name: the nearest subject speaks
        (
            'LONDON (Reuters) - Maria Lopez said the plan was "dead on arrival" in parliament.',
            "dead on arrival",
            "Maria Lopez",
        ),
        # the attribution closes a long sentence that opens with the quote
        (
            'Maria Lopez visited the memorial.\n"I held and hugged" the families before laying '
            "flowers at the gate, she said.",
            "I held and hugged",
            "Maria Lopez",
        ),
    ],
)
def test_speaker_found_where_the_parse_does_not_make_it_the_subject(
    text: str, starts: str, speaker: str
) -> None:
    assert _quote(newsgraph.analyze(text), starts).speaker == speaker


@pytest.mark.slow
def test_a_quote_paragraph_continues_the_indirect_speech_before_it() -> None:
    text = (
        "Defence Secretary Ash Carter said that critics had long predicted a withdrawal from the region.\n"
        '"That is because this region is home to half the world\'s people."\n'
    )
    quote = _quote(newsgraph.analyze(text), "That is because")
    assert (quote.kind, quote.speaker) == ("direct", "Ash Carter")


@pytest.mark.slow
def test_a_paragraph_ending_in_said_comma_introduces_the_next_quote() -> None:
    text = 'Speaker Paul Ryan spoke after the vote.\nRyan said,\n"Look, those images have no place here."\n'
    assert _quote(newsgraph.analyze(text), "Look, those").speaker == "Paul Ryan"


@pytest.mark.slow
def test_transcript_turns_are_separate_quotes() -> None:
    text = 'Partial transcript:\n"SMITH: Will you sign the deal?\n"JONES: We will sign it tomorrow.\n'
    record = newsgraph.analyze(text)
    assert _quote(record, "SMITH:").speaker == "SMITH"
    assert _quote(record, "JONES:").speaker == "JONES"


@pytest.mark.slow
def test_possessor_of_a_claim_speaks() -> None:
    text = (
        "Senator Maria Lopez spoke in Austin on Monday.\n"
        'The fact-checkers examined Lopez\'s claim that the state had "the lowest crime rate in decades."\n'
    )
    quote = _quote(newsgraph.analyze(text), "the lowest crime")
    assert (quote.kind, quote.speaker, quote.cue) == ("mixed", "Maria Lopez", "claim")


@pytest.mark.slow
def test_title_of_a_show_after_a_possessive_is_no_quote() -> None:
    text = 'Maria Lopez spoke on Monday on Fox News\'s "Fox and Friends." She said the plan was dead.\n'
    assert not [q for q in newsgraph.analyze(text).quotes if q.text.startswith("Fox and Friends")]


@pytest.mark.slow
def test_mixed_quote_over_two_sentences_hangs_from_the_first() -> None:
    text = (
        'Senator Maria Lopez told Fox that "they attacked the mayor. '
        'What they are doing is gaming the system."\n'
    )
    quote = _quote(newsgraph.analyze(text), "they attacked")
    assert (quote.kind, quote.speaker, quote.cue) == ("mixed", "Maria Lopez", "told")


@pytest.mark.slow
def test_nested_speech_gives_the_fragment_its_own_speaker_and_the_clause_the_outer_one() -> None:
    text = (
        "Senator Maria Lopez spoke in Detroit on Friday.\n"
        'Lopez said that Governor Ana Ruiz once described the deal as "the gold standard" of trade deals.\n'
    )
    record = newsgraph.analyze(text)
    assert _quote(record, "the gold standard").speaker == "Ana Ruiz"
    outer = [q for q in record.quotes if q.kind == "indirect" and "gold standard" in q.text]
    assert [q.speaker for q in outer] == ["Maria Lopez"]


@pytest.mark.slow
def test_a_pronoun_skips_a_person_of_the_other_gender() -> None:
    text = (
        "Attorney General Loretta Lynch met Governor Tom Carter in Raleigh on Monday.\n"
        'Carter said the law would stand. "We will not back down," she said.\n'
    )
    record = newsgraph.analyze(text)
    assert _quote(record, "We will not back down").speaker == "Loretta Lynch"
    assert _quote(record, "the law would stand").speaker == "Tom Carter"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "starts", "speaker"),
    [
        # the subject of a passive verb of saying is the addressee, not the speaker
        ("Senator Maria Lopez was told that the bill would fail in the House.", "that the bill", None),
        # ... except for "was quoted as saying"
        (
            'Senator Maria Lopez was quoted as saying that the bill "would fail" in the House.',
            "would fail",
            "Maria Lopez",
        ),
    ],
)
def test_passive_verbs_of_saying(text: str, starts: str, speaker: str | None) -> None:
    assert _quote(newsgraph.analyze(text), starts).speaker == speaker


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        # a relative clause whose gap is in the reported clause is no reported speech
        "Last month the ministry set out the guarantees that it said it wanted from its neighbours.",
        "The company kept the two plants which it says it still needs.",
    ],
)
def test_a_relative_clause_is_no_reported_speech(text: str) -> None:
    assert newsgraph.analyze(text).quotes == []


@pytest.mark.slow
def test_a_relative_clause_whose_subject_is_the_gap_still_reports() -> None:
    text = "The official who said the plan had failed resigned on Monday."
    (quote,) = [q for q in newsgraph.analyze(text).quotes if q.kind == "indirect"]
    assert quote.text.startswith("the plan had failed")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "starts", "speaker"),
    [
        # no space between the comma and the mark: still a cue and its quote
        (
            "Mayor Tom Baker spoke in Porto. He said,\u201cWe will rebuild the bridge.\u201d",
            "We will",
            "Tom Baker",
        ),
        ('"The bridge will reopen,"said Mayor Ana Ruiz on Monday.', "The bridge", "Ana Ruiz"),
    ],
)
def test_a_mark_glued_to_its_cue(text: str, starts: str, speaker: str) -> None:
    assert _quote(newsgraph.analyze(text), starts).speaker == speaker


@pytest.mark.slow
def test_a_cue_before_an_exclaimed_quote_beats_the_next_sentences_verb() -> None:
    text = (
        'Maria Lopez took to social media, posting at 9:15 pm local time on Twitter, "We won. We did '
        'it TOGETHER!" Later that night a helicopter landed on the roof.'
    )
    assert _quote(newsgraph.analyze(text), "We won").speaker == "Maria Lopez"


@pytest.mark.slow
def test_a_participle_after_a_described_event_belongs_to_the_witness() -> None:
    text = (
        "A witness described for a news agency how the attack unfolded, stating, "
        '"I saw the truck leave the road and hit the wall."'
    )
    quote = _quote(newsgraph.analyze(text), "I saw the truck")
    assert quote.speaker is not None and "witness" in quote.speaker.lower()


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        'Police sergeant Matiu "Matt" Ratana was shot at the custody centre in Croydon.',  # a nickname
        'Hammons, the owner of the website "Bill\'s List", founded the party in 2004.',  # a site's name
    ],
)
def test_a_name_in_quote_marks_is_no_quote(text: str) -> None:
    assert newsgraph.analyze(text).quotes == []


@pytest.mark.slow
def test_a_title_resolves_only_to_someone_whose_role_fits_its_nouns() -> None:
    text = (
        "Aviation Minister Hardeep Singh Puri said 18 people died. The local health minister said, "
        '"The injured have been taken to hospitals."'
    )
    assert _quote(newsgraph.analyze(text), "The injured").speaker != "Hardeep Singh Puri"


@pytest.mark.slow
def test_a_participle_after_a_main_clause_keeps_its_subject() -> None:
    text = "The nurse later sued the state, claiming the quarantine violated her rights."
    (quote,) = [q for q in newsgraph.analyze(text).quotes if q.kind == "indirect"]
    assert quote.speaker_text is not None and "nurse" in quote.speaker_text
