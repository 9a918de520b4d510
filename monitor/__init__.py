"""DSWatch: daily SMS check-ins and nurse escalation for differentiation syndrome."""

__version__ = "0.1.0"
