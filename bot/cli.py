"""The `briefwatch` command: global options, subcommand registry, one-line errors.

Each subcommand lives in `bot/commands/<name>.py` with `register(subparsers)`; the handler it
sets receives `(app, args)` and returns an exit code. A BriefwatchError anywhere becomes one line
on stderr and exit code 1 (2 for usage errors); set BRIEFWATCH_DEBUG=1 to see tracebacks.
Every error line and every log record goes through bot/redaction.py first: no token, API hash,
client secret or database password is ever printed.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Sequence

from bot.app import App
from bot.config import load_config
from bot.errors import BriefwatchError
from bot.redaction import config_secrets, install_log_redaction, redact, url_password

# Order is the order of `briefwatch --help`.
COMMAND_MODULES: tuple[str, ...] = (
    "init",
    "demo",
    "parse",
    "importing",
    "match",
    "export",
    "query",
    "login",
    "channels",
    "reparse",
    "report",
    "campaigns",
    "accounts",
    "collect",
    "alerts",
    "run",
    "workers",
    "media",
    "serve",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"briefwatch: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="briefwatch",
        description="Archive Telegram channels that recruit influencers, parse their job briefs, "
        "and find the videos that answer them.",
    )
    _add_global_options(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"bot.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bot.commands.{name}":
                continue  # command not built yet
            raise
        module.register(sub)
    for command in _subparsers(parser):
        _add_global_options(command, default=argparse.SUPPRESS)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    """--db and --config, accepted before the command and after it (`briefwatch init --db URL`).

    On commands the default is SUPPRESS, so an option given before the command is not reset.
    """
    parser.add_argument("--db", metavar="URL", default=default,
                        help="SQLAlchemy database URL (default: config, else sqlite:///briefwatch.db)")
    parser.add_argument("--config", metavar="PATH", default=default,
                        help="TOML config file (default: config.toml if present)")


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every command and sub-command parser below `parser`, depth first."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.append(child)
                found.extend(_subparsers(child))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    app: App | None = None
    secrets = url_password(args.db)
    install_log_redaction(secrets)  # token shapes and URL passwords even before the config is read
    try:
        config = load_config(args.config)
        secrets = config_secrets(config, urls=[args.db])
        install_log_redaction(secrets)
        app = App(config=config, db_url=args.db or config["database.url"])
        code = args.handler(app, args)
        sys.stdout.flush()  # a full disk behind `> file` fails here, not after main has returned
        return int(code or 0)
    except BriefwatchError as exc:
        print(f"briefwatch: error: {redact(_one_line(exc), secrets)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("briefwatch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not a user mistake: still one line unless debugging
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            # ...except stdout redirected to a full disk; files named in options say their name (bot/files.py)
            print(f"briefwatch: error: cannot write the output: {exc.strerror}", file=sys.stderr)
            return 1
        if os.environ.get("BRIEFWATCH_DEBUG"):
            raise  # a developer's own terminal: the traceback as it is
        print(f"briefwatch: internal error: {exc.__class__.__name__}: {redact(_one_line(exc), secrets)} "
              "(set BRIEFWATCH_DEBUG=1 for a traceback)", file=sys.stderr)
        return 70
    finally:
        if app is not None:
            app.close()
        install_log_redaction(())  # this command's secrets end with it (main may run again in one process)


def _one_line(exc: BaseException) -> str:
    """The message on one line: errors are converted with one-line messages, this keeps it so."""
    return " ".join(line.strip() for line in str(exc).splitlines() if line.strip())


if __name__ == "__main__":
    sys.exit(main())
