"""Staff and technician mode at the kiosk, as plain Python: the admin screens only render it.

- ``unlock``: gesture spec, PIN pad with lockout, badge sign-in, the idle-closing admin session.
- ``staff``: status at a glance, out of service, reprint, payments to review, end of day, paper.
- ``state``: out of service and a running lockout, kept across restarts.
- ``setup``: the technician's per-device setup flow; ``devicemanager`` restarts one device.
- ``logs`` and ``diagnostics``: recent log records per device, and a redacted diagnostics zip.
- ``audit``: every unlock, failure and action, appended to a local JSON-lines file.
- ``services``: ``build_admin(settings, devices, config_path)`` wires all of the above for the app.

Calls here may block on device I/O or disk: screens run them off the UI thread. No Kivy here.
"""
