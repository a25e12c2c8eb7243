"""Turvallisuussuunnittelun tilannekuva: where local safety planning stands in Finland, from the
status surveys of the leadership troika (municipalities, police, rescue services)."""
