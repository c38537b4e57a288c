"""Schemathesis hooks for the kiosk API fuzz (loaded through SCHEMATHESIS_HOOKS)."""

import uuid

import schemathesis


@schemathesis.hook
def before_call(context, case, kwargs):
    # A kiosk makes a fresh Idempotency-Key per operation; a generated one repeats ("00000000")
    # and would replay or refuse an earlier, different request. Left out when a case omits it.
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = f"fuzz-{uuid.uuid4()}"


@schemathesis.check
def stated_rules_hold(ctx, response, case):
    """A schema-valid request refused with 422 broke a rule the schema cannot state (pydantic's
    "Value error, ..." of our own validators, or a rule of the hotel), never one it states: a
    type, a bound, a pattern, a required or unknown field."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    body = response.json()
    if body.get("error") != "invalid_request":
        return None
    stated = [d for d in body["detail"] if not d["problem"].startswith("Value error")]
    if stated:
        raise AssertionError(f"a schema-valid request was refused by a rule the OpenAPI states: {stated}")
    return None
