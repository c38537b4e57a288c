"""Technician: the guided setup of one device (``kiosk.admin.setup.SetupFlow``), one step at a
time: driver and connection (from what discovery found), its settings (pickers and steppers, the
on-screen keyboard for text), a test on the real device, then save with a backup and restart.

The form is built from the driver's own options, so a new driver needs no new screen.
"""

from __future__ import annotations

import json
from typing import Any

from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from drivers.base import Device
from kiosk.admin.configfile import Saved
from kiosk.admin.devicemanager import describe
from kiosk.admin.devicenames import device_title
from kiosk.admin.faults import advice, known
from kiosk.admin.setup import INTERNAL_PREFIXES, Connection, DeviceTestResult, FieldSpec, SetupFlow, Step
from kiosk.i18n import N_
from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import AdminPage, widget
from kiosk.screens.admin_status import HEALTH
from kiosk.screens.camera_view import CameraView
from kiosk.screens.keyboard import OnScreenKeyboard  # noqa: F401  (its kv rule, for the form)

# Settings a technician picks from a list rather than types.
PRESETS: dict[str, tuple[Any, ...]] = {"baudrate": (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)}
STEP_TITLES = {
    Step.DRIVER: N_("1 · Driver and connection"),
    Step.OPTIONS: N_("2 · Settings"),
    Step.TEST: N_("3 · Test"),
    Step.DONE: N_("Saved"),
}
PRESENT = {
    "badge": N_("Hold a staff badge to the reader now."),
    "scanner": N_("Scan a passport or a booking code now."),
    "camera": N_("Hold a booking code in front of the camera now."),
}


def shown(spec: FieldSpec) -> str:
    """A field's value as text for the form (list items escaped, so "\\r\\n" stays visible)."""
    value = spec.value
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(json.dumps(str(v))[1:-1] for v in value)
    return str(value)


def parsed(spec: FieldSpec, text: str) -> Any:
    """What the form's text means for the driver; left as typed when it does not parse, so the
    driver's own validation names the mistake."""
    text = text.strip()
    if not text:
        return None
    try:
        if spec.type == "int":
            return int(text)
        if spec.type == "float":
            return float(text)
        if spec.type == "list":
            return [json.loads(f'"{item.strip()}"') for item in text.split(",") if item.strip()]
    except ValueError:
        return text
    return text


def _rightmost_last(actions: Any) -> None:
    """The row fills from the right: re-add the buttons so the last one (the step's main action)
    ends up at the right and the others keep their order left of it."""
    buttons = list(actions.children)  # newest first
    actions.clear_widgets()
    for button in buttons:
        actions.add_widget(button)


class AdminPicker(BoxLayout):
    """One of a few values, stepped through with ‹ and › (no typing)."""

    choices = ListProperty([])
    value = ObjectProperty(None, allownone=True)

    def step(self, by: int) -> None:
        if not self.choices:
            return
        at = self.choices.index(self.value) if self.value in self.choices else -by
        self.value = self.choices[(at + by) % len(self.choices)]


class AdminToggle(BoxLayout):
    value = BooleanProperty(False)


class AdminInput(BoxLayout):
    """A text field for the on-screen keyboard; numbers also get − and + steppers."""

    kind = StringProperty("str")
    secret = BooleanProperty(False)

    def step(self, by: int) -> None:
        field = self.ids.field
        try:
            number = float(field.text or 0) + by
        except ValueError:
            return
        field.text = str(int(number)) if self.kind == "int" else f"{number:g}"


class AdminSetupPage(AdminPage):
    title = StringProperty("")
    step_title = StringProperty("")
    message = StringProperty("")
    error = BooleanProperty(False)
    busy = BooleanProperty(False)
    typing = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._driver = ""
        self._connection: Connection | None = None
        self._inputs: dict[str, tuple[FieldSpec, Any]] = {}
        self._test: DeviceTestResult | None = None
        self._saved: Saved | None = None
        self._keyboard: Any = None
        self._preview: CameraView | None = None  # the camera under test's live picture

    @property
    def keyboard(self) -> Any:
        if self._keyboard is None:
            self._keyboard = widget("OnScreenKeyboard")
        return self._keyboard

    def on_kv_post(self, _base: Any) -> None:
        # Strong references: these leave the tree while the keyboard is up and must come back.
        self._actions, self._hide = self.ids.actions, widget("AdminHideKeyboard")
        self._column = self._actions.parent

    def on_typing(self, _page: object, typing: bool) -> None:
        """The keyboard takes the bottom half: the tabs and the step's buttons make way (and come
        back with "Hide keyboard"), so the field being typed in stays in sight."""
        ids, column = self.ids, self._column
        if self.ctl.layer is not None:
            self.ctl.layer.compact = typing
        if typing and self._hide.parent is None:
            column.remove_widget(self._actions)
            ids.title_row.add_widget(self._hide)
            ids.kb_box.add_widget(self._keyboard)
        elif not typing and self._hide.parent is not None:
            ids.title_row.remove_widget(self._hide)
            ids.kb_box.clear_widgets()
            column.add_widget(self._actions, index=column.children.index(ids.kb_box) + 1)

    @property
    def flow(self) -> SetupFlow:
        flow = self.ctl.setup
        assert flow is not None
        return flow

    def say(self, message: str, error: bool = False) -> None:
        self.message, self.error = message, error

    def refresh(self) -> None:
        flow = self.ctl.setup
        if flow is None:
            return
        self.title = tr._("Set up: {device}").format(device=self._device(flow))
        self.step_title = tr._(STEP_TITLES[flow.step])
        self.typing = False
        body, actions = self.ids.body, self.ids.actions
        body.clear_widgets()
        actions.clear_widgets()
        getattr(self, f"_show_{flow.step.value}")(flow, body, actions)
        _rightmost_last(actions)

    def _device(self, flow: SetupFlow) -> str:
        kinds = {n: s.kind for n, s in self.ctl.manager.settings.devices.items()} | {flow.name: flow.kind}
        return device_title(flow.name, kinds, tr._)

    def _button(self, actions: Any, text: str, handler: Any, kind: str = "secondary", name: str = "") -> Any:
        button = widget("KButton", text=text, kind=kind, size_hint_x=None)
        # As wide as its words (a narrow portrait screen wraps the row rather than clip them).
        button.bind(minimum_width=lambda b, w: setattr(b, "width", max(dp(200), w + dp(32))))
        button.bind(on_press=lambda _b: handler())
        button.action = name
        actions.add_widget(button)
        return button

    def _choice(self, box: Any, text: str, selected: bool, handler: Any, name: str = "") -> None:
        choice = widget("AdminChoice", text=text, selected=selected)
        choice.bind(on_press=lambda _b: handler())
        choice.action = name
        box.add_widget(choice)

    # -- step 1 ------------------------------------------------------------------------------

    def _show_driver(self, flow: SetupFlow, body: Any, actions: Any) -> None:
        self._driver = self._driver if self._driver in flow.drivers() else flow.driver or flow.drivers()[0]
        body.add_widget(widget("FieldLabel", text=tr._("Driver")))
        drivers = widget("AdminChoices")
        for driver in flow.drivers():
            self._choice(
                drivers, driver, driver == self._driver, lambda d=driver: self._pick_driver(d), driver
            )
        body.add_widget(drivers)
        body.add_widget(widget("FieldLabel", text=tr._("Connection")))
        found = flow.connections(self._driver)
        connections = widget("AdminChoices")
        self._choice(
            connections,
            tr._("Keep the current settings"),
            self._connection is None,
            lambda: self._pick_connection(None),
            "keep",
        )
        for c in found:
            label = f"{c.label}\n{c.detail}" if c.detail else c.label
            self._choice(
                connections, label, c == self._connection, lambda c=c: self._pick_connection(c), c.label
            )
        body.add_widget(connections)
        if not found:
            body.add_widget(
                widget("Caption", text=tr._("Nothing found to connect this driver to; enter it by hand."))
            )
        for problem in flow.discovery_advice:
            body.add_widget(widget("Caption", text=tr._(problem)))
        self._button(actions, tr._("Cancel"), self.cancel, "quiet", "cancel")
        self._button(actions, tr._("Next"), self.next, "primary", "next")

    def _pick_driver(self, driver: str) -> None:
        self._driver, self._connection = driver, None
        self.refresh()

    def _pick_connection(self, connection: Connection | None) -> None:
        self._connection = connection
        self.refresh()

    def next(self) -> None:
        self.flow.choose(self._driver, self._connection)
        self.say("")
        self.refresh()

    # -- step 2 ------------------------------------------------------------------------------

    def _show_options(
        self, flow: SetupFlow, body: Any, actions: Any, errors: dict[str, str] | None = None
    ) -> None:
        self._inputs = {}
        if self._keyboard is not None:
            self.keyboard.target = None  # its field went with the form it was in
        for spec in flow.fields():
            label = spec.label + ("  *" if spec.required else "")
            body.add_widget(widget("FieldLabel", text=label))
            if spec.description:
                body.add_widget(widget("Caption", text=spec.description))
            choices = spec.choices or (PRESETS.get(spec.name, ()) if spec.type == "int" else ())
            if spec.type == "bool":
                control = widget("AdminToggle", value=bool(spec.value))
            elif choices:
                control = widget("AdminPicker", choices=list(choices), value=spec.value)
            else:
                control = widget("AdminInput", kind=spec.type, secret=spec.secret)
                control.ids.field.text = shown(spec)
                control.ids.field.bind(focus=lambda f, on: on and self._use_keyboard(f))
            control.field_name = spec.name
            body.add_widget(control)
            self._inputs[spec.name] = (spec, control)
            body.add_widget(widget("ErrorText", text=(errors or {}).get(spec.name, "")))
        self._button(actions, tr._("Back"), self.back, "quiet", "back")
        self._button(actions, tr._("Cancel"), self.cancel, "quiet", "cancel")
        self._button(actions, tr._("Check these settings"), self.check, "primary", "check")

    def _use_keyboard(self, field: Any) -> None:
        keyboard = self.keyboard
        self.typing = True
        keyboard.use(field)
        # Once the keyboard has taken its place, bring the field into what is left of the view.
        Clock.schedule_once(lambda _dt: self.ids.scroll.scroll_to(field.parent, padding=dp(12)), 0.1)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, (spec, control) in self._inputs.items():
            if spec.type == "bool" or hasattr(control, "choices"):
                values[name] = control.value
            else:
                values[name] = parsed(spec, control.ids.field.text)
        return values

    def check(self) -> None:
        errors = self.flow.set_options(self.values())
        if not errors:
            self.say("")
            self.refresh()
            return
        self.say(tr._("Please correct the settings marked below."), True)
        body, actions = self.ids.body, self.ids.actions
        typed = self.values()
        body.clear_widgets()
        actions.clear_widgets()
        self._show_options(self.flow, body, actions, errors)
        _rightmost_last(actions)
        for name, (spec, control) in self._inputs.items():  # keep what was typed, mistakes too
            if not (spec.type == "bool" or hasattr(control, "choices")) and typed.get(name) is not None:
                control.ids.field.text = shown(FieldSpec(name, spec.type, spec.required, typed[name]))
        unplaced = [f"{k}: {v}" for k, v in errors.items() if k not in self._inputs]
        if unplaced:
            self.say("\n".join([self.message, *unplaced]), True)

    def back(self) -> None:
        self.flow.back()
        self._test = None
        self.say("")
        self.refresh()

    # -- step 3 ------------------------------------------------------------------------------

    def _show_test(self, flow: SetupFlow, body: Any, actions: Any) -> None:
        section = flow.section
        assert section is not None
        secret = {f.name for f in flow.fields() if f.secret}
        lines = [f"{flow.driver}"] + [
            f"{k} = {'••••' if k in secret else v}"
            for k, v in sorted(section.options.items())
            if not k.startswith(INTERNAL_PREFIXES)  # the kiosk's own files, not the device's settings
        ]
        for line in lines:  # a label each: a long value wraps under its own name
            body.add_widget(widget("Body", text=line))
        if flow.kind in PRESENT:
            body.add_widget(widget("Caption", text=tr._("The test waits half a minute for a read.")))
        result = self._test
        if result is not None:
            verdict = tr._("Test passed") if result.ok else tr._("Test failed")
            tone = "ok" if result.ok else "faulty"
            # A failure in words and with a way forward; the raw outcome is in the logs.
            title = result.summary if result.ok else tr._(result.advice)
            detail = ", ".join(f"{k}: {v}" for k, v in result.detail.items()) if result.ok else ""
            body.add_widget(
                widget("AdminDeviceRow", title=title, detail=detail, tone=tone, state_text=verdict)
            )
        self._button(actions, tr._("Change settings"), self.back, "quiet", "back")
        self._button(actions, tr._("Cancel"), self.cancel, "quiet", "cancel")
        if result is None or not result.ok:
            self._button(
                actions,
                tr._("Run the test"),
                self.run_test,
                "primary" if result is None else "secondary",
                "test",
            )
        if result is not None:
            text = tr._("Save and restart") if result.ok else tr._("Save anyway")
            self._button(actions, text, self.save, "primary" if result.ok else "secondary", "save")

    def run_test(self) -> None:
        self.busy = True
        self.say(tr._("Testing…"))
        kind = self.flow.kind

        def started(device: Device) -> None:
            self.ctl.testing = device
            if kind in PRESENT:
                self.ctl.app.runner.post(lambda: self.say(tr._(PRESENT[kind])))
            if kind == "camera":  # aim it with its own picture while the test waits for a code
                self.ctl.app.runner.post(lambda: self._show_preview(device))

        flow = self.flow
        self.ctl.run(lambda: flow.run_test(started), self._tested)

    def _show_preview(self, camera: Device) -> None:
        if not self.busy:
            return  # the test ended before its picture could be shown
        self._preview = CameraView(
            prompt=tr._("Hold a booking code inside the frame"),
            unavailable=tr._("No picture from this camera: check its index and resolution."),
            size_hint_y=None,
            height=dp(360),
        )
        self.ids.body.add_widget(self._preview)
        self._preview.start(camera)

    def _tested(self, result: DeviceTestResult | None, error: BaseException | None) -> None:
        if self._preview is not None:
            self._preview.stop()
            self._preview = None
        self.busy = False
        self.ctl.testing = None
        if result is None:
            raw = describe(error) if error else ""
            result = DeviceTestResult(False, raw, advice=advice(error or raw))
        self._test = result
        self.say("")
        self.refresh()

    def save(self) -> None:
        self.busy = True
        self.say(tr._("Saving and restarting the device…"))
        flow, manager = self.flow, self.ctl.manager
        anyway = not (self._test is not None and self._test.ok)

        def save() -> Saved:
            saved = flow.save(even_though_test_failed=anyway)
            device = manager.get(flow.name)
            if device is not None:  # so the page shows how it came back, not "not checked yet"
                device.check_health().result(timeout=flow.test_timeout_s)
            return saved

        self.ctl.run(save, self._done)

    def _done(self, saved: Saved | None, error: BaseException | None) -> None:
        self.busy = False
        if saved is None:
            self.say(describe(error) if error else "", True)
            return
        self._saved = saved
        self.say("")
        self.refresh()

    # -- done --------------------------------------------------------------------------------

    def _show_done(self, flow: SetupFlow, body: Any, actions: Any) -> None:
        saved = self._saved
        if saved is not None:
            lines = [tr._("Saved in {path}.").format(path=saved.path)]
            if saved.backup is not None:
                lines.append(tr._("The previous file is kept as {path}.").format(path=saved.backup.name))
            body.add_widget(widget("Body", text="\n".join(lines)))
            device = self.ctl.manager.get(flow.name)
            if device is not None:
                health = device.health
                reason = self.ctl.manager.start_errors.get(flow.name) or health.reason
                reason = tr._(explained) if reason and (explained := known(reason)) else reason
                body.add_widget(
                    widget(
                        "AdminDeviceRow",
                        title=tr._("{name} restarted with the new settings").format(name=self._device(flow)),
                        detail=reason,
                        tone=health.health.value,
                        state_text=tr._(HEALTH[health.health]),
                    )
                )
        else:
            body.add_widget(widget("Body", text=tr._("Nothing was changed.")))
        self._button(actions, tr._("Back to devices"), self.finish, "primary", "finish")

    def cancel(self) -> None:
        flow = self.flow
        self.busy = True
        self.ctl.run(flow.cancel, lambda _r, _e: self.finish())

    def finish(self) -> None:
        self.busy = False
        self.wipe()
        self.ctl.setup = None
        self.ctl.layer.go("admin_devices")

    def wipe(self) -> None:
        self._driver, self._connection, self._test, self._saved = "", None, None, None
        self._inputs = {}
        self.say("")
        self.ids.body.clear_widgets()  # a typed terminal password goes with it
        self.ids.actions.clear_widgets()


SCREEN = AdminSetupPage
AdminSetupPage.load_kv(__file__)
