"""Events: one case per rule and per event type, on short texts written for these tests."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.models import Analysis, Event


def _events(text: str, published: str | None = "2022-01-11", **meta: str) -> Analysis:
    return newsgraph.analyze(text, published=published, **meta) if published else newsgraph.analyze(text)


def _only(record: Analysis, type_: str) -> Event:
    found = [e for e in record.events if e.type == type_]
    assert len(found) == 1, [e.model_dump() for e in record.events]
    return found[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "type_", "place"),
    [
        ("The foreign ministers of France and Germany held talks in Paris.", "CONSULT", "Paris"),
        ("Thousands of people protested in Madrid against the new law.", "PROTEST", "Madrid"),
        ("The European Union imposed new sanctions on Iran in Brussels.", "SANCTION", "Brussels"),
        ("Rebels launched an attack on the army base in Kandahar.", "ASSAULT", "Kandahar"),
        ("Japan and Australia signed an agreement in Tokyo.", "AGREE", "Tokyo"),
    ],
)
def test_event_types_and_places(text: str, type_: str, place: str) -> None:
    event = _only(_events(text), type_)
    assert event.place is not None and event.place.name == place
    assert event.place.country is not None


@pytest.mark.slow
def test_parties_are_the_sides_of_a_talk() -> None:
    event = _only(_events("Russia is due to hold talks with NATO in Brussels."), "CONSULT")
    assert set(event.parties) >= {"Russia", "NATO"}
    assert event.status == "scheduled"


@pytest.mark.slow
def test_participants_are_those_who_took_part_not_who_spoke_of_it() -> None:
    text = (
        "Sergei Ryabkov and his American counterpart, Wendy Sherman, held more than seven hours of "
        "negotiations in Geneva.\n"
        "Kremlin spokesman Dmitry Peskov described the talks in Geneva as positive.\n"
    )
    event = _only(_events(text), "CONSULT")
    assert event.participants == ["Sergei Ryabkov", "Wendy Sherman"]
    assert event.duration == "more than seven hours"
    assert text[event.start : event.end].startswith("Sergei Ryabkov")  # evidence: the first mention


@pytest.mark.slow
def test_one_sentence_two_places_two_events() -> None:
    text = "Russia will hold talks with NATO in Brussels and with the OSCE in Vienna.\n"
    record = _events(text)
    assert sorted(e.place.name for e in record.events if e.place) == ["Brussels", "Vienna"]
    assert all(e.status == "scheduled" for e in record.events)


@pytest.mark.slow
def test_a_condition_is_not_an_event() -> None:
    record = _events("NATO warned of severe costs if Russia launched an attack on Ukraine.\n")
    assert not [e for e in record.events if e.type == "ASSAULT"]


@pytest.mark.slow
def test_an_event_needs_a_place_or_a_date() -> None:
    assert _events("The two leaders have held many talks over the years.\n").events == []


@pytest.mark.slow
def test_event_offsets_index_the_input() -> None:
    text = "Putins\u00a0envoy  held talks with China in Beijing.\n"
    for event in _events(text).events:
        assert 0 <= event.start < event.end <= len(text)
        assert "Beijing" in text[event.start : event.end]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "date", "status"),
    [
        # published on Wednesday 2024-03-06
        ("France and Germany held talks in Paris on Monday.", "2024-03-04", "occurred"),
        ("France and Germany will hold talks in Paris on Thursday.", "2024-03-07", "scheduled"),
        ("France and Germany held talks in Paris on February 12, 2024.", "2024-02-12", "occurred"),
    ],
)
def test_dates_and_status(text: str, date: str, status: str) -> None:
    event = _only(_events(text, published="2024-03-06"), "CONSULT")
    assert (event.date, event.status) == (date, status)


@pytest.mark.slow
def test_without_a_publication_date_a_weekday_stays_text() -> None:
    event = _only(_events("France and Germany held talks in Paris on Monday.", published=None), "CONSULT")
    assert event.date is None
    assert event.date_text is not None and "Monday" in event.date_text


# ---------------------------------------------------------------- political gatherings
@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "type_", "label", "place"),
    [
        ("Senator Maria Lopez spoke at a rally in Denver on Monday.", "CONSULT", "rally", "Denver"),
        ("Senator Maria Lopez gave a speech in Denver on Monday.", "CONSULT", "speech", "Denver"),
        ("Hundreds joined a protest rally in Denver on Monday.", "PROTEST", "protest", "Denver"),
        (
            "Senator Maria Lopez criticised the law during a campaign stop in Flint, Mich., on Monday.",
            "CONSULT",
            "campaign stop",
            "Flint",
        ),
    ],
)
def test_political_gatherings(text: str, type_: str, label: str, place: str) -> None:
    record = _events(text)
    (event,) = record.events  # "Flint, Mich.": the state only says where the town is
    assert "Maria Lopez" in event.participants or type_ == "PROTEST"
    assert (event.type, event.date) == (type_, "2022-01-10")
    assert event.label.startswith(label)
    assert event.place is not None and event.place.name == place


@pytest.mark.slow
def test_an_upcoming_event_takes_no_past_day() -> None:
    record = _events(
        "On Monday, Senator Maria Lopez gave advice to Ana Ruiz for the upcoming debate in Denver."
    )
    event = _only(record, "CONSULT")
    assert event.label.startswith("upcoming debate")
    assert (event.status, event.date) == ("scheduled", None)


@pytest.mark.slow
def test_a_dateline_in_capitals_gives_way_to_the_name_as_written() -> None:
    text = "DENVER, Colo., Jan. 10 (UPI) -- Senator Maria Lopez spoke at a rally in Denver on Monday."
    names = [p.name for p in newsgraph.analyze(text, published="2022-01-11").places]
    assert "Denver" in names and "DENVER" not in names


# ---------------------------------------------------------------- occurrences on the ground
# published on Tuesday 2022-01-11
@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a fire that kills is one event: the deaths join it
        (
            "A fire on Saturday morning destroyed a warehouse in Leeds, killing two workers.",
            [("OTHER", "Leeds", "2022-01-08")],
        ),
        (
            "A bus crashed on Thursday near Cordoba, killing seven passengers.",
            [("OTHER", "Cordoba", "2022-01-06")],
        ),
        # an arrest after a stabbing: two events, one place and day
        (
            "Police arrested a man after a shop owner was stabbed in Lyon last night.",
            [("ASSAULT", "Lyon", "2022-01-10"), ("COERCE", "Lyon", "2022-01-10")],
        ),
        # a later step of the story takes the story's place and day
        (
            "A gas explosion destroyed a house in Turin on Monday. Five people were rescued from the rubble.",
            [("OTHER", "Turin", "2022-01-10"), ("OTHER", "Turin", "2022-01-10")],
        ),
        # "the same day" is the day of the event before, whatever date was named in between
        (
            "The first attack hit a bank in Lille on Friday. The suspects are due in court on January 20. "
            "The second attack hit a school in Roubaix on the same day.",
            [("ASSAULT", "Lille", "2022-01-07"), ("ASSAULT", "Roubaix", "2022-01-07")],
        ),
        (
            "Thousands protested in Madrid on Sunday. The protest was organised by unions.",
            [("PROTEST", "Madrid", "2022-01-09")],
        ),
        ("Police searched a flat in Porto on Monday.", [("COERCE", "Porto", "2022-01-10")]),
        # the police shooting the attacker is force, on the attack's day and place
        (
            "A man stabbed two people in Leeds on Friday. Police arrived and shot him.",
            [("ASSAULT", "Leeds", "2022-01-07"), ("COERCE", "Leeds", "2022-01-07")],
        ),
        # strikes "in a raid" are one attack; the later, definite mention places it; the place
        # where its author speaks of it is not where it happened
        (
            "Yesterday, oil depots were hit by drone strikes in a pre-dawn raid. The attacks "
            "occurred at 4:00 A.M. and struck a refinery at Kirkuk. Speaking on TV in Cairo, a rebel "
            "spokesman said the group had carried out the attack.",
            [("ASSAULT", "Kirkuk", "2022-01-10")],
        ),
        # "nationwide" is the country of the story
        (
            "A fire destroyed a school in Lagos, Nigeria, on Monday. Vigils were held nationwide on Tuesday.",
            [("OTHER", "Lagos", "2022-01-10"), ("OTHER", "Nigeria", "2022-01-11")],
        ),
        # the dead and injured told right after an accident are its toll, not another event
        (
            "A fire broke out at a hotel near Dolgellau, Wales, on Monday. The hotel was built in 1873. "
            "A woman died at the scene.",
            [("OTHER", "Dolgellau", "2022-01-10")],
        ),
        # a death after "a long battle with cancer": a death, no fight
        (
            "The actor died on Sunday in Lisbon after a long battle with cancer, his family said.",
            [("OTHER", "Lisbon", "2022-01-09")],
        ),
        # protesters clashing with police: a protest turned violent, one event with the protest
        (
            "Thousands protested in Belgrade on Friday. The protesters clashed with police outside "
            "parliament.",
            [("PROTEST", "Belgrade", "2022-01-07")],
        ),
        # the year of another noun is not the protest's: "the 2021 election"
        (
            "Violence broke out on Saturday when thousands rallied in Lima to protest the results of "
            "the 2021 election.",
            [("PROTEST", "Lima", "2022-01-08")],
        ),
        # the present perfect tells no day of the story's
        (
            "A fisherman died in Wuhan on Friday. One person in Manila has died of the virus.",
            [("OTHER", "Manila", ""), ("OTHER", "Wuhan", "2022-01-07")],
        ),
        # "died due to this earthquake": because of it, nothing scheduled
        (
            "An earthquake hit Athens on Friday. At least 116 people died due to this earthquake.",
            [("OTHER", "Athens", "2022-01-07")],
        ),
        # local elections keep their town; a court battle is no fight
        (
            "Protesters marched in Porto on Friday. On Sunday, voters went to the polls in the city's "
            "municipal elections after a court battle over the count.",
            [("OTHER", "Porto", "2022-01-09"), ("PROTEST", "Porto", "2022-01-07")],
        ),
        # a place stated for one event is not another's: the crash is where the story places it
        (
            "A jet crashed near Tehran on Wednesday. A few hours before the jet crashed, missiles hit "
            "bases in response to the airstrike in Baghdad.",
            [("FIGHT", "Baghdad", ""), ("OTHER", "Tehran", "2022-01-05")],
        ),
        # "had exploded": a step before the story's time takes no day from it
        (
            "On Friday, police in Kerala arrested a man. Officials said they believed a bomb had exploded "
            "in a car.",
            [("COERCE", "Kerala", "2022-01-07"), ("OTHER", "Kerala", "")],
        ),
        # "the popular vote" is a tally, not a vote held
        (
            "Thousands protested in Lima on Saturday against the candidate who won the popular vote.",
            [("PROTEST", "Lima", "2022-01-08")],
        ),
        # a funeral procession is a ceremony; an election takes the country, not the protest's town
        (
            "An earlier funeral procession took place in Tehran on Monday.",
            [("OTHER", "Tehran", "2022-01-10")],
        ),
        (
            "Protesters marched in Belgrade, Serbia, on Friday. Critics say cases rose because the "
            "president eased measures to win elections which were held on June 21.",
            [("OTHER", "Serbia", "2021-06-21"), ("PROTEST", "Belgrade", "2022-01-07")],
        ),
    ],
)
def test_occurrences(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = sorted((e.type, e.place.name if e.place else "", e.date or "") for e in _events(text).events)
    assert [e for e in found if e[0] != "ACCUSE"] == sorted(expected)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Sunday, March 1, 2020\n\nThe museum in Madrid reopened its doors to visitors.",  # a month, no march
        "Mayor Ana Ruiz said on Tuesday that the bridge in Porto would reopen.",  # a bare statement
        "Hurricanes cause great damage in Florida.",  # a kind of event, no occurrence
        "Senator Maria Lopez attacked the governor's budget in Reno on Monday.",  # words, not an assault
        "The two leaders did not meet in Geneva on Monday.",  # negated
        "Maria Lopez is the director of debate at a college in Denver.",  # a field, not a debate
        "The bill would allow people living in or visiting Geneva to be sent abroad.",  # allowed, not done
        "Burma leader's visit to Denver marks a success.\n\nThe talks went well.",  # the headline
        "Reports named the driver on Sunday as Tom Baker, a Reno resident.",  # the news, not an event
        "As of Monday, the virus had killed 813 people in Wuhan.",  # a count, dated
        "The mayor said Tom Baker had cancelled his entire Thursday schedule.",  # the schedule's day
        "Last year a storm hit France.",  # a background event with a year and a country
        "Tom Baker said he would have died in Reno had he not been armed.",  # counterfactual
        "Yesterday, the Supreme Court in Denver overturned the decision.",  # a ruling, no accident
    ],
)
def test_no_event(text: str) -> None:
    assert _events(text, title="Burma leader's visit to Denver marks a success").events == []


@pytest.mark.slow
def test_the_charge_is_not_another_event() -> None:
    record = _events("Prosecutors in Leeds charged Tom Baker with murder on Monday.")
    assert [e.type for e in record.events] == ["ACCUSE"]


@pytest.mark.slow
def test_the_charge_of_an_arrest_is_not_another_event() -> None:
    record = _events("Tom Baker was arrested in Leeds on Friday on a charge of assault.")
    assert [e.type for e in record.events] == ["COERCE"]


@pytest.mark.slow
def test_a_charge_beside_a_conviction_is_not_another_event() -> None:
    record = _events(
        "Maria Lopez was convicted of drug violations, as well as related charges, in 2006 in Reno."
    )
    assert [e.type for e in record.events] == ["SANCTION"]


@pytest.mark.slow
def test_a_cardiac_arrest_is_no_arrest() -> None:
    record = _events("Tom Baker suffered a cardiac arrest in Leeds on Monday and died.")
    assert "COERCE" not in {e.type for e in record.events}


@pytest.mark.slow
def test_an_event_that_says_who_someone_is_takes_no_day_from_the_sentence() -> None:
    text = "Tom Baker, the suspect in a shooting in Reno, was released from jail on Friday."
    record = _events(text)
    assert [(e.type, e.date) for e in record.events] == [("ASSAULT", None)]


@pytest.mark.slow
def test_ending_a_bid_is_a_withdrawal_and_the_race_keeps_its_year() -> None:
    text = "On Monday, Senator Maria Lopez ended her bid for the party's nomination in the 2024 election."
    record = _events(text)
    assert [(e.type, e.date) for e in record.events] == [("RETREAT", "2022-01-10")]


@pytest.mark.slow
def test_suspending_something_else_than_a_campaign_is_still_a_dated_action() -> None:
    record = _events("Queen Maria suspended parliament in Lisbon on Monday.")
    assert [(e.type, e.date) for e in record.events] == [("OTHER", "2022-01-10")]


@pytest.mark.slow
def test_an_announcement_takes_no_day_from_a_death() -> None:
    text = (
        "On Thursday, Tom Baker, the former mayor of Leeds, died. The city council announced three days "
        "of mourning for Baker."
    )
    days = {e.label.split()[0]: e.date for e in _events(text).events}
    assert days["death"] == "2022-01-06"
    assert days.get("announcement") is None


@pytest.mark.slow
def test_the_reporting_outlet_is_no_party_of_what_it_attended() -> None:
    text = (
        "Wikinews attended the festival in Austin on Saturday. Organiser Tom Baker told Wikinews on "
        "Sunday it grew."
    )
    record = _events(text)
    assert all("Wikinews" not in e.parties for e in record.events if e.type != "CONSULT")
    assert any("Wikinews" in e.parties for e in record.events if e.type == "CONSULT")


@pytest.mark.slow
def test_a_statement_to_reporters_on_a_day_is_a_briefing() -> None:
    event = _only(
        _events("Mayor Ana Ruiz told reporters on Tuesday that the bridge would reopen."), "CONSULT"
    )
    assert (event.participants, event.date) == (["Ana Ruiz"], "2022-01-11")


@pytest.mark.slow
def test_a_visit_takes_its_object_as_place() -> None:
    event = _only(_events("Prime Minister Anna Berg visited Warsaw on Monday."), "CONSULT")
    assert event.place is not None and event.place.name == "Warsaw"
    assert (event.participants, event.date, event.status) == (["Anna Berg"], "2022-01-10", "occurred")


@pytest.mark.slow
def test_a_day_counted_wrongly_into_the_future_is_dropped() -> None:
    event = _only(_events("Two days later, Senator Maria Lopez held a rally in Reno."), "CONSULT")
    assert event.date is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # who acts before or after an event does not take part in it, nor gives it a day of his own
        (
            "Ahead of the first round of talks with Russia in Oslo on Monday, Secretary-General Anna"
            " Berg warned Moscow of severe costs.",
            [],
        ),
        # who says the talks were held is not in them
        ("Spokesman Tom Baker said the negotiations with Russia in Oslo had been held on Monday.", []),
        # ... but who speaks during them is
        ("Senator Maria Lopez criticised the budget during a rally in Reno on Monday.", ["Maria Lopez"]),
    ],
)
def test_participants_take_part_in_the_events_clause(text: str, participants: list[str]) -> None:
    record = _events(text)
    assert [e.type for e in record.events] == ["CONSULT"], [e.model_dump() for e in record.events]
    assert record.events[0].participants == participants
    assert record.events[0].date == "2022-01-10"


@pytest.mark.slow
def test_a_televised_statement_at_a_stated_place_is_an_event() -> None:
    text = "Speaking on Radio Nova in Ruritania, army spokesman Tom Baker said the drones had hit the plant."
    event = _only(_events(text), "CONSULT")
    assert event.participants == ["Tom Baker"]


@pytest.mark.slow
def test_an_escape_from_a_place_happens_there() -> None:
    event = _only(_events("Twenty inmates escaped from the prison in Leeds on Monday."), "OTHER")
    assert event.place is not None and event.place.name == "Leeds"
    assert event.date == "2022-01-10"


@pytest.mark.slow
def test_an_event_a_sentence_dates_by_is_its_own() -> None:
    text = (
        "A car bomb struck a base in Kandahar on Monday.\n"
        "Officials called Monday's attack the deadliest since an assault in Ghazni in August 2018.\n"
    )
    record = _events(text, published="2019-01-24")
    places = {(e.place.name if e.place else None, e.date) for e in record.events if e.type == "ASSAULT"}
    assert ("Kandahar", "2019-01-21") in places
    assert ("Ghazni", "2019-01-21") not in places


@pytest.mark.slow
def test_a_later_step_of_a_case_concerns_its_defendant() -> None:
    text = (
        "Maria Lopez pleaded guilty to fraud at the county court in Leeds on Monday.\n\n"
        "The case drew wide attention. Neighbours said little.\n\n"
        "Sentencing is scheduled for February 4."
    )
    later = [e for e in _events(text).events if e.date == "2022-02-04"]
    assert [(e.type, e.participants, e.status) for e in later] == [("SANCTION", ["Maria Lopez"], "scheduled")]


@pytest.mark.slow
def test_a_trial_stated_where_and_when_needs_no_name() -> None:
    text = "After a jury trial in Paris, two officers were found guilty on Thursday."
    assert [(e.place.name if e.place else None, e.date) for e in _events(text).events] == [
        ("Paris", "2022-01-06")
    ]


@pytest.mark.slow
def test_a_court_taking_part_is_where_it_happens() -> None:
    text = "Leeds Crown Court Judge Ann Lowe rejected the appeal in a ruling released on Monday."
    event = _only(_events(text), "REJECT")
    assert event.place is not None and event.place.name == "Leeds Crown Court"
    assert event.date == "2022-01-10"
    # a judge's death is no legal step: the court is not where she died
    text = "Supreme Court Justice Ann Lowe died on Monday."
    assert all(e.place is None or "Court" not in e.place.name for e in _events(text).events)


@pytest.mark.slow
def test_whether_it_will_happen_is_no_event() -> None:
    text = (
        "Prosecutor Ann Lowe told reporters today tests will be carried out to confirm if Tom Reed "
        "is fit for trial."
    )
    assert not [e for e in _events(text).events if e.type == "ACCUSE"]


@pytest.mark.slow
def test_who_steps_onto_the_stage_takes_part() -> None:
    text = "Before stepping on the debate stage in Cleveland last year, Maria Lopez had never debated."
    event = _only(_events(text), "CONSULT")
    assert (event.place.name if event.place else None, event.participants) == ("Cleveland", ["Maria Lopez"])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "place", "parties"),
    [
        ("In 2006, Kirkuk was the target of an Al-Qaeda suicide attack.", "Kirkuk", ["Al-Qaeda"]),
        ("On Monday, insurgents launched an attack on Kandahar.", "Kandahar", []),
    ],
)
def test_an_attack_happens_where_it_is_aimed(text: str, place: str, parties: list[str]) -> None:
    record = _events(text)
    assert [(e.type, e.place.name if e.place else None, e.parties) for e in record.events] == [
        ("ASSAULT", place, parties)
    ]
