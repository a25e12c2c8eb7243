"""Turvallisuussuunnittelun tilannekuva: where local safety planning stands in Eastern Finland."""
