"""The network in the store: connections (one row per pair), blocks, privacy, ties from shared work,
referrals, mentoring offers, mentorships and sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session, aliased

from microcareer.domain.ideas import JoinState
from microcareer.domain.network.connections import (
    Connection,
    ConnectionState,
    ConnectionsVisibility,
    Tie,
    TieKind,
)
from microcareer.domain.network.mentorship import (
    MentoringSession,
    MentorOffer,
    Mentorship,
    MentorshipState,
)
from microcareer.domain.network.referrals import Referral
from microcareer.store.tables.accounts import MembershipRow, OrganisationRow
from microcareer.store.tables.ideas import IdeaJoinRequestRow, IdeaRow
from microcareer.store.tables.marketplace import ApplicationRow, ContractRow, MicroJobRow
from microcareer.store.tables.network import (
    ConnectionRow,
    MentoringSessionRow,
    MentorOfferRow,
    MentorshipRow,
    NetworkSettingsRow,
    ReferralRow,
    UserBlockRow,
)

CONNECTIONS_MAX = 2_000
"""The most connections one list reads (a bound on the cost of a page, not a limit on making them)."""


def _connection(row: ConnectionRow) -> Connection:
    addressee = row.user_high if row.requester_id == row.user_low else row.user_low
    return Connection(
        id=row.id,
        requester_id=row.requester_id,
        addressee_id=addressee,
        state=ConnectionState(row.state),
        message=row.message,
        created_at=row.created_at,
        responded_at=row.responded_at,
    )


def _mentorship(row: MentorshipRow) -> Mentorship:
    return Mentorship(
        id=row.id,
        mentor_id=row.mentor_id,
        mentee_id=row.mentee_id,
        skills=tuple(str(s) for s in row.skills),
        message=row.message,
        state=MentorshipState(row.state),
        created_at=row.created_at,
        mentor_confirmed=row.mentor_confirmed,
        mentee_confirmed=row.mentee_confirmed,
        completed_at=row.completed_at,
    )


def _referral(row: ReferralRow) -> Referral:
    return Referral(row.id, row.job_id, row.referrer_id, row.candidate_id, row.note, row.created_at)


class SqlAlchemyNetworkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # connections

    def _pair_row(self, a: int, b: int) -> ConnectionRow | None:
        low, high = min(a, b), max(a, b)
        return self.session.scalars(
            select(ConnectionRow).where(ConnectionRow.user_low == low, ConnectionRow.user_high == high)
        ).one_or_none()

    def connection_between(self, a: int, b: int) -> Connection | None:
        row = self._pair_row(a, b)
        return _connection(row) if row is not None else None

    def get_connection(self, connection_id: int) -> Connection | None:
        row = self.session.get(ConnectionRow, connection_id)
        return _connection(row) if row is not None else None

    def add_connection(
        self, requester_id: int, addressee_id: int, *, state: ConnectionState, message: str, at: datetime
    ) -> Connection:
        row = ConnectionRow(
            user_low=min(requester_id, addressee_id),
            user_high=max(requester_id, addressee_id),
            requester_id=requester_id,
            state=state.value,
            message=message,
            created_at=at,
            responded_at=at if state is ConnectionState.ACCEPTED else None,
        )
        self.session.add(row)
        self.session.flush()
        return _connection(row)

    def set_connection_state(self, connection_id: int, state: ConnectionState, *, at: datetime) -> None:
        self.session.execute(
            update(ConnectionRow)
            .where(ConnectionRow.id == connection_id)
            .values(state=state.value, responded_at=at)
        )

    def remove_connection(self, connection_id: int) -> None:
        self.session.execute(delete(ConnectionRow).where(ConnectionRow.id == connection_id))

    def connections_of(self, user_id: int, *, states: Sequence[ConnectionState]) -> list[Connection]:
        rows = self.session.scalars(
            select(ConnectionRow)
            .where(
                or_(ConnectionRow.user_low == user_id, ConnectionRow.user_high == user_id),
                ConnectionRow.state.in_([s.value for s in states]),
            )
            .order_by(ConnectionRow.id)
            .limit(CONNECTIONS_MAX)
        )
        return [_connection(r) for r in rows]

    def connected_ids(self, user_ids: Sequence[int]) -> dict[int, set[int]]:
        wanted = sorted(set(user_ids))
        found: dict[int, set[int]] = {u: set() for u in wanted}
        if not wanted:
            return found
        rows = self.session.execute(
            select(ConnectionRow.user_low, ConnectionRow.user_high).where(
                ConnectionRow.state == ConnectionState.ACCEPTED.value,
                or_(ConnectionRow.user_low.in_(wanted), ConnectionRow.user_high.in_(wanted)),
            )
        )
        for low, high in rows:
            if low in found:
                found[low].add(high)
            if high in found:
                found[high].add(low)
        return found

    # blocks and privacy

    def block(self, blocker_id: int, blocked_id: int, *, at: datetime) -> None:
        if self.session.get(UserBlockRow, (blocker_id, blocked_id)) is None:
            self.session.add(UserBlockRow(blocker_id=blocker_id, blocked_id=blocked_id, created_at=at))
            self.session.flush()

    def unblock(self, blocker_id: int, blocked_id: int) -> bool:
        row = self.session.get(UserBlockRow, (blocker_id, blocked_id))
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def blocked_by(self, user_id: int) -> list[int]:
        return list(
            self.session.scalars(
                select(UserBlockRow.blocked_id)
                .where(UserBlockRow.blocker_id == user_id)
                .order_by(UserBlockRow.blocked_id)
            )
        )

    def blocks_between(self, a: int, b: int) -> bool:
        found = self.session.scalars(
            select(UserBlockRow.blocker_id).where(
                or_(
                    and_(UserBlockRow.blocker_id == a, UserBlockRow.blocked_id == b),
                    and_(UserBlockRow.blocker_id == b, UserBlockRow.blocked_id == a),
                )
            )
        ).first()
        return found is not None

    def blocked_either_way(self, user_id: int) -> set[int]:
        rows = self.session.execute(
            select(UserBlockRow.blocker_id, UserBlockRow.blocked_id).where(
                or_(UserBlockRow.blocker_id == user_id, UserBlockRow.blocked_id == user_id)
            )
        )
        return {blocked if blocker == user_id else blocker for blocker, blocked in rows}

    def connections_visibility(self, user_id: int) -> ConnectionsVisibility | None:
        row = self.session.get(NetworkSettingsRow, user_id)
        return ConnectionsVisibility(row.connections_visibility) if row is not None else None

    def set_connections_visibility(self, user_id: int, visibility: ConnectionsVisibility) -> None:
        row = self.session.get(NetworkSettingsRow, user_id)
        if row is None:
            self.session.add(NetworkSettingsRow(user_id=user_id, connections_visibility=visibility.value))
        else:
            row.connections_visibility = visibility.value
        self.session.flush()

    # ties from shared work

    def ties_of(self, user_id: int, *, limit: int) -> list[Tie]:
        ties: list[Tie] = []
        contracts = self.session.execute(
            select(ContractRow.client_user_id, ContractRow.professional_user_id, MicroJobRow.title)
            .join(MicroJobRow, MicroJobRow.id == ContractRow.job_id)
            .where(or_(ContractRow.client_user_id == user_id, ContractRow.professional_user_id == user_id))
            .order_by(ContractRow.id.desc())
            .limit(limit)
        )
        for client, professional, title in contracts:
            other = professional if client == user_id else client
            ties.append(Tie(other, TieKind.CONTRACT, f"“{title}”"))
        mine = aliased(MembershipRow)
        theirs = aliased(MembershipRow)
        members = self.session.execute(
            select(theirs.user_id, OrganisationRow.name)
            .join(mine, mine.organisation_id == theirs.organisation_id)
            .join(OrganisationRow, OrganisationRow.id == theirs.organisation_id)
            .where(mine.user_id == user_id, theirs.user_id != user_id)
            .order_by(theirs.user_id)
            .limit(limit)
        )
        ties.extend(Tie(other, TieKind.ORGANISATION, name) for other, name in members)
        my_gigs = (
            select(MicroJobRow.id)
            .outerjoin(ApplicationRow, ApplicationRow.job_id == MicroJobRow.id)
            .where(
                MicroJobRow.organisation_id.is_not(None),
                or_(MicroJobRow.poster_user_id == user_id, ApplicationRow.applicant_user_id == user_id),
            )
        )
        people_on_gigs = self.session.execute(
            select(ApplicationRow.applicant_user_id, MicroJobRow.poster_user_id, MicroJobRow.title)
            .join(MicroJobRow, MicroJobRow.id == ApplicationRow.job_id)
            .where(MicroJobRow.id.in_(my_gigs))
            .order_by(MicroJobRow.id.desc())
            .limit(limit)
        )
        for applicant, poster, title in people_on_gigs:
            for other in (applicant, poster):
                if other != user_id:
                    ties.append(Tie(other, TieKind.INTERNAL_GIG, f"“{title}”"))
        mentorships = self.session.scalars(
            select(MentorshipRow)
            .where(
                or_(MentorshipRow.mentor_id == user_id, MentorshipRow.mentee_id == user_id),
                MentorshipRow.state.in_([MentorshipState.ACTIVE.value, MentorshipState.COMPLETED.value]),
            )
            .limit(limit)
        )
        for m in mentorships:
            if m.mentor_id == user_id:
                ties.append(Tie(m.mentee_id, TieKind.MENTORSHIP, "you mentor them"))
            else:
                ties.append(Tie(m.mentor_id, TieKind.MENTORSHIP, "they mentor you"))
        ties.extend(self._idea_ties(user_id, limit))
        return list(dict.fromkeys(ties))

    def _idea_ties(self, user_id: int, limit: int) -> list[Tie]:
        """The people on the ideas the person is on: its author, its sponsor, and who asked to join (not
        who was declined). The tie names the organisation, not the idea: introductions show a
        connection's ties to others."""
        not_declined = IdeaJoinRequestRow.state != JoinState.DECLINED.value
        joined = select(IdeaJoinRequestRow.idea_id).where(IdeaJoinRequestRow.user_id == user_id, not_declined)
        ideas = self.session.execute(
            select(IdeaRow.id, OrganisationRow.name, IdeaRow.author_user_id, IdeaRow.sponsor_user_id)
            .join(OrganisationRow, OrganisationRow.id == IdeaRow.organisation_id)
            .where(
                or_(
                    IdeaRow.author_user_id == user_id,
                    IdeaRow.sponsor_user_id == user_id,
                    IdeaRow.id.in_(joined),
                )
            )
            .order_by(IdeaRow.id.desc())
            .limit(limit)
        ).all()
        joiners: dict[int, list[int]] = {}
        for idea_id, joiner in self.session.execute(
            select(IdeaJoinRequestRow.idea_id, IdeaJoinRequestRow.user_id).where(
                IdeaJoinRequestRow.idea_id.in_([row.id for row in ideas]), not_declined
            )
        ):
            joiners.setdefault(idea_id, []).append(joiner)
        ties: list[Tie] = []
        for idea_id, organisation, author, sponsor in ideas:
            for other in (author, sponsor, *sorted(joiners.get(idea_id, []))):
                if other is not None and other != user_id:
                    ties.append(Tie(other, TieKind.IDEA, f"at {organisation}"))
        return ties

    # referrals

    def add_referral(
        self, job_id: int, referrer_id: int, candidate_id: int, note: str, *, at: datetime
    ) -> Referral:
        row = ReferralRow(
            job_id=job_id, referrer_id=referrer_id, candidate_id=candidate_id, note=note, created_at=at
        )
        self.session.add(row)
        self.session.flush()
        return _referral(row)

    def referrals_for_job(self, job_id: int) -> list[Referral]:
        rows = self.session.scalars(
            select(ReferralRow).where(ReferralRow.job_id == job_id).order_by(ReferralRow.id)
        )
        return [_referral(r) for r in rows]

    def referrals_by(self, referrer_id: int) -> list[Referral]:
        rows = self.session.scalars(
            select(ReferralRow).where(ReferralRow.referrer_id == referrer_id).order_by(ReferralRow.id)
        )
        return [_referral(r) for r in rows]

    # mentoring

    def get_offer(self, user_id: int) -> MentorOffer | None:
        row = self.session.get(MentorOfferRow, user_id)
        if row is None:
            return None
        return MentorOffer(
            row.user_id, tuple(str(s) for s in row.skills), row.hours_per_month, row.note, row.active
        )

    def save_offer(self, offer: MentorOffer, *, at: datetime) -> None:
        row = self.session.get(MentorOfferRow, offer.user_id)
        if row is None:
            row = MentorOfferRow(user_id=offer.user_id)
            self.session.add(row)
        row.skills = list(offer.skills)
        row.hours_per_month = offer.hours_per_month
        row.note = offer.note
        row.active = offer.active
        row.updated_at = at
        self.session.flush()

    def offers_for(self, skills: Sequence[str], *, limit: int) -> list[MentorOffer]:
        wanted = set(skills)
        found: list[MentorOffer] = []
        rows = self.session.scalars(
            select(MentorOfferRow).where(MentorOfferRow.active.is_(True)).order_by(MentorOfferRow.user_id)
        )
        for row in rows:
            offered = tuple(str(s) for s in row.skills)
            if wanted & set(offered):
                found.append(MentorOffer(row.user_id, offered, row.hours_per_month, row.note, row.active))
                if len(found) >= limit:
                    break
        return found

    def add_mentorship(
        self, mentor_id: int, mentee_id: int, skills: Sequence[str], message: str, *, at: datetime
    ) -> Mentorship:
        row = MentorshipRow(
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            skills=list(skills),
            message=message,
            state=MentorshipState.REQUESTED.value,
            mentor_confirmed=False,
            mentee_confirmed=False,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return _mentorship(row)

    def get_mentorship(self, mentorship_id: int) -> Mentorship | None:
        row = self.session.get(MentorshipRow, mentorship_id)
        return _mentorship(row) if row is not None else None

    def update_mentorship(
        self,
        mentorship_id: int,
        *,
        state: MentorshipState,
        mentor_confirmed: bool,
        mentee_confirmed: bool,
        completed_at: datetime | None,
    ) -> None:
        self.session.execute(
            update(MentorshipRow)
            .where(MentorshipRow.id == mentorship_id)
            .values(
                state=state.value,
                mentor_confirmed=mentor_confirmed,
                mentee_confirmed=mentee_confirmed,
                completed_at=completed_at,
            )
        )

    def mentorships_of(self, user_id: int) -> list[Mentorship]:
        rows = self.session.scalars(
            select(MentorshipRow)
            .where(or_(MentorshipRow.mentor_id == user_id, MentorshipRow.mentee_id == user_id))
            .order_by(MentorshipRow.id.desc())
        )
        return [_mentorship(r) for r in rows]

    def add_session(
        self, mentorship_id: int, held_on: date, minutes: int, notes: str, recorded_by: int, *, at: datetime
    ) -> MentoringSession:
        row = MentoringSessionRow(
            mentorship_id=mentorship_id,
            held_on=held_on,
            minutes=minutes,
            notes=notes,
            recorded_by=recorded_by,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return MentoringSession(row.id, mentorship_id, held_on, minutes, notes, recorded_by)

    def sessions(self, mentorship_id: int) -> list[MentoringSession]:
        rows = self.session.scalars(
            select(MentoringSessionRow)
            .where(MentoringSessionRow.mentorship_id == mentorship_id)
            .order_by(MentoringSessionRow.held_on, MentoringSessionRow.id)
        )
        return [
            MentoringSession(r.id, r.mentorship_id, r.held_on, r.minutes, r.notes, r.recorded_by)
            for r in rows
        ]
