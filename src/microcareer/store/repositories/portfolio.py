"""The public portfolio in the store: its settings (one row per person, a unique handle) and items."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from microcareer.domain.network.portfolio import PortfolioItem, PortfolioSettings, StoredItem
from microcareer.store.tables.network import PortfolioItemRow, PortfolioRow


def _item(row: PortfolioItemRow) -> StoredItem:
    return StoredItem(
        id=row.id,
        user_id=row.user_id,
        position=row.position,
        item=PortfolioItem(
            title=row.title,
            description=row.description,
            link=row.link,
            image_url=row.image_url,
            skills=tuple(str(s) for s in row.skills),
            contract_id=row.contract_id,
            wallet_entry_id=row.wallet_entry_id,
        ),
    )


class SqlAlchemyPortfolioRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: int) -> PortfolioSettings | None:
        row = self.session.get(PortfolioRow, user_id)
        if row is None:
            return None
        return PortfolioSettings(
            handle=row.handle,
            headline=row.headline,
            narrative=row.narrative,
            published=row.published,
            show_credentials=row.show_credentials,
            show_reputation=row.show_reputation,
            show_skills=row.show_skills,
        )

    def owner_of(self, handle: str) -> int | None:
        return self.session.scalars(select(PortfolioRow.user_id).where(PortfolioRow.handle == handle)).first()

    def save(self, user_id: int, settings: PortfolioSettings, *, at: datetime) -> None:
        row = self.session.get(PortfolioRow, user_id)
        if row is None:
            row = PortfolioRow(user_id=user_id)
            self.session.add(row)
        row.handle = settings.handle
        row.headline = settings.headline
        row.narrative = settings.narrative
        row.published = settings.published
        row.show_credentials = settings.show_credentials
        row.show_reputation = settings.show_reputation
        row.show_skills = settings.show_skills
        row.updated_at = at
        self.session.flush()

    def items(self, user_id: int) -> list[StoredItem]:
        rows = self.session.scalars(
            select(PortfolioItemRow)
            .where(PortfolioItemRow.user_id == user_id)
            .order_by(PortfolioItemRow.position, PortfolioItemRow.id)
        )
        return [_item(r) for r in rows]

    def add_item(self, user_id: int, item: PortfolioItem) -> StoredItem:
        last = self.session.scalar(
            select(func.max(PortfolioItemRow.position)).where(PortfolioItemRow.user_id == user_id)
        )
        row = PortfolioItemRow(user_id=user_id, position=(last or 0) + 1)
        self._fill(row, item)
        self.session.add(row)
        self.session.flush()
        return _item(row)

    def update_item(self, item_id: int, item: PortfolioItem) -> None:
        row = self.session.get(PortfolioItemRow, item_id)
        if row is not None:
            self._fill(row, item)
            self.session.flush()

    def get_item(self, item_id: int) -> StoredItem | None:
        row = self.session.get(PortfolioItemRow, item_id)
        return _item(row) if row is not None else None

    def remove_item(self, item_id: int) -> None:
        self.session.execute(delete(PortfolioItemRow).where(PortfolioItemRow.id == item_id))

    @staticmethod
    def _fill(row: PortfolioItemRow, item: PortfolioItem) -> None:
        row.title = item.title
        row.description = item.description
        row.link = item.link
        row.image_url = item.image_url
        row.skills = list(item.skills)
        row.contract_id = item.contract_id
        row.wallet_entry_id = item.wallet_entry_id
