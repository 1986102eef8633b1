"""Store: Article <-> rows in an embedded database (SQLite), with the schema defined once."""
