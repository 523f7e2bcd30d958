"""Find the observed videos that answer each brief. Pure: no I/O, no clock."""
