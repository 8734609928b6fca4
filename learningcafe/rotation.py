"""The learning café's rotation plan: which themed table every participant sits at in each round.

Pure functions on plain data, without Django, so that the planner is fast to test and to
benchmark. The goals, in order (docs/learning-cafe-rotation.md explains them and the
algorithm):

1. capacity respected and table sizes balanced (±1 within a round, counting hosts);
2. hosts stay at their table every round;
3. nobody visits a theme twice while an unvisited one remains for them;
4. people meet as many different people as possible, across this café and earlier ones;
5. every table mixes countries and organisations;
6. a participant who needs a shared language shares one with someone at the table,
   preferably the host.

Rules 1 and 2 always hold; rule 3 holds whenever the room allows it (tables with seats to
spare for everyone's next theme); 4 to 6 are costs the planner lowers.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

# Costs of a seat. Each level outweighs everything below it that one seat can add up to.
THEME_REVISIT_COST = 10_000
# Only when repairing: a person who sits elsewhere than the old plan said.
MOVE_COST = 100
PAIR_REPEAT_COST = 40
SAME_COUNTRY_COST = 6
LANGUAGE_UNMET_COST = 5
SAME_ORGANISATION_COST = 4
LANGUAGE_NOT_HOST_COST = 1

# Local search tries this many swaps per movable person and round; a fixed count rather
# than a clock, so that a seed always gives the same plan on any machine.
SEARCH_TRIES_PER_PERSON = 12
MINIMUM_SEARCH_TRIES = 600
# Person-rounds one start costs about as much as; a room smaller than this gets more starts.
WORK_PER_PLAN = 2_000
# Starts tried beyond the usual ones while the best plan still repeats a theme.
EXTRA_STARTS_FOR_REPEATS = 24
MAXIMUM_STARTS = 10


class PlanError(ValueError):
    """A plan that can not be made or changed; `code` names the reason for the app layer.

    Codes: over_capacity, no_tables, unknown_table, bad_rounds, duplicate_person,
    duplicate_table, bad_capacity, table_full, unknown_person.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Person:
    id: Hashable
    organisation: str = ""
    country: str = ""
    languages: frozenset[str] = frozenset()
    needs_language: bool = False
    host_of: Hashable | None = None


@dataclass(frozen=True)
class Table:
    id: Hashable
    capacity: int


@dataclass(frozen=True)
class Plan:
    """A seat (table id, or None when not seated) for every person in every round.

    `tables` are the café's tables when the plan was made, so that `at` lists empty tables
    too and `move_person` knows their capacity.
    """

    rounds: int
    seats: Mapping[Hashable, tuple[Hashable | None, ...]]
    tables: tuple[Table, ...] = ()

    def table_of(self, person_id: Hashable, round_index: int) -> Hashable | None:
        self._check_round(round_index)
        seats = self.seats.get(person_id)
        return None if seats is None else seats[round_index]

    def at(self, round_index: int) -> dict[Hashable, list[Hashable]]:
        """Table id -> the ids of the people seated there in that round."""
        self._check_round(round_index)
        seated = {table.id: [] for table in self.tables}
        for person_id, seats in self.seats.items():
            table_id = seats[round_index]
            if table_id is not None:
                seated.setdefault(table_id, []).append(person_id)
        return seated

    def _check_round(self, round_index):
        if not 0 <= round_index < self.rounds:
            raise IndexError(f"round {round_index} is not in a plan of {self.rounds} rounds")


@dataclass(frozen=True)
class Quality:
    """How good a plan is; lower is better except for `mean_distinct_met`."""

    repeat_pairs: int
    mean_distinct_met: float
    theme_repeats: int
    mean_largest_country_share: float
    mean_largest_organisation_share: float
    size_imbalance: int
    language_unmet: int
    hosts_away: int

    def as_dict(self) -> dict:
        return asdict(self)


# Validation -------------------------------------------------------------------------------


def _check_tables(tables):
    if not tables:
        raise PlanError("no_tables", "A café needs at least one table.")
    seen = set()
    for table in tables:
        if table.id in seen:
            raise PlanError("duplicate_table", f"Two tables have the same id: {table.id}.")
        seen.add(table.id)
        if isinstance(table.capacity, bool) or not isinstance(table.capacity, int):
            raise PlanError(
                "bad_capacity", f"The capacity of table {table.id} must be a whole number."
            )
        if table.capacity < 1:
            raise PlanError("bad_capacity", f"Table {table.id} must have at least one seat.")


def _check_people(people):
    seen = set()
    for person in people:
        if person.id in seen:
            raise PlanError("duplicate_person", f"Two participants have the same id: {person.id}.")
        seen.add(person.id)


def _check_rounds(rounds):
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise PlanError("bad_rounds", "A café needs at least one round.")


def _check_hosts(people, tables):
    """Every host's table exists and no table has more hosts than seats."""
    capacity = {table.id: table.capacity for table in tables}
    hosts = {}
    for person in people:
        if person.host_of is None:
            continue
        if person.host_of not in capacity:
            raise PlanError(
                "unknown_table",
                f"{person.id} is the host of table {person.host_of}, which is not in this café.",
            )
        hosts[person.host_of] = hosts.get(person.host_of, 0) + 1
        if hosts[person.host_of] > capacity[person.host_of]:
            raise PlanError("table_full", f"Table {person.host_of} has more hosts than seats.")


def _check_room(present_count, tables):
    seats = sum(table.capacity for table in tables)
    if present_count > seats:
        raise PlanError(
            "over_capacity",
            f"There are {present_count} participants but only {seats} seats at "
            f"{len(tables)} tables. Add a table or give the tables more seats.",
        )


def _check_from_round(plan, from_round, *, last_allowed):
    if isinstance(from_round, bool) or not isinstance(from_round, int):
        raise PlanError("bad_rounds", "The round must be a whole number.")
    if not 0 <= from_round <= last_allowed:
        raise PlanError(
            "bad_rounds", f"Round {from_round} is not in this plan of {plan.rounds} rounds."
        )


# The room as indexes ----------------------------------------------------------------------


def _keys(values, empty_tag):
    """Small integers for equal values; an empty value is different from every other."""
    index = {}
    keys = []
    for position, value in enumerate(values):
        key = value if value else (empty_tag, position)
        keys.append(index.setdefault(key, len(index)))
    return keys, len(index)


class _Room:
    """People and tables turned into indexes, with what the costs need."""

    def __init__(self, people, tables):
        self.people = list(people)
        self.tables = list(tables)
        self.n = len(self.people)
        self.table_count = len(self.tables)
        self.index = {person.id: i for i, person in enumerate(self.people)}
        self.table_index = {table.id: t for t, table in enumerate(self.tables)}
        self.capacity = [table.capacity for table in self.tables]
        self.country, self.country_count = _keys([p.country for p in self.people], "country")
        self.organisation, self.organisation_count = _keys(
            [p.organisation for p in self.people], "organisation"
        )
        self.languages = [frozenset(p.languages) for p in self.people]
        self.needs = [bool(p.needs_language) for p in self.people]
        self.anyone_needs = any(self.needs)
        # A host of a table that is no longer in the café sits as an ordinary participant.
        self.host_table = [self.table_index.get(p.host_of) for p in self.people]


class _History:
    """Who met whom how often, and which tables each person visited, before a round."""

    def __init__(self, room, met_before):
        self.room = room
        self.meets = [{} for _ in range(room.n)]
        self.visits = [[0] * room.table_count for _ in range(room.n)]
        for pair in met_before:
            ids = list(pair)
            if len(ids) != 2:
                continue
            a, b = room.index.get(ids[0]), room.index.get(ids[1])
            if a is None or b is None or a == b:
                continue
            self.meets[a][b] = self.meets[a].get(b, 0) + 1
            self.meets[b][a] = self.meets[b].get(a, 0) + 1

    def add_round(self, groups):
        """`groups`: table index (or None for a table no longer in the café) -> people."""
        meets = self.meets
        for table, members in groups.items():
            for i, a in enumerate(members):
                if table is not None:
                    self.visits[a][table] += 1
                met = meets[a]
                for b in members[i + 1 :]:
                    met[b] = met.get(b, 0) + 1
                    meets[b][a] = meets[b].get(a, 0) + 1


def _size_bounds(capacity, hosts, present):
    """Smallest and largest size of each table so that sizes differ by at most one.

    Water filling: the largest level L with sum(min(capacity, max(hosts, L))) <= present;
    every table then has L or L+1 people, unless its capacity or its hosts decide.
    """
    top = max(capacity)
    level = 0
    while (
        level < top
        and sum(min(c, max(h, level + 1)) for c, h in zip(capacity, hosts, strict=True)) <= present
    ):
        level += 1
    low = [min(c, max(h, level)) for c, h in zip(capacity, hosts, strict=True)]
    high = [min(c, max(h, level + 1)) for c, h in zip(capacity, hosts, strict=True)]
    return low, high


# Seating one round ------------------------------------------------------------------------


class _Round:
    """The seats of one round while they are being chosen, with running counts per table."""

    def __init__(self, room, history, present, old, fixed=()):
        self.room = room
        self.history = history
        tables = range(room.table_count)
        self.hosts_at = [0] * room.table_count
        self.movable = []
        self.pinned = []
        fixed = set(fixed)
        for p in present:
            host_table = room.host_table[p]
            if host_table is not None:
                self.hosts_at[host_table] += 1
            if p in fixed:
                self.pinned.append((p, old[p]))
            elif host_table is not None:
                self.pinned.append((p, host_table))
            else:
                self.movable.append(p)
        self.present = list(present)
        self.low, self.high = _size_bounds(room.capacity, self.hosts_at, len(self.present))
        self.members = [[] for _ in tables]
        self.size = [0] * room.table_count
        self.seat = [-1] * room.n
        self.countries = [[0] * room.country_count for _ in tables]
        self.organisations = [[0] * room.organisation_count for _ in tables]
        self.spoken = [{} for _ in tables]
        self.needers = [0] * room.table_count
        # Unmet language needs per table, None when the table changed since counted.
        self.unmet_at = [None] * room.table_count
        # met[p][t]: how often p met, before this round, the people now seated at t.
        self.met = [[0] * room.table_count for _ in range(room.n)]
        host_languages = [set() for _ in tables]
        for p, t in self.pinned:
            if room.host_table[p] == t:
                host_languages[t] |= room.languages[p]
        # Tables a non-host can sit at: those with a seat left after their hosts.
        self.open_tables = [t for t in tables if self.high[t] > self.hosts_at[t]]
        self.fresh = {}
        self.unary = {}
        for p in self.movable:
            visits = history.visits[p]
            least = min((visits[t] for t in self.open_tables), default=0)
            self.fresh[p] = [visits[t] <= least for t in tables]
            row = [THEME_REVISIT_COST * max(0, visits[t] - least) for t in tables]
            if old[p] is not None:
                for t in tables:
                    if t != old[p]:
                        row[t] += MOVE_COST
            if room.needs[p]:
                for t in tables:
                    if host_languages[t] and not host_languages[t] & room.languages[p]:
                        row[t] += LANGUAGE_NOT_HOST_COST
            self.unary[p] = row

    # Changes ----------------------------------------------------------------------------

    def place(self, p, t):
        room = self.room
        self.seat[p] = t
        self.members[t].append(p)
        self.size[t] += 1
        self.countries[t][room.country[p]] += 1
        self.organisations[t][room.organisation[p]] += 1
        spoken = self.spoken[t]
        for language in room.languages[p]:
            spoken[language] = spoken.get(language, 0) + 1
        self.needers[t] += room.needs[p]
        self.unmet_at[t] = None
        met = self.met
        for q, times in self.history.meets[p].items():
            met[q][t] += times

    def unplace(self, p):
        room = self.room
        t = self.seat[p]
        self.seat[p] = -1
        self.members[t].remove(p)
        self.size[t] -= 1
        self.countries[t][room.country[p]] -= 1
        self.organisations[t][room.organisation[p]] -= 1
        spoken = self.spoken[t]
        for language in room.languages[p]:
            spoken[language] -= 1
        self.needers[t] -= room.needs[p]
        self.unmet_at[t] = None
        met = self.met
        for q, times in self.history.meets[p].items():
            met[q][t] -= times

    # Costs ------------------------------------------------------------------------------

    def cost_here(self, p):
        """What p costs at their own table (language needs apart)."""
        room = self.room
        t = self.seat[p]
        return (
            PAIR_REPEAT_COST * self.met[p][t]
            + SAME_COUNTRY_COST * (self.countries[t][room.country[p]] - 1) ** 2
            + SAME_ORGANISATION_COST * (self.organisations[t][room.organisation[p]] - 1)
            + self.unary[p][t]
        )

    def cost_there(self, p, t, leaving=-1):
        """What p would cost at table t, where `leaving` gives up their seat for p."""
        room = self.room
        country = room.country[p]
        organisation = room.organisation[p]
        compatriots = self.countries[t][country]
        cost = (
            PAIR_REPEAT_COST * self.met[p][t]
            + SAME_ORGANISATION_COST * self.organisations[t][organisation]
            + self.unary[p][t]
        )
        if leaving >= 0:
            compatriots -= room.country[leaving] == country
            cost -= PAIR_REPEAT_COST * self.history.meets[p].get(leaving, 0) + (
                SAME_ORGANISATION_COST * (room.organisation[leaving] == organisation)
            )
        return cost + SAME_COUNTRY_COST * compatriots * compatriots

    def unmet(self, t, leaving=-1, joining=-1):
        """People at t whose language need is unmet, after one leaves and one joins."""
        room = self.room
        spoken = self.spoken[t]
        left = room.languages[leaving] if leaving >= 0 else ()
        joined = room.languages[joining] if joining >= 0 else ()
        unmet = 0
        people = self.members[t] + [joining] if joining >= 0 else self.members[t]
        for x in people:
            if x == leaving or not room.needs[x]:
                continue
            for language in room.languages[x]:
                count = spoken.get(language, 0) - (language in left) + (language in joined)
                if count >= 2:
                    break
            else:
                unmet += 1
        return unmet

    def unmet_now(self, t):
        if self.unmet_at[t] is None:
            self.unmet_at[t] = self.unmet(t)
        return self.unmet_at[t]

    def language_change(self, a, b, p, q, change, best):
        """`change` plus the change in unmet language needs when p goes from a to b and q
        (or nobody) back; not counted when it could not bring `change` below `best`."""
        room = self.room
        if not (self.needers[a] or self.needers[b] or room.needs[p] or (q >= 0 and room.needs[q])):
            return change
        before = self.unmet_now(a) + self.unmet_now(b)
        # The most it could help is meeting every need now unmet at both tables.
        if change - LANGUAGE_UNMET_COST * before >= best:
            return change
        after = self.unmet(a, p, q) + self.unmet(b, q, p)
        return change + LANGUAGE_UNMET_COST * (after - before)

    # Steps ------------------------------------------------------------------------------

    def seat_pinned(self):
        for p, t in self.pinned:
            self.place(p, t)

    def fill(self, pool, rng):
        """Seat everyone in `pool` where they cost least, keeping sizes within bounds."""
        room = self.room
        count = room.table_count
        low, high, size = self.low, self.high, self.size
        missing = sum(max(0, low[t] - size[t]) for t in range(count))
        remaining = len(pool)
        for p in pool:
            only_short = remaining <= missing
            start = rng.randrange(count)
            best, best_cost = -1, None
            for offset in range(count):
                t = (start + offset) % count
                if size[t] >= (low[t] if only_short else high[t]):
                    continue
                cost = self.cost_there(p, t)
                if room.needs[p] and not any(self.spoken[t].get(x) for x in room.languages[p]):
                    cost += LANGUAGE_UNMET_COST
                if best_cost is None or cost < best_cost:
                    best, best_cost = t, cost
            if size[best] < low[best]:
                missing -= 1
            remaining -= 1
            self.place(p, best)

    def improve(self, rng, tries):
        """Local search: move or swap people between tables while that does not raise the
        cost (moves that keep it equal let the search wander off a plateau)."""
        movable = self.movable
        if not movable or self.room.table_count < 2:
            return
        room = self.room
        count = room.table_count
        free = set(movable)
        low, high, size, members = self.low, self.high, self.size, self.members
        languages = room.anyone_needs
        # Everything the inner loop reads, as locals: this loop is where the time goes.
        country, organisation, needs = room.country, room.organisation, room.needs
        countries, organisations, needers = self.countries, self.organisations, self.needers
        met, meets, unary, seat = self.met, self.history.meets, self.unary, self.seat
        pair_cost, country_cost = PAIR_REPEAT_COST, SAME_COUNTRY_COST
        organisation_cost = SAME_ORGANISATION_COST
        for _ in range(tries):
            p = movable[rng.randrange(len(movable))]
            a = seat[p]
            b = rng.randrange(count)
            if b == a:
                continue
            cp, op = country[p], organisation[p]
            meets_p = meets[p]
            countries_a, countries_b = countries[a], countries[b]
            organisations_a, organisations_b = organisations[a], organisations[b]
            here = self.cost_here(p)
            compatriots_b = countries_b[cp]
            # p at b, before anyone there leaves, country apart.
            into_b = pair_cost * met[p][b] + organisation_cost * organisations_b[op] + unary[p][b]
            best_change, best_q = 1, None
            if size[b] < high[b] and size[a] > low[a]:
                change = into_b + country_cost * compatriots_b * compatriots_b - here
                if languages:
                    change = self.language_change(a, b, p, -1, change, best_change)
                if change < best_change:
                    best_change, best_q = change, -1
            for q in members[b]:
                if q not in free:
                    continue
                cq, oq = country[q], organisation[q]
                met_pq = meets_p.get(q, 0)
                same_country = cq == cp
                same_organisation = oq == op
                k = compatriots_b - same_country
                p_there = (
                    into_b
                    - pair_cost * met_pq
                    - organisation_cost * same_organisation
                    + country_cost * k * k
                )
                k = countries_a[cq] - same_country
                q_there = (
                    pair_cost * (met[q][a] - met_pq)
                    + organisation_cost * (organisations_a[oq] - same_organisation)
                    + unary[q][a]
                    + country_cost * k * k
                )
                k = countries_b[cq] - 1
                q_here = (
                    pair_cost * met[q][b]
                    + organisation_cost * (organisations_b[oq] - 1)
                    + unary[q][b]
                    + country_cost * k * k
                )
                change = p_there + q_there - here - q_here
                if languages and (needers[a] or needers[b] or needs[p] or needs[q]):
                    change = self.language_change(a, b, p, q, change, best_change)
                if change < best_change:
                    best_change, best_q = change, q
            if best_q is None:
                continue
            self.unplace(p)
            if best_q >= 0:
                self.unplace(best_q)
                self.place(best_q, a)
            self.place(p, b)

    def total_cost(self):
        """The cost of the whole round as seated: what the planner lowers."""
        room = self.room
        meets = self.history.meets
        cost = 0
        for t, members in enumerate(self.members):
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    cost += PAIR_REPEAT_COST * meets[a].get(b, 0) + SAME_ORGANISATION_COST * (
                        room.organisation[a] == room.organisation[b]
                    )
                if a in self.unary:
                    cost += self.unary[a][t]
            # The k-th compatriot at a table costs (k-1)², so the sum is the sum of squares.
            cost += SAME_COUNTRY_COST * sum(
                (k - 1) * k * (2 * k - 1) // 6 for k in self.countries[t] if k > 1
            )
            if room.anyone_needs:
                cost += LANGUAGE_UNMET_COST * self.unmet_now(t)
        return cost

    def keep_themes_fresh(self):
        """Move people off tables they already visited, along chains of moves that keep
        every size within bounds and send each person moved to a table new to them."""
        for p in self.movable:
            if self.fresh[p][self.seat[p]]:
                continue
            chain = self._chain_from(p)
            if chain is None:
                continue
            # Apply from the end, so every table keeps its size until its newcomer arrives.
            for person, _, _ in chain:
                self.unplace(person)
            for person, _, destination in chain:
                self.place(person, destination)

    def _chain_from(self, p):
        """Shortest chain p: a -> b1, x1: b1 -> b2, ... ending at a (a cycle) or at a table
        with a seat to spare while a can lose one. Only movable people, each to a fresh table."""
        a = self.seat[p]
        free = set(self.movable)
        can_shrink = self.size[a] > self.low[a]
        came_from = {}
        frontier = []
        for b in self.open_tables:
            if b != a and self.fresh[p][b]:
                came_from[b] = (p, a)
                frontier.append(b)
        target = None
        for b in frontier:
            if can_shrink and self.size[b] < self.high[b]:
                target = b
                break
        while target is None and frontier:
            following = []
            for table in frontier:
                for x in self.members[table]:
                    if x not in free or x == p:
                        continue
                    fresh = self.fresh[x]
                    for destination in self.open_tables:
                        if destination == table or not fresh[destination]:
                            continue
                        if destination == a:
                            came_from[a] = (x, table)
                            target = a
                            break
                        if destination in came_from:
                            continue
                        came_from[destination] = (x, table)
                        if can_shrink and self.size[destination] < self.high[destination]:
                            target = destination
                            break
                        following.append(destination)
                    if target is not None:
                        break
                if target is not None:
                    break
            frontier = following
        if target is None:
            return None
        chain = []
        table = target
        while True:
            person, source = came_from[table]
            chain.append((person, source, table))
            if person == p:
                break
            table = source
        return chain


def _seat_round(room, history, present, old, rng, *, fixed=()):
    """Seat the people present in one round; returns each person's table index or -1.

    `old` gives each person's seat in the plan being repaired (or None): they keep it when
    it costs less than moving. `fixed` people keep their old seat whatever it costs.
    """
    state = _Round(room, history, present, old, fixed)
    state.seat_pinned()
    pool = []
    for p in state.movable:
        if old[p] is None:
            pool.append(p)
        else:
            state.place(p, old[p])
    # Too many people at a table (it was made smaller, or people arrived): the ones who
    # cost most there make room.
    evictable = set(state.movable)
    for t in range(room.table_count):
        while state.size[t] > state.high[t]:
            worst = max((x for x in state.members[t] if x in evictable), key=state.cost_here)
            state.unplace(worst)
            pool.append(worst)
    missing = sum(max(0, low - size) for low, size in zip(state.low, state.size, strict=True))
    while len(pool) < missing:
        t = max(
            range(room.table_count),
            key=lambda t: (state.size[t] - state.low[t], -t),
        )
        worst = max((x for x in state.members[t] if x in evictable), key=state.cost_here)
        state.unplace(worst)
        pool.append(worst)
        missing = sum(max(0, low - size) for low, size in zip(state.low, state.size, strict=True))
    rng.shuffle(pool)
    state.fill(pool, rng)
    tries = max(SEARCH_TRIES_PER_PERSON * len(state.movable), MINIMUM_SEARCH_TRIES)
    state.improve(rng, tries)
    state.keep_themes_fresh()
    state.improve(rng, tries // 4)
    return state.seat, state.total_cost()


# Planning ---------------------------------------------------------------------------------


def _groups(room, seat_row):
    groups = {}
    for p, t in enumerate(seat_row):
        if t >= 0:
            groups.setdefault(t, []).append(p)
    return groups


def _replan(plan, people, tables, *, from_round, met_before, joining=frozenset(), seed=0):
    """Rounds from `from_round` on, seated again with the fewest moves that keep the rules.

    A person present in a round: in `people` and either new to the plan, seated in that
    round by the old plan, or in `joining`.
    """
    room = _Room(people, tables)
    history = _History(room, met_before)
    for r in range(from_round):
        groups = {}
        for person_id, seats in plan.seats.items():
            p = room.index.get(person_id)
            if p is None or seats[r] is None:
                continue
            groups.setdefault(room.table_index.get(seats[r]), []).append(p)
        history.add_round(groups)
    rng = random.Random(seed)
    seats = {
        person_id: list(plan.seats.get(person_id, (None,) * plan.rounds))
        for person_id in [*plan.seats, *(p.id for p in room.people)]
    }
    for person_id, row in seats.items():
        if person_id not in room.index:
            row[from_round:] = [None] * (plan.rounds - from_round)
    cost = 0
    for r in range(from_round, plan.rounds):
        present = []
        old = [None] * room.n
        for p, person in enumerate(room.people):
            previous = plan.seats.get(person.id)
            if previous is None or previous[r] is not None or person.id in joining:
                present.append(p)
            if previous is not None and previous[r] is not None:
                old[p] = room.table_index.get(previous[r])
        _check_room(len(present), tables)
        seat_row, round_cost = _seat_round(room, history, present, old, rng)
        cost += round_cost
        for p, person in enumerate(room.people):
            seats[person.id][r] = room.tables[seat_row[p]].id if seat_row[p] >= 0 else None
        history.add_round(_groups(room, seat_row))
    return Plan(
        rounds=plan.rounds,
        seats={person_id: tuple(row) for person_id, row in seats.items()},
        tables=tuple(tables),
    ), cost


def make_plan(
    people: Iterable[Person],
    tables: Iterable[Table],
    rounds: int,
    *,
    met_before: frozenset = frozenset(),
    seed: int = 0,
) -> Plan:
    """A seat for every person in every round, as good as the planner finds it.

    Small rooms are planned several times from different starts and the cheapest plan is
    kept; the number of starts depends only on the room, so a seed always gives one plan.
    """
    people, tables = list(people), list(tables)
    _check_valid(people, tables, rounds)
    empty = Plan(rounds=rounds, seats={}, tables=tuple(tables))
    starts = max(1, min(MAXIMUM_STARTS, WORK_PER_PLAN // max(1, len(people) * rounds)))
    best, best_key = None, None
    start = 0
    while True:
        plan, cost = _replan(
            empty,
            people,
            tables,
            from_round=0,
            met_before=met_before,
            seed=seed * MAXIMUM_STARTS + start,
        )
        # A theme visited twice while another was new breaks a rule, not a preference: it
        # weighs more than any cost, and a plan with one gets a few more starts to lose it.
        key = (_theme_repeats(plan, people, tables), cost)
        if best_key is None or key < best_key:
            best, best_key = plan, key
        start += 1
        if start >= starts and (best_key[0] == 0 or start >= starts + EXTRA_STARTS_FOR_REPEATS):
            break
    if best_key[0]:
        # Round after round, the search can paint itself into a corner: a room nearly full
        # for as many rounds as tables (hypothesis found 35 people at six tables of six for
        # six rounds). Whole groups moving one table on each round never repeat a theme:
        # the search starts from there instead, a few times; failing that, the groups
        # themselves are the plan, when their tables keep the sizes balanced.
        rotating = _rotating_plan(people, tables, rounds)
        for extra in range(EXTRA_STARTS_FOR_REPEATS):
            plan, cost = _replan(
                rotating,
                people,
                tables,
                from_round=0,
                met_before=met_before,
                seed=seed * MAXIMUM_STARTS + start + extra,
            )
            key = (_theme_repeats(plan, people, tables), cost)
            if key < best_key:
                best, best_key = plan, key
            if best_key[0] == 0:
                break
        if (
            best_key[0]
            and not _theme_repeats(rotating, people, tables)
            and _balanced(rotating, people, tables)
        ):
            best = rotating
    return best


def _balanced(plan, people, tables):
    """Every table within its size bounds in every round (rule 1)."""
    _, _, table_ids, _, low, high = _baseline_start(people, tables, plan.rounds)
    index = {table_id: t for t, table_id in enumerate(table_ids)}
    for r in range(plan.rounds):
        sizes = [0] * len(tables)
        for seats in plan.seats.values():
            if seats[r] is not None:
                sizes[index[seats[r]]] += 1
        if any(not lo <= size <= hi for lo, size, hi in zip(low, sizes, high, strict=True)):
            return False
    return True


def _rotating_plan(people, tables, rounds):
    """Guests dealt into one group a table, each group moving one table on each round; hosts
    stay. Nobody sees a theme twice in as many rounds as tables."""
    table_ids = [table.id for table in tables]
    seats = {}
    guests = 0
    for person in people:
        if person.host_of is not None:
            seats[person.id] = (person.host_of,) * rounds
            continue
        first = guests % len(table_ids)
        guests += 1
        seats[person.id] = tuple(table_ids[(first + r) % len(table_ids)] for r in range(rounds))
    return Plan(rounds=rounds, seats=seats, tables=tuple(tables))


def _theme_repeats(plan, people, tables):
    """Visits to an already visited table while the person still had an unvisited one."""
    table_count = len(tables)
    repeats = 0
    for person in people:
        if person.host_of is not None:
            continue
        seen = set()
        for table in plan.seats.get(person.id, ()):
            if table is None:
                continue
            if table in seen and len(seen) < table_count:
                repeats += 1
            seen.add(table)
    return repeats


def _check_valid(people, tables, rounds):
    _check_rounds(rounds)
    _check_tables(tables)
    _check_people(people)
    _check_hosts(people, tables)
    _check_room(len(people), tables)


def repair(
    plan: Plan,
    people: Iterable[Person],
    tables: Iterable[Table],
    *,
    from_round: int,
    met_before: frozenset = frozenset(),
) -> Plan:
    """Re-plan rounds >= from_round for the café as it is now, moving as few people as the
    rules allow. Earlier rounds stay as they were and count as history.

    People in `people` but not in the plan are seated from `from_round` on; people in the
    plan but not in `people` lose their seats from then on; a person the plan does not seat
    in a round (they left) stays unseated. A host whose table was removed sits as an
    ordinary participant.
    """
    people, tables = list(people), list(tables)
    _check_from_round(plan, from_round, last_allowed=plan.rounds)
    _check_tables(tables)
    _check_people(people)
    _check_hosts([p for p in people if p.host_of in {t.id for t in tables}], tables)
    return _replan(plan, people, tables, from_round=from_round, met_before=met_before)[0]


def add_person(
    plan: Plan,
    people: Iterable[Person],
    tables: Iterable[Table],
    person: Person,
    *,
    from_round: int,
    met_before: frozenset = frozenset(),
) -> Plan:
    """A late joiner (or a returning leaver), seated from `from_round` on.

    In `from_round` nobody else moves: the newcomer takes a free seat where they add most
    (the smallest table, then a country, an organisation and people new to it). Later
    rounds are repaired with as few moves as possible.
    """
    tables = list(tables)
    people = [p for p in people if p.id != person.id] + [person]
    _check_from_round(plan, from_round, last_allowed=plan.rounds - 1)
    _check_tables(tables)
    _check_hosts([person], tables)
    _check_people(people)
    _check_hosts([p for p in people if p.host_of in {t.id for t in tables}], tables)
    room = _Room(people, tables)
    history = _History(room, met_before)
    for r in range(from_round):
        groups = {}
        for person_id, seats in plan.seats.items():
            p = room.index.get(person_id)
            if p is not None and seats[r] is not None:
                groups.setdefault(room.table_index.get(seats[r]), []).append(p)
        history.add_round(groups)
    newcomer = room.index[person.id]
    present, old = [], [None] * room.n
    for p, someone in enumerate(room.people):
        seats = plan.seats.get(someone.id)
        if p == newcomer or seats is None or seats[from_round] is None:
            continue
        t = room.table_index.get(seats[from_round])
        if t is not None:
            present.append(p)
            old[p] = t
    state = _Round(room, history, [*present, newcomer], old, fixed=present)
    state.seat_pinned()
    if room.host_table[newcomer] is not None:
        state.unplace(newcomer)
        candidates = [room.host_table[newcomer]]
    else:
        candidates = range(room.table_count)
    candidates = [t for t in candidates if state.size[t] < room.capacity[t]]
    if not candidates:
        if room.host_table[newcomer] is not None:
            raise PlanError(
                "table_full",
                f"Table {person.host_of} is full in round {from_round + 1}; its host can not "
                "sit there. Give the table more seats or move someone.",
            )
        raise PlanError(
            "over_capacity",
            f"Every table is full in round {from_round + 1}. Add a table or give the tables "
            "more seats.",
        )

    def added_cost(t):
        cost = state.cost_there(newcomer, t)
        if room.anyone_needs:
            cost += LANGUAGE_UNMET_COST * (state.unmet(t, joining=newcomer) - state.unmet(t))
        return (state.size[t], cost, t)

    table = room.tables[min(candidates, key=added_cost)].id
    seats = dict(plan.seats)
    row = list(seats.get(person.id, (None,) * plan.rounds))
    row[from_round] = table
    seats[person.id] = tuple(row)
    seated = Plan(rounds=plan.rounds, seats=seats, tables=tuple(tables))
    if from_round + 1 >= plan.rounds:
        return seated
    return _replan(
        seated,
        people,
        tables,
        from_round=from_round + 1,
        met_before=met_before,
        joining=frozenset({person.id}),
    )[0]


def remove_person(plan: Plan, person_id: Hashable, *, from_round: int) -> Plan:
    """A leaver gives up their seat from `from_round` on; nobody else moves.

    The tables they leave may be one smaller than the others; `repair` from the next round
    balances later rounds if wanted.
    """
    _check_from_round(plan, from_round, last_allowed=plan.rounds - 1)
    if person_id not in plan.seats:
        raise PlanError("unknown_person", f"{person_id} is not in this plan.")
    seats = dict(plan.seats)
    row = seats[person_id]
    seats[person_id] = row[:from_round] + (None,) * (plan.rounds - from_round)
    return Plan(rounds=plan.rounds, seats=seats, tables=plan.tables)


def move_person(plan: Plan, person_id: Hashable, table_id: Hashable, *, round_index: int) -> Plan:
    """The facilitator moves one person to a table in one round; sizes may become uneven,
    but a full table refuses."""
    _check_from_round(plan, round_index, last_allowed=plan.rounds - 1)
    if person_id not in plan.seats:
        raise PlanError("unknown_person", f"{person_id} is not in this plan.")
    capacity = {table.id: table.capacity for table in plan.tables}
    if table_id not in capacity:
        raise PlanError("unknown_table", f"Table {table_id} is not in this café.")
    row = plan.seats[person_id]
    if row[round_index] == table_id:
        return plan
    seated = sum(1 for seats in plan.seats.values() if seats[round_index] == table_id)
    if seated >= capacity[table_id]:
        raise PlanError(
            "table_full",
            f"Table {table_id} is full in round {round_index + 1} "
            f"({seated} of {capacity[table_id]} seats).",
        )
    seats = dict(plan.seats)
    seats[person_id] = (*row[:round_index], table_id, *row[round_index + 1 :])
    return Plan(rounds=plan.rounds, seats=seats, tables=plan.tables)


# Baselines --------------------------------------------------------------------------------


def _baseline_start(people, tables, rounds):
    people, tables = list(people), list(tables)
    _check_valid(people, tables, rounds)
    table_ids = [table.id for table in tables]
    hosts_at = [0] * len(tables)
    for person in people:
        if person.host_of is not None:
            hosts_at[table_ids.index(person.host_of)] += 1
    low, high = _size_bounds([t.capacity for t in tables], hosts_at, len(people))
    return people, tables, table_ids, hosts_at, low, high


def random_plan(
    people: Iterable[Person], tables: Iterable[Table], rounds: int, *, seed: int = 0
) -> Plan:
    """Baseline: random balanced seating every round, hosts at their tables."""
    people, tables, table_ids, hosts_at, low, high = _baseline_start(people, tables, rounds)
    rng = random.Random(seed)
    seats = {person.id: [] for person in people}
    guests = [person for person in people if person.host_of is None]
    for _ in range(rounds):
        sizes = list(low)
        extra = len(people) - sum(low)
        for t in rng.sample([t for t in range(len(tables)) if high[t] > low[t]], extra):
            sizes[t] += 1
        places = [table_ids[t] for t in range(len(tables)) for _ in range(sizes[t] - hosts_at[t])]
        rng.shuffle(places)
        for person in people:
            if person.host_of is not None:
                seats[person.id].append(person.host_of)
        for person, table_id in zip(guests, places, strict=True):
            seats[person.id].append(table_id)
    return Plan(rounds=rounds, seats={k: tuple(v) for k, v in seats.items()}, tables=tuple(tables))


def shift_plan(people: Iterable[Person], tables: Iterable[Table], rounds: int) -> Plan:
    """Baseline: people are dealt round the tables in list order, then everyone but the hosts
    moves one table on each round (to the next one with a seat if that one is full)."""
    people, tables, table_ids, hosts_at, low, high = _baseline_start(people, tables, rounds)
    count = len(tables)
    sizes = list(low)
    extra = len(people) - sum(low)
    for t in range(count):
        if extra and high[t] > low[t]:
            sizes[t] += 1
            extra -= 1
    guests = [person for person in people if person.host_of is None]
    start = []
    taken = list(hosts_at)
    t = 0
    for _ in guests:
        while taken[t] >= sizes[t]:
            t = (t + 1) % count
        start.append(t)
        taken[t] += 1
        t = (t + 1) % count
    seats = {person.id: [] for person in people}
    for r in range(rounds):
        taken = list(hosts_at)
        for person in people:
            if person.host_of is not None:
                seats[person.id].append(person.host_of)
        for person, first in zip(guests, start, strict=True):
            t = (first + r) % count
            while taken[t] >= sizes[t]:
                t = (t + 1) % count
            taken[t] += 1
            seats[person.id].append(table_ids[t])
    return Plan(rounds=rounds, seats={k: tuple(v) for k, v in seats.items()}, tables=tuple(tables))


# Quality ----------------------------------------------------------------------------------


def quality(
    plan: Plan, people: Sequence[Person], *, met_before: frozenset = frozenset()
) -> Quality:
    """The quality report of a plan: the figures the goals are judged by."""
    known = {person.id: person for person in people}

    def person(person_id):
        return known.get(person_id) or Person(id=person_id)

    languages = {person_id: frozenset(person(person_id).languages) for person_id in plan.seats}
    hosts_at = {}
    for person_id in plan.seats:
        host_of = person(person_id).host_of
        if host_of is not None:
            hosts_at[host_of] = hosts_at.get(host_of, 0) + 1

    capacity = {table.id: table.capacity for table in plan.tables}
    meetings = {}
    for pair in met_before:
        if len(pair) == 2:
            meetings[frozenset(pair)] = 1
    met = {person_id: set() for person_id in plan.seats}
    visited = {person_id: set() for person_id in plan.seats}
    country_shares, organisation_shares = [], []
    theme_repeats = size_imbalance = language_unmet = hosts_away = 0
    opened = set()
    for r in range(plan.rounds):
        seated = plan.at(r)
        opened |= {table_id for table_id, members in seated.items() if members}
        # A table added during the café counts from the round it was first used.
        sizes = [len(members) for table_id, members in seated.items() if table_id in opened]
        size_imbalance = max(size_imbalance, max(sizes, default=0) - min(sizes, default=0))
        # A table counts as a theme someone could still visit if it had a seat for a
        # non-host in that round.
        open_tables = {
            table_id
            for table_id in seated
            if capacity.get(table_id, len(plan.seats)) > hosts_at.get(table_id, 0)
        }
        for table_id, members in seated.items():
            if not members:
                continue
            group = [person(person_id) for person_id in members]
            country_shares.append(_largest_share([p.country for p in group]))
            organisation_shares.append(_largest_share([p.organisation for p in group]))
            for i, a in enumerate(group):
                if a.host_of is not None and a.host_of != table_id:
                    hosts_away += 1
                if a.host_of != table_id:
                    if table_id in visited[a.id] and open_tables - visited[a.id]:
                        theme_repeats += 1
                    visited[a.id].add(table_id)
                if a.needs_language and not any(
                    languages[a.id] & languages[b.id] for b in group if b is not a
                ):
                    language_unmet += 1
                for b in group[i + 1 :]:
                    met[a.id].add(b.id)
                    met[b.id].add(a.id)
                    pair = frozenset((a.id, b.id))
                    meetings[pair] = meetings.get(pair, 0) + 1
    seated_people = [
        person_id
        for person_id, seats in plan.seats.items()
        if any(seat is not None for seat in seats)
    ]
    distinct = [len(met[person_id]) for person_id in seated_people]
    return Quality(
        repeat_pairs=sum(1 for times in meetings.values() if times > 1),
        mean_distinct_met=round(sum(distinct) / len(distinct), 3) if distinct else 0.0,
        theme_repeats=theme_repeats,
        mean_largest_country_share=_mean(country_shares),
        mean_largest_organisation_share=_mean(organisation_shares),
        size_imbalance=size_imbalance,
        language_unmet=language_unmet,
        hosts_away=hosts_away,
    )


def _largest_share(values):
    counts = {}
    for value in values:
        # People without a country (or organisation) are not counted as one group.
        key = value if value else object()
        counts[key] = counts.get(key, 0) + 1
    return max(counts.values()) / len(values)


def _mean(values):
    return round(sum(values) / len(values), 4) if values else 0.0


# A room to try the planner on -------------------------------------------------------------

SAMPLE_COUNTRIES = (
    ("FI", "fi"),
    ("BE", "nl"),
    ("SE", "sv"),
    ("NL", "nl"),
    ("FR", "fr"),
    ("DE", "de"),
    ("ES", "es"),
    ("IT", "it"),
)


def sample_room(
    people: int, tables: int, *, capacity: int | None = None, hosts: int | None = None, seed=0
) -> tuple[list[Person], list[Table]]:
    """A realistic room for benchmarks and tests: people from up to eight countries, one
    country with 30 % of them and the rest uneven, 3 to 5 organisations per country, most
    speaking English besides their own language, and those who do not needing a shared one.
    Listed in arrival order (shuffled). Half the tables have a host unless `hosts` says.
    """
    rng = random.Random(seed)
    countries = SAMPLE_COUNTRIES[: max(1, min(len(SAMPLE_COUNTRIES), people // 3))]
    weights = [0.3] + [0.7 * w for w in _uneven(len(countries) - 1, rng)]
    organisations = {
        code: [f"{code} organisation {n + 1}" for n in range(rng.randint(3, 5))]
        for code, _ in countries
    }
    if capacity is None:
        capacity = max(2, -(-people * 6 // (tables * 5)))
    table_list = [Table(id=f"table-{t + 1}", capacity=capacity) for t in range(tables)]
    host_count = tables // 2 if hosts is None else hosts
    result = []
    for n in range(people):
        code, language = rng.choices(countries, weights=weights[: len(countries)])[0]
        speaks_english = rng.random() < 0.8
        result.append(
            Person(
                id=f"person-{n + 1}",
                organisation=rng.choice(organisations[code]),
                country=code,
                languages=frozenset({language, "en"} if speaks_english else {language}),
                needs_language=not speaks_english,
                host_of=table_list[n].id if n < min(host_count, tables) else None,
            )
        )
    rng.shuffle(result)
    return result, table_list


def _uneven(count, rng):
    if count <= 0:
        return []
    raw = [rng.uniform(0.3, 1.0) for _ in range(count)]
    return [value / sum(raw) for value in raw]
