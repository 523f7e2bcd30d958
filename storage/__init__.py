"""The SQL archive: models, migrations, and the repository API the rest of briefwatch uses."""
