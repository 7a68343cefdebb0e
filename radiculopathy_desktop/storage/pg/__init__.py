"""The clinic-server engine: the case store on PostgreSQL (see :mod:`.store`).

Importing this package imports nothing heavy: psycopg is loaded only when a store
connects, so the local single-workstation mode never loads it.
"""
