"""One module per `briefwatch` subcommand; each exposes `register(subparsers)`."""
