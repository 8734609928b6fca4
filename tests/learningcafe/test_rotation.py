"""The rotation planner: its rules, its bad inputs, and the properties that must always hold."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from learningcafe.rotation import (
    Person,
    Plan,
    PlanError,
    Table,
    add_person,
    make_plan,
    move_person,
    quality,
    random_plan,
    remove_person,
    repair,
    sample_room,
    shift_plan,
)

ROOT = Path(__file__).resolve().parents[2]
PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tables_of(count, capacity):
    return [Table(id=f"t{n}", capacity=capacity) for n in range(count)]


def people_of(count, countries=("FI", "BE", "SE", "NL")):
    return [
        Person(id=f"p{n}", country=countries[n % len(countries)], organisation=f"o{n % 7}")
        for n in range(count)
    ]


def sizes(plan, round_index):
    return [len(members) for members in plan.at(round_index).values()]


def assert_seated_once_within_rules(plan, people, tables):
    capacity = {table.id: table.capacity for table in tables}
    for person in people:
        assert len(plan.seats[person.id]) == plan.rounds
    for r in range(plan.rounds):
        at = plan.at(r)
        assert set(at) == set(capacity)
        seated = [person_id for members in at.values() for person_id in members]
        assert sorted(seated, key=str) == sorted((p.id for p in people), key=str)
        for table_id, members in at.items():
            assert len(members) <= capacity[table_id]
        for person in people:
            if person.host_of is not None:
                assert plan.table_of(person.id, r) == person.host_of


# make_plan -------------------------------------------------------------------------------


def test_make_plan_seats_everyone_every_round_with_balanced_tables():
    people, tables = people_of(23), tables_of(4, 7)
    plan = make_plan(people, tables, 3)
    assert plan.rounds == 3
    assert_seated_once_within_rules(plan, people, tables)
    for r in range(3):
        assert sorted(sizes(plan, r)) == [5, 6, 6, 6]


def test_make_plan_is_the_same_for_the_same_seed():
    people, tables = sample_room(40, 5, seed=3)
    assert make_plan(people, tables, 3, seed=7) == make_plan(people, tables, 3, seed=7)


def test_make_plan_keeps_hosts_at_their_table():
    tables = tables_of(3, 5)
    people = [*people_of(9), Person(id="host", country="FI", host_of="t1")]
    plan = make_plan(people, tables, 3)
    assert [plan.table_of("host", r) for r in range(3)] == ["t1", "t1", "t1"]
    assert_seated_once_within_rules(plan, people, tables)


def test_make_plan_sends_everyone_to_a_new_theme_each_round():
    people, tables = people_of(16), tables_of(4, 4)
    plan = make_plan(people, tables, 4)
    for person in people:
        assert sorted(plan.seats[person.id]) == ["t0", "t1", "t2", "t3"]
    assert quality(plan, people).theme_repeats == 0


def test_make_plan_keeps_apart_pairs_who_met_in_earlier_cafes():
    people = [Person(id=name) for name in "abcd"]
    met_before = frozenset({frozenset("ab"), frozenset("cd")})
    plan = make_plan(people, tables_of(2, 2), 1, met_before=met_before)
    assert plan.table_of("a", 0) != plan.table_of("b", 0)
    assert plan.table_of("c", 0) != plan.table_of("d", 0)
    assert quality(plan, people, met_before=met_before).repeat_pairs == 0


def test_make_plan_mixes_countries_at_every_table():
    people = [Person(id=f"fi{n}", country="FI") for n in range(4)] + [
        Person(id=f"be{n}", country="BE") for n in range(4)
    ]
    plan = make_plan(people, tables_of(2, 4), 1)
    for members in plan.at(0).values():
        assert sorted(m[:2] for m in members) == ["be", "be", "fi", "fi"]


def test_make_plan_seats_someone_who_needs_a_language_with_a_host_who_speaks_it():
    tables = tables_of(2, 3)
    people = [
        Person(id="host-fr", country="FR", languages=frozenset({"fr", "en"}), host_of="t0"),
        Person(id="host-fi", country="FI", languages=frozenset({"fi", "en"}), host_of="t1"),
        Person(id="needs-fr", country="BE", languages=frozenset({"fr"}), needs_language=True),
        Person(id="a", country="SE", languages=frozenset({"sv", "en"})),
        Person(id="b", country="NL", languages=frozenset({"nl", "en"})),
        Person(id="c", country="DE", languages=frozenset({"de", "en"})),
    ]
    plan = make_plan(people, tables, 1)
    assert plan.table_of("needs-fr", 0) == "t0"
    assert quality(plan, people).language_unmet == 0


def test_more_people_than_seats_is_refused_in_plain_words():
    with pytest.raises(PlanError) as refused:
        make_plan(people_of(13), tables_of(3, 4), 2)
    assert refused.value.code == "over_capacity"
    assert str(refused.value) == (
        "There are 13 participants but only 12 seats at 3 tables. "
        "Add a table or give the tables more seats."
    )


def test_a_cafe_without_tables_is_refused():
    with pytest.raises(PlanError) as refused:
        make_plan(people_of(3), [], 2)
    assert refused.value.code == "no_tables"
    assert str(refused.value) == "A café needs at least one table."


def test_a_host_of_an_unknown_table_is_refused():
    people = [*people_of(3), Person(id="host", host_of="nowhere")]
    with pytest.raises(PlanError) as refused:
        make_plan(people, tables_of(2, 4), 2)
    assert refused.value.code == "unknown_table"
    assert "nowhere" in str(refused.value)


@pytest.mark.parametrize("rounds", [0, -1, 1.5, True])
def test_fewer_than_one_round_is_refused(rounds):
    with pytest.raises(PlanError) as refused:
        make_plan(people_of(3), tables_of(2, 4), rounds)
    assert refused.value.code == "bad_rounds"


def test_two_people_with_one_id_are_refused():
    with pytest.raises(PlanError) as refused:
        make_plan([Person(id="x"), Person(id="y"), Person(id="x")], tables_of(2, 4), 2)
    assert refused.value.code == "duplicate_person"
    assert str(refused.value) == "Two participants have the same id: x."


def test_two_tables_with_one_id_are_refused():
    with pytest.raises(PlanError) as refused:
        make_plan(people_of(3), [Table("t", 4), Table("t", 4)], 2)
    assert refused.value.code == "duplicate_table"


@pytest.mark.parametrize("capacity", [0, -2, 2.5])
def test_a_table_without_seats_is_refused(capacity):
    with pytest.raises(PlanError) as refused:
        make_plan(people_of(3), [Table("t", 4), Table("u", capacity)], 2)
    assert refused.value.code == "bad_capacity"


def test_more_hosts_than_seats_at_a_table_is_refused():
    people = [Person(id=n, host_of="t0") for n in "abc"]
    with pytest.raises(PlanError) as refused:
        make_plan(people, tables_of(2, 2), 2)
    assert refused.value.code == "table_full"


def test_a_plan_without_people_has_empty_tables():
    plan = make_plan([], tables_of(2, 4), 2)
    assert plan.at(1) == {"t0": [], "t1": []}


def test_plan_refuses_a_round_it_does_not_have():
    plan = make_plan(people_of(4), tables_of(2, 4), 2)
    with pytest.raises(IndexError):
        plan.at(2)
    with pytest.raises(IndexError):
        plan.table_of("p0", -1)
    assert plan.table_of("nobody", 0) is None


# Baselines and the quality report ---------------------------------------------------------


def test_random_plan_is_balanced_and_keeps_hosts():
    tables = tables_of(3, 5)
    people = [*people_of(10), Person(id="host", host_of="t2")]
    plan = random_plan(people, tables, 3, seed=4)
    assert_seated_once_within_rules(plan, people, tables)
    for r in range(3):
        assert sorted(sizes(plan, r)) == [3, 4, 4]
    assert plan == random_plan(people, tables, 3, seed=4)


def test_shift_plan_moves_everyone_but_the_hosts_one_table_on():
    tables = tables_of(3, 4)
    people = [*people_of(6), Person(id="host", host_of="t0")]
    plan = shift_plan(people, tables, 3)
    assert plan.seats["p0"] == ("t0", "t1", "t2")
    assert plan.seats["p1"] == ("t1", "t2", "t0")
    assert plan.seats["host"] == ("t0", "t0", "t0")
    assert_seated_once_within_rules(plan, people, tables)


def test_quality_counts_every_figure_of_a_known_plan():
    people = [
        Person(id="a", country="FI", organisation="x"),
        Person(id="b", country="FI", organisation="x"),
        Person(id="c", country="BE", organisation="y", languages=frozenset({"fr"})),
        Person(id="d", country="SE", organisation="z", needs_language=True),
    ]
    plan = Plan(
        rounds=2,
        seats={"a": ("t0", "t0"), "b": ("t0", "t0"), "c": ("t1", "t1"), "d": ("t1", None)},
        tables=(Table("t0", 4), Table("t1", 4)),
    )
    report = quality(plan, people, met_before=frozenset({frozenset("cd")}))
    assert report.as_dict() == {
        # a-b twice; c-d in round 1 and in an earlier café.
        "repeat_pairs": 2,
        "mean_distinct_met": 1.0,
        # a, b and c sit again at the table they had while the other was still new.
        "theme_repeats": 3,
        # Round 1: t0 is all FI (1.0), t1 half and half (0.5); round 2: 1.0 and 1.0.
        "mean_largest_country_share": 0.875,
        "mean_largest_organisation_share": 0.875,
        # Round 2: 2 people at t0, 1 at t1.
        "size_imbalance": 1,
        # d speaks no language with c in round 1.
        "language_unmet": 1,
        "hosts_away": 0,
    }


def test_the_plan_beats_random_and_shift_rotation_on_realistic_rooms():
    for people_count, table_count, rounds in [(20, 5, 3), (80, 8, 4), (300, 30, 6)]:
        people, tables = sample_room(people_count, table_count, seed=1)
        planned = quality(make_plan(people, tables, rounds), people)
        for baseline in (random_plan(people, tables, rounds), shift_plan(people, tables, rounds)):
            other = quality(baseline, people)
            assert planned.repeat_pairs < other.repeat_pairs
            assert planned.mean_distinct_met > other.mean_distinct_met
            assert planned.mean_largest_country_share < other.mean_largest_country_share
        assert planned.theme_repeats == 0
        assert planned.size_imbalance <= 1


# Changes while the café runs --------------------------------------------------------------


def test_a_late_joiner_sits_at_the_smallest_table_and_nobody_else_moves():
    tables = tables_of(3, 4)
    people = [
        Person(id="a", country="FI"),
        Person(id="b", country="BE"),
        Person(id="c", country="FI"),
        Person(id="d", country="BE"),
        Person(id="e", country="FI"),
    ]
    plan = make_plan(people, tables, 3)
    smallest = [t for t, members in plan.at(1).items() if len(members) == 1]
    late = Person(id="late", country="SE")
    changed = add_person(plan, people, tables, late, from_round=1)
    assert changed.table_of("late", 0) is None
    assert changed.table_of("late", 1) in smallest
    assert changed.table_of("late", 2) is not None
    for person in people:
        assert changed.seats[person.id][:2] == plan.seats[person.id][:2]


def test_a_late_joiner_goes_where_their_country_is_new():
    tables = tables_of(2, 4)
    people = [
        Person(id="fi", country="FI"),
        Person(id="be", country="BE"),
        Person(id="se", country="SE"),
        Person(id="nl", country="NL"),
    ]
    plan = Plan(
        rounds=1,
        seats={"fi": ("t0",), "be": ("t0",), "se": ("t1",), "nl": ("t1",)},
        tables=tuple(tables),
    )
    for country, table in [("FI", "t1"), ("SE", "t0")]:
        late = Person(id="late", country=country)
        assert add_person(plan, people, tables, late, from_round=0).table_of("late", 0) == table


def test_a_late_joiner_is_refused_when_every_seat_is_taken():
    people, tables = people_of(4), tables_of(2, 2)
    plan = make_plan(people, tables, 2)
    with pytest.raises(PlanError) as refused:
        add_person(plan, people, tables, Person(id="late"), from_round=1)
    assert refused.value.code == "over_capacity"
    assert str(refused.value) == (
        "Every table is full in round 2. Add a table or give the tables more seats."
    )


def test_a_late_host_whose_table_is_full_is_refused():
    people, tables = people_of(4), [Table("t0", 2), Table("t1", 3)]
    plan = make_plan(people, tables, 2)
    full = next(t for t, members in plan.at(0).items() if len(members) == 2 and t == "t0")
    with pytest.raises(PlanError) as refused:
        add_person(plan, people, tables, Person(id="late", host_of=full), from_round=0)
    assert refused.value.code == "table_full"


def test_a_late_host_of_an_unknown_table_is_refused():
    people, tables = people_of(4), tables_of(2, 4)
    plan = make_plan(people, tables, 2)
    with pytest.raises(PlanError) as refused:
        add_person(plan, people, tables, Person(id="late", host_of="nowhere"), from_round=0)
    assert refused.value.code == "unknown_table"


def test_a_late_joiner_in_a_round_the_plan_does_not_have_is_refused():
    people, tables = people_of(4), tables_of(2, 4)
    plan = make_plan(people, tables, 2)
    with pytest.raises(PlanError) as refused:
        add_person(plan, people, tables, Person(id="late"), from_round=2)
    assert refused.value.code == "bad_rounds"


def test_a_leaver_frees_the_seat_and_nobody_else_moves():
    people, tables = people_of(8), tables_of(2, 4)
    plan = make_plan(people, tables, 3)
    changed = remove_person(plan, "p3", from_round=1)
    assert changed.seats["p3"] == (plan.seats["p3"][0], None, None)
    for person in people:
        if person.id != "p3":
            assert changed.seats[person.id] == plan.seats[person.id]


def test_a_leaver_who_returns_is_seated_again():
    people, tables = people_of(8), tables_of(2, 4)
    plan = remove_person(make_plan(people, tables, 3), "p3", from_round=1)
    back = add_person(plan, people, tables, people[3], from_round=2)
    assert back.seats["p3"][:2] == plan.seats["p3"][:2]
    assert back.table_of("p3", 2) is not None


def test_removing_someone_unknown_is_refused():
    plan = make_plan(people_of(4), tables_of(2, 4), 2)
    with pytest.raises(PlanError) as refused:
        remove_person(plan, "nobody", from_round=0)
    assert refused.value.code == "unknown_person"


def test_the_facilitator_moves_one_person_in_one_round():
    people, tables = people_of(6), tables_of(2, 4)
    plan = make_plan(people, tables, 2)
    here = plan.table_of("p0", 1)
    other = "t1" if here == "t0" else "t0"
    moved = move_person(plan, "p0", other, round_index=1)
    assert moved.table_of("p0", 1) == other
    assert moved.table_of("p0", 0) == plan.table_of("p0", 0)
    assert sorted(sizes(moved, 1)) == [2, 4]
    for person in people[1:]:
        assert moved.seats[person.id] == plan.seats[person.id]


def test_moving_someone_to_a_full_table_is_refused():
    people, tables = people_of(8), tables_of(2, 4)
    plan = make_plan(people, tables, 2)
    other = "t1" if plan.table_of("p0", 0) == "t0" else "t0"
    with pytest.raises(PlanError) as refused:
        move_person(plan, "p0", other, round_index=0)
    assert refused.value.code == "table_full"
    assert str(refused.value) == f"Table {other} is full in round 1 (4 of 4 seats)."


def test_moving_to_an_unknown_table_or_someone_unknown_is_refused():
    plan = make_plan(people_of(4), tables_of(2, 4), 2)
    with pytest.raises(PlanError) as refused:
        move_person(plan, "p0", "nowhere", round_index=0)
    assert refused.value.code == "unknown_table"
    with pytest.raises(PlanError) as refused:
        move_person(plan, "nobody", "t0", round_index=0)
    assert refused.value.code == "unknown_person"
    with pytest.raises(PlanError) as refused:
        move_person(plan, "p0", "t0", round_index=5)
    assert refused.value.code == "bad_rounds"


def test_repair_of_a_valid_plan_moves_nobody():
    people, tables = sample_room(40, 5, seed=2)
    plan = make_plan(people, tables, 4)
    assert repair(plan, people, tables, from_round=1) == plan


def test_repair_after_a_table_is_removed_reseats_its_people_only_from_then_on():
    people, tables = people_of(18), tables_of(3, 9)
    plan = make_plan(people, tables, 3)
    changed = repair(plan, people, tables[:2], from_round=1)
    for person in people:
        assert changed.seats[person.id][0] == plan.seats[person.id][0]
    for r in (1, 2):
        assert set(changed.at(r)) == {"t0", "t1"}
        assert sorted(sizes(changed, r)) == [9, 9]


def test_repair_after_a_table_is_added_moves_only_enough_people_to_fill_it():
    people, tables = people_of(12), tables_of(2, 8)
    plan = make_plan(people, tables, 3)
    changed = repair(plan, people, [*tables, Table("t2", 8)], from_round=2)
    assert sorted(sizes(changed, 2)) == [4, 4, 4]
    moved = [p.id for p in people if changed.seats[p.id][2] != plan.seats[p.id][2]]
    assert len(moved) == 4
    assert changed.at(0)["t2"] == []


def test_repair_seats_new_people_and_unseats_those_no_longer_there():
    people, tables = people_of(8), tables_of(2, 6)
    plan = make_plan(people, tables, 3)
    now = [*people[1:], Person(id="new", country="FR")]
    changed = repair(plan, now, tables, from_round=1)
    assert changed.seats["p0"] == (plan.seats["p0"][0], None, None)
    assert changed.seats["new"][0] is None
    assert None not in changed.seats["new"][1:]


def test_repair_from_a_round_the_plan_does_not_have_is_refused():
    people, tables = people_of(4), tables_of(2, 4)
    plan = make_plan(people, tables, 2)
    with pytest.raises(PlanError) as refused:
        repair(plan, people, tables, from_round=3)
    assert refused.value.code == "bad_rounds"


def test_the_planner_does_not_import_django():
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; import learningcafe.rotation; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "[]"


# Properties -------------------------------------------------------------------------------

COUNTRIES = ("FI", "BE", "SE", "NL", "FR")
LANGUAGES = ("fi", "nl", "sv", "fr", "en")


@st.composite
def rooms(draw, *, hosts=True, rounds_at_most_tables=False):
    """Tables of one capacity, at most one host each, and people who fit."""
    table_count = draw(st.integers(1, 6))
    capacity = draw(st.integers(1, 6))
    tables = tables_of(table_count, capacity)
    people_count = draw(st.integers(0, table_count * capacity))
    hosted = draw(st.sets(st.integers(0, table_count - 1))) if hosts else set()
    hosted = sorted(hosted)[:people_count]
    people = []
    for n in range(people_count):
        people.append(
            Person(
                id=f"p{n}",
                country=draw(st.sampled_from(COUNTRIES)),
                organisation=draw(st.sampled_from(("a", "b", "c", ""))),
                languages=frozenset(draw(st.sets(st.sampled_from(LANGUAGES), max_size=2))),
                needs_language=draw(st.booleans()),
                host_of=f"t{hosted[n]}" if n < len(hosted) else None,
            )
        )
    top = table_count if rounds_at_most_tables else 5
    rounds = draw(st.integers(1, top))
    pairs = draw(
        st.sets(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=10)
        if people
        else st.just(set())
    )
    met_before = frozenset(frozenset({f"p{a}", f"p{b}"}) for a, b in pairs if a != b)
    seed = draw(st.integers(0, 3))
    return people, tables, rounds, met_before, seed


def assert_balanced(plan):
    for r in range(plan.rounds):
        counts = sizes(plan, r)
        assert max(counts) - min(counts) <= 1


@PROPERTIES
@given(rooms())
def test_property_every_plan_keeps_the_hard_rules(room):
    people, tables, rounds, met_before, seed = room
    plan = make_plan(people, tables, rounds, met_before=met_before, seed=seed)
    assert_seated_once_within_rules(plan, people, tables)
    assert_balanced(plan)


@PROPERTIES
@given(rooms(hosts=False, rounds_at_most_tables=True))
def test_property_nobody_visits_a_theme_twice_while_one_is_new(room):
    people, tables, rounds, met_before, seed = room
    plan = make_plan(people, tables, rounds, met_before=met_before, seed=seed)
    for person in people:
        seats = plan.seats[person.id]
        assert len(set(seats)) == len(seats)
    assert quality(plan, people).theme_repeats == 0


@PROPERTIES
@given(rooms(), st.data())
def test_property_a_late_joiner_moves_nobody_before_or_in_their_round(room, data):
    people, tables, rounds, met_before, seed = room
    assume(len(people) < sum(t.capacity for t in tables))
    plan = make_plan(people, tables, rounds, met_before=met_before, seed=seed)
    from_round = data.draw(st.integers(0, rounds - 1))
    late = Person(id="late", country=data.draw(st.sampled_from(COUNTRIES)))
    changed = add_person(plan, people, tables, late, from_round=from_round, met_before=met_before)
    for person in people:
        assert changed.seats[person.id][: from_round + 1] == plan.seats[person.id][: from_round + 1]
    assert changed.seats["late"][:from_round] == (None,) * from_round
    assert None not in changed.seats["late"][from_round:]
    capacity = {table.id: table.capacity for table in tables}
    for r in range(rounds):
        for table_id, members in changed.at(r).items():
            assert len(members) <= capacity[table_id]
        for person in people:
            if person.host_of is not None:
                assert changed.table_of(person.id, r) == person.host_of
    for r in range(from_round + 1, rounds):
        counts = sizes(changed, r)
        assert max(counts) - min(counts) <= 1


@PROPERTIES
@given(rooms(), st.data())
def test_property_a_leaver_moves_nobody_else(room, data):
    people, tables, rounds, met_before, seed = room
    assume(people)
    plan = make_plan(people, tables, rounds, met_before=met_before, seed=seed)
    leaver = data.draw(st.sampled_from(people)).id
    from_round = data.draw(st.integers(0, rounds - 1))
    changed = remove_person(plan, leaver, from_round=from_round)
    assert changed.seats[leaver][from_round:] == (None,) * (rounds - from_round)
    assert changed.seats[leaver][:from_round] == plan.seats[leaver][:from_round]
    for person in people:
        if person.id != leaver:
            assert changed.seats[person.id] == plan.seats[person.id]


@PROPERTIES
@given(rooms(), st.data())
def test_property_repair_keeps_earlier_rounds_and_the_hard_rules(room, data):
    people, tables, rounds, met_before, seed = room
    plan = make_plan(people, tables, rounds, met_before=met_before, seed=seed)
    from_round = data.draw(st.integers(0, rounds))
    capacity = tables[0].capacity
    change = data.draw(st.sampled_from(("same", "add", "remove")))
    now = list(tables)
    if change == "add":
        now.append(Table(id="extra", capacity=capacity))
    elif change == "remove" and len(tables) > 1:
        removed = now.pop()
        people = [
            Person(
                id=p.id,
                country=p.country,
                organisation=p.organisation,
                languages=p.languages,
                needs_language=p.needs_language,
                host_of=None if p.host_of == removed.id else p.host_of,
            )
            for p in people
        ]
    assume(len(people) <= sum(t.capacity for t in now))
    changed = repair(plan, people, now, from_round=from_round, met_before=met_before)
    for person in people:
        assert changed.seats[person.id][:from_round] == plan.seats[person.id][:from_round]
    for r in range(from_round, rounds):
        at = changed.at(r)
        seated = sorted(person_id for members in at.values() for person_id in members)
        assert seated == sorted(p.id for p in people)
        assert set(at) == {t.id for t in now}
        for members in at.values():
            assert len(members) <= capacity
        counts = [len(members) for members in at.values()]
        assert max(counts) - min(counts) <= 1
        for person in people:
            if person.host_of is not None:
                assert changed.table_of(person.id, r) == person.host_of


# A room hypothesis found (test_property_nobody_visits_a_theme_twice_while_one_is_new): 35
# people at six tables of six for six rounds. Planned round after round, one person was
# left with only a theme already visited. Organisation, country, languages, needs one.
CORNERED_ROOM = """
    a NL nl n
    b NL - y
    c BE - n
    b BE en,nl y
    - NL - y
    a FI sv n
    b FI nl n
    c SE - n
    - SE - y
    - BE - y
    a NL sv y
    a FI - y
    a FR fr,nl y
    a BE fr,sv n
    c FI en,sv y
    b NL - y
    b FI fr y
    - FR fr,sv n
    a SE fr,sv y
    b FR en y
    b FI fi,nl y
    c FI fi,sv n
    b FI fi,fr y
    a FI en,fr n
    c FR en y
    a BE fr,sv y
    - BE fr,nl n
    a FI fr,nl n
    a FR sv n
    c SE - y
    b NL - y
    - SE fr n
    - BE - y
    b FI fr y
    c BE fi,sv y
"""


def test_a_nearly_full_room_for_as_many_rounds_as_tables_repeats_no_theme():
    people = []
    for n, row in enumerate(CORNERED_ROOM.split("\n")[1:-1]):
        organisation, country, languages, needs = row.split()
        people.append(
            Person(
                id=f"p{n}",
                organisation="" if organisation == "-" else organisation,
                country=country,
                languages=frozenset() if languages == "-" else frozenset(languages.split(",")),
                needs_language=needs == "y",
            )
        )
    pairs = [("p11", "p21"), ("p14", "p31"), ("p16", "p4"), ("p2", "p38"), ("p38", "p9")]
    met_before = frozenset(frozenset(pair) for pair in pairs)
    tables = tables_of(6, 6)
    plan = make_plan(people, tables, 6, met_before=met_before, seed=0)
    assert_seated_once_within_rules(plan, people, tables)
    assert_balanced(plan)
    report = quality(plan, people, met_before=met_before)
    assert report.theme_repeats == 0
    # Still a mixed plan, not the groups moving together (they meet 5 people each).
    assert report.mean_distinct_met > 15
