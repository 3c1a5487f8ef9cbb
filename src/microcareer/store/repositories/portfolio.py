"""The public portfolio in the store: its settings (one row per person, a unique handle), items, and
the items' uploaded images (their bytes read only when one is served)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, undefer

from microcareer.domain.network.portfolio import PortfolioItem, PortfolioSettings, StoredItem
from microcareer.domain.network.portfolio_images import CONTENT_TYPE, ImageFile, ImageInfo, NormalisedImage
from microcareer.store.tables.network import PortfolioItemRow, PortfolioRow
from microcareer.store.tables.portfolio_images import PortfolioImageRow

VERSION_CHARS = 16


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


def _info(row: PortfolioImageRow) -> ImageInfo:
    return ImageInfo(
        item_id=row.item_id,
        width=row.width,
        height=row.height,
        alt=row.alt,
        version=row.digest[:VERSION_CHARS],
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

    def image_infos(self, user_id: int) -> dict[int, ImageInfo]:
        rows = self.session.scalars(
            select(PortfolioImageRow)
            .join(PortfolioItemRow, PortfolioItemRow.id == PortfolioImageRow.item_id)
            .where(PortfolioItemRow.user_id == user_id)
        )
        return {row.item_id: _info(row) for row in rows}

    def get_image(self, item_id: int, *, thumbnail: bool) -> ImageFile | None:
        column = PortfolioImageRow.thumbnail if thumbnail else PortfolioImageRow.data
        row = self.session.scalars(
            select(PortfolioImageRow).where(PortfolioImageRow.item_id == item_id).options(undefer(column))
        ).first()
        if row is None:
            return None
        info = _info(row)
        if thumbnail:
            return ImageFile(
                ImageInfo(item_id, row.thumbnail_width, row.thumbnail_height, row.alt, info.version),
                row.thumbnail,
                row.content_type,
            )
        return ImageFile(info, row.data, row.content_type)

    def save_image(self, item_id: int, image: NormalisedImage, alt: str, *, at: datetime) -> ImageInfo:
        row = self.session.get(PortfolioImageRow, item_id)
        if row is None:
            row = PortfolioImageRow(item_id=item_id)
            self.session.add(row)
        row.alt = alt
        row.content_type = CONTENT_TYPE
        row.width, row.height = image.width, image.height
        row.thumbnail_width, row.thumbnail_height = image.thumbnail_width, image.thumbnail_height
        row.digest = hashlib.sha256(image.data).hexdigest()
        row.data = image.data
        row.thumbnail = image.thumbnail
        row.updated_at = at
        self.session.flush()
        return _info(row)

    def remove_image(self, item_id: int) -> bool:
        gone = self.session.execute(delete(PortfolioImageRow).where(PortfolioImageRow.item_id == item_id))
        return bool(getattr(gone, "rowcount", 0))

    @staticmethod
    def _fill(row: PortfolioItemRow, item: PortfolioItem) -> None:
        row.title = item.title
        row.description = item.description
        row.link = item.link
        row.image_url = item.image_url
        row.skills = list(item.skills)
        row.contract_id = item.contract_id
        row.wallet_entry_id = item.wallet_entry_id
