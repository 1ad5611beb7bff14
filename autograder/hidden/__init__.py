"""The hidden tests: run by the grader in its trusted process, never shown to students."""
