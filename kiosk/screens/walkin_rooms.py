"""Walk-in: the room types free for the stay, each with its photo, bed, size and total price."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import StringProperty

from drivers.money import Money
from kiosk.config import ROOT
from kiosk.frontdesk import Offer, RoomType
from kiosk.i18n import money
from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen

PHOTOS = ROOT / "assets" / "rooms"


def photo(room_type: RoomType) -> str:
    """The room type's picture (assets/rooms/<code>.png), or "" for a plain panel."""
    path = PHOTOS / f"{room_type.code}.png"
    return str(path) if path.exists() else ""


def facts(room_type: RoomType) -> str:
    return tr._("{bed} · {size} m² · up to {adults} adults").format(
        bed=room_type.bed, size=room_type.size_m2, adults=room_type.max_adults
    )


def price(offer: Offer, lang: str) -> str:
    return money(Money(offer.total, offer.currency), lang)


class WalkInRoomsScreen(JourneyScreen):
    notice = StringProperty("")
    stay = StringProperty("")
    _shown_for: tuple[object, ...] = ()

    def refresh(self) -> None:
        j = self.journey
        w = j.walk_in
        if w is None:
            return
        self.notice = tr._(w.notice).format(room_type=w.notice_room_type) if w.notice else ""
        self.stay = tr._("{nights} nights · {adults} adults · {children} children").format(
            nights=w.nights, adults=w.adults, children=w.children
        )
        shown = (*w.offers, w.suggested, j.language)
        if self._shown_for == shown:
            return
        self._shown_for = shown
        box = self.ids.offers
        box.clear_widgets()
        for offer in w.offers:
            item: Any = Factory.RoomOffer()
            item.name = offer.room_type.name
            item.facts = facts(offer.room_type)
            item.photo = photo(offer.room_type)
            item.price = price(offer, j.formats)
            item.suggested = offer.room_type.code == w.suggested
            item.badge = tr._("Our suggestion") if item.suggested else ""
            item.included = tr._("total, tax and service included")
            item.code = offer.room_type.code
            item.bind(on_press=lambda _w, o=offer: j.choose_offer(o))
            box.add_widget(item)

    def wipe(self) -> None:
        self.ids.offers.clear_widgets()
        self._shown_for = ()


SCREEN = WalkInRoomsScreen
WalkInRoomsScreen.load_kv(__file__)
