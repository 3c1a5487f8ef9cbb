"""Connections, introductions, referrals, mentoring and the portfolio as the API shows and takes them.
Ids in bodies are bounded like path ids; skills are given as a URI, key or name (as everywhere)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from microcareer.domain.network.connections import ConnectionsVisibility
from microcareer.domain.network.portfolio import PortfolioItem, PortfolioSettings
from microcareer.domain.network.portfolio_images import ImageInfo
from microcareer.services.connections import ConnectionView, Proposal
from microcareer.services.introductions import Path
from microcareer.services.mentorship import MentorMatch, MentorshipView
from microcareer.services.portfolio import ItemView, Portfolio
from microcareer.services.referrals import ReferralView

BodyId = Annotated[int, Field(ge=1, le=2**31 - 1, description="A numeric id.")]
SkillText = Annotated[str, Field(min_length=1, max_length=500, description="A skill's URI, key or name.")]


class ConnectionRequest(BaseModel):
    user_id: BodyId = Field(description="Whom to ask.")
    message: str = Field("", max_length=500, description="A line saying how you know them.")


class ConnectionPublic(BaseModel):
    id: int
    user_id: int = Field(description="The other person.")
    name: str
    state: str = Field(description="pending or accepted.")
    incoming: bool = Field(description="A request the other person sent, waiting for this person's answer.")
    how: list[str] = Field(
        description="How the two know each other: shared work first, then the request's words."
    )
    since: datetime

    @classmethod
    def of(cls, view: ConnectionView) -> ConnectionPublic:
        return cls(
            id=view.id,
            user_id=view.other_id,
            name=view.other_name,
            state=view.state.value,
            incoming=view.incoming,
            how=list(view.how),
            since=view.since,
        )


class ProposalPublic(BaseModel):
    user_id: int
    name: str
    how: list[str]
    closeness: float

    @classmethod
    def of(cls, proposal: Proposal) -> ProposalPublic:
        return cls(
            user_id=proposal.user_id, name=proposal.name, how=list(proposal.how), closeness=proposal.closeness
        )


class NetworkSettingsBody(BaseModel):
    connections_visibility: ConnectionsVisibility = Field(
        description="Who sees your connections: only_me, connections, or signed_in (anyone signed in)."
    )


class BlockBody(BaseModel):
    user_id: BodyId


class PersonRef(BaseModel):
    user_id: int
    name: str


class IntroductionPublic(BaseModel):
    user_id: int
    name: str
    via_user_id: int | None = Field(description="The connection who can introduce you; null: a connection.")
    via_name: str | None
    hops: int
    score: float
    confidence: float
    why: str

    @classmethod
    def of(cls, path: Path) -> IntroductionPublic:
        i = path.introduction
        return cls(
            user_id=i.person_id,
            name=path.person_name,
            via_user_id=i.via_id,
            via_name=path.via_name,
            hops=i.hops,
            score=round(i.score, 4),
            confidence=i.confidence,
            why=path.why,
        )


class ReferralBody(BaseModel):
    job_id: BodyId
    candidate_id: BodyId = Field(description="One of your connections.")
    note: str = Field("", max_length=1000)


class ReferralPublic(BaseModel):
    id: int
    job_id: int
    job_title: str
    referrer_id: int
    referrer_name: str
    candidate_id: int
    candidate_name: str
    note: str
    outcome: str = Field(
        description="open, applied, hired, completed (counts for the referrer) or not hired."
    )
    counts: bool

    @classmethod
    def of(cls, view: ReferralView) -> ReferralPublic:
        r = view.referral
        return cls(
            id=r.id,
            job_id=r.job_id,
            job_title=view.job_title,
            referrer_id=r.referrer_id,
            referrer_name=view.referrer_name,
            candidate_id=r.candidate_id,
            candidate_name=view.candidate_name,
            note=r.note,
            outcome=view.outcome,
            counts=view.counts,
        )


class MentorOfferBody(BaseModel):
    skills: list[SkillText] = Field(min_length=1, max_length=20)
    hours_per_month: int = Field(ge=1, le=80)
    note: str = Field("", max_length=2000)
    active: bool = True


class MentorOfferPublic(BaseModel):
    user_id: int
    skills: list[str]
    hours_per_month: int
    note: str
    active: bool


class SkillRefPublic(BaseModel):
    uri: str
    label: str


class MentorPublic(BaseModel):
    user_id: int
    name: str
    hours_per_month: int
    note: str
    skills: list[SkillRefPublic]

    @classmethod
    def of(cls, match: MentorMatch) -> MentorPublic:
        return cls(
            user_id=match.user_id,
            name=match.name,
            hours_per_month=match.hours_per_month,
            note=match.note,
            skills=[SkillRefPublic(uri=u, label=label) for u, label in match.skills],
        )


class MentorshipBody(BaseModel):
    mentor_id: BodyId
    skills: list[SkillText] = Field(min_length=1, max_length=20)
    message: str = Field("", max_length=500)


class AnswerBody(BaseModel):
    accept: bool


class SessionBody(BaseModel):
    date: date
    minutes: int = Field(ge=1, le=480)
    notes: str = Field("", max_length=2000)


class SessionPublic(BaseModel):
    id: int
    date: date
    minutes: int
    notes: str
    recorded_by: int


class MentorshipPublic(BaseModel):
    id: int
    mentor_id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str
    skills: list[SkillRefPublic]
    message: str
    state: str
    mentor_confirmed: bool
    mentee_confirmed: bool
    sessions: list[SessionPublic]
    hours: float

    @classmethod
    def of(cls, view: MentorshipView) -> MentorshipPublic:
        m = view.mentorship
        return cls(
            id=m.id,
            mentor_id=m.mentor_id,
            mentor_name=view.mentor_name,
            mentee_id=m.mentee_id,
            mentee_name=view.mentee_name,
            skills=[SkillRefPublic(uri=u, label=label) for u, label in view.skills],
            message=m.message,
            state=m.state.value,
            mentor_confirmed=m.mentor_confirmed,
            mentee_confirmed=m.mentee_confirmed,
            sessions=[
                SessionPublic(
                    id=s.id, date=s.held_on, minutes=s.minutes, notes=s.notes, recorded_by=s.recorded_by
                )
                for s in view.sessions
            ],
            hours=round(view.hours, 2),
        )


class PortfolioSettingsBody(BaseModel):
    handle: str = Field(min_length=3, max_length=40, description="The page's address: /p/<handle>.")
    headline: str = Field("", max_length=200)
    narrative: str = Field("", max_length=5000, description="The story that ties the gigs together.")
    published: bool = False
    show_credentials: bool = True
    show_reputation: bool = True
    show_skills: bool = True

    def settings(self) -> PortfolioSettings:
        return PortfolioSettings(**self.model_dump())

    @classmethod
    def of(cls, settings: PortfolioSettings) -> PortfolioSettingsBody:
        return cls(
            handle=settings.handle,
            headline=settings.headline,
            narrative=settings.narrative,
            published=settings.published,
            show_credentials=settings.show_credentials,
            show_reputation=settings.show_reputation,
            show_skills=settings.show_skills,
        )


class PortfolioItemBody(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    link: str = Field("", max_length=2000, description="An http:// or https:// address.")
    image_url: str = Field("", max_length=2000, description="An http:// or https:// address of an image.")
    skills: list[SkillText] = Field(default_factory=list, max_length=20)
    contract_id: BodyId | None = Field(None, description="A contract of yours behind the work.")
    wallet_entry_id: BodyId | None = Field(
        None, description="An accepted credential of your wallet behind it."
    )

    def item(self, skill_uris: tuple[str, ...]) -> PortfolioItem:
        return PortfolioItem(
            title=self.title,
            description=self.description,
            link=self.link,
            image_url=self.image_url,
            skills=skill_uris,
            contract_id=self.contract_id,
            wallet_entry_id=self.wallet_entry_id,
        )


class PortfolioImagePublic(BaseModel):
    """An uploaded image as this site serves it (re-encoded WebP; the thumbnail 480 pixels a side at most)."""

    item_id: int
    url: str = Field(description="The image, on this site: a stable path with its version.")
    thumbnail_url: str
    width: int
    height: int
    alt: str = Field(description="Words for who cannot see it (the item's title when none were given).")

    @classmethod
    def of(cls, info: ImageInfo) -> PortfolioImagePublic:
        return cls(
            item_id=info.item_id,
            url=info.path,
            thumbnail_url=info.thumbnail_path,
            width=info.width,
            height=info.height,
            alt=info.alt,
        )


class PortfolioItemPublic(BaseModel):
    id: int
    title: str
    description: str
    link: str
    image_url: str = Field(description="An outside address of an image, linked to, never loaded here.")
    image: PortfolioImagePublic | None = Field(None, description="The uploaded image, served by this site.")
    skills: list[SkillRefPublic]
    behind: str = Field(description="The contract or credential behind it, as the platform checked it.")

    @classmethod
    def of(cls, view: ItemView) -> PortfolioItemPublic:
        return cls(
            id=view.id,
            title=view.item.title,
            description=view.item.description,
            link=view.item.link,
            image_url=view.item.image_url,
            image=PortfolioImagePublic.of(view.image) if view.image is not None else None,
            skills=[SkillRefPublic(uri=u, label=label) for u, label in view.skills],
            behind=view.behind,
        )


class PortfolioPublic(BaseModel):
    user_id: int
    name: str
    settings: PortfolioSettingsBody
    items: list[PortfolioItemPublic]
    url: str

    @classmethod
    def of(cls, page: Portfolio, url: str) -> PortfolioPublic:
        return cls(
            user_id=page.user_id,
            name=page.name,
            settings=PortfolioSettingsBody.of(page.settings),
            items=[PortfolioItemPublic.of(i) for i in page.items],
            url=url,
        )
