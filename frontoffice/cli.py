"""Server commands: `server` (run, add-kiosk, revoke-kiosk, add-staff, night-audit, report, upgrade)
and `demo-data`."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date

from frontoffice.settings import ServerSettings, load_settings


def register(sub: argparse._SubParsersAction) -> None:
    server = sub.add_parser("server", help="run the central front-office server (and manage it)")
    _database_option(server)
    server.add_argument("--host", help="address to listen on (default from config/server.toml)")
    server.add_argument("--port", type=int, help="port to listen on (default from config/server.toml)")
    server.set_defaults(func=run_server)
    actions = server.add_subparsers(dest="action", metavar="ACTION")

    add = actions.add_parser(
        "add-kiosk", help="register a kiosk (or give it a new token); prints its token once"
    )
    add.add_argument("name")
    add.set_defaults(func=add_kiosk)
    revoke = actions.add_parser("revoke-kiosk", help="revoke a kiosk's token")
    revoke.add_argument("name")
    revoke.set_defaults(func=revoke_kiosk)
    staff = actions.add_parser(
        "add-staff", help="add a dashboard user or set a new password (asked for, or read from stdin)"
    )
    staff.add_argument("name")
    staff.set_defaults(func=add_staff)
    audit = actions.add_parser(
        "night-audit", help="close the business date: no-shows, overstays, nights not yet charged"
    )
    audit.set_defaults(func=night_audit)
    report = actions.add_parser("report", help="daily totals of a business date, for accounting")
    report.add_argument("--date", required=True, type=date.fromisoformat, help="business date, YYYY-MM-DD")
    report.add_argument("--format", choices=("csv", "json"), default="csv")
    report.set_defaults(func=daily_report)
    upgrade = actions.add_parser("upgrade", help="upgrade the database schema and exit")
    upgrade.set_defaults(func=upgrade_only)
    for p in (add, revoke, staff, audit, report, upgrade):
        _database_option(p)

    demo = sub.add_parser(
        "demo-data",
        help="(re)create the demo hotel with arrivals today (its kiosks and staff users stay) and list them",
    )
    _database_option(demo)
    demo.add_argument("--if-stale", action="store_true", help="only if missing or from an earlier day")
    demo.add_argument(
        "--replace",
        action="store_true",
        help="even while a kiosk is running or holds records not yet sent (they would be refused)",
    )
    demo.set_defaults(func=demo_data)


def _database_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help="SQLAlchemy URL (sqlite:/// or postgresql+psycopg://)",
    )


def _settings(args: argparse.Namespace) -> ServerSettings:
    settings = load_settings()
    overrides = {k: v for k in ("host", "port", "database_url") if (v := getattr(args, k, None)) is not None}
    if overrides:
        settings = settings.model_copy(update={"server": settings.server.model_copy(update=overrides)})
    return settings


def _database(args: argparse.Namespace):  # noqa: ANN202 - imports stay lazy for a fast --help
    from frontoffice.db import Database
    from frontoffice.migrate import upgrade

    db = Database(_settings(args).server.database_url)
    upgrade(db)
    return db


def run_server(args: argparse.Namespace) -> int:
    import uvicorn

    from frontoffice.api.app import create_app

    all_settings = _settings(args)
    settings = all_settings.server
    db = _database(args)
    app = create_app(db, pull_page_size=settings.pull_page_size, smtp=all_settings.smtp)
    print(
        f"Sambut front office on http://{settings.host}:{settings.port} ({db.engine.dialect.name})",
        flush=True,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level, access_log=False)
    return 0


def add_kiosk(args: argparse.Namespace) -> int:
    from frontoffice.services import demo, kiosks

    db = _database(args)
    with db.session(write=True) as session:
        prop = demo.current_property(session)
        if prop is None:
            print("No property yet: run `python main.py demo-data` first.", file=sys.stderr)
            return 1
        _, token = kiosks.add_kiosk(session, prop, args.name)
    print(token)
    print(f"Kiosk {args.name!r} of {prop.code}: the token above is shown only now.", file=sys.stderr)
    return 0


def revoke_kiosk(args: argparse.Namespace) -> int:
    from frontoffice.services import demo, kiosks
    from frontoffice.services.errors import DomainError

    db = _database(args)
    try:
        with db.session(write=True) as session:
            prop = demo.current_property(session)
            if prop is None:
                raise SystemExit("No property in the database.")
            kiosks.revoke_kiosk(session, prop, args.name)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"Kiosk {args.name!r} revoked.")
    return 0


def _property_or_exit(session):  # noqa: ANN001, ANN202 - lazy imports, as above
    from frontoffice.services import demo

    prop = demo.current_property(session)
    if prop is None:
        raise SystemExit("No property yet: run `python main.py demo-data` first.")
    return prop


def add_staff(args: argparse.Namespace) -> int:
    from frontoffice.services import staff

    if sys.stdin.isatty():
        password = getpass.getpass(f"New password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            print("The passwords differ; nothing changed.", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\n")
    db = _database(args)
    try:
        with db.session(write=True) as session:
            staff.set_password(session, _property_or_exit(session), args.name, password)
    except ValueError as exc:
        print(f"{exc}; nothing changed.", file=sys.stderr)
        return 1
    print(f"Staff user {args.name!r} can log in to the dashboard (its other sessions ended).")
    return 0


def night_audit(args: argparse.Namespace) -> int:
    from frontoffice.models.base import utcnow
    from frontoffice.services import money, nightaudit
    from frontoffice.services.errors import DomainError

    db = _database(args)
    try:
        with db.session(write=True) as session:
            result = nightaudit.run(session, _property_or_exit(session).id, "cli:night-audit", utcnow())
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"Closed {result.closed}; business date is now {result.business_date}.")
    print(f"  no-shows:  {len(result.no_shows)} {' '.join(result.no_shows)}".rstrip())
    print(f"  overstays: {len(result.overstays)} {' '.join(result.overstays)}".rstrip())
    amount = money.display(result.amount_posted, result.currency)
    print(f"  nights posted: {result.nights_posted} ({amount})")
    return 0


def daily_report(args: argparse.Namespace) -> int:
    from frontoffice.models.base import utcnow
    from frontoffice.services import reports

    db = _database(args)
    with db.session() as session:
        report = reports.daily(session, _property_or_exit(session), args.date, utcnow())
    text = reports.to_csv(report) if args.format == "csv" else report.model_dump_json(indent=2) + "\n"
    sys.stdout.write(text)
    return 0


def upgrade_only(args: argparse.Namespace) -> int:
    db = _database(args)
    print(f"Database at head: {db.engine.url.render_as_string(hide_password=True)}")
    return 0


# Exit status of `demo-data` when it keeps the data because a running install holds work.
DEMO_KEPT = 3


def demo_data(args: argparse.Namespace) -> int:
    from frontoffice.models.base import utcnow
    from frontoffice.services import demo

    db = _database(args)
    status = 0
    with db.session(write=True) as session:
        busy = [] if args.replace else demo.busy_kiosks(session, utcnow())
        prop = demo.current_property(session)
        if args.if_stale and not demo.is_stale(session):
            print("Demo data is from today; kept.")
        elif busy and prop is not None:
            print(
                "Demo data kept, not made again: " + "; ".join(busy) + ". Remaking it now would lose"
                " their work. Stop the kiosk and let it send everything, or pass --replace.",
                file=sys.stderr,
            )
            status = DEMO_KEPT
        else:
            prop = demo.build(session)
            session.flush()
        assert prop is not None
        lines = [
            f"  {r.confirmation_code}  {r.guest.surname:<30}  {r.guest.full_name}"
            for r in demo.arrivals_today(session, prop)
        ]
    print(f"{prop.name}: business date {prop.business_date}, {len(lines)} arrivals today")
    print(f"  {'code':<8}  {'surname':<30}  guest")
    print("\n".join(lines))
    return status
