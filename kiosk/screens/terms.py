"""The house rules and privacy notice in full, over the registration card, in the guest's language:
read before accepting. One label per paragraph, so a long notice scrolls instead of outgrowing a
texture."""

from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen, ModalLayer


class TermsOverlay(ModalLayer):
    version = StringProperty("")
    _shown_for: object = None

    def refresh(self) -> None:
        terms = App.get_running_app().journey.terms_text()
        self.version = tr._("Version {version}").format(version=terms.version) if terms else ""
        if self._shown_for == (terms, tr.lang):
            return
        self._shown_for = (terms, tr.lang)
        box = self.ids.text
        box.clear_widgets()
        if terms is None:
            box.add_widget(
                Factory.TermsParagraph(
                    text=tr._("The house rules and privacy notice are available at the front desk.")
                )
            )
            return
        for document in (terms.house_rules, terms.privacy):
            heading, _, body = document.partition("\n")
            box.add_widget(Factory.TermsHeading(text=heading.strip()))
            for paragraph in body.strip().split("\n\n"):
                box.add_widget(Factory.TermsParagraph(text=" ".join(paragraph.split())))
        self.ids.scroll.scroll_y = 1


OVERLAY = TermsOverlay
JourneyScreen.load_kv(__file__)
