"""Schemathesis hooks for the kiosk API fuzz (loaded through SCHEMATHESIS_HOOKS)."""

import uuid

import schemathesis


@schemathesis.hook
def before_call(context, case, kwargs):
    # A kiosk makes a fresh Idempotency-Key per operation; a generated one repeats ("00000000")
    # and would replay or refuse an earlier, different request. Left out when a case omits it.
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = f"fuzz-{uuid.uuid4()}"
