"""Turn a channel post into a structured brief. Pure: no I/O, no clock.

Public surface: `parse_post`, `PARSER_VERSION`, and the types in `parsers.brief`.
"""
