"""Pure decisions: standard library only, no I/O, `now` always passed in."""
