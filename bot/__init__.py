"""The application: command line, configuration, importers, the Telegram watcher and the monitors' bot."""
